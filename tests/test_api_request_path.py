"""The per-request path of the API: what every read costs before its own queries.

Reads run outside a transaction (ATOMIC_REQUESTS would add BEGIN and COMMIT round trips to each)
while writes keep theirs; on PostgreSQL the connection's health check costs no round trip while
the connection is well, and still replaces a connection the server has ended. A response and its
rows are freed by reference counting once sent, not left to the cyclic garbage collector.
"""

import gc
import time
import weakref

import pytest
from django.db import connection, connections

from claims.api import views
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def transaction_depth(monkeypatch):
    """Records how many atomic blocks are open when a viewset's action starts."""
    seen = []
    initial = views.RecordViewSet.initial

    def recording_initial(self, request, *args, **kwargs):
        seen.append((request.method, len(connection.atomic_blocks)))
        return initial(self, request, *args, **kwargs)

    monkeypatch.setattr(views.RecordViewSet, "initial", recording_initial)
    return seen


def test_reads_run_outside_a_transaction_and_writes_inside_one(api, transaction_depth):
    claim = factories.claim()
    outside = len(connection.atomic_blocks)  # the test's own transaction
    assert api.get(f"/api/claims/{claim.pk}/").status_code == 200
    assert api.get("/api/claims/").status_code == 200
    api.force_authenticate(factories.user(groups=["curators"]))
    assert api.patch(f"/api/claims/{claim.pk}/", {"note": "Checked."}, format="json").status_code == 200
    assert transaction_depth == [("GET", outside), ("GET", outside), ("PATCH", outside + 1)]


def test_a_refused_write_leaves_nothing_behind(api):
    """DRF's error handler still rolls the write's transaction back (the view ran inside it)."""
    api.force_authenticate(factories.user(groups=["curators"]))
    response = api.post("/api/claims/", {"slug": "x", "text": ""}, format="json")
    assert response.status_code == 400
    assert not connection.needs_rollback


@pytest.mark.postgres
def test_a_well_connection_is_checked_without_a_query(monkeypatch):
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    assert type(connections["default"]).__module__ == "sahel.postgresql.base"
    queried = []
    monkeypatch.setattr(type(connections["default"]), "is_usable", lambda wrapper: queried.append(wrapper) or True)
    connection.ensure_connection()
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    assert queried == []  # Django's check would have sent SELECT 1 here
    assert connection.connection is not None and connection.health_check_done


@pytest.mark.postgres
def test_a_connection_the_server_ended_is_replaced_before_it_is_used():
    other = connections.create_connection("default")
    try:
        other.ensure_connection()
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 5
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        other.health_check_done = False
        other.close_if_health_check_failed()
        assert other.connection is None  # closed: the next use opens a new one
        with other.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        other.close()


def _pid_alive(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] > 0


@pytest.mark.parametrize("path", ["/api/claims/", "/api/claims/{pk}/", "/api/quotes/", "/api/nothing-here/"])
def test_a_read_response_is_freed_without_the_cycle_collector(api, path):
    claim = factories.claim()
    gc.collect()
    gc.disable()  # what is left in a reference cycle now stays until the end of the test
    try:
        response = api.get(path.format(pk=claim.pk))
        del response.json  # the test client's own cycle: a partial of its parser, bound to the response
        sent = weakref.ref(response)
        del response
        assert sent() is None, "the response (and its rows) waits in a cycle for the garbage collector"
    finally:
        gc.enable()
