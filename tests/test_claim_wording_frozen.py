"""The wording a published verdict judges is frozen until the review is reopened: API and admin alike."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import reviews
from claims.models import Claim, RecordConflict
from tests import factories

pytestmark = pytest.mark.django_db

WORDING = "The Indelimane attack killed 49 soldiers."


@pytest.fixture
def reviewer():
    return factories.user(groups=["reviewers"], username="fatou")


@pytest.fixture
def curator():
    return factories.user(groups=["curators"], is_staff=True, username="moussa")


@pytest.fixture
def judged(reviewer):
    """A claim with a published verdict."""
    claim = factories.claim(text=WORDING, slug="indelimane-toll")
    reviews.review_assign(claim=claim, actor=reviewer)
    reviews.review_publish(claim=claim, actor=reviewer, rating="mostly_true", rationale="The army's own figure.")
    return Claim.objects.get(pk=claim.pk)


def test_patching_the_text_under_a_published_verdict_gets_409_saying_to_reopen(api, curator, judged):
    api.force_authenticate(curator)
    response = api.patch(f"/api/claims/{judged.pk}/", {"text": "The Indelimane attack killed nobody."}, format="json")
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "wording_frozen"
    assert list(body["errors"]) == ["text"]
    assert "Reopen the review first" in body["detail"]
    assert body["reopen"].endswith(f"/api/claims/{judged.pk}/reopen/")
    assert Claim.objects.get(pk=judged.pk).text == WORDING
    (published,) = api.get(f"/api/claims/{judged.pk}/claimreview/").json()
    assert published["claimReviewed"] == WORDING


def test_the_slug_in_the_published_verdicts_address_is_frozen_too(api, curator, judged):
    api.force_authenticate(curator)
    response = api.put(f"/api/claims/{judged.pk}/", {"text": WORDING, "slug": "no-toll"}, format="json")
    assert response.status_code == 409
    assert list(response.json()["errors"]) == ["slug"]
    assert Claim.objects.get(pk=judged.pk).slug == "indelimane-toll"


def test_notes_and_topics_stay_editable_under_a_published_verdict(api, curator, judged):
    api.force_authenticate(curator)
    topic = factories.topic()
    response = api.put(
        f"/api/claims/{judged.pk}/",
        {"text": WORDING, "slug": judged.slug, "note": "Figure from the army.", "topics": [topic.slug]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert Claim.objects.get(pk=judged.pk).note == "Figure from the army."


def test_the_wording_changes_once_the_review_is_reopened(api, curator, reviewer, judged):
    reviews.review_reopen(claim=judged, actor=reviewer, note="new toll reported")
    api.force_authenticate(curator)
    response = api.patch(f"/api/claims/{judged.pk}/", {"text": "The Indelimane attack killed 53."}, format="json")
    assert response.status_code == 200, response.content


def test_a_draft_verdict_does_not_freeze_the_wording(api, curator, reviewer):
    claim = factories.claim(text=WORDING)
    reviews.review_assign(claim=claim, actor=reviewer)
    reviews.review_save_draft(claim=claim, actor=reviewer, rating="mixed", rationale="thinking")
    api.force_authenticate(curator)
    assert api.patch(f"/api/claims/{claim.pk}/", {"text": "Reworded."}, format="json").status_code == 200


def test_the_model_refuses_the_change_whoever_saves_it(judged):
    judged.text = "The Indelimane attack killed nobody."
    with pytest.raises(ValidationError) as refusal:
        judged.full_clean()  # as the admin's form and the importers do
    assert refusal.value.error_dict["text"][0].code == "wording_frozen"
    with pytest.raises(RecordConflict):
        judged.check_wording_open()  # as the API does, to answer 409


def test_the_admin_change_form_shows_the_refusal_beside_the_text(client, curator, judged):
    url = reverse("admin:claims_claim_change", args=[judged.pk])
    client.force_login(curator)
    form = {
        "slug": judged.slug,
        "text": "The Indelimane attack killed nobody.",
        "note": "",
        "seen_version": judged.version,
        **{f"{prefix}-{key}": value for prefix in _inline_prefixes() for key, value in _empty_inline().items()},
    }
    response = client.post(url, form)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["text"]
    assert "Reopen the review first" in errors["text"][0]
    assert Claim.objects.get(pk=judged.pk).text == WORDING


def _inline_prefixes():
    return ["attributions", "relations_from", "relations_to"]


def _empty_inline():
    return {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}
