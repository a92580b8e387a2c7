"""A curator, who builds the record but has no review permission, cannot publish a verdict."""

import pytest
from django.contrib.auth import get_user_model

from claims.models import Claim, Review
from claims.reviews import review_assign
from tests import factories

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def claim_in_review():
    claim = factories.claim(text="Fuel convoys reach Bamako every day.")
    factories.attribution(claim=claim)
    factories.relation(from_claim=factories.claim(text="Fuel convoys are blocked."), to_claim=claim, kind="disputes")
    reviewer = factories.user(username="rita", is_staff=True, groups=["reviewers"])
    return review_assign(claim=claim, actor=reviewer)


@pytest.fixture
def curator_page(new_page):
    factories.user(username="carl", is_staff=True, groups=["curators"])
    page = new_page()
    log_in(page, "carl")
    return page


def csrf_token(page):
    return next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")


def test_curator_sees_no_verdict_form_nor_assign_buttons(curator_page, claim_in_review):
    page = curator_page
    page.goto("/admin/claims/claim/review-queue/")
    row = page.locator(f"#review-queue tr.queue-row[data-claim='{claim_in_review.pk}']")
    assert "rita" in row.inner_text()
    assert page.get_by_role("button", name="Assign to me").count() == 0

    page.goto(f"/admin/claims/claim/{claim_in_review.pk}/review/")
    assert claim_in_review.text in page.inner_text(".review-columns")
    assert page.locator("#verdict-form").count() == 0
    assert page.locator("form.workflow-actions").count() == 0
    assert page.get_by_role("button", name="Publish verdict").count() == 0


def test_curator_publishing_by_a_forged_post_is_refused(curator_page, claim_in_review):
    page = curator_page
    url = f"/admin/claims/claim/{claim_in_review.pk}/review/"
    page.goto(url)
    response = page.request.post(
        url,
        form={
            "action": "publish",
            "rating": "false",
            "rationale": "A curator's verdict.",
            "claim_version": str(claim_in_review.version),
        },
        headers={"X-CSRFToken": csrf_token(page)},
    )
    # The refusal redirects back to the review page, whose message list says why.
    assert response.ok and response.url.endswith(url)
    assert "Only reviewers may publish verdicts." in response.text()

    api = page.request.post(
        f"/api/claims/{claim_in_review.pk}/publish/",
        data={"rating": "false", "rationale": "A curator's verdict."},
        headers={"X-CSRFToken": csrf_token(page)},
    )
    assert api.status == 403
    assert api.json()["detail"] == "Only reviewers may publish verdicts."  # not a CSRF refusal

    claim_in_review.refresh_from_db()
    assert claim_in_review.review_status == Claim.ReviewStatus.IN_REVIEW
    assert not Review.objects.filter(claim=claim_in_review).exists()


def test_curator_cannot_add_a_review_in_the_admin(curator_page):
    page = curator_page
    response = page.goto("/admin/claims/review/add/")
    assert response.status == 403
    curator = get_user_model().objects.get(username="carl")
    assert curator.has_perm("claims.view_review") and not curator.has_perm("claims.review_claim")
