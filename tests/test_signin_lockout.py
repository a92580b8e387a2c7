"""Guessing passwords: failed sign-ins lock the account and the address (django-axes), on the API and the admin."""

import datetime
import json

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token

from claims import signin
from tests import factories
from tests.test_settings_and_security import run_python

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # factories.user's
LIMIT = 3


@pytest.fixture(autouse=True)
def axes_on(settings):
    """Lockouts as in production (the rest of the suite runs with axes off), with a small limit."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


@pytest.fixture
def fatou():
    return factories.user(username="fatou", groups=["reviewers"])


def token(api, username, password, address="10.0.0.1"):
    return api.post("/api/auth/token/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_token_endpoint_locks_an_account_out_even_for_the_right_password(api, fatou):
    answers = [token(api, "fatou", f"guess {n}").status_code for n in range(LIMIT)]
    assert answers == [400] * (LIMIT - 1) + [429]
    locked = token(api, "fatou", PASSWORD)
    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("application/json")
    assert locked["Retry-After"] == "900"
    body = locked.json()
    assert body["code"] == "locked_out"
    assert "Wait 15 minutes and try again" in body["detail"]
    assert not Token.objects.filter(user=fatou).exists()


def test_an_address_guessing_across_accounts_is_locked_out(api, fatou):
    for n in range(LIMIT):
        token(api, f"someone{n}", "guess", address="10.0.0.66")
    assert token(api, "fatou", PASSWORD, address="10.0.0.66").status_code == 429
    assert token(api, "fatou", PASSWORD, address="10.0.0.7").status_code == 200  # her account is not locked


def test_an_account_guessed_at_from_many_addresses_is_locked_out(api, fatou):
    for n in range(LIMIT):
        token(api, "fatou", "guess", address=f"10.0.1.{n}")
    assert token(api, "fatou", PASSWORD, address="10.0.2.1").status_code == 429
    factories.user(username="moussa")
    assert token(api, "moussa", PASSWORD, address="10.0.2.1").status_code == 200  # nor is the new address


def test_the_admin_login_locks_out_with_a_page_saying_what_to_do(client, fatou):
    fatou.is_staff = True
    fatou.save()
    for n in range(LIMIT - 1):
        assert client.post("/admin/login/", {"username": "fatou", "password": f"guess {n}"}).status_code == 200
    page = client.post("/admin/login/", {"username": "fatou", "password": "guess"})
    assert page.status_code == 429
    assert page["Retry-After"] == "900"
    text = page.content.decode()
    assert "Too many failed sign-ins for this account or from this address" in text
    assert "ask an administrator to unlock your account" in text
    assert client.post("/admin/login/", {"username": "fatou", "password": PASSWORD}).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_ends_with_the_cool_off(api, fatou):
    for n in range(LIMIT):
        token(api, "fatou", f"guess {n}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert token(api, "fatou", PASSWORD).status_code == 200


def test_an_administrator_unlocks_an_account_at_once(api, fatou):
    for n in range(LIMIT):
        token(api, "fatou", f"guess {n}")
    call_command("axes_reset_username", "fatou")
    assert token(api, "fatou", PASSWORD).status_code == 200


def test_behind_a_load_balancer_the_address_is_the_one_it_saw(rf, settings):
    request = rf.post("/api/auth/token/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.TRUSTED_PROXIES = 0
    assert signin.client_address(request) == "10.9.9.9"
    settings.TRUSTED_PROXIES = 1  # the client's own "6.6.6.6" is not believed
    assert signin.client_address(request) == "203.0.113.5"
    settings.TRUSTED_PROXIES = 2
    assert signin.client_address(request) == "6.6.6.6"


def test_the_limit_and_the_cool_off_come_from_the_environment():
    show = (
        "import json, sahel.settings as s; "
        "print(json.dumps([s.AXES_ENABLED, s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), "
        "s.AXES_LOCKOUT_PARAMETERS]))"
    )
    assert json.loads(run_python("-c", show).stdout) == [True, 5, 900.0, ["username", "ip_address"]]
    configured = run_python("-c", show, AXES_FAILURE_LIMIT="8", AXES_COOLOFF_MINUTES="60")
    assert json.loads(configured.stdout) == [True, 8, 3600.0, ["username", "ip_address"]]
