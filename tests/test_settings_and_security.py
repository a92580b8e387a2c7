"""Production settings are safe by default; failures answer without leaking internals."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


# Variables that the test settings or pytest-django set in this process, not in production.
TEST_ONLY_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run_python(*args, **env):
    clean_env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env={**clean_env, **env}, capture_output=True, text=True)


def manage(*args, **env):
    return run_python("manage.py", *args, **env)


def test_production_settings_pass_the_deploy_checks_without_warnings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="claims.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_to_serve_when_debug_is_off():
    for server in ("sahel.wsgi", "sahel.asgi"):
        result = run_python("-c", f"import {server}")
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr
    assert run_python("-c", "import sahel.wsgi", SECRET_KEY="k" * 60).returncode == 0


def test_a_worker_loads_its_urls_and_freezes_them_before_its_first_request():
    for server in ("sahel.wsgi", "sahel.asgi"):
        probe = f"import gc, sys, {server}; print('sahel.urls' in sys.modules, gc.get_freeze_count())"
        result = run_python("-c", probe, SECRET_KEY="k" * 60)
        loaded, frozen = result.stdout.split()
        assert loaded == "True", f"{server} leaves the URLconf to its first request"
        assert int(frozen) > 10_000, f"{server} leaves what it loaded to every full garbage collection"


def test_deploy_checks_fail_without_a_secret_key():
    result = manage("check", "--deploy", "--fail-level", "WARNING", ALLOWED_HOSTS="claims.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_debug_is_off_unless_asked_for(settings):
    assert settings.DEBUG is False


@pytest.mark.django_db
def test_admin_requires_a_staff_login(client, django_user_model):
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    django_user_model.objects.create_user("reader", password="correct horse battery staple")
    client.login(username="reader", password="correct horse battery staple")
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db(transaction=True)
def test_unreachable_database_answers_503_with_a_json_body(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = client.get(reverse("admin:login"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "database_unavailable"
    assert "Traceback" not in response.content.decode()
    assert response["Retry-After"]


@pytest.mark.django_db
def test_oversized_body_is_refused_with_413_before_it_is_read(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.generic(
        "POST", reverse("admin:login"), b"x" * 10, content_type="application/json", CONTENT_LENGTH="5000000"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


@pytest.mark.django_db
def test_malformed_content_length_is_a_400(client):
    response = client.generic("POST", reverse("admin:login"), b"{}", CONTENT_LENGTH="lots")
    assert response.status_code == 400
