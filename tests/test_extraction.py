"""The quotation extractor on invented sentences: every quote style, every attribution pattern."""

from claims.extraction import KnownSpeaker, extract, find_quotations, propose_speakers

KNOWN = [
    KnownSpeaker("amadou-kone", "Amadou Koné", "person", aliases=("Amadou Kone",), titles=("Minister of Defence",)),
    KnownSpeaker(
        "fatou-sylla", "Fatou Sylla", "person", titles=("Minister of Foreign Affairs, Government of Niger",)
    ),
    KnownSpeaker("red-cross", "International Committee of the Red Cross", "international_body", aliases=("ICRC",)),
    KnownSpeaker("interior-ministry", "Interior Ministry", "ministry"),
]


def texts(text):
    return [quotation.text for quotation in find_quotations(text)]


def speakers(text, known=KNOWN):
    return [(e.proposal.speaker_key or e.proposal.new_name) for e in extract(text, known)]


def test_curly_double_quotes_are_found_with_offsets():
    text = "The minister said “the road is open” on Monday."
    [quotation] = find_quotations(text)
    assert quotation.text == "the road is open"
    assert text[quotation.start : quotation.end] == quotation.text
    assert quotation.style == "“”"


def test_straight_double_quotes_are_found():
    assert texts('She said "we will return" and left.') == ["we will return"]


def test_guillemets_with_and_without_inner_spaces():
    assert texts("Il a dit « nous resterons » puis «jamais».") == ["nous resterons", "jamais"]


def test_single_curly_quotes_are_found_but_apostrophes_are_not():
    text = "Niger’s envoy called it ‘a betrayal’ of Jama’at and the ministers’ pact."
    assert texts(text) == ["a betrayal"]


def test_an_apostrophe_alone_is_never_a_quotation():
    assert texts("Mali’s army and Burkina’s forces met at Jama’at Nusrat’s border.") == []


def test_opening_mark_used_as_closing_mark_is_a_mismatched_pair():
    text = "Headlines like “Rebels close in on the capital“, “Convoys attacked again“ ran all week."
    found = find_quotations(text)
    assert [q.text for q in found] == ["Rebels close in on the capital", "Convoys attacked again"]
    assert found[0].style == "““"


def test_curly_opening_with_straight_closing_is_a_mismatched_pair():
    assert texts('He said “we are ready" before leaving.') == ["we are ready"]


def test_nested_quotation_stays_inside_its_parent():
    text = "“They told us ‘leave now’ and we left,” the farmer said."
    [quotation] = find_quotations(text)
    assert quotation.text == "They told us ‘leave now’ and we left,"
    assert [text[start:end] for start, end in quotation.nested] == ["leave now"]


def test_punctuation_inside_the_marks_is_part_of_the_quotation():
    # As printed between the marks, as the curated seed quotes and the answer keys record it.
    assert texts("“We will not negotiate,” Koné said.") == ["We will not negotiate,"]


def test_quotation_split_by_an_attribution_shares_a_group_and_a_speaker():
    text = "“The convoy reached Gao,” Amadou Koné said, “and the fuel will be shared.”"
    found = extract(text, KNOWN)
    assert [e.quotation.text for e in found] == ["The convoy reached Gao,", "and the fuel will be shared."]
    assert found[0].quotation.split_group is not None
    assert found[0].quotation.split_group == found[1].quotation.split_group
    assert [e.proposal.speaker_key for e in found] == ["amadou-kone", "amadou-kone"]


def test_headline_quotation_is_flagged_and_attributed_through_its_repeat_in_the_text():
    text = (
        "“We will defend every village”\n\n"
        "The minister spoke in Gao on Monday.\n\n"
        "“We will defend every village and every road,” Amadou Koné said.\n"
    )
    found = extract(text, KNOWN)
    assert found[0].quotation.is_headline and found[0].quotation.kind == "headline"
    assert not found[1].quotation.is_headline
    assert found[0].proposal.speaker_key == "amadou-kone"
    assert "headline" in found[0].proposal.cue


def test_multi_paragraph_quotation_continues_where_the_next_paragraph_reopens():
    text = "Koné said: “The first paragraph of the speech.\n\n“The second paragraph of the speech.”"
    assert texts(text) == ["The first paragraph of the speech.", "The second paragraph of the speech."]


def test_unclosed_quote_mark_does_not_swallow_the_next_paragraph():
    assert texts("A stray “mark here.\n\nThen “a real quote” follows.") == ["a real quote"]


def test_name_then_verb_after_the_quotation():
    assert speakers("“The border stays closed,” Fatou Sylla said.") == ["fatou-sylla"]


def test_verb_then_name_after_the_quotation():
    assert speakers("“The border stays closed,” said Fatou Sylla.") == ["fatou-sylla"]


def test_alias_is_matched_without_accents():
    assert speakers("“We hold the bridge,” Kone added on Tuesday.") == ["amadou-kone"]


def test_name_colon_before_the_quotation_with_an_appositive():
    text = "Mariam Traoré, a researcher at the University of Bamako, told the BBC: “The drones changed everything.”"
    [proposal] = propose_speakers(text, find_quotations(text), KNOWN)
    assert proposal.new_name == "Mariam Traoré"
    assert proposal.confidence > 0


def test_according_to_names_the_speaker():
    assert speakers("According to the ICRC, “hundreds of families have fled.”") == ["red-cross"]


def test_told_outlet_after_the_quotation():
    assert speakers("“The convoys will run daily,” Koné told RFI.") == ["amadou-kone"]


def test_title_identifies_a_known_speaker_through_her_role():
    assert speakers("“Nobody will dictate our alliances,” the foreign minister said.") == ["fatou-sylla"]


def test_pronoun_is_resolved_to_the_last_named_speaker():
    text = (
        "Fatou Sylla met the press in Niamey on Monday. "
        "“Our partners must respect our choices,” she said, adding that talks would resume."
    )
    [proposal] = propose_speakers(text, find_quotations(text), KNOWN)
    assert proposal.speaker_key == "fatou-sylla"
    assert "pronoun" in proposal.cue


def test_he_added_before_the_quotation_goes_to_the_last_named_person_not_an_organisation():
    text = "Amadou Koné thanked the ICRC for its work. He added, “The wounded will be flown to Bamako.”"
    assert speakers(text) == ["amadou-kone"]


def test_possessive_pronoun_points_to_the_last_named_organisation():
    text = "The Interior Ministry announced a curfew. “Checkpoints will stay in place,” added its statement."
    assert speakers(text) == ["interior-ministry"]


def test_unknown_name_is_proposed_as_a_new_speaker():
    [extraction] = extract("“Prices have tripled,” Boubacar Diallo, a trader in Mopti, said.", KNOWN)
    assert extraction.proposal.speaker_key is None
    assert extraction.proposal.new_name == "Boubacar Diallo"
    assert extraction.proposal.new_kind == "person"


def test_quotation_without_a_cue_continues_the_previous_speaker():
    text = "“We are ready,” Fatou Sylla said. “The talks can begin.”"
    found = extract(text, KNOWN)
    assert [e.proposal.speaker_key for e in found] == ["fatou-sylla", "fatou-sylla"]
    assert found[1].proposal.cue == "continues the previous quotation"
    assert found[1].proposal.confidence < found[0].proposal.confidence


def test_words_inside_a_quotation_never_name_its_speaker():
    text = "“Fatou Sylla said nothing new,” Amadou Koné said."
    assert speakers(text) == ["amadou-kone"]


def test_every_proposal_carries_a_confidence_and_a_cue():
    for extraction in extract("“The border stays closed,” the ICRC said. “Nobody knows” why.", KNOWN):
        assert 0 <= extraction.proposal.confidence <= 1
        assert extraction.proposal.cue


def test_slogans_are_recognised_from_their_context():
    found = find_quotations('The crowd chanted slogans such as "Troops out now" and "Peace for Mali."')
    assert {q.kind for q in found} == {"slogan"}


def test_a_quotation_with_no_cue_and_no_neighbour_is_left_unattributed():
    text = "Some called it “a turning point”."
    [proposal] = propose_speakers(text, find_quotations(text))
    assert not proposal.is_attributed


GOVERNMENTS = [
    KnownSpeaker("quai", "French Ministry for Europe and Foreign Affairs", "ministry", aliases=("Quai d’Orsay",)),
    KnownSpeaker("chad", "Government of Chad", "government"),
    KnownSpeaker("is-sahel", "Islamic State Sahel Province", "armed_group", aliases=("Islamic State (IS)",)),
    KnownSpeaker("crowd-gao", "Protesters in Gao (2024)", "protesters"),
    KnownSpeaker("crowd-kayes", "Protesters in Kayes (2024)", "protesters"),
]


def test_a_country_speaking_is_its_government_or_its_foreign_ministry():
    text = "France “advised” its citizens to leave. Chad warned that “the border is closed.”"
    assert speakers(text, GOVERNMENTS) == ["quai", "chad"]


def test_acronym_in_an_alias_is_matched_in_capitals_only():
    text = "“The base has fallen,” the IS wrote in a statement."
    assert speakers(text, GOVERNMENTS) == ["is-sahel"]


def test_crowd_is_told_apart_by_the_place_it_gathered():
    text = (
        "In Kayes, hundreds marched to the governor’s office.\n\n"
        "In Gao, thousands gathered outside the camp. They chanted slogans such as “Troops out” and “No more fear.”"
    )
    assert speakers(text, GOVERNMENTS) == ["crowd-gao", "crowd-gao"]


def test_a_speaker_named_in_another_clause_is_not_proposed():
    text = "“Is the north lost?” asked some columnists, while Chad declared the region “secure.”"
    found = extract(text, GOVERNMENTS)
    assert found[0].proposal.speaker_key != "chad"
    assert found[1].proposal.speaker_key == "chad"


def test_an_unresolved_cue_stops_the_previous_speaker_being_carried_over():
    text = "“We are ready,” Fatou Sylla said.\n\nHundreds of youths gathered, chanting “Out with the junta.”"
    found = extract(text, KNOWN)
    assert found[0].proposal.speaker_key == "fatou-sylla"
    assert not found[1].proposal.is_attributed


def test_a_description_with_a_nationality_names_the_known_organisation():
    text = "The French foreign ministry said it “firmly condemns” the attack."
    assert speakers(text, GOVERNMENTS) == ["quai"]
