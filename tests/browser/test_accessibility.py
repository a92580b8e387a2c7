"""A basic accessibility check of the curation pages: a title on every page, a label on every field."""

import pytest
from django.contrib.auth import get_user_model

from claims.reviews import review_assign
from tests import factories

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.django_db(transaction=True)

# Form controls that carry no label of their own by design (the admin's hidden and chrome controls).
UNLABELLED_CONTROLS_SQL = """
() => Array.from(document.querySelectorAll('#content-main input, #content-main select, #content-main textarea'))
  .filter(el => el.type !== 'hidden' && el.type !== 'submit' && el.type !== 'button' && el.offsetParent !== null)
  .filter(el => !el.closest('.select2-container'))
  .filter(el => !(el.id && document.querySelector(`label[for="${el.id}"]`)))
  .filter(el => !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !el.closest('label'))
  .map(el => el.name || el.id || el.outerHTML.slice(0, 80))
"""

PAGES = [
    "/admin/",
    "/admin/claims/speaker/add/",
    "/admin/claims/source/add/",
    "/admin/claims/quote/add/",
    "/admin/claims/claim/add/",
    "/admin/claims/claimrelation/add/",
    "/admin/claims/review/",  # read only: verdicts are written on a claim's review page (below)
    "/admin/claims/claim/",
    "/admin/claims/quote/",
    "/admin/claims/claim/review-queue/",
]


def test_admin_pages_have_titles_and_labelled_fields(new_page):
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    attribution = factories.attribution()
    # A disputed claim assigned to the editor: its review page shows the verdict form too.
    factories.relation(to_claim=attribution.claim)
    review_assign(claim=attribution.claim, actor=editor)
    page = new_page()
    log_in(page, "editor")
    problems = {}
    review_page = f"/admin/claims/claim/{attribution.claim.pk}/review/"
    for url in [*PAGES, review_page]:
        page.goto(url)
        if not page.title().strip():
            problems[url] = "no page title"
            continue
        if url == review_page:
            assert page.locator("#verdict-form select, #verdict-form textarea").count() == 2
        unlabelled = page.evaluate(UNLABELLED_CONTROLS_SQL)
        if unlabelled:
            problems[url] = unlabelled
    assert problems == {}
