"""`?q=` searches asking only for pages come from compiled statements (claims/api/search.py) and
must answer exactly as the same requests through django-filter and the QuerySets' `matching()`
and `ranked()`: pages, counts, links, errors, and drafts for whoever may see them."""

import pytest
from rest_framework.test import APIClient

from claims import querysets
from claims.api import filters, pagination, search
from claims.models import Attribution, Speaker, Status
from tests import factories
from tests.test_site_compiled import assert_served_again_without_compiling

pytestmark = pytest.mark.django_db

LISTS = ["/api/quotes/", "/api/claims/", "/api/speakers/", "/api/claims/disputed/"]
TERMS = [
    "kidal",
    "Kidal blockade",
    "the",
    "maiga",
    "Maïga goïta",
    "fuel convoys",
    "xyzzy",
    "!!!",
    "'",
    "",
    "   ",
    "50%",
    "x" * 201,
    "a\x00b",
]


@pytest.fixture
def record(working_groups):
    factories.record_with_drafts("corpus")
    draft = Speaker.objects.get(status=Status.DRAFT)
    quote = Attribution.objects.filter(quote__speaker=draft).first().quote
    return [draft.name, quote.text.split()[0]]  # terms that find drafts: the speaker, their quote's first word


PAGES = [{"page_size": 2}, {"page_size": 2, "page": 2}, {"page_size": 2, "page": 3}, {}]


def answers(client, terms):
    """Each list's search, page by page (the first three of 2 rows, the first of the default size)."""
    answered = {}
    for path in LISTS:
        for term in terms:
            for page in PAGES:
                response = client.get(path, {"q": term, **page})
                answered[(path, term, *page.items())] = (
                    response.status_code,
                    dict(response.items()),
                    response.content.decode(),
                )
    return answered


@pytest.fixture
def filter_searches(monkeypatch):
    """How many times the filter's `search()` ran."""
    searches = []
    search_method = filters.SearchFilterSet.search
    monkeypatch.setattr(filters.SearchFilterSet, "search", lambda *args: searches.append(1) or search_method(*args))
    return searches


@pytest.mark.parametrize("caps", ["as deployed", "small"])
def test_compiled_searches_answer_as_the_filter_does(
    record, reader_client, settings, monkeypatch, filter_searches, caps
):
    settings.API_READ_CACHE_SECONDS = 0
    if caps == "small":  # past the count cap, too many to rank, speakers and carried claims not listed
        monkeypatch.setattr(pagination, "COUNT_CAP", 4)
        monkeypatch.setattr(querysets.SearchRankMixin, "RANK_AT_MOST", 3)
        monkeypatch.setattr(querysets, "LISTED_AT_MOST", 1)
        monkeypatch.setattr(search, "LISTED_AT_MOST", 1)
    terms = [*TERMS, *record]
    compiled = answers(reader_client, terms)
    assert filter_searches == [], "the searches went through django-filter"
    monkeypatch.setattr(search, "search_term", lambda request, filterset_class: None)
    filtered = answers(reader_client, terms)
    assert filter_searches, "the filter's search did not run"
    assert compiled.keys() == filtered.keys()
    for url, answer in compiled.items():
        assert answer == filtered[url], url
    statuses = [status for status, *_ in compiled.values()]
    assert statuses.count(200) > len(statuses) / 2 and 400 in statuses and 404 in statuses


def test_drafts_are_found_by_a_curator_only(record, working_groups, filter_searches):
    speaker_name, _ = record
    curator = APIClient()
    curator.force_authenticate(factories.user(groups=["curators"]))
    for path in ("/api/quotes/", "/api/speakers/", "/api/claims/"):
        seen = curator.get(path, {"q": speaker_name, "page_size": 100}).json()["count"]
        hidden = APIClient().get(path, {"q": speaker_name, "page_size": 100}).json()["count"]
        assert seen > hidden, path
    assert filter_searches == [], "the searches went through django-filter"


def _quoted(speaker, text, claim_text):
    quote = factories.quote(speaker=speaker, text=text, source=factories.source(text=f"{text}. More."))
    factories.attribution(quote=quote, claim=factories.claim(text=claim_text))


def test_a_search_read_again_compiles_no_sql(reader_client, settings, monkeypatch):
    settings.API_READ_CACHE_SECONDS = 0
    # Two terms of each kind finding as many rows, through as many speakers: the same statements.
    for place, name in (("Kidal", "Awa Maïga"), ("Gao", "Ali Touré")):
        speaker = factories.speaker(name=name)
        _quoted(speaker, f"The road to {place} is closed", f"The road to {place} was closed in 2020")
        for n in range(3):
            _quoted(factories.speaker(), f"Fuel reached {place} on day {n}", f"Prices in {place} rose by {n}")
    pages = ("", "&page_size=2", "&page_size=2&page=2")

    def paths(place, name):
        return [
            *(f"{path}?q={place}{page}" for path in ("/api/quotes/", "/api/claims/") for page in pages),
            *(f"{path}?q={name}" for path in ("/api/quotes/", "/api/claims/", "/api/speakers/")),
        ]

    assert_served_again_without_compiling(reader_client, monkeypatch, paths("kidal", "maiga"), paths("gao", "toure"))
