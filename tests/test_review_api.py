"""The review workflow and ClaimReview through the HTTP API: /api/claims/{id}/assign|publish|reopen|claimreview/."""

import pytest
from rest_framework.test import APIClient

from claims import reviews
from claims.models import Claim, Review, ReviewEvent
from claims.versioning import etag_for
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def reviewer():
    return factories.user(groups=["reviewers"], username="fatou")


@pytest.fixture
def disputed():
    return factories.relation().to_claim


def as_user(api, user):
    api.force_authenticate(user)
    return api


def test_reviewer_assigns_then_publishes_through_the_api(api, reviewer, disputed):
    as_user(api, reviewer)
    assigned = api.post(f"/api/claims/{disputed.pk}/assign/", {}, format="json")
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["review_status"] == "in_review"
    assert assigned.json()["assigned_to"] == "fatou"
    source = factories.source()
    published = api.post(
        f"/api/claims/{disputed.pk}/publish/",
        {"rating": "false", "rationale": "No such order exists.", "evidence_sources": [source.pk]},
        format="json",
        HTTP_IF_MATCH=assigned["ETag"],
    )
    assert published.status_code == 200, published.content
    assert published.json()["review_status"] == "reviewed"
    assert published.json()["claimreview"]["reviewRating"]["ratingValue"] == 1
    assert Review.objects.get(claim=disputed).evidence_sources.get() == source


def test_curator_gets_403_for_workflow_actions(api, disputed):
    curator = factories.user(groups=["curators"])
    response = as_user(api, curator).post(f"/api/claims/{disputed.pk}/assign/", {}, format="json")
    assert response.status_code == 403
    assert Claim.objects.get(pk=disputed.pk).review_status == "unreviewed"


def test_anonymous_cannot_make_transitions(api, disputed):
    assert api.post(f"/api/claims/{disputed.pk}/assign/", {}, format="json").status_code in {401, 403}
    assert not ReviewEvent.objects.exists()


def test_a_stale_if_match_gets_412_naming_who_changed_it(api, reviewer, disputed):
    stale = etag_for(disputed)
    reviews.review_assign(claim=disputed, actor=factories.user(groups=["reviewers"], username="aminata"))
    response = as_user(api, reviewer).post(f"/api/claims/{disputed.pk}/reopen/", {}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert "changed by aminata at" in response.json()["detail"]
    assert Claim.objects.get(pk=disputed.pk).assigned_to.username == "aminata"


def test_an_invalid_verdict_gets_400_naming_the_field(api, reviewer, disputed):
    reviews.review_assign(claim=disputed, actor=reviewer)
    response = as_user(api, reviewer).post(
        f"/api/claims/{disputed.pk}/publish/", {"rating": "pants_on_fire", "rationale": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "rating" in response.json()


def test_publishing_an_unassigned_claim_gets_400_with_the_reason(api, reviewer, disputed):
    response = as_user(api, reviewer).post(
        f"/api/claims/{disputed.pk}/publish/", {"rating": "true", "rationale": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "Assign the claim" in str(response.json())


def test_reopen_through_the_api_keeps_the_published_review(api, reviewer, disputed):
    reviews.review_assign(claim=disputed, actor=reviewer)
    first = reviews.review_publish(claim=disputed, actor=reviewer, rating="true", rationale="ok")
    response = as_user(api, reviewer).post(f"/api/claims/{disputed.pk}/reopen/", {"note": "new report"}, format="json")
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.status == "superseded"
    assert api.get(f"/api/claims/{disputed.pk}/claimreview/").json() == []


def test_claimreview_endpoint_serves_json_ld(api, reviewer, disputed):
    reviews.review_assign(claim=disputed, actor=reviewer)
    reviews.review_publish(claim=disputed, actor=reviewer, rating="mixed", rationale="Partly.")
    response = api.get(f"/api/claims/{disputed.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    (item,) = response.json()
    assert item["@type"] == "ClaimReview"
    assert item["claimReviewed"] == disputed.text
    assert item["reviewRating"]["alternateName"] == "Mixed"


def test_claim_detail_with_accept_ld_json_gives_claimreview(api, reviewer, disputed):
    reviews.review_assign(claim=disputed, actor=reviewer)
    reviews.review_publish(claim=disputed, actor=reviewer, rating="true", rationale="Confirmed.")
    response = api.get(f"/api/claims/{disputed.pk}/", HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response.json()[0]["reviewRating"]["ratingValue"] == 5
    plain = api.get(f"/api/claims/{disputed.pk}/", HTTP_ACCEPT="application/json")
    assert plain["Content-Type"].startswith("application/json")


def test_curator_cannot_change_a_published_review_through_the_api(api, reviewer, disputed):
    reviews.review_assign(claim=disputed, actor=reviewer)
    review = reviews.review_publish(claim=disputed, actor=reviewer, rating="true", rationale="Original")
    curator = factories.user(groups=["curators"])
    response = as_user(api, curator).patch(f"/api/reviews/{review.pk}/", {"rationale": "Overwritten"}, format="json")
    assert response.status_code == 403
    assert Review.objects.get(pk=review.pk).rationale == "Original"
