"""Every response carries a Content-Security-Policy that lets scripts come from this site's files only."""

import json
import os
import re
import subprocess
import sys

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


# The header is built once from the settings (claims.middleware.ContentSecurityPolicyMiddleware), not per
# response: what it writes must stay what django-csp's own middleware writes, case by case, its
# directives in one order (django-csp's own order changes from process to process).

OWN_PARTS = {
    "plain": {},
    "csp_update": {"_csp_update": {"img-src": ["https://maps.example.org"]}},
    "csp_replace": {"_csp_replace": {"script-src": ["'self'", "https://cdn.example.org"]}},
    "csp_exempt": {"_csp_exempt": True},
    "csp_exempt report-only": {"_csp_exempt_ro": True},
    "report-only update": {"_csp_update_ro": {"img-src": ["https://maps.example.org"]}},
}
REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"], "report-uri": ["/csp-reports/"]}}


def _through(middleware_class, parts, path="/api/claims/", status=200, use_nonce=False):
    from django.http import HttpResponse
    from django.test import RequestFactory

    def view(request):
        response = HttpResponse("{}", status=status)
        if use_nonce:
            response.content = str(request.csp_nonce).encode()
        for name, value in parts.items():
            setattr(response, name, value)
        return response

    request = RequestFactory().get(path)
    response = middleware_class(view)(request)
    return request, response


def _csp_headers(response):
    return {name: value for name, value in response.items() if name.startswith("Content-Security-Policy")}


def _as_django_csp_writes_them(headers):
    """django-csp's headers in the middleware's order, once checked they hold the same directives."""
    from claims.middleware import in_directive_order

    ordered = {name: in_directive_order(text) for name, text in headers.items()}
    assert {name: sorted(text.split("; ")) for name, text in ordered.items()} == {
        name: sorted(text.split("; ")) for name, text in headers.items()
    }
    return ordered


@pytest.mark.parametrize("report_only", [False, True], ids=["policy", "policy and report-only"])
@pytest.mark.parametrize("case", OWN_PARTS)
def test_the_headers_written_are_django_csps_for_every_kind_of_response(settings, case, report_only):
    from csp.middleware import CSPMiddleware

    from claims.middleware import ContentSecurityPolicyMiddleware

    if report_only:
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = REPORT_ONLY
    settings.CONTENT_SECURITY_POLICY = {**settings.CONTENT_SECURITY_POLICY, "EXCLUDE_URL_PREFIXES": ["/legacy/"]}
    for path, status, debug in [
        ("/api/claims/", 200, False),
        ("/legacy/page/", 200, False),  # excluded prefix: no policy header
        ("/nowhere/", 404, True),  # Django's debug 404 page: left alone
        ("/nowhere/", 404, False),
    ]:
        settings.DEBUG = debug
        _, ours = _through(ContentSecurityPolicyMiddleware, OWN_PARTS[case], path, status)
        _, django_csps = _through(CSPMiddleware, OWN_PARTS[case], path, status)
        assert _csp_headers(ours) == _as_django_csp_writes_them(_csp_headers(django_csps)), (path, status, debug)


def test_a_page_that_used_the_nonce_gets_the_header_django_csp_builds_with_it(settings):
    from csp.constants import NONCE
    from csp.middleware import CSPMiddleware

    from claims.middleware import ContentSecurityPolicyMiddleware

    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "script-src": ["'self'", NONCE]}}
    for middleware_class in (ContentSecurityPolicyMiddleware, CSPMiddleware):
        request, response = _through(middleware_class, {}, use_nonce=True)
        nonce = response.content.decode()
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_the_nonce_cannot_be_read_once_the_header_is_written():
    from csp.exceptions import CSPNonceError

    from claims.middleware import ContentSecurityPolicyMiddleware

    request, _ = _through(ContentSecurityPolicyMiddleware, {})
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_changed_policy_setting_is_served_from_the_next_response(client, settings):
    first = client.get("/api/")["Content-Security-Policy"]
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "img-src": ["'self'", "https://maps.example.org"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = REPORT_ONLY
    changed = client.get("/api/")
    assert "https://maps.example.org" in _directives(changed)["img-src"]
    assert changed["Content-Security-Policy-Report-Only"] == "default-src 'self'; report-uri /csp-reports/"
    assert changed["Content-Security-Policy"] != first


@pytest.mark.parametrize(
    "path, accept",
    [("/api/claims/", "application/json"), ("/api/claims/?format=csv", ""), ("/api/", "text/html"), ("/", "")],
)
def test_api_and_site_responses_carry_the_policy_django_csp_builds_from_the_settings(client, path, accept):
    from csp.utils import build_policy

    response = client.get(path, HTTP_ACCEPT=accept) if accept else client.get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == _as_django_csp_writes_them({"policy": build_policy()})["policy"]
    assert "Content-Security-Policy-Report-Only" not in response


# What a worker process writes, for the settings' policy and for responses with parts of their own.
_HEADERS_IN_A_PROCESS = """
import json, django
django.setup()
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from claims.middleware import ContentSecurityPolicyMiddleware

def headers(**parts):
    def view(request):
        response = HttpResponse("{}")
        for name, value in parts.items():
            setattr(response, name, value)
        return response
    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/api/claims/"))
    return {name: value for name, value in response.items() if name.startswith("Content-Security-Policy")}

written = [headers(**parts) for parts in OWN_PARTS.values()]
with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=REPORT_ONLY):
    written += [headers(**parts) for parts in OWN_PARTS.values()]
print(json.dumps(written))
"""


def test_the_policy_headers_are_the_same_bytes_in_every_process():
    # django-csp gathers the directives in a set, whose order follows the string hash: it changes
    # with PYTHONHASHSEED, that is from one worker process to the next.
    script = f"OWN_PARTS = {OWN_PARTS!r}\nREPORT_ONLY = {REPORT_ONLY!r}\n{_HEADERS_IN_A_PROCESS}"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": "tests.settings"},
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "2")  # two seeds under which django-csp's own order differs
    ]
    written = [json.loads(process.communicate(timeout=60)[0]) for process in processes]
    assert written[0] == written[1]
    plain = written[0][0]["Content-Security-Policy"]
    assert plain.startswith("connect-src 'self'; default-src 'self'; script-src 'self'; "), plain
