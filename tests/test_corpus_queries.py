"""The API's query count per page is fixed: it grows neither with the page size nor with the record.

Each page is read at two shapes, a small corpus with small pages and a larger corpus with larger
pages; a query run per row (N+1) or per related row makes the two counts differ.
"""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from claims import corpus
from claims.models import Attribution, Claim, ClaimRelation, Quote, Review, Source, Speaker, SpeakerAlias

pytestmark = pytest.mark.django_db

PATHS = {
    "quotes": "/api/quotes/?page_size={size}",
    "claims": "/api/claims/?page_size={size}",
    "search": "/api/quotes/?q=blockade&page_size={size}",
    "disputed": "/api/claims/disputed/?page_size={size}",
    "claims page 3": "/api/claims/?page=3&page_size={size}",
}
SHAPES = [(100, 5), (400, 25)]


def _load(claims):
    for model in (Review, Attribution, ClaimRelation, Claim, Quote, SpeakerAlias, Speaker, Source):
        model.objects.all().delete()
    corpus.generate_corpus(claims=claims, progress=lambda message: None)


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


@pytest.mark.parametrize("name", PATHS)
def test_api_list_query_count_is_fixed_whatever_the_page_and_corpus_size(client, name):
    counts = []
    for claims, size in SHAPES:
        _load(claims)
        counts.append(_queries(client, PATHS[name].format(size=size)))
    assert counts[0] == counts[1], f"{name}: {counts[0]} queries for {SHAPES[0]}, {counts[1]} for {SHAPES[1]}"


def test_api_claim_detail_query_count_does_not_grow_with_its_evidence(client):
    _load(400)
    claims = Claim.objects.annotate(n=Count("attributions", distinct=True))
    bare = claims.filter(n=1).exclude(pk__in=Claim.objects.disputed()).exclude(reviews__isnull=False).first()
    rich = claims.filter(n=3, reviews__status="published").filter(pk__in=Claim.objects.disputed()).first()
    assert bare is not None and rich is not None
    assert _queries(client, f"/api/claims/{bare.pk}/") == _queries(client, f"/api/claims/{rich.pk}/")
