"""`?q=` search: case-, accent- and alias-insensitive, the same rows on SQLite and PostgreSQL."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from claims.models import Claim, ClaimRelation
from claims.text import search_document
from tests import factories

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed.json"
JNIM_SPELLINGS = [
    "JNIM",
    "jnim",
    "Jama’at Nusrat al-Islam wal-Muslimin",
    "Jama'at Nusrat",
    "Jamaat Nusrat al-Islam",
    "Jama’a Nusrat ul-Islam wa al-Muslimin",
    "GSIM",
    "Groupe de soutien à l'islam",
]


def _page(path):
    return path + ("&" if "?" in path else "?") + "page_size=100"


def _ids(api, path):
    response = api.get(_page(path))
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _slugs(api, path):
    return [row["slug"] for row in api.get(_page(path)).json()["results"]]


# On small factory data ---------------------------------------------------------------------------


def test_goita_finds_goita_whatever_the_accent_or_case(api):
    goita = factories.speaker(name="Assimi Goïta", slug="assimi-goita")
    other = factories.speaker(name="Someone Else")
    quote = factories.quote(speaker=goita)
    factories.quote(speaker=other)
    for term in ["goita", "Goïta", "GOITA", "assimi goi"]:
        assert _slugs(api, f"/api/speakers/?q={term}") == ["assimi-goita"], term
        assert _ids(api, f"/api/quotes/?q={term}") == [quote.pk], term


def test_maiga_finds_maigas_quotes_by_name_alias_or_text(api):
    maiga = factories.speaker(name="Choguel Kokalla Maïga")
    by_maiga = factories.quote(speaker=maiga)
    mentioning = factories.quote(text='Maïga said "France forbade the Malian army from entering" Kidal.')
    factories.quote(text="Mali’s foreign minister")
    assert set(_ids(api, "/api/quotes/?q=Maiga")) == {by_maiga.pk, mentioning.pk}
    assert set(_ids(api, "/api/quotes/?q=MAÏGA")) == {by_maiga.pk, mentioning.pk}


def test_alias_spellings_find_the_speaker_their_quotes_and_claims(api):
    jnim = factories.speaker(name="Jama’at Nusrat al-Islam wal-Muslimin", slug="jnim")
    aliases = ["JNIM", "Jama’a Nusrat ul-Islam wa al-Muslimin", "Jamaat Nusrat al-Islam wal-Muslimin", "GSIM"]
    for name in [*aliases, "Groupe de soutien à l'islam et aux musulmans"]:
        factories.alias(speaker=jnim, name=name)
    quote = factories.quote(speaker=jnim)
    claim = factories.attribution(quote=quote).claim
    factories.quote()
    factories.claim()
    for term in JNIM_SPELLINGS:
        assert _slugs(api, f"/api/speakers/?q={term}") == ["jnim"], term
        assert _ids(api, f"/api/quotes/?q={term}") == [quote.pk], term
        assert _ids(api, f"/api/claims/?q={term}") == [claim.pk], term


def test_claim_search_matches_word_beginnings_only(api):
    blockade = factories.claim(text="JNIM’s blockade cut Bamako’s fuel supply.")
    factories.claim(text="Convoys reached the capital.")
    assert _ids(api, "/api/claims/?q=bamako fuel") == [blockade.pk]
    assert _ids(api, "/api/claims/?q=block") == [blockade.pk]
    assert _ids(api, "/api/claims/?q=lockade") == []


def test_search_combines_with_filters(api):
    maiga = factories.speaker(name="Maïga", kind="person")
    factories.speaker(name="Maïga Group", kind="armed_group")
    assert _slugs(api, "/api/speakers/?q=maiga&kind=person") == [maiga.slug]


def test_an_empty_search_filters_nothing(api):
    factories.claim()
    assert len(_ids(api, "/api/claims/?q=")) == 1
    assert _ids(api, "/api/claims/?q=%20,;") == []


@pytest.mark.postgres
def test_postgresql_ranks_the_best_match_first(api):
    weak = factories.claim(text="Fuel was short; the blockade was mentioned once.")
    strong = factories.claim(text="Blockade after blockade: the blockade of Bamako.")
    assert _ids(api, "/api/claims/?q=blockade") == [strong.pk, weak.pk]
    assert _ids(api, "/api/claims/?q=blockade&ordering=created_at") == [weak.pk, strong.pk]


# On the seed record ------------------------------------------------------------------------------


@pytest.fixture
def seed():
    call_command("loaddata", str(SEED), verbosity=0)
    return json.loads(SEED.read_text(encoding="utf-8"))


def _seed_rows(seed, model):
    return [row["fields"] for row in seed if row["model"] == f"claims.{model}"]


def test_seed_maiga_finds_all_of_maigas_quotes(api, seed):
    found = api.get("/api/quotes/", {"q": "Maiga", "page_size": 100}).json()["results"]
    by_speaker = [quote for quote in found if quote["speaker"]["slug"] == "choguel-kokalla-maiga"]
    expected = [q for q in _seed_rows(seed, "quote") if q["speaker"] == ["choguel-kokalla-maiga"]]
    assert expected and len(by_speaker) == len(expected)
    assert _slugs(api, "/api/speakers/?q=Maiga") == ["choguel-kokalla-maiga"]


@pytest.mark.parametrize("term", JNIM_SPELLINGS)
def test_seed_any_jnim_transliteration_finds_jnim(api, seed, term):
    assert _slugs(api, f"/api/speakers/?q={term}") == ["jnim"]


def test_seed_jnim_finds_the_quotes_and_claims_that_name_it(api, seed):
    quotes = api.get("/api/quotes/?q=JNIM&page_size=100").json()["results"]
    assert quotes and all(" jnim" in search_document(quote["text"]) for quote in quotes)
    claims = api.get("/api/claims/?q=jnim&page_size=100").json()["results"]
    assert "jnim-blockade-reaches-bamako" in {claim["slug"] for claim in claims}


def test_seed_disputed_queue_is_every_disputed_claim_oldest_first(api, seed):
    disputes = [row for row in _seed_rows(seed, "claimrelation") if row["kind"] == ClaimRelation.Kind.DISPUTES]
    expected = {slug for row in disputes for slug in (row["from_claim"][0], row["to_claim"][0])}
    queue = api.get("/api/claims/disputed/", {"page_size": 100}).json()
    assert queue["count"] == len(expected)
    assert {claim["slug"] for claim in queue["results"]} == expected
    assert {"mali-about-to-fall", "jnim-blockade-reaches-bamako", "mali-ensures-fuel-supply"} <= expected
    created = [Claim.objects.get(pk=claim["id"]).created_at for claim in queue["results"]]
    assert created == sorted(created)
    assert all(claim["is_disputed"] for claim in queue["results"])


def test_seed_search_gives_the_same_rows_as_a_python_reading_of_the_folded_text(api, seed):
    """The contract both databases meet: every word of the term begins a word of the document."""
    from claims.text import search_words

    for term in ["Maiga", "goita", "JNIM", "blockade", "fuel bamako", "Kidal", "drone"]:
        words = search_words(term)
        expected = {
            claim.pk for claim in Claim.objects.all() if all(f" {word}" in claim.search_document for word in words)
        }
        found = set(_ids(api, f"/api/claims/?q={term}"))
        assert expected <= found, (term, connection.vendor)
