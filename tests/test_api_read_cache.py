"""Anonymous reads are replayed from memory only while the database has committed nothing since.

These tests commit their rows (transactional tests), as production does, so that a request's
transaction starts from committed data and may replay.
"""

import psycopg2
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.api import read_cache
from claims.api.statements import PREPARED_PREFIX
from claims.models import Claim, ClaimRelation, Status
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
postgres_only = pytest.mark.postgres


def _read(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.content[:300]
    return response, [query["sql"] for query in queries.captured_queries]


def _listed(response):
    return [row["id"] for row in response.json()["results"]]


def _reads_the_record(statements):
    """Whether any statement reads the record's tables (directly, or as a statement prepared from such SQL)."""
    return any("claims_" in sql or sql.startswith(f"EXECUTE {PREPARED_PREFIX}") for sql in statements)


@pytest.fixture
def disputed_pair():
    claim, counter = factories.claim(), factories.claim()
    factories.relation(from_claim=counter, to_claim=claim, kind=ClaimRelation.Kind.DISPUTES)
    return claim, counter


@pytest.fixture
def superuser_api(superuser):
    client = APIClient()
    client.force_authenticate(superuser)
    return client


@postgres_only
def test_a_repeated_anonymous_read_is_replayed_without_reading_the_record(api, disputed_pair):
    claim, _ = disputed_pair
    first, first_sql = _read(api, f"/api/claims/{claim.pk}/")
    again, again_sql = _read(api, f"/api/claims/{claim.pk}/")

    assert _reads_the_record(first_sql)
    assert not _reads_the_record(again_sql), again_sql
    assert again.content == first.content
    for header in ("Content-Type", "ETag", "Vary", "Allow"):
        assert again[header] == first[header], header


@postgres_only
def test_a_write_through_the_api_is_seen_by_the_next_anonymous_read(api, superuser_api, disputed_pair):
    claim, counter = disputed_pair
    newcomer = factories.claim()
    before, _ = _read(api, "/api/claims/disputed/")
    assert newcomer.pk not in _listed(before)

    created = superuser_api.post(
        "/api/relations/", {"from_claim": counter.pk, "to_claim": newcomer.pk, "kind": "disputes"}, format="json"
    )
    assert created.status_code == 201, created.content

    after, after_sql = _read(api, "/api/claims/disputed/")
    assert _reads_the_record(after_sql)
    assert newcomer.pk in _listed(after)


@postgres_only
def test_a_write_that_sends_no_signal_is_seen_by_the_next_anonymous_read(api, disputed_pair):
    claim, _ = disputed_pair
    _read(api, f"/api/claims/{claim.pk}/")
    Claim.objects.filter(pk=claim.pk).update(text="Rewritten by a bulk update.")

    after, _ = _read(api, f"/api/claims/{claim.pk}/")
    assert after.json()["text"] == "Rewritten by a bulk update."


@postgres_only
def test_a_write_from_outside_the_application_is_seen_by_the_next_anonymous_read(api, disputed_pair):
    claim, _ = disputed_pair
    _read(api, f"/api/claims/{claim.pk}/")

    settings = connection.settings_dict
    outsider = psycopg2.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
    )
    try:
        with outsider, outsider.cursor() as cursor:  # commits on leaving
            cursor.execute("UPDATE claims_claim SET text = %s WHERE id = %s", ["Corrected in psql.", claim.pk])
    finally:
        outsider.close()

    after, _ = _read(api, f"/api/claims/{claim.pk}/")
    assert after.json()["text"] == "Corrected in psql."


@postgres_only
def test_signed_in_readers_never_get_what_anonymous_readers_were_given(api, superuser_api):
    draft = factories.quote(status=Status.DRAFT)
    anonymous, _ = _read(api, "/api/quotes/")
    assert draft.pk not in _listed(anonymous)
    _read(api, "/api/quotes/")  # now stored

    curator_view, curator_sql = _read(superuser_api, "/api/quotes/")
    assert _reads_the_record(curator_sql)
    assert draft.pk in _listed(curator_view)


@postgres_only
def test_uncommitted_rows_are_neither_replayed_over_nor_stored(api, disputed_pair):
    claim, _ = disputed_pair
    url = f"/api/claims/{claim.pk}/"
    original = _read(api, url)[0].json()["text"]

    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(text="Never committed.")
        inside, _ = _read(api, url)
        assert inside.json()["text"] == "Never committed."
        raise Abandon

    after, _ = _read(api, url)
    assert after.json()["text"] == original


@postgres_only
def test_each_host_and_media_type_is_stored_apart(api, settings, disputed_pair):
    settings.ALLOWED_HOSTS = ["testserver", "claims.example.org"]
    claim, _ = disputed_pair
    url = f"/api/claims/{claim.pk}/"
    for _ in range(2):
        here, _ = _read(api, url)
        there, _ = _read(api, url, HTTP_HOST="claims.example.org")
        as_csv, _ = _read(api, url, HTTP_ACCEPT="text/csv")

    assert here.json()["href"].startswith("http://testserver/")
    assert there.json()["href"].startswith("http://claims.example.org/")
    assert as_csv["Content-Type"].startswith("text/csv")
    assert as_csv.content.startswith(b"id,")


@postgres_only
def test_replayed_reads_still_count_against_the_rate_limit(api, settings, monkeypatch, disputed_pair):
    rates = {"anon": "3/minute", "user": "5/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr("rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES", rates)

    statuses = [api.get("/api/claims/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@postgres_only
def test_errors_are_never_replayed(api):
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/claims/999999/").status_code == 404
        assert _reads_the_record([query["sql"] for query in queries.captured_queries])


def test_the_browsable_api_is_never_stored_nor_asks_for_the_snapshot(api, disputed_pair):
    claim, _ = disputed_pair
    for _ in range(2):
        page, statements = _read(api, f"/api/claims/{claim.pk}/", HTTP_ACCEPT="text/html")
        assert page["Content-Type"].startswith("text/html")
        assert _reads_the_record(statements)
        assert not any("pg_current_snapshot" in sql for sql in statements)


def test_a_zero_lifetime_turns_replaying_off(api, settings, disputed_pair):
    settings.API_READ_CACHE_SECONDS = 0
    claim, _ = disputed_pair
    for _ in range(2):
        _, statements = _read(api, f"/api/claims/{claim.pk}/")
        assert _reads_the_record(statements)
        assert not any("pg_current_snapshot" in sql for sql in statements)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite names no snapshot; PostgreSQL replays")
def test_on_sqlite_every_read_is_built_afresh(api, disputed_pair):
    claim, _ = disputed_pair
    for _ in range(2):
        _, statements = _read(api, f"/api/claims/{claim.pk}/")
        assert _reads_the_record(statements)
    assert read_cache.committed_state() is None
