"""A reviewer works through the disputed queue in a real browser, and the API shows the verdict."""

import pytest
from django.core.management import call_command

from claims.models import Claim, Review
from tests import factories

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

RATIONALE = "The convoy logs and two independent reports show no daily arrivals in that week."


@pytest.fixture
def disputed_claim():
    """The oldest seeded claim in the queue that has both attributions and a counter-claim."""
    call_command("loaddata", "seed", verbosity=0)
    claim = (
        Claim.objects.review_queue()
        .filter(relations_to__kind="disputes", attributions__isnull=False)
        .distinct()
        .first()
    )
    assert claim is not None, "the seed has no disputed claim with attributions"
    return claim


def test_reviewer_assigns_reads_both_sides_publishes_and_the_api_shows_the_verdict(new_page, disputed_claim, artifacts):
    factories.user(username="rita", is_staff=True, groups=["reviewers"])
    counter_claim = disputed_claim.relations_to.filter(kind="disputes").first().from_claim
    page = new_page()
    log_in(page, "rita")

    # From the admin home to the queue, as a new reviewer finds it.
    page.goto("/admin/")
    page.locator("#reviewing-module").get_by_role("link", name="Review queue").click()
    assert page.title().startswith("Review queue")
    row = page.locator(f"#review-queue tr.queue-row[data-claim='{disputed_claim.pk}']")
    assert int(row.locator(".counter-claim-count").inner_text()) >= 1
    page.screenshot(path=str(artifacts / "review-queue.png"), full_page=True)
    row.get_by_role("button", name="Assign to me").click()
    # Assigning takes the reviewer to the claim's review page, told so in words.
    page.wait_for_selector("#verdict-form")
    assert page.url.endswith(f"/admin/claims/claim/{disputed_claim.pk}/review/")
    assert "You are now reviewing “" in page.inner_text(".messagelist .success")
    disputed_claim.refresh_from_db()
    assert disputed_claim.review_status == Claim.ReviewStatus.IN_REVIEW
    assert disputed_claim.assigned_to.username == "rita"
    # The verdict form is in view beside the evidence, not at the bottom of the page.
    assert page.locator("#verdict-form").is_visible()
    box = page.locator("#id_rating").bounding_box()
    assert box is not None and box["y"] < 1000

    # Both sides: the claim with its attributed quotes, and the counter-claim that disputes it.
    claim_side = page.locator(f".review-columns > div:first-child .review-side[data-claim='{disputed_claim.pk}']")
    assert disputed_claim.text in claim_side.inner_text()
    assert claim_side.locator(".attribution").count() == disputed_claim.attributions.count()
    counter_side = page.locator(f".review-columns > div:nth-child(2) .review-side[data-claim='{counter_claim.pk}']")
    assert counter_claim.text in counter_side.inner_text()
    assert "disputes this claim" in page.inner_text(".review-columns")
    assert page.locator("svg.dispute-graph, .dispute-graph").count() >= 1

    page.select_option("#id_rating", "mostly_false")
    page.fill("#id_rationale", RATIONALE)
    first_source = page.locator("#id_evidence_sources input[type=checkbox]").first
    first_source.check()
    # Checking the box scrolled the page; the admin's sticky sidebar would be drawn halfway down.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "review-page.png"), full_page=True)
    page.get_by_role("button", name="Publish verdict").click()
    page.wait_for_selector(".messagelist .success")
    assert page.inner_text(".messagelist .success") == "Verdict published: Mostly false."
    assert "A verdict is published" in page.inner_text("#content-main")
    assert RATIONALE in page.inner_text("#verdict")
    assert RATIONALE not in page.inner_text(".review-main")

    disputed_claim.refresh_from_db()
    assert disputed_claim.review_status == Claim.ReviewStatus.REVIEWED
    review = Review.objects.get(claim=disputed_claim, status=Review.Status.PUBLISHED)
    assert review.reviewer.username == "rita"
    assert review.evidence_sources.count() == 1

    detail = page.request.get(f"/api/claims/{disputed_claim.pk}/")
    assert detail.ok
    body = detail.json()
    assert body["review_status"] == "reviewed"
    published = [entry for entry in body["reviews"] if entry["status"] == "published"]
    assert [(entry["rating"], entry["rationale"], entry["reviewer"]) for entry in published] == [
        ("mostly_false", RATIONALE, "rita")
    ]

    jsonld = page.request.get(f"/api/claims/{disputed_claim.pk}/claimreview/")
    assert jsonld.ok
    assert "json" in jsonld.headers["content-type"]
    [claim_review] = jsonld.json()
    assert claim_review["@type"] == "ClaimReview"
    assert claim_review["claimReviewed"] == disputed_claim.text
    assert claim_review["reviewRating"]["alternateName"] == "Mostly false"
    assert claim_review["itemReviewed"]["@type"] == "Claim"
    assert claim_review["reviewBody"] == RATIONALE
    assert len(claim_review["citation"]) == 1


def test_publishing_without_a_rating_shows_the_error_beside_the_field_in_view(new_page, disputed_claim, artifacts):
    from claims.reviews import review_assign

    reviewer = factories.user(username="rita", is_staff=True, groups=["reviewers"])
    review_assign(claim=disputed_claim, actor=reviewer)
    page = new_page()
    log_in(page, "rita")
    page.goto(f"/admin/claims/claim/{disputed_claim.pk}/review/")
    page.fill("#id_rationale", RATIONALE)
    page.get_by_role("button", name="Publish verdict").click()
    error = page.locator("#verdict-rating .errorlist")
    error.wait_for()
    assert error.inner_text() == "A published verdict needs a rating."
    # Beside its field: between the label and the select, within the same block.
    field_box, select_box = page.locator("#verdict-rating").bounding_box(), page.locator("#id_rating").bounding_box()
    error_box = error.bounding_box()
    assert field_box["y"] <= error_box["y"] < select_box["y"]
    # In view without scrolling, with the cursor in the field to fix.
    viewport = page.viewport_size
    assert error_box["y"] >= 0 and error_box["y"] + error_box["height"] <= viewport["height"]
    assert page.evaluate("document.activeElement.id") == "id_rating"
    # What the reviewer typed is kept.
    assert page.input_value("#id_rationale") == RATIONALE
    page.screenshot(path=str(artifacts / "review-verdict-error.png"))
    disputed_claim.refresh_from_db()
    assert disputed_claim.review_status == Claim.ReviewStatus.IN_REVIEW
