"""Every response carries a Content-Security-Policy that lets scripts come from this site's files only."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/admin/login/", "/api/", "/api/claims/", "/api/docs/", "/api/schema/", "/nowhere/"])
def test_every_page_carries_a_strict_script_policy(client, path):
    directives = _directives(client.get(path))
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert "'unsafe-eval'" not in directives["default-src"]


def test_the_api_docs_page_has_no_inline_script(client):
    page = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts, "Swagger UI's scripts are loaded"
    for attributes, body in scripts:
        assert "src=" in attributes and not body.strip(), (attributes, body)
    start = client.get("/api/docs/?script=")
    assert start.status_code == 200
    assert start["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in start.content.decode()


def test_the_browsable_api_signed_in_has_no_inline_event_handler(client, django_user_model):
    # DRF's stock logout link submits its form from an onclick attribute, which this policy blocks.
    user = django_user_model.objects.create_user("rita", password="pw", is_staff=True)
    client.force_login(user)
    page = client.get("/api/", HTTP_ACCEPT="text/html").content.decode()
    assert "Log out" in page
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", page)
    assert "javascript:" not in page


def test_the_browsable_api_logs_out_with_a_plain_form(client, django_user_model):
    user = django_user_model.objects.create_user("rita", password="pw", is_staff=True)
    client.force_login(user)
    page = client.get("/api/claims/", HTTP_ACCEPT="text/html").content.decode()
    action = re.search(r'<form[^>]*action="([^"]*/api/auth/logout/[^"]*)"', page).group(1)
    assert client.post(action.replace("&amp;", "&")).status_code in (200, 302)
    assert "_auth_user_id" not in client.session
