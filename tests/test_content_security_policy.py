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
