"""Reads that stay cheap on a large record: capped counts, cursor pages, bounded ranking, 304s, no JIT."""

import pytest
from django.conf import settings
from django.db import connection

from claims.api import pagination
from claims.models import Claim
from claims.querysets import SearchRankMixin
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)


def test_count_is_exact_up_to_the_cap(api, small_cap):
    for _ in range(3):
        factories.claim()
    body = api.get("/api/claims/").json()
    assert body["count"] == 3 and body["count_is_exact"] is True


def test_count_past_the_cap_is_a_lower_bound_and_pages_still_work(api, small_cap):
    claims = [factories.claim() for _ in range(7)]
    newest_first = [claim.pk for claim in reversed(claims)]
    first = api.get("/api/claims/?page_size=2").json()
    assert first["count"] == 4 and first["count_is_exact"] is False
    assert [row["id"] for row in first["results"]] == newest_first[:2]
    last = api.get("/api/claims/?page_size=2&page=4").json()
    assert [row["id"] for row in last["results"]] == newest_first[6:]
    assert last["next"] is None and "page=3" in last["previous"]
    assert "page=4" in api.get("/api/claims/?page_size=2&page=3").json()["next"]
    assert api.get("/api/claims/?page_size=2&page=5").status_code == 404
    assert api.get("/api/claims/?page_size=2&page=0").status_code == 404


@pytest.mark.parametrize("query", ["", "&q=claim", "&ordering=id"], ids=["plain", "search", "ordered"])
def test_a_page_past_any_offset_a_database_takes_is_not_found_past_the_cap(api, small_cap, query):
    """Past the cap no count says the page is empty; its OFFSET would overflow a bigint (a 500)."""
    for _ in range(7):
        factories.claim(text="A claim.")
    response = api.get(f"/api/claims/?page_size=2&page={10**19}{query}")
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"


def test_cursor_pages_walk_the_claims_newest_first_without_a_count(api):
    claims = [factories.claim() for _ in range(5)]
    url, seen = "/api/claims/?cursor=&page_size=2", []
    while url:
        body = api.get(url).json()
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == [claim.pk for claim in reversed(claims)]


def test_pages_without_a_cursor_keep_page_numbers(api):
    factories.claim()
    factories.claim()
    assert "page=2" in api.get("/api/claims/?page_size=1").json()["next"]


@pytest.mark.parametrize(
    ("path", "documented"),
    [("/api/claims/", True), ("/api/quotes/", True), ("/api/attributions/", True), ("/api/relations/", False)],
)
def test_cursor_parameter_is_documented_where_a_list_takes_it(api, path, documented):
    schema = api.get("/api/schema/?format=json").json()
    parameters = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
    assert ("cursor" in parameters) is documented


def test_detail_answers_304_to_its_own_etag(api):
    claim = factories.claim()
    response = api.get(f"/api/claims/{claim.pk}/")
    etag = response["ETag"]
    assert api.get(f"/api/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    claim.text = "Changed."
    claim.save()
    assert api.get(f"/api/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_list_carries_an_etag_and_answers_304_while_unchanged(api):
    factories.claim()
    etag = api.get("/api/claims/")["ETag"]
    assert api.get("/api/claims/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    factories.claim()
    assert api.get("/api/claims/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_json_is_rendered_by_orjson_with_unicode_kept(api):
    claim = factories.claim(text="Maïga à Ménaka.")
    response = api.get(f"/api/claims/{claim.pk}/")
    assert "Maïga à Ménaka.".encode() in response.content
    assert response.json()["text"] == "Maïga à Ménaka."


@pytest.mark.postgres
def test_postgresql_connections_run_without_jit():
    assert "-c jit=off" in settings.DATABASES["default"]["OPTIONS"]["options"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.postgres
def test_postgresql_ranks_only_a_bounded_number_of_matches(api, monkeypatch):
    weak = factories.claim(text="Fuel was short; the blockade was mentioned once.")
    strong = factories.claim(text="Blockade after blockade: the blockade of Bamako.")
    ids = [row["id"] for row in api.get("/api/claims/?q=blockade").json()["results"]]
    assert ids == [strong.pk, weak.pk]
    monkeypatch.setattr(SearchRankMixin, "RANK_AT_MOST", 1)
    ids = [row["id"] for row in api.get("/api/claims/?q=blockade").json()["results"]]
    assert ids == list(Claim.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))
