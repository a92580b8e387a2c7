"""The per-request path of the API: what every read costs before its own queries.

Reads run outside a transaction (ATOMIC_REQUESTS would add BEGIN and COMMIT round trips to each)
while writes keep theirs; on PostgreSQL the connection's health check costs no round trip while
the connection is well, and still replaces a connection the server has ended. A response and its
rows are freed by reference counting once sent, not left to the cyclic garbage collector. A read
without an Authorization header or a precondition header pays for neither: its request headers are
not rebuilt from the environ for token authentication, nor its preconditions parsed.
"""

import gc
import hashlib
import time
import weakref

import pytest
from django.contrib import auth
from django.core.cache import caches
from django.db import connection, connections
from django.middleware import http
from django.test import Client
from django.utils.http import quote_etag
from rest_framework.authtoken.models import Token

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


def test_a_read_without_an_authorization_header_does_not_build_the_request_headers(api):
    """DRF's token authentication reads `request.headers`, built from every HTTP_* name of the
    environ; without an Authorization header in the environ it is not asked (claims/api/authentication.py)."""
    response = api.get("/api/claims/")
    assert response.status_code == 200
    assert "headers" not in vars(response.wsgi_request)


def test_a_token_in_the_authorization_header_still_signs_the_reader_in(api):
    curator = factories.user(groups=["curators"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator).key}")
    response = api.get("/api/claims/")
    assert response.status_code == 200
    assert response.wsgi_request.user == curator  # DRF sets the user it authenticated on Django's request
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get("/api/claims/").status_code == 401


@pytest.fixture
def preconditions_evaluated(monkeypatch):
    """Records each time Django's ConditionalGetMiddleware evaluates a request's preconditions."""
    evaluated = []
    evaluate = http.get_conditional_response

    def recording(request, **kwargs):
        evaluated.append(request.path)
        return evaluate(request, **kwargs)

    monkeypatch.setattr(http, "get_conditional_response", recording)
    return evaluated


def test_a_get_without_preconditions_gets_its_etag_without_evaluating_them(api, preconditions_evaluated):
    factories.claim()
    response = api.get("/api/claims/")
    assert response.status_code == 200
    assert response["ETag"] == quote_etag(hashlib.md5(response.content).hexdigest())
    assert preconditions_evaluated == []


@pytest.mark.parametrize(
    ("header", "status"),
    # No Last-Modified on an API list: Django passes If-Modified-Since and fails If-Unmodified-Since.
    [("If-None-Match", 304), ("If-Match", 412), ("If-Modified-Since", 200), ("If-Unmodified-Since", 412)],
)
def test_a_get_with_a_precondition_is_answered_as_django_answers_it(api, preconditions_evaluated, header, status):
    factories.claim()
    etag = api.get("/api/claims/")["ETag"]
    value = {"If-None-Match": etag, "If-Match": '"another"'}.get(header, "Mon, 07 Dec 2026 00:00:00 GMT")
    response = api.get("/api/claims/", headers={header: value})
    assert response.status_code == status
    assert preconditions_evaluated == ["/api/claims/"]


@pytest.fixture
def users_looked_up(monkeypatch):
    """Records each time Django looks a request's user up in its session (the lazy request.user)."""
    looked_up = []
    get_user = auth.get_user

    def recording(request):
        looked_up.append(request.path)
        return get_user(request)

    monkeypatch.setattr(auth, "get_user", recording)
    return looked_up


def test_a_read_without_a_session_does_not_look_the_user_up(api, users_looked_up):
    """Without a session key DRF's session authentication would find AnonymousUser after reading the
    session; it answers None directly (claims/api/authentication.py), the session still marked as read."""
    response = api.get("/api/claims/")
    assert response.status_code == 200
    assert users_looked_up == []
    assert response["Vary"] == "Accept, Cookie"  # SessionMiddleware's, for a read session, as before
    assert not response.wsgi_request.user.is_authenticated  # DRF's AnonymousUser, on Django's request too


def test_a_session_still_signs_the_reader_in_and_is_held_to_csrf(users_looked_up):
    curator = factories.user(groups=["curators"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    response = client.get("/api/claims/")
    assert response.status_code == 200
    assert response.wsgi_request.user == curator
    assert users_looked_up == ["/api/claims/"]
    refused = client.post("/api/claims/", {"slug": "x", "text": "y"}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]


def test_a_stale_session_cookie_reads_as_anonymous_through_djangos_lookup(users_looked_up):
    client = Client()
    client.cookies["sessionid"] = "not-a-session-key"
    response = client.get("/api/claims/")
    assert response.status_code == 200
    assert users_looked_up == ["/api/claims/"]
    assert not response.wsgi_request.user.is_authenticated
    assert response["Vary"] == "Accept, Cookie"


def test_each_throttle_looks_its_cache_up_once_per_request(api, monkeypatch):
    """DRF's two throttles read and write a client's log: the backend is looked up once by each
    (claims/api/throttling.py), not through the `cache` proxy at each read and write."""
    looked_up = []
    handler = type(caches)
    getitem = handler.__getitem__
    monkeypatch.setattr(handler, "__getitem__", lambda self, alias: looked_up.append(alias) or getitem(self, alias))
    assert api.get("/api/claims/").status_code == 200
    # One per throttle, and Django's close_caches() at the request's end (caches.all()); through the
    # proxy each throttle's read and write would look it up (5).
    assert looked_up.count("default") == 3
