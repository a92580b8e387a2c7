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


def test_detail_query_counts_do_not_grow_with_related_rows(api):
    hub = factories.claim()
    speaker = factories.speaker()
    source = factories.source()

    def add(first, last):
        """Aliases, roles and quotes numbered first..last for the speaker and the source."""
        for n in range(first, last):
            factories.alias(speaker=speaker, name=f"Spelling {n}")
            factories.role(speaker=speaker)
            factories.quote(speaker=speaker, source=source, text=factories.ARTICLE_TEXT[n : n + 10], start=n)
        _add_units(last - first, hub)

    def details():
        return {
            "claim": _queries(api, f"/api/claims/{hub.pk}/")[0],
            "speaker": _queries(api, f"/api/speakers/{speaker.slug}/")[0],
            "speaker quotes": _queries(api, f"/api/speakers/{speaker.slug}/quotes/")[0],
            "source": _queries(api, f"/api/sources/{source.slug}/?include=text")[0],
        }

    add(0, 5)
    details()  # the first request of a test fills per-process caches (content types)
    small = details()
    add(5, 50)
    assert details() == small
