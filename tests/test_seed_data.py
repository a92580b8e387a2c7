"""The curated seed record (fixtures/seed.json): loads, verifies, and covers what the articles say.

Everything is looked up by name, slug or quoted text, never by primary key, so the tests keep
meaning what they say when the fixture is rebuilt.
"""

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from claims.models import (
    Attribution,
    Claim,
    ClaimRelation,
    Quote,
    Role,
    Source,
    Speaker,
    SpeakerAlias,
)

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
    (WSWS, "anti-imperialist day of action."): "how the Ouagadougou event was billed, by organisers the article "
    "does not name; it is the title of the referenced demonstration instead",
    (PD, "an autonomous security architecture"): "BAMEX 25's stated aim; the article does not say whose words "
    "these are, and crediting them to Diop or anyone else would be a guess",
    (PD, "unprecedented security and geopolitical challenges"): "same sentence, same reason: unattributed words "
    "describing the expo's aim",
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
    for model in (Speaker, SpeakerAlias, Role, Source, Quote, Claim, Attribution, ClaimRelation):
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


def test_words_printed_twice_are_two_deliberate_quotes(seeded):
    words = "e are not reaching out to the so-called international community to come to our aid"
    crosshead = Quote.objects.get(text=f"W{words}")
    body = Quote.objects.get(text=f"w{words}.")
    assert crosshead.start < body.start and crosshead.end <= body.start
    assert crosshead.speaker == body.speaker == Speaker.objects.get(name="Abdoulaye Diop")
    assert set(crosshead.attributions.values_list("claim", flat=True)) == set(
        body.attributions.values_list("claim", flat=True)
    )
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
    # Every referenced-only source is there because some quote came from it.
    assert not Source.objects.referenced_only().filter(originated_quotes__isnull=True).exists()


def test_translated_quotes_are_flagged(seeded):
    lerner = Quote.objects.get(text="directly threatens our interests,")
    assert lerner.is_translation and lerner.language == "en"
    assert Quote.objects.get(text__startswith="Without French aerial support").is_translation
    # A paraphrase is the article's wording, not a translation of the speaker's.
    assert not Quote.objects.get(text__startswith="Le Monde had reported last year").is_translation
    assert not Quote.objects.get(text__startswith="Terrorist group Jama’a Nusrat").is_translation


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ((WSWS, "killed 49 soldiers"), (WSWS, "death toll of 53")),
        ((PD, "Is Mali about to fall?"), (PD, "the fate of Mali, and the destiny")),
        ((PD, "under siege"), (PD, "concocted in the office of foreign intelligence services")),
        ((PD, "including the capital city of Bamako"), (PD, "Mali is able to ensure the supply")),
        ((PD, "JNIM wants the fall of the junta"), (PD, "No, this is a proxy war")),
        ((PD, "is not necessarily capable of controlling Mali"), (PD, "No, this is a proxy war")),
        ((WSWS, "jihadist movements can recruit and maintain"), (PD, "terrorist groups are no match")),
        ((WSWS, "Without French aerial support"), (PD, "resounding successes")),
        ((PD, "a robust, coordinated, and coherent international response"), (PD, "No action can be … taken")),
        ((PD, "It created an enclave"), (WSWS, "makes clear that French imperialism has not succeeded")),
    ],
)
def test_listed_counter_claims_dispute_each_other(seeded, one, other):
    assert disputed_either_way(claims_carried_by(*one), claims_carried_by(*other))


def test_reports_behind_diops_drone_question_support_it(seeded):
    question = claims_carried_by(PD, "These terrorist groups have drones")
    assert related(claims_carried_by(PD, "information, and not only information"), question, "supports")
    assert related(claims_carried_by(PD, "Le Monde had reported last year"), question, "supports")


def test_diops_answer_to_the_au_call_denies_it(seeded):
    call = claims_carried_by(PD, "a robust, coordinated, and coherent international response")
    assert Attribution.objects.filter(claim__in=call, stance="denies", quote__speaker__name="Abdoulaye Diop").exists()
