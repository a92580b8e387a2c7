"""API security: rate limits for everyone, CSRF on session writes, and no stack trace in any error."""

from array import array

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.api import views
from claims.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def low_rates(settings, monkeypatch):
    rates = {"anon": "3/minute", "user": "5/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    # The throttle classes read the rates once, at import: replace their copy too.
    monkeypatch.setattr("rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES", rates)
    return rates


def _until_throttled(client, limit):
    statuses = [client.get("/api/claims/").status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [200] * limit, statuses
    return client.get("/api/claims/")


def test_anonymous_clients_are_throttled_with_json_429(api, low_rates):
    response = _until_throttled(api, 3)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_signed_in_clients_have_their_own_higher_limit(api, low_rates):
    api.force_authenticate(factories.user())
    response = _until_throttled(api, 5)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, moved by hand: `clock.now = 61.0`."""

    class Clock:
        now = 1_000_000.0

        def __call__(self):
            return self.now

    clock = Clock()
    monkeypatch.setattr("rest_framework.throttling.SimpleRateThrottle.timer", clock)
    return clock


def test_a_client_is_refused_past_the_rate_until_its_oldest_request_leaves_the_window(api, low_rates, clock):
    start = clock.now
    statuses = []
    for offset in (0, 10, 20, 30):
        clock.now = start + offset
        statuses.append(api.get("/api/claims/"))
    assert [response.status_code for response in statuses] == [200, 200, 200, 429]
    assert statuses[-1]["Retry-After"] == "30"  # the request at 0 leaves the minute at 60
    clock.now = start + 60.5
    assert api.get("/api/claims/").status_code == 200
    clock.now = start + 61  # the requests at 10 and 20 and 60.5 are still within the minute
    assert api.get("/api/claims/").status_code == 429


def test_anonymous_clients_are_held_to_the_user_rate_too(api, settings, monkeypatch):
    rates = {"anon": "10/minute", "user": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr("rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES", rates)
    assert [api.get("/api/claims/").status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.parametrize("kind", [list, lambda times: array("d", times)], ids=["list", "array"])
def test_a_request_log_left_in_the_shared_cache_by_a_server_not_yet_updated_is_read_and_continued(
    api, low_rates, clock, kind
):
    """Servers not yet updated wrote each client's log as DRF's list, or as an array of times; the
    count goes on from it, kept from then on as the bytes of an array of times under the log's own
    key (claims/api/throttling.py: cheaper to pickle than a list or an array object)."""
    cache.set("throttle_anon_127.0.0.1", kind([clock.now - 1, clock.now - 2]), 60)
    assert api.get("/api/claims/").status_code == 200
    log = array("d")
    log.frombytes(cache.get("throttle_anon_127.0.0.1:times"))
    assert list(log) == [clock.now, clock.now - 1, clock.now - 2]
    assert api.get("/api/claims/").status_code == 429


def test_a_server_not_yet_updated_never_reads_a_log_stored_as_bytes(api, low_rates, clock):
    """Sharing the cache, it reads DRF's own keys: they keep what it wrote there, or nothing."""
    assert api.get("/api/claims/").status_code == 200
    assert cache.get("throttle_anon_127.0.0.1") is None
    assert cache.get("throttle_user_127.0.0.1") is None
    cache.set("throttle_anon_127.0.0.1", [clock.now - 5], 60)
    assert api.get("/api/claims/").status_code == 200
    assert cache.get("throttle_anon_127.0.0.1") == [clock.now - 5]


def test_a_forged_x_forwarded_for_does_not_escape_the_anonymous_throttle(api, low_rates, settings):
    """No trusted proxy: whatever a client writes in X-Forwarded-For, it is counted by its own address."""
    settings.TRUSTED_PROXIES = 0
    statuses = [
        api.get("/api/claims/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    # Another address has its own count.
    assert api.get("/api/claims/", REMOTE_ADDR="203.0.113.8").status_code == 200


def test_behind_a_trusted_proxy_the_address_it_reports_is_counted(api, low_rates, settings):
    """One trusted proxy: the client is the rightmost X-Forwarded-For entry (the proxy's own record), as
    django-axes reads it; what the client wrote further left changes nothing."""
    settings.TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    statuses = [
        api.get("/api/claims/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7", **proxy).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    # Another client behind the same proxy has its own count.
    assert api.get("/api/claims/", HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy).status_code == 200


def test_rate_limits_and_sign_in_lockouts_name_the_client_alike(settings, rf):
    from django.conf import settings as live
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    from claims import signin

    settings.TRUSTED_PROXIES = 1
    request = rf.get("/api/claims/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert live.AXES_CLIENT_IP_CALLABLE == "claims.signin.client_address"
    for throttle in api_settings.DEFAULT_THROTTLE_CLASSES:
        assert throttle().get_ident(Request(request)) == signin.client_address(request) == "203.0.113.7"


def test_session_writes_need_the_csrf_token(curator_session):
    response = curator_session.post("/api/claims/", {"text": "A claim made without a CSRF token."}, format="json")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "CSRF" in response.json()["detail"]
    assert not Claim.objects.exists()


def test_session_writes_with_the_csrf_token_pass(curator_session):
    curator_session.get("/admin/login/")  # sets the csrftoken cookie
    token = curator_session.cookies["csrftoken"].value
    response = curator_session.post(
        "/api/claims/", {"text": "A claim made with the token."}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.content


def test_token_writes_need_no_csrf_token():
    curator = factories.user(groups=["curators"])
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator).key}")
    assert client.post("/api/claims/", {"text": "Written by a program."}, format="json").status_code == 201


@pytest.fixture
def curator_session():
    curator = factories.user(groups=["curators"])
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username=curator.username, password=PASSWORD)
    return client


def _no_trace(response):
    body = response.content.decode("utf-8", "replace")
    for leak in ("Traceback", 'File "', "/site-packages/", "django.db", "Exception Value"):
        assert leak not in body, (response.status_code, body[:500])
    return body


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/claims/999999/", 404),
        ("get", "/api/no-such-thing/", 404),
        ("put", "/api/claims/", 405),
        ("post", "/api/claims/", 400),
        ("get", "/api/quotes/?said_after=never", 400),
    ],
)
def test_api_errors_are_json_without_a_stack_trace(method, path, status):
    client = APIClient()
    client.force_authenticate(factories.user(is_superuser=True))
    response = getattr(client, method)(path, {"text": None}, format="json") if method != "get" else client.get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    _no_trace(response)


def test_an_unexpected_api_failure_answers_json_500_without_a_stack_trace(monkeypatch):
    def explode(self, request, *args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(views.ClaimViewSet, "list", explode)
    client = APIClient(raise_request_exception=False)
    response = client.get("/api/claims/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "secret internal detail" not in _no_trace(response)


def test_the_500_page_outside_the_api_is_plain_html_without_a_stack_trace(rf):
    from claims.api.exceptions import server_error

    response = server_error(rf.get("/admin/claims/claim/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Something went wrong on our side" in _no_trace(response)  # the site's own 500.html
