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


# /api/reviews/ goes through the workflow ------------------------------------------------------------


@pytest.fixture
def published(reviewer, disputed):
    reviews.review_assign(claim=disputed, actor=reviewer)
    return reviews.review_publish(claim=disputed, actor=reviewer, rating="true", rationale="Original")


def test_another_reviewer_patching_a_published_verdict_gets_409_saying_to_reopen(api, published):
    other = factories.user(groups=["reviewers"], username="aminata")
    events = ReviewEvent.objects.count()
    response = as_user(api, other).patch(
        f"/api/reviews/{published.pk}/", {"rating": "false", "rationale": "Overwritten"}, format="json"
    )
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "verdict_published"
    assert "reopen" in body["detail"]
    assert body["reopen"].endswith(f"/api/claims/{published.claim_id}/reopen/")
    published.refresh_from_db()
    assert (published.rating, published.rationale, published.reviewer.username) == ("true", "Original", "fatou")
    assert ReviewEvent.objects.count() == events


def test_its_own_author_cannot_patch_a_published_verdict_either(api, reviewer, published):
    response = as_user(api, reviewer).put(
        f"/api/reviews/{published.pk}/",
        {"claim": published.claim_id, "rating": "false", "rationale": "Changed my mind"},
        format="json",
    )
    assert response.status_code == 409
    assert Review.objects.get(pk=published.pk).rationale == "Original"


def test_moving_a_published_verdict_to_another_claim_gets_409(api, reviewer, published):
    elsewhere = factories.claim()
    response = as_user(api, factories.user(groups=["reviewers"])).patch(
        f"/api/reviews/{published.pk}/", {"claim": elsewhere.pk}, format="json"
    )
    assert response.status_code == 409
    assert Review.objects.get(pk=published.pk).claim_id == published.claim_id
    assert Claim.objects.get(pk=published.claim_id).review_status == "reviewed"
    assert Claim.objects.get(pk=elsewhere.pk).review_status == "unreviewed"


def test_a_draft_stays_on_its_claim(api, reviewer, disputed):
    reviews.review_assign(claim=disputed, actor=reviewer)
    draft = reviews.review_save_draft(claim=disputed, actor=reviewer, rating="mixed", rationale="draft")
    elsewhere = factories.claim()
    response = as_user(api, reviewer).patch(f"/api/reviews/{draft.pk}/", {"claim": elsewhere.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["claim"] == [
        "A review stays on the claim it was written on: write a new one on the other claim."
    ]
    assert Review.objects.get(pk=draft.pk).claim_id == disputed.pk


def test_a_reviewer_cannot_patch_another_reviewers_draft(api, reviewer, disputed):
    reviews.review_assign(claim=disputed, actor=reviewer)
    draft = reviews.review_save_draft(claim=disputed, actor=reviewer, rating="mixed", rationale="fatou's draft")
    other = factories.user(groups=["reviewers"], username="aminata")
    reviews.review_assign(claim=disputed, actor=other)  # even once the claim is theirs
    response = as_user(api, other).patch(f"/api/reviews/{draft.pk}/", {"rationale": "aminata's"}, format="json")
    assert response.status_code == 403
    assert "fatou's: only its author" in response.json()["detail"]
    assert as_user(api, other).delete(f"/api/reviews/{draft.pk}/").status_code == 403
    assert Review.objects.get(pk=draft.pk).rationale == "fatou's draft"


def test_the_reviewer_is_the_account_that_writes_whatever_the_body_says(api, reviewer, disputed):
    reviews.review_assign(claim=disputed, actor=reviewer)
    other = factories.user(groups=["reviewers"], username="aminata")
    response = as_user(api, reviewer).post(
        "/api/reviews/",
        {"claim": disputed.pk, "reviewer": other.username, "rating": "mixed", "rationale": "x"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["reviewer"] == "fatou"
    draft = Review.objects.get(pk=response.json()["id"])
    response = as_user(api, reviewer).patch(f"/api/reviews/{draft.pk}/", {"reviewer": other.username}, format="json")
    assert response.status_code == 200
    assert Review.objects.get(pk=draft.pk).reviewer == reviewer


def test_each_draft_write_records_a_review_event(api, reviewer, disputed):
    reviews.review_assign(claim=disputed, actor=reviewer)
    as_user(api, reviewer)
    created = api.post("/api/reviews/", {"claim": disputed.pk, "rating": "mixed", "rationale": "a"}, format="json")
    assert created.status_code == 201
    key = created.json()["id"]
    assert api.patch(f"/api/reviews/{key}/", {"rationale": "b"}, format="json").status_code == 200
    again = api.post("/api/reviews/", {"claim": disputed.pk, "rating": "false", "rationale": "c"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == key  # their open draft, saved again
    assert api.delete(f"/api/reviews/{key}/").status_code == 204
    events = ReviewEvent.objects.filter(claim=disputed).order_by("pk")
    assert [(event.action, event.actor.username) for event in events] == [
        ("assign", "fatou"),
        ("draft", "fatou"),
        ("draft", "fatou"),
        ("draft", "fatou"),
        ("discard", "fatou"),
    ]


def test_a_draft_on_a_claim_not_assigned_to_the_writer_is_refused(api, reviewer, disputed):
    response = as_user(api, reviewer).post(
        "/api/reviews/", {"claim": disputed.pk, "rating": "mixed", "rationale": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "Assign the claim" in str(response.json())
    assert not Review.objects.exists()


def test_a_verdict_written_here_cannot_pose_as_an_imported_one(api, reviewer, disputed):
    reviews.review_assign(claim=disputed, actor=reviewer)
    response = as_user(api, reviewer).post(
        "/api/reviews/",
        {"claim": disputed.pk, "rating": "true", "publisher_name": "Snopes", "url": "https://example.org/r"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"publisher_name", "url"}
    assert not Review.objects.exists()


def test_deleting_a_published_verdict_gets_409_even_for_its_author(api, reviewer, published):
    response = as_user(api, reviewer).delete(f"/api/reviews/{published.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "verdict_published"
    assert Review.objects.filter(pk=published.pk, status="published").exists()
