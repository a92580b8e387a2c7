"""Which database each request reads from when streaming replicas are configured (claims/db_router.py).

"replica1" mirrors the test database (tests/settings.py): the router's decisions are seen from the
queries each connection ran and from the X-Database header. The real streaming replica, its lag
and its failures are exercised by tests/test_replica_harness.py.
"""

import pytest
from django.conf import settings
from django.db import OperationalError, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import db_router
from tests import factories

ROUTING = "claims.db_router.ReplicaRoutingMiddleware"


@pytest.fixture(autouse=True)
def _replica_configured():
    with override_settings(
        DATABASE_REPLICAS=["replica1"],
        DATABASE_ROUTERS=["claims.db_router.ReplicaRouter"],
        MIDDLEWARE=[*settings.MIDDLEWARE, ROUTING],
        DATABASE_ROUTE_HEADER=True,
        DATABASE_REPLICA_MAX_LAG=5,
    ):
        db_router.forget_health()
        yield
    db_router.forget_health()
    # Close the mirror's connection the test opened: before dropping the test database pytest-django
    # closes its own connections, not a mirror's. A later transactional test closes every connection,
    # but not this one while the browser tests' Playwright runs an event loop in this thread: Django
    # then hands out a separate set of connections (per context), and the drop found this one still open
    # ("database … is being accessed by other users").
    connections["replica1"].close()


def _get(client, url):
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections["replica1"]) as on_replica,
    ):
        response = client.get(url)
    return response, len(on_primary), len(on_replica)


pytestmark = pytest.mark.django_db(databases=["default", "replica1"])


def test_an_anonymous_read_is_served_by_the_replica(api):
    response, on_primary, on_replica = _get(api, "/api/claims/")

    assert response.status_code == 200
    assert response["X-Database"] == "replica1"
    assert on_replica > 0
    assert on_primary == 0


def test_a_signed_in_users_read_is_served_by_the_primary(superuser):
    client = APIClient()
    client.force_login(superuser)
    response, _, on_replica = _get(client, "/api/claims/")

    assert response.status_code == 200
    assert response["X-Database"] == "default"
    assert on_replica == 0


def test_a_read_carrying_a_token_is_served_by_the_primary(superuser):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=superuser).key}")
    response, _, on_replica = _get(client, "/api/claims/")

    assert response.status_code == 200
    assert response["X-Database"] == "default"
    assert on_replica == 0


def test_a_write_goes_to_the_primary(superuser):
    client = APIClient()
    client.force_login(superuser)
    with CaptureQueriesContext(connections["replica1"]) as on_replica:
        response = client.post(
            "/api/speakers/", {"name": "Assimi Goïta", "slug": "assimi-goita", "kind": "person"}, format="json"
        )

    assert response.status_code == 201, response.content
    assert response["X-Database"] == "default"
    assert len(on_replica) == 0


def test_reads_after_a_write_in_the_same_request_go_to_the_primary():
    router = db_router.ReplicaRouter()
    token = db_router._route.set(db_router._Route("replica1"))
    try:
        assert router.db_for_read(None) == "replica1"
        assert router.db_for_write(None) == "default"
        assert router.db_for_read(None) == "default"
    finally:
        db_router._route.reset(token)


def test_outside_a_request_everything_reads_the_primary():
    assert db_router.ReplicaRouter().db_for_read(None) == "default"


def test_replicas_are_never_migrated():
    router = db_router.ReplicaRouter()
    assert router.allow_migrate("default", "claims")
    assert not router.allow_migrate("replica1", "claims")


def test_a_replica_lagging_past_the_setting_is_skipped(api, monkeypatch):
    monkeypatch.setattr(db_router, "replica_lag", lambda alias: 6.0)
    response, _, on_replica = _get(api, "/api/claims/")

    assert response.status_code == 200
    assert response["X-Database"] == "default"
    assert on_replica == 0


def test_a_replica_within_the_lag_bound_is_used(api, monkeypatch):
    monkeypatch.setattr(db_router, "replica_lag", lambda alias: 4.0)
    response, _, _ = _get(api, "/api/claims/")

    assert response["X-Database"] == "replica1"


def test_a_replica_that_is_down_is_skipped(api, monkeypatch):
    def down(alias):
        raise OperationalError("connection refused")

    monkeypatch.setattr(db_router, "replica_lag", down)
    response, _, on_replica = _get(api, "/api/claims/")

    assert response.status_code == 200
    assert response["X-Database"] == "default"
    assert on_replica == 0


def test_a_replicas_health_is_looked_at_once_per_check_interval(api, monkeypatch):
    looks = []
    monkeypatch.setattr(db_router, "replica_lag", lambda alias: looks.append(alias) or 0.0)
    with override_settings(DATABASE_REPLICA_CHECK_SECONDS=60):
        for _ in range(3):
            api.get("/api/claims/")

    assert looks == ["replica1"]


def test_a_replica_failing_under_the_view_is_set_aside_and_the_read_answered_by_the_primary(api, monkeypatch):
    monkeypatch.setattr(db_router, "replica_lag", lambda alias: 0.0)

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connections["replica1"].execute_wrapper(refuse):
        response, _, _ = _get(api, "/api/claims/")

    assert response.status_code == 200
    assert response["X-Database"] == "default"
    assert db_router.choose_replica() is None  # set aside until it is looked at again


def test_several_replicas_share_the_readers(api, monkeypatch):
    monkeypatch.setattr(db_router, "replica_lag", lambda alias: 0.0)
    monkeypatch.setattr(db_router, "is_usable", lambda alias: True)
    with override_settings(DATABASE_REPLICAS=["replica1", "replica2"]):
        chosen = {db_router.choose_replica() for _ in range(50)}

    assert chosen == {"replica1", "replica2"}


@pytest.mark.django_db(transaction=True, databases=["default", "replica1"])
def test_an_anonymous_read_from_the_replica_opens_no_connection_to_the_primary(api):
    """ATOMIC_REQUESTS' transaction is not opened on the primary: reads go on while it is down."""
    claim = factories.claim()
    connections["default"].close()

    response = api.get(f"/api/claims/{claim.pk}/")

    assert response.status_code == 200
    assert response.json()["id"] == claim.pk
    assert response["X-Database"] == "replica1"
    assert connections["default"].connection is None


def test_without_replicas_nothing_is_routed(api):
    with override_settings(DATABASE_REPLICAS=[]):
        response, _, on_replica = _get(api, "/api/claims/")

    assert response.status_code == 200
    assert "X-Database" not in response
    assert on_replica == 0
