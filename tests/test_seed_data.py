"""The curated seed record (fixtures/seed.json): loads, verifies, and covers what the articles say.

Everything is looked up by name, slug or quoted text, never by primary key, so the tests keep
meaning what they say when the fixture is rebuilt.
"""

import hashlib
import importlib.util
import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from claims import reviews
from claims.claimreview import parse_claim_review
from claims.claimreview_io import claim_review_for, published_reviews
from claims.models import (
    Attribution,
    Claim,
    ClaimRelation,
    Quote,
    Review,
    ReviewEvent,
    Role,
    Source,
    Speaker,
    SpeakerAlias,
)
from tests import factories

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
WSWS = "wsws-2019-11-05-indelimane-attack"
PD = "peoples-dispatch-2025-11-mali-proxy-war"
SEED_FILES = {  # slug: (file in seeds/, SHA-256 from ../shared/DESIGN.md)
    WSWS: ("wsws-2019-11-05-indelimane-attack.txt", "e2695a3de6d43587bd4c614cfbb60f7abb931db59a66294773a1ec39b87c955b"),
    PD: (
        "peoples-dispatch-2025-11-mali-proxy-war.txt",
        "dce29da8dea0cc337de293f452e87ff8eca1a1d5a59485679127fced3be6899b",
    ),
}

# Text between quote marks of any style: “…” (also closed by a misused “), "…" and ‘…’.
QUOTED_SPAN = re.compile(r"“(?P<curly>[^“”]*)[”“]|\"(?P<straight>[^\"]*)\"|‘(?P<single>[^‘’]*)’")

# Quoted fragments deliberately not recorded as quotes, with the reason.
NOT_QUOTES = {
    (WSWS, "West Africa Province"): "the communiqués' signature, a name: recorded as an alias of the Islamic "
    "State West Africa Province, and the communiqués themselves are quotes",
    (WSWS, "yellow vests"): "the name of a French protest movement, not words anybody is reported to have said",
}


@pytest.fixture(scope="module")
def _seed_once(django_db_setup, django_db_blocker):
    """Load the fixture once for the module, inside a transaction rolled back at its end.

    Each test still runs in its own savepoint (the `db` fixture), so a test that writes leaves
    the seed as it found it; nothing leaks into other modules.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "seed", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seed_once, db):
    pass


def quoted_spans(text):
    for match in QUOTED_SPAN.finditer(text):
        group = next(name for name in ("curly", "straight", "single") if match.group(name) is not None)
        yield match.start(group), match.end(group), match.group(group)


def claims_carried_by(source_slug, words):
    """Claims asserted by the quote of `source_slug` whose text contains `words`."""
    quotes = Quote.objects.filter(source__slug=source_slug, text__contains=words)
    assert quotes.exists(), f"no quote with {words!r} in {source_slug}"
    return Claim.objects.filter(attributions__quote__in=quotes, attributions__stance="asserts").distinct()


def related(claims_a, claims_b, kind):
    return ClaimRelation.objects.filter(kind=kind, from_claim__in=claims_a, to_claim__in=claims_b).exists()


def disputed_either_way(claims_a, claims_b):
    return related(claims_a, claims_b, "disputes") or related(claims_b, claims_a, "disputes")


def test_seed_files_are_the_design_articles_byte_for_byte():
    for filename, digest in SEED_FILES.values():
        assert hashlib.sha256((SEEDS / filename).read_bytes()).hexdigest() == digest


def test_seed_archives_both_articles_with_their_full_text(seeded):
    for slug, (filename, digest) in SEED_FILES.items():
        source = Source.objects.get(slug=slug)
        assert source.text == (SEEDS / filename).read_text(encoding="utf-8")
        assert source.sha256 == digest


def test_seed_passes_verify_quotes(seeded, capsys):
    call_command("verify_quotes")
    output = capsys.readouterr().out
    assert "Checked 2 archived sources" in output
    assert " 0 problems" in output


def test_every_seed_row_passes_model_validation(seeded):
    for model in (Speaker, SpeakerAlias, Role, Source, Quote, Claim, Attribution, ClaimRelation, Review, ReviewEvent):
        for row in model.objects.all():
            try:
                row.full_clean()
            except ValidationError as error:  # pragma: no cover - the message names the row
                pytest.fail(f"{model.__name__} {row.pk} ({row}): {error}")


def test_load_seed_if_empty_does_not_load_twice(seeded):
    before = Quote.objects.count()
    call_command("load_seed", "--if-empty", verbosity=0)
    assert Quote.objects.count() == before > 0


def test_curators_can_add_rows_after_the_seed_is_loaded(seeded):
    """Explicit primary keys in the fixture must not leave PostgreSQL sequences behind."""
    source = Source.objects.get(slug=PD)
    diop = Speaker.objects.get(name="Abdoulaye Diop")
    quote = Quote(speaker=diop, source=source, text="Mali will endure")
    quote.full_clean()
    quote.save()
    claim = Claim.objects.create(slug="a-new-claim", text="A new claim.")
    Attribution.objects.create(claim=claim, quote=quote)
    ClaimRelation.objects.create(
        from_claim=claim, to_claim=Claim.objects.get(slug="mali-about-to-fall"), kind="supports"
    )
    SpeakerAlias.objects.create(speaker=diop, name="A. Diop")
    Role.objects.create(speaker=diop, title="Minister")
    review = factories.review(claim=claim)
    ReviewEvent.objects.create(
        claim=claim,
        review=review,
        actor=factories.user(),
        action="draft",
        from_status="unreviewed",
        to_status="unreviewed",
    )
    # Each insert above would have collided with a seeded primary key had the sequences not moved on.
    assert claim.attributions.get().quote == quote


def test_archived_articles_carry_their_honest_dates_and_bylines(seeded):
    wsws = Source.objects.get(slug=WSWS)
    assert (wsws.publisher, wsws.author) == ("World Socialist Web Site", "Alex Lantier")
    assert (wsws.published_on, wsws.published_precision) == (date(2019, 11, 5), "day")
    pd = Source.objects.get(slug=PD)
    assert pd.title == "Mali defends sovereignty against a Western-backed “proxy war” by terror groups"
    assert (pd.publisher, pd.author) == ("Peoples Dispatch", "")
    # The article states no day: the month is all the record may claim.
    assert (pd.published_on, pd.published_precision, pd.published) == (date(2025, 11, 1), "month", "2025-11")


@pytest.mark.parametrize(
    ("name", "title", "organisation"),
    [
        ("Abdoulaye Diop", "Minister of Foreign Affairs", "Mali"),
        ("Choguel Kokalla Maïga", "Prime Minister", "Mali"),
        ("Nicolas Lerner", "Head of the DGSE", "DGSE"),
        ("Yvan Guichaoua", "Lecturer", "University of Kent"),
        ("Andriy Yusov", "Spokesperson", "military intelligence"),
        ("Mahamoud Ali Youssouf", "Chairperson of the African Union Commission", "African Union"),
    ],
)
def test_people_quoted_have_the_roles_they_held(seeded, name, title, organisation):
    speaker = Speaker.objects.get(name=name, kind="person")
    assert speaker.roles.filter(title=title, organisation__contains=organisation).exists()
    assert speaker.quotes.exists()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Islamic State West Africa Province", "armed_group"),
        ("Malian Armed Forces", "armed_forces"),
        ("United States Department of State", "ministry"),
        ("Australian Department of Foreign Affairs and Trade", "ministry"),
        ("French Ministry for Europe and Foreign Affairs", "ministry"),
        ("Foreign, Commonwealth & Development Office", "ministry"),
        ("Ministry of Education of Mali", "ministry"),
        ("France 24", "media"),
        ("Le Point", "media"),
        ("Le Monde", "media"),
        ("Atlantic Council", "think_tank"),
        ("Protesters in Niamey (May 2019)", "protesters"),
        ("Protesters in Sévaré (October 2019)", "protesters"),
        ("Protesters in Ouagadougou (2019)", "protesters"),
    ],
)
def test_organisations_quoted_exist_with_their_quotes(seeded, name, kind):
    assert Speaker.objects.get(name=name, kind=kind).quotes.exists()


def test_aliases_find_the_speakers_the_articles_spell_differently(seeded):
    maiga = Speaker.objects.get(slug="choguel-kokalla-maiga")
    assert maiga.aliases.filter(name="Maiga").exists()
    assert list(Speaker.objects.matching("Maiga")) == [maiga]
    jnim = Speaker.objects.get(name="Jama’at Nusrat al-Islam wal-Muslimin")
    for spelling in ("JNIM", "Jama’a Nusrat ul-Islam wa al-Muslimin", "GSIM", "Jamaat Nusrat al-Islam wal-Muslimin"):
        assert jnim.aliases.filter(name=spelling).exists(), spelling
    assert list(Speaker.objects.matching("Jama’a Nusrat ul-Islam")) == [jnim]
    assert (
        Speaker.objects.get(slug="islamic-state-west-africa-province")
        .aliases.filter(name="West Africa Province")
        .exists()
    )


def test_every_quoted_span_in_both_articles_is_a_quote(seeded):
    uncovered = []
    for slug in SEED_FILES:
        source = Source.objects.get(slug=slug)
        quotes = list(source.quotes.values_list("start", "end"))
        for start, end, text in quoted_spans(source.text):
            if (slug, text) in NOT_QUOTES:
                continue
            if not any(q_start <= start and end <= q_end for q_start, q_end in quotes):
                uncovered.append((slug, start, text))
    assert uncovered == []


def test_listed_exceptions_are_real_quoted_spans():
    """An exception that no longer matches a quoted span is stale and must go."""
    spans = {
        (slug, text)
        for slug, (filename, _) in SEED_FILES.items()
        for _, _, text in quoted_spans((SEEDS / filename).read_text(encoding="utf-8"))
    }
    assert set(NOT_QUOTES) <= spans


def test_quotes_keep_the_printed_quirks(seeded):
    # “…“: an opening mark used as a closing one; the quote holds the words, not the marks.
    headline = Quote.objects.get(source__slug=PD, text="Jihadists threaten to overrun Mali as blockades continue")
    assert headline.kind == "headline" and headline.speaker.name == "France 24"
    assert headline.source.text[headline.end] == "“"
    # Ellipses and bracketed insertions are kept and flagged.
    reply = Quote.objects.get(source__slug=PD, text__startswith="saying … it is not even their intention")
    assert "How [does he] know" in reply.text and reply.has_editorial_marks
    assert Quote.objects.get(text__startswith="The soldiers of the caliphate targeted").has_editorial_marks
    # Straight quotes in the WSWS piece.
    assert Quote.objects.filter(source__slug=WSWS, kind="slogan", text="Down with the French army,").exists()


def test_words_printed_twice_are_two_quotes_but_one_attribution(seeded):
    """One utterance, one attribution: the crosshead repeating the body's quotation carries no claim."""
    words = "e are not reaching out to the so-called international community to come to our aid"
    crosshead = Quote.objects.get(text=f"W{words}")
    body = Quote.objects.get(text=f"w{words}.")
    assert crosshead.start < body.start and crosshead.end <= body.start
    assert crosshead.speaker == body.speaker == Speaker.objects.get(name="Abdoulaye Diop")
    assert crosshead.kind == "headline" and body.kind == "direct"
    assert not crosshead.attributions.exists()
    assert list(body.attributions.values_list("claim__slug", "stance")) == [
        ("mali-not-seeking-international-aid", "asserts")
    ]
    assert "crosshead" in crosshead.note and "crosshead" in body.note


def test_paraphrased_army_toll_is_a_quote_carrying_the_claim(seeded):
    toll = Quote.objects.get(source__slug=WSWS, speaker__name="Malian Armed Forces", text__contains="death toll of 53")
    assert toll.kind == "paraphrase"
    assert Claim.objects.filter(attributions__quote=toll, text__contains="53").exists()


def test_quotes_link_to_the_referenced_sources_they_came_from(seeded):
    expected = {
        "Africa is now the epicenter of terrorism,": ("France Inter", date(2025, 11, 10), "day"),
        "concocted in the office of foreign intelligence services": (None, date(2025, 11, 12), "day"),
        "Mali has no access to Kidal.": (None, date(2021, 1, 1), "year"),
        "Do Not Travel to Mali for any reason due to crime, terrorism, kidnapping, unrest, and health,": (
            "United States Department of State",
            date(2025, 10, 25),
            "day",
        ),
    }
    for text, (publisher, published_on, precision) in expected.items():
        origin = Quote.objects.get(text=text).origin
        assert origin is not None and not origin.is_archived, text
        assert (origin.published_on, origin.published_precision) == (published_on, precision)
        if publisher:
            assert origin.publisher == publisher
    for kind in ("interview", "press_conference", "communique", "travel_advisory", "broadcast", "notice", "letter"):
        assert Source.objects.referenced_only().filter(kind=kind, originated_quotes__isnull=False).exists(), kind
    # Every referenced-only source is there because some quote came from it or a verdict cites it.
    orphans = Source.objects.referenced_only().filter(originated_quotes__isnull=True, cited_by_reviews__isnull=True)
    assert not orphans.exists()
    # No address is recorded that was not checked: the seed cites its references by name.
    assert not Source.objects.exclude(url="").exists()


FRANCE_24_HEADLINES = [
    "Jihadists threaten to overrun Mali as blockades continue",
    "fuel blockade squeezes Mali’s military rulers",
]


def test_a_source_is_one_document(seeded):
    """France 24's two headlines, and WSWS's two Le Point passages, each have a source of their own."""
    for speaker, texts in {
        "France 24": FRANCE_24_HEADLINES,
        "Le Point": ["Without French aerial support", "pushing their weight around"],
    }.items():
        origins = [Quote.objects.get(speaker__name=speaker, text__startswith=text).origin for text in texts]
        assert len({origin.pk for origin in origins}) == 2, speaker
        assert all(origin.publisher == speaker and not origin.is_archived for origin in origins)
    for headline in FRANCE_24_HEADLINES:
        assert Quote.objects.get(text=headline).origin.title == headline


def test_is_translation_follows_one_rule_for_every_quote(seeded):
    """Set exactly when the origin's recorded language is known and not the printed English; never on a paraphrase."""
    for quote in Quote.objects.select_related("origin"):
        origin_language = quote.origin.language if quote.origin else "und"
        expected = quote.kind != "paraphrase" and origin_language not in ("en", "und")
        assert quote.is_translation == expected, quote.text
        assert quote.language == "en", quote.text


@pytest.mark.parametrize(
    ("text", "translated"),
    [
        ("directly threatens our interests,", True),  # France Inter broadcasts in French
        ("Without French aerial support", True),  # Le Point is a French-language weekly
        ("as soon as possible using the remaining available commercial flights", True),  # France's advice, in French
        ("We see not only a relatively technologically advanced character", False),  # RFI: language not given
        ("The soldiers of the caliphate have attacked", False),  # the communiqués' language is not given
        ("information, and not only information,", False),  # Yusov's interview: language not given
        ("Down with the French army,", False),  # the slogans' language is not given
        ("concocted in the office of foreign intelligence services", False),  # Diop's language is not given
        ("Due to disruptions in fuel supplies", False),
        ("Le Monde had reported last year", False),  # a paraphrase translates nobody
        ("Terrorist group Jama’a Nusrat", False),  # the UK advisory is in English
    ],
)
def test_translation_flags_of_the_articles_quotes(seeded, text, translated):
    assert Quote.objects.get(text__startswith=text).is_translation is translated


def test_no_note_says_what_the_articles_do_not(seeded):
    """The first pass's note had WSWS translating "RFI's French", which the article never says."""
    assert not Quote.objects.filter(note__contains="RFI's French").exists()
    assert Source.objects.get(slug="rfi-guichaoua-interview-2019").language == "und"


def claims_with_stance(source_slug, words, stance):
    quotes = Quote.objects.filter(source__slug=source_slug, text__contains=words)
    assert quotes.exists(), f"no quote with {words!r} in {source_slug}"
    return Claim.objects.filter(attributions__quote__in=quotes, attributions__stance=stance).distinct()


def contested_by(source_slug, words):
    return Claim.objects.filter(attributions__quote__source__slug=source_slug).filter(
        attributions__quote__text__contains=words
    )


# Direction: "A disputes B" = A is the counter-account (the revised figure, the retort, what the article
# sets "however", "despite" or "nevertheless" against the other, else the later account).
DISPUTES = [  # (counter, contested): every "disputes" relation of the seed, as the article sets it
    ((WSWS, "killed 49 soldiers"), (WSWS, "death toll of 53")),
    ((PD, "the fate of Mali, and the destiny"), (PD, "prophesying the fall of Mali")),
    ((PD, "concocted in the office of foreign intelligence services"), (PD, "prophesying the fall of Mali")),
    ((PD, "concocted in the office of foreign intelligence services"), (PD, "under siege")),
    ((PD, "concocted in the office of foreign intelligence services"), (PD, "unraveling")),
    ((PD, "No action can be … taken"), (PD, "a robust, coordinated, and coherent international response")),
    ((PD, "we are not reaching out"), (PD, "a robust, coordinated, and coherent international response")),
    ((PD, "security situation has been deteriorating."), (PD, "Despite these indications of improving security")),
    ((PD, "including the capital city of Bamako"), (PD, "Despite these indications of improving security")),
    ((PD, "These blockades are targeting fuel trucks"), (PD, "Despite these indications of improving security")),
    ((PD, "fuel blockade squeezes Mali’s military rulers"), (PD, "Mali is able to ensure the supply")),
    ((PD, "It created an enclave"), (PD, "then deployed its troops, ostensibly to protect Mali")),
    ((PD, "handed it over to Al-Qaeda affiliate"), (PD, "then deployed its troops, ostensibly to protect Mali")),
    ((WSWS, "neo-colonial war of plunder"), (PD, "then deployed its troops, ostensibly to protect Mali")),
]


@pytest.mark.parametrize(("counter", "contested"), DISPUTES)
def test_counter_accounts_dispute_what_they_contest(seeded, counter, contested):
    counter_claims = claims_carried_by(*counter)
    contested_claims = contested_by(*contested)
    assert related(counter_claims, contested_claims, "disputes")
    assert not related(contested_claims, counter_claims, "disputes")


def test_direction_is_pinned_for_every_dispute_in_the_seed(seeded):
    """One meaning of direction, applied everywhere: no "disputes" relation escapes the list above."""
    pinned = ClaimRelation.objects.none()
    for counter, contested in DISPUTES:
        pinned |= ClaimRelation.objects.filter(
            kind="disputes", from_claim__in=claims_carried_by(*counter), to_claim__in=contested_by(*contested)
        )
    assert set(ClaimRelation.objects.filter(kind="disputes")) == set(pinned)


def test_the_revised_death_toll_disputes_the_initial_one(seeded):
    relation = ClaimRelation.objects.get(from_claim__slug="indelimane-death-toll-49", kind="disputes")
    assert (relation.kind, relation.to_claim.slug) == ("disputes", "indelimane-death-toll-53")
    assert not ClaimRelation.objects.filter(from_claim__slug="indelimane-death-toll-53", kind="disputes").exists()


def test_no_source_disputes_itself(seeded):
    """A dispute between two claims asserted by the same outlet's own reporting would have it contradict itself."""
    for relation in ClaimRelation.objects.filter(kind="disputes"):
        speakers = [
            set(
                Attribution.objects.filter(claim=claim, stance="asserts").values_list("quote__speaker__slug", flat=True)
            )
            for claim in (relation.from_claim, relation.to_claim)
        ]
        assert not (speakers[0] & speakers[1]), relation


def test_wsws_thesis_is_a_claim_of_its_own(seeded):
    thesis = claims_carried_by(WSWS, "has not succeeded in stabilizing the Malian government")
    assert list(thesis.values_list("slug", flat=True)) == ["french-led-war-failing-in-mali"]
    assert set(claims_carried_by(WSWS, "has sunk into a bloody quagmire")) == set(thesis)
    assert set(claims_carried_by(WSWS, "failing to stem a rising tide of armed opposition")) == set(thesis)
    # The 2019 piece's own evidence supports it: Guichaoua, Le Point, the Indelimane toll.
    for words in ("jihadist movements can recruit", "Without French aerial support", "melted away", "killed 49"):
        assert related(claims_carried_by(WSWS, words), thesis, "supports"), words
    assert not Claim.objects.filter(slug="french-war-set-out-to-stabilise-mali").exists()


def test_france_stated_aim_is_recorded_as_the_article_doubts_it(seeded):
    aim = Claim.objects.get(slug="france-deployed-troops-to-protect-mali")
    assert list(aim.attributions.values_list("quote__text", "quote__speaker__slug", "stance")) == [
        ("then deployed its troops, ostensibly to protect Mali", "peoples-dispatch", "questions")
    ]


def test_relations_between_accounts_that_do_not_meet_are_gone(seeded):
    """Relations 4–8 of the first pass: both true at once, or six years apart with no article setting them against."""
    pairs = [
        ((PD, "Mali is able to ensure the supply"), (PD, "including the capital city of Bamako")),
        ((PD, "No, this is a proxy war"), (PD, "JNIM wants the fall of the junta")),
        ((PD, "No, this is a proxy war"), (PD, "is not necessarily capable of controlling Mali")),
        ((WSWS, "jihadist movements can recruit and maintain"), (PD, "terrorist groups are no match")),
        ((WSWS, "Without French aerial support"), (PD, "resounding successes")),
    ]
    for one, other in pairs:
        assert not disputed_either_way(claims_carried_by(*one), claims_carried_by(*other)), (one, other)


def test_diop_questions_what_lerner_knows_rather_than_what_jnim_wants(seeded):
    questioned = claims_with_stance(PD, "How [does he] know their intention?", "questions")
    assert "jnim-does-not-seek-to-control-mali" in set(questioned.values_list("slug", flat=True))
    assert not claims_with_stance(PD, "How [does he] know their intention?", "asserts").exists()


def test_mali_about_to_fall_is_recorded_as_each_source_says_it(seeded):
    fall = Claim.objects.get(slug="mali-about-to-fall")
    stances = {(a.quote.text, a.stance) for a in fall.attributions.select_related("quote")}
    assert ("Is Mali about to fall?", "questions") in stances  # a question is not an assertion
    assert [text for text, stance in stances if stance == "asserts"] == [
        "a barrage of media reports prophesying the fall of Mali to an Al Qaeda affiliate disrupting its fuel supply "
        "by attacking tankers"
    ]
    assert list(claims_carried_by(PD, "unraveling").values_list("slug", flat=True)) == ["mali-unraveling"]
    assert list(claims_carried_by(PD, "under siege").values_list("slug", flat=True)) == ["bamako-under-siege"]
    assert list(claims_carried_by(PD, "Jihadists threaten to overrun Mali").values_list("slug", flat=True)) == [
        "jihadists-threaten-to-overrun-mali"
    ]


def test_questions_carry_no_assertion(seeded):
    for words in ("Is Mali about to fall?", "ostensibly to protect Mali", "Who provides them"):
        assert claims_with_stance(PD, words, "questions").exists(), words
    assert not claims_carried_by(PD, "Is Mali about to fall?").exists()
    assert not claims_carried_by(PD, "ostensibly to protect Mali").exists()


def test_missing_links_of_the_first_pass_are_there(seeded):
    assert related(
        claims_carried_by(PD, "accused France of supporting terror groups"),
        claims_carried_by(PD, "No, this is a proxy war"),
        "supports",
    )
    assert related(
        claims_carried_by(PD, "including the capital city of Bamako"),
        claims_carried_by(PD, "Despite these indications of improving security"),
        "disputes",
    )
    assert related(
        claims_carried_by(PD, "fuel blockade squeezes"), claims_carried_by(PD, "Mali is able to ensure"), "disputes"
    )


def test_reports_behind_diops_drone_question_support_it(seeded):
    question = claims_with_stance(PD, "These terrorist groups have drones", "questions")
    assert list(question.values_list("slug", flat=True)) == ["armed-groups-in-mali-have-foreign-supplied-drones"]
    assert related(claims_carried_by(PD, "information, and not only information"), question, "supports")
    assert related(claims_carried_by(PD, "Le Monde had reported last year"), question, "supports")


def test_diops_answer_to_the_au_call_denies_it(seeded):
    call = claims_carried_by(PD, "a robust, coordinated, and coherent international response")
    assert Attribution.objects.filter(claim__in=call, stance="denies", quote__speaker__name="Abdoulaye Diop").exists()


@pytest.mark.parametrize(
    ("source", "text", "speaker", "kind", "claim"),
    [
        (PD, "an autonomous security architecture", "bamex-25-organisers", "direct", "bamex-25-aims-at-autonomous"),
        (PD, "unprecedented security and geopolitical challenges", "bamex-25-organisers", "direct", "bamex-25-aims"),
        (PD, "NATO’s destruction of Libya in 2011", "abdoulaye-diop", "paraphrase", "spawned-by-libya-war"),
        (WSWS, "anti-imperialist day of action.", "ouagadougou-2019-organisers", "slogan", None),
    ],
)
def test_quotations_missing_from_the_first_pass_are_recorded(seeded, source, text, speaker, kind, claim):
    quote = Quote.objects.get(source__slug=source, text__contains=text)
    assert (quote.speaker.slug, quote.kind) == (speaker, kind)
    if claim:
        assert quote.attributions.filter(claim__slug__contains=claim, stance="asserts").exists()


def test_bamex_aims_are_not_credited_to_diop(seeded):
    for text in ("an autonomous security architecture", "unprecedented security and geopolitical challenges"):
        assert Quote.objects.get(text=text).speaker.name == "Organisers of BAMEX 25"
    diop_said = Quote.objects.get(text__startswith="This expo, he said")
    assert diop_said.origin.slug == "bamex-25-press-conference-2025-11-12" and diop_said.said == "2025-11-12"


def test_claims_keep_the_articles_qualifiers_and_dates_in_a_neutral_voice(seeded):
    texts = dict(Claim.objects.values_list("slug", "text"))
    assert "relatively technologically advanced" in texts["jihadists-field-large-forces-2019"]
    assert "would usually face enormous difficulties" in texts["malian-army-depends-on-french-air-support"]
    assert "for two weeks on 26 October 2025" in texts["fuel-shortage-closed-schools"]
    assert "military government" in texts["jnim-wants-military-government-replaced-by-caliphate-backers"]
    assert "military government" in texts["fuel-blockade-squeezes-military-government"]
    for slug, text in texts.items():
        for word in ("junta", "terror group", "terrorist group", "autumn", "(November 2025)"):
            assert word not in text.lower() + slug.replace("-", " "), (slug, word)
    # A claim whose only date is the year keeps to it: France's deterioration is dated by its advice alone.
    assert "2025" not in texts["mali-security-deteriorating"]


# The articles' own slips: reviewed claims with published verdicts ---------------------------------

SLIPS = {
    # slug: (source, the outlet's own words, the evidence sources)
    "niamey-is-the-capital-of-nigeria": (
        WSWS,
        "the Nigerian capital of Niamey",
        {WSWS, "cia-world-factbook-niger"},
    ),
    "france-advised-its-citizens-to-leave-mali-on-7-october-2025": (
        PD,
        "France “advised” its citizens on October 7 to leave Mali",
        {PD, "france-advice-mali-2025-11-07"},
    ),
    "mahamoud-ali-youssouf-chaired-the-african-union-2025": (
        PD,
        "the AU’s chairperson, Mahamoud Ali Youssouf",
        {"african-union-assembly-38th-ordinary-session-2025"},
    ),
    "assimi-goita-was-a-colonel-in-november-2025": (
        PD,
        "Mali’s president, Col. Assimi Goïta",
        {"mali-council-of-ministers-2024-10-16"},
    ),
    "bougouni-lay-in-the-sikasso-region-in-november-2025": (
        PD,
        "The mine is located in Bougouni, about 170km south of Bamako in the Sikasso region",
        {"mali-law-2023-006-administrative-districts", "lessor-region-de-bougouni-2023-09-20"},
    ),
}
OUTLET = {WSWS: "world-socialist-web-site", PD: "peoples-dispatch"}


@pytest.mark.parametrize("slug", SLIPS)
def test_each_slip_is_a_claim_of_the_outlets_own_sentence_with_a_published_verdict(seeded, slug):
    source, words, evidence = SLIPS[slug]
    claim = Claim.objects.get(slug=slug)
    [attribution] = claim.attributions.select_related("quote__speaker")
    assert attribution.stance == "asserts" and words in attribution.quote.text
    assert (attribution.quote.source.slug, attribution.quote.speaker.slug) == (source, OUTLET[source])
    assert claim.review_status == Claim.ReviewStatus.REVIEWED and claim.assigned_to is None
    [review] = claim.reviews.all()
    assert (review.status, review.rating) == (Review.Status.PUBLISHED, "false")
    assert review.reviewer is None and review.publisher_name == ""  # the site's own verdict, no invented person
    assert review.rationale.strip() and review.published_at is not None
    assert set(review.evidence_sources.values_list("slug", flat=True)) == evidence
    # The workflow's two steps, as claims/reviews.py records them.
    steps = list(claim.review_events.values_list("action", "from_status", "to_status", "review", "actor"))
    assert steps == [
        ("assign", "unreviewed", "in_review", None, None),
        ("publish", "in_review", "reviewed", review.pk, None),
    ]
    assert not claim.is_disputed  # a settled slip is not in the dispute queue


def test_the_october_7_verdict_cites_the_articles_own_dates(seeded):
    review = Review.objects.get(claim__slug="france-advised-its-citizens-to-leave-mali-on-7-october-2025")
    cited = set(review.evidence_quotes.values_list("text", flat=True))
    assert any("on November 5," in text for text in cited)
    assert any("two days after the fuel convoys started arriving" in text for text in cited)
    advice = Source.objects.get(slug="france-advice-mali-2025-11-07")
    assert (advice.published_on, advice.published_precision, advice.language) == (date(2025, 11, 7), "day", "fr")
    assert Quote.objects.get(text="advised").said == "2025-11-07"


def test_only_the_slips_carry_verdicts_and_contested_claims_stay_unreviewed(seeded):
    assert set(Claim.objects.filter(review_status="reviewed").values_list("slug", flat=True)) == set(SLIPS)
    assert set(Review.objects.values_list("claim__slug", flat=True)) == set(SLIPS)
    for slug in ("mali-faces-a-proxy-war", "indelimane-death-toll-49", "kidal-enclave-created-by-france"):
        assert Claim.objects.get(slug=slug).review_status == "unreviewed"


def test_the_bougouni_verdict_names_the_reform_that_moved_it_out_of_sikasso(seeded):
    review = Review.objects.get(claim__slug="bougouni-lay-in-the-sikasso-region-in-november-2025")
    assert "Law No. 2023-006 of 13 March 2023" in review.rationale and "Bougouni region" in review.rationale
    law = Source.objects.get(slug="mali-law-2023-006-administrative-districts")
    assert (law.published_on, law.published_precision, law.language, law.url) == (date(2023, 3, 13), "day", "fr", "")
    # The article's other "Sikasso region" (the September attacks on tankers) is not judged: it is not settled.
    tankers = Quote.objects.get(text__contains="the Sikasso region of southern Mali")
    assert not tankers.attributions.filter(claim__review_status="reviewed").exists()


def test_seed_verdicts_are_what_the_home_page_and_the_claimreview_export_show(seeded, client, tmp_path):
    """With nothing published by anybody, the seed's own verdicts on the slips lead the public record."""
    page = client.get("/").content.decode()
    for slug in SLIPS:
        assert Claim.objects.get(slug=slug).get_absolute_url() in page, slug
    out = tmp_path / "claimreview.json"
    call_command("export_claimreview", out=str(out))
    exported = json.loads(out.read_text(encoding="utf-8"))["dataFeedElement"]
    reviewed = {Claim.objects.get(slug=slug).text for slug in SLIPS}
    assert {item["claimReviewed"] for item in exported} == reviewed


def test_the_au_official_keeps_his_real_title(seeded):
    youssouf = Speaker.objects.get(name="Mahamoud Ali Youssouf")
    assert list(youssouf.roles.values_list("title", flat=True)) == ["Chairperson of the African Union Commission"]


@pytest.mark.parametrize("slug", SLIPS)
def test_api_serves_valid_claimreview_for_each_slip(seeded, api, settings, slug):
    claim = Claim.objects.get(slug=slug)
    response = api.get(f"/api/claims/{claim.pk}/claimreview/")
    assert response.status_code == 200
    [data] = response.json()
    parsed = parse_claim_review(data)  # raises Skip on anything a ClaimReview consumer could not read
    assert data["@type"] == "ClaimReview" and data["claimReviewed"] == claim.text
    assert data["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
    }
    assert data["author"]["name"] == settings.CLAIMREVIEW_PUBLISHER["name"]
    assert data["datePublished"] == claim.reviews.get().published_at.date().isoformat()
    assert data["reviewBody"] == claim.reviews.get().rationale
    source, _, evidence = SLIPS[slug]
    assert data["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": Speaker.objects.get(slug=OUTLET[source]).name,
    }
    assert [work["name"] for work in data["itemReviewed"]["appearance"]] == [Source.objects.get(slug=source).title]
    assert {work["name"] for work in data["citation"]} == set(
        Source.objects.filter(slug__in=evidence).values_list("title", flat=True)
    )
    assert parsed.rating == "false" and parsed.publisher.name == settings.CLAIMREVIEW_PUBLISHER["name"]


# The list of every fact checked (fixtures/FACTS_CHECKED.md) and the build that turns slips into claims --

FACTS_CHECKED = Path(__file__).resolve().parent.parent / "fixtures" / "FACTS_CHECKED.md"
# | n | `as printed` | ¶n, where | status | evidence |
FACT_ROW = re.compile(r"^\| (?P<n>\d+) \| `(?P<item>[^`]+)` \| ¶\d+, [^|]+ \| (?P<status>[^|]+) \| [^|]+ \|$")


def facts_checked(titles=None):
    """{seed file: [(item, status), …]} from the file's tables, one table per `## title (`seeds/…`)` heading.

    `titles`, when given, is filled with {seed file: title}.
    """
    tables, current = {}, None
    for line in FACTS_CHECKED.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## (?P<title>.+) \(`seeds/(?P<file>[^`]+)`\)$", line)
        if heading:
            current = tables.setdefault(heading["file"], [])
            if titles is not None:
                titles[heading["file"]] = heading["title"]
        elif line.startswith("| ") and line[2].isdigit():
            row = FACT_ROW.match(line)
            assert row and current is not None, line
            assert int(row["n"]) == len(current) + 1, line
            current.append((row["item"], row["status"].strip()))
    return tables


def test_facts_checked_quotes_each_item_exactly_as_its_article_prints_it():
    tables = facts_checked()
    assert set(tables) == {filename for filename, _ in SEED_FILES.values()}
    for filename, rows in tables.items():
        text = (SEEDS / filename).read_text(encoding="utf-8")
        assert [item for item, _ in rows if item not in text] == [], filename
        for _, status in rows:
            assert status in ("right", "not settled") or re.fullmatch(r"slip → `[a-z0-9-]+`", status), status


def test_facts_checked_lists_every_slip_the_seed_reviews_and_no_other(seeded):
    listed = {}
    for filename, rows in facts_checked().items():
        for item, status in rows:
            if status.startswith("slip"):
                listed[status.split("`")[1]] = (filename, item)
    assert set(listed) == set(Claim.objects.filter(review_status="reviewed").values_list("slug", flat=True))
    slugs_by_file = {filename: slug for slug, (filename, _) in SEED_FILES.items()}
    for slug, (filename, item) in listed.items():
        source, words, _ = SLIPS[slug]
        assert slugs_by_file[filename] == source and (item in words or words in item), slug


def test_facts_checked_summary_counts_its_tables():
    text = FACTS_CHECKED.read_text(encoding="utf-8")
    titles = {}
    tables = facts_checked(titles)

    def counts(statuses):
        slips = sum(status.startswith("slip") for status in statuses)
        return f"| {len(statuses)} | {statuses.count('right')} | {slips} | {statuses.count('not settled')} |"

    for filename, rows in tables.items():
        assert f"| {titles[filename]} {counts([status for _, status in rows])}" in text, filename
    assert f"| both {counts([status for rows in tables.values() for _, status in rows])}" in text


def test_build_seed_writes_exactly_the_committed_fixture():
    """fixtures/seed.json is what fixtures/build_seed.py builds: nobody edits the JSON by hand."""
    spec = importlib.util.spec_from_file_location("build_seed", SEEDS.parent / "fixtures" / "build_seed.py")
    build_seed = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_seed)
    built = json.dumps(build_seed.build(), ensure_ascii=False, indent=1) + "\n"
    assert built == (SEEDS.parent / "fixtures" / "seed.json").read_text(encoding="utf-8")


# The "questions" stance through the API, the ClaimReview export and the admin ----------------------


def test_api_lists_and_filters_questioning_attributions(seeded, api):
    body = api.get("/api/attributions/", {"stance": "questions", "page_size": 100}).json()
    expected = Attribution.objects.filter(stance="questions").count()
    assert body["count"] == expected >= 4
    assert {row["stance"] for row in body["results"]} == {"questions"}
    claim = Claim.objects.get(slug="mali-about-to-fall")
    detail = api.get(f"/api/claims/{claim.pk}/").json()
    assert {"questions", "asserts"} <= {row["stance"] for row in detail["attributions"]}


def test_api_accepts_the_questions_stance_and_names_the_field_for_a_wrong_one(seeded, api):
    curator = factories.user(groups=["curators"], username="cura")
    api.force_authenticate(curator)
    claim = Claim.objects.get(slug="mali-will-endure")
    quote = Quote.objects.get(text="Is Mali about to fall?")
    created = api.post(
        "/api/attributions/", {"claim": claim.pk, "quote": quote.pk, "stance": "questions"}, format="json"
    )
    assert created.status_code == 201 and created.json()["stance"] == "questions"
    wrong = api.post("/api/attributions/", {"claim": claim.pk, "quote": quote.pk, "stance": "wonders"}, format="json")
    assert wrong.status_code == 400 and "stance" in wrong.json()


def test_a_questioning_speaker_is_no_claimant_in_claimreview(seeded):
    """ClaimReview's itemReviewed.author is who made the claim: a quote that only asks it is not an appearance."""
    reviewer = factories.user(groups=["reviewers"], username="revi")
    claim = Claim.objects.get(slug="france-deployed-troops-to-protect-mali")
    reviews.review_assign(claim=claim, actor=reviewer)
    reviews.review_publish(claim=claim, actor=reviewer, rating="unverifiable", rationale="No French voice states it.")
    data = claim_review_for(published_reviews(claim).get())
    assert "author" not in data["itemReviewed"] and "appearance" not in data["itemReviewed"]
    parse_claim_review(data)


def test_admin_filters_and_edits_questioning_attributions(seeded, client, superuser):
    client.force_login(superuser)
    listing = client.get("/admin/claims/attribution/", {"stance__exact": "questions"})
    assert listing.status_code == 200
    assert "Is Mali about to fall?" in listing.content.decode()
    attribution = Attribution.objects.get(quote__text="Is Mali about to fall?")
    page = client.get(f"/admin/claims/attribution/{attribution.pk}/change/")
    assert page.status_code == 200 and 'value="questions" selected' in page.content.decode()


def test_admin_review_page_of_a_seed_verdict_names_no_person(seeded, client, superuser):
    client.force_login(superuser)
    claim = Claim.objects.get(slug="niamey-is-the-capital-of-nigeria")
    page = client.get(f"/admin/claims/claim/{claim.pk}/review/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "None" not in content.split("Workflow record")[1].split("Verdict")[0]
    assert "the site assign" in content and "the site publish" in content
