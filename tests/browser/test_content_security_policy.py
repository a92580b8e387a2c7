"""The Content-Security-Policy in a real browser: the main pages work under it, an injected script does not.

Violations are caught with the `securitypolicyviolation` event, listened to from an init script
(Playwright injects those through the DevTools protocol, which the page's policy does not govern).
"""

import pytest

from tests import factories

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def watched_page(new_page):
    def open_page():
        page = new_page()
        page.add_init_script(LISTEN)
        return page

    return open_page


def violations(page):
    return page.evaluate("window.__violations")


@pytest.fixture
def record():
    claim = factories.claim(text="Fuel convoys reach Bamako every day.")
    factories.attribution(claim=claim)
    factories.relation(from_claim=factories.claim(text="Fuel convoys are blocked."), to_claim=claim, kind="disputes")
    return claim


def test_an_injected_inline_script_is_blocked(watched_page, record):
    page = watched_page()
    response = page.goto(f"/api/claims/{record.pk}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__injected = true";
          document.body.appendChild(script);
          const image = document.createElement("img");
          image.setAttribute("onerror", "window.__handler = true");
          image.src = "/no-such-image.png";
          document.body.appendChild(image);
        }"""
    )
    page.wait_for_function("window.__violations.length >= 2")
    assert page.evaluate("window.__injected") is None
    assert page.evaluate("window.__handler") is None
    assert all(line.startswith("script-src") for line in violations(page)), violations(page)


def test_a_javascript_link_does_not_run(watched_page, record):
    page = watched_page()
    page.goto(f"/api/claims/{record.pk}/")
    page.evaluate(
        """() => {
          const link = document.createElement("a");
          link.id = "evil";
          link.href = "javascript:window.__clicked = true";
          link.textContent = "evil";
          document.body.appendChild(link);
        }"""
    )
    page.evaluate("document.getElementById('evil').click()")
    page.wait_for_function("window.__violations.length >= 1")
    assert page.evaluate("window.__clicked") is None


def test_the_main_pages_work_without_a_single_violation(watched_page, record):
    factories.user(username="rita", is_staff=True, is_superuser=True)
    page = watched_page()
    log_in(page, "rita")
    pages = [
        "/admin/",
        "/admin/claims/claim/",
        "/admin/claims/claim/add/",
        f"/admin/claims/claim/{record.pk}/change/",
        "/admin/claims/claim/review-queue/",
        f"/admin/claims/claim/{record.pk}/review/",
        "/admin/claims/quote/",
        "/admin/claims/source/add/",
        "/api/",
        "/api/claims/",
        f"/api/claims/{record.pk}/",
    ]
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        assert "content-security-policy" in response.headers, path
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], (path, violations(page))
    # The admin's own scripts run under the policy: the claim form's topic picker is built by SelectFilter2.js.
    page.goto(f"/admin/claims/claim/{record.pk}/change/")
    page.wait_for_selector("#id_topics_from")


def test_the_api_docs_render_under_the_policy(watched_page):
    page = watched_page()
    response = page.goto("/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Sahel Claims API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_load_state("networkidle")
    assert violations(page) == [], violations(page)
