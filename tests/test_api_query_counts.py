"""Every list and detail endpoint runs the same number of SQL queries for 5 items as for 50."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import ClaimRelation, Review
from tests import factories

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/speakers/",
    "/api/sources/",
    "/api/quotes/",
    "/api/claims/",
    "/api/claims/disputed/",
    "/api/relations/",
    "/api/attributions/",
    "/api/reviews/",
    "/api/quotes/?q=france",
    "/api/claims/?q=claim",
    "/api/speakers/?q=speaker",
    "/api/claims/?cursor=",
    "/api/quotes/?cursor=",
    "/api/attributions/?cursor=",
]


def _add_units(count, hub):
    """`count` speakers, each with an alias and a role, quoted once in a source, carrying a claim that
    disputes the hub claim and has a published review: every related row the serializers show."""
    topic = factories.topic()
    for n in range(count):
        speaker = factories.speaker()
        factories.alias(speaker=speaker, name=f"Alias {n}")
        factories.role(speaker=speaker, start_date=datetime.date(2000, 1, 1), start_precision="year")
        quote = factories.quote(speaker=speaker, said_on=datetime.date(2020, 1, 1), said_precision="day")
        claim = factories.claim()
        claim.topics.add(topic)
        factories.attribution(claim=claim, quote=quote)
        factories.attribution(claim=hub, quote=quote)
        factories.relation(from_claim=claim, to_claim=hub, kind=ClaimRelation.Kind.DISPUTES)
        # The hub supports another claim (supporting the claim that disputes it would be a contradiction).
        factories.relation(from_claim=hub, to_claim=factories.claim(), kind=ClaimRelation.Kind.SUPPORTS)
        factories.review(
            claim=hub, status=Review.Status.PUBLISHED, published_at=datetime.datetime.now(datetime.UTC)
        ).evidence_sources.add(quote.source)


def _queries(api, path):
    separator = "&" if "?" in path else "?"
    with CaptureQueriesContext(connection) as captured:
        response = api.get(f"{path}{separator}page_size=100")
    assert response.status_code == 200, (path, response.content)
    return len(captured), response


@pytest.mark.parametrize("as_curator", [False, True], ids=["anonymous", "curator"])
def test_list_query_counts_do_not_grow_with_the_page(api, as_curator):
    if as_curator:
        api.force_authenticate(factories.user(groups=["curators"]))
    hub = factories.claim()
    _add_units(5, hub)
    for path in LISTS:
        _queries(api, path)  # the first requests fill per-process and per-user caches (content types, perms)
    small = {path: _queries(api, path) for path in LISTS}
    _add_units(45, hub)
    for path in LISTS:
        count, response = _queries(api, path)
        assert len(response.json()["results"]) > len(small[path][1].json()["results"]), path
        assert count == small[path][0], f"{path}: {small[path][0]} queries for the small page, {count} for the large"


def _published_review(claim):
    return factories.review(
        claim=claim, status=Review.Status.PUBLISHED, published_at=datetime.datetime.now(datetime.UTC)
    )


def test_detail_query_counts_do_not_grow_with_related_rows(api):
    hub = factories.claim()
    speaker = factories.speaker()
    source = factories.source()
    review = _published_review(hub)

    def add(first, last):
        """Aliases, roles and quotes numbered first..last for the speaker and the source, each quote and
        another source cited by the review."""
        for n in range(first, last):
            factories.alias(speaker=speaker, name=f"Spelling {n}")
            factories.role(speaker=speaker)
            quote = factories.quote(speaker=speaker, source=source, text=factories.ARTICLE_TEXT[n : n + 10], start=n)
            review.evidence_quotes.add(quote)
            review.evidence_sources.add(factories.source())
        _add_units(last - first, hub)

    def details():
        return {
            "claim": _queries(api, f"/api/claims/{hub.pk}/")[0],
            "speaker": _queries(api, f"/api/speakers/{speaker.slug}/")[0],
            "speaker quotes": _queries(api, f"/api/speakers/{speaker.slug}/quotes/")[0],
            "source": _queries(api, f"/api/sources/{source.slug}/")[0],
            "source with text": _queries(api, f"/api/sources/{source.slug}/?include=text")[0],
            "review": _queries(api, f"/api/reviews/{review.pk}/")[0],
        }

    add(0, 5)
    details()  # the first request of a test fills per-process caches (content types)
    small = details()
    add(5, 50)
    assert details() == small


@pytest.mark.parametrize("as_curator", [False, True], ids=["anonymous", "curator"])
def test_each_detail_reads_its_row_then_one_query_per_kind_of_related_rows(api, as_curator, settings):
    """Details built from rows (claims/api/reads.py): the resource's row, then each kind of related rows
    it shows in one query, whatever the reader may see; no model instance, no prefetch."""
    settings.API_READ_CACHE_SECONDS = 0  # replay's snapshot query (anonymous reads, PostgreSQL) is not the read's
    if as_curator:
        api.force_authenticate(factories.user(groups=["curators"]))
    hub = factories.claim()
    _add_units(3, hub)
    source = factories.quote().source
    review = _published_review(hub)
    review.evidence_quotes.add(source.quotes.get())
    review.evidence_sources.add(source)
    expected = {
        f"/api/relations/{ClaimRelation.objects.first().pk}/": 1,
        f"/api/attributions/{hub.attributions.first().pk}/": 1,
        f"/api/reviews/{review.pk}/": 3,  # the review, the sources it cites, the quotes it cites
        f"/api/sources/{source.slug}/": 2,  # the source with its quote count, its quotes
        f"/api/sources/{source.slug}/?include=text": 2,
    }
    for path in expected:
        _queries(api, path)  # the first requests fill per-process and per-user caches (content types, perms)
    assert {path: _queries(api, path)[0] for path in expected} == expected


@pytest.mark.parametrize("as_curator", [False, True], ids=["anonymous", "curator"])
def test_a_claim_detail_reads_the_claim_and_every_list_it_shows_in_one_statement(api, as_curator, settings):
    # reads.claim_row(): the topics, the evidence, its speakers' roles, the relations and the reviews
    # as JSON columns of the claim's own statement, where each was a statement (six round trips).
    settings.API_READ_CACHE_SECONDS = 0  # replay's snapshot query (anonymous reads, PostgreSQL) is not the read's
    if as_curator:
        api.force_authenticate(factories.user(groups=["curators"]))
    hub = factories.claim()
    _add_units(3, hub)
    hub.topics.add(factories.topic())
    _queries(api, f"/api/claims/{hub.pk}/")  # the first request fills per-process and per-user caches
    count, response = _queries(api, f"/api/claims/{hub.pk}/")
    detail = response.json()
    assert detail["topics"] and detail["disputed_by"] and detail["supports"] and detail["reviews"]
    assert len(detail["attributions"]) == 3 and all(a["speaker"]["role"] for a in detail["attributions"])
    assert count == 1


@pytest.mark.parametrize("as_curator", [False, True], ids=["anonymous", "curator"])
def test_a_page_of_claims_reads_its_count_and_rows_in_one_statement_then_its_evidence_and_topics_in_one(
    api, as_curator, settings
):
    # The page's rows come with the list's count (statements._CountedPage), and reads.claim_list()
    # reads the page's evidence and its claims' topics in one statement (UNION ALL): a page costs two
    # round trips, not four.
    settings.API_READ_CACHE_SECONDS = 0  # replay's snapshot query (anonymous reads, PostgreSQL) is not the read's
    if as_curator:
        api.force_authenticate(factories.user(groups=["curators"]))
    _add_units(3, factories.claim())
    _queries(api, "/api/claims/")  # the first request fills per-process and per-user caches (content types, perms)
    count, response = _queries(api, "/api/claims/")
    assert any(claim["topics"] for claim in response.json()["results"])
    assert any(claim["attributions"] for claim in response.json()["results"])
    assert count == 2
