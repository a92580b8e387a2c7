"""Who said a claim, where and when is frozen under its published verdict, as its wording is.

The ClaimReview names the speakers of the quotes that assert the claim (`itemReviewed.author`), the
sources they appeared in and the date; the verdict page shows every quote attributed to the claim.
Adding, changing or removing a published attribution, or approving a draft quote into it, changes
what the verdict says: refused in the model, 409 in the API, a form error in the admin; reopen first.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import reviews
from claims.ingest import drafts_approve
from claims.models import Attribution, Claim, Quote, RecordConflict, Status
from tests import factories

pytestmark = pytest.mark.django_db

OTHER_WORDS = "decided” by the media"


@pytest.fixture
def reviewer():
    return factories.user(groups=["reviewers"], username="fatou")


@pytest.fixture
def curator():
    return factories.user(groups=["curators"], is_staff=True, username="moussa")


@pytest.fixture
def said():
    """An attribution: Choguel Maïga's quote asserts the claim."""
    maiga = factories.speaker(name="Choguel Maïga", slug="choguel-maiga")
    return factories.attribution(quote=factories.quote(speaker=maiga))


@pytest.fixture
def judged(said, reviewer):
    """The attributed claim, under a published verdict."""
    claim = said.claim
    reviews.review_assign(claim=claim, actor=reviewer)
    reviews.review_publish(claim=claim, actor=reviewer, rating="mostly_false", rationale="The army entered Kidal.")
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def another_quote():
    diop = factories.speaker(name="Abdoulaye Diop", slug="abdoulaye-diop")
    return factories.quote(speaker=diop, source=factories.source(), text=OTHER_WORDS, start=None)


def claimants(api, claim):
    (published,) = api.get(f"/api/claims/{claim.pk}/claimreview/").json()
    authors = published["itemReviewed"].get("author", [])
    return [author["name"] for author in (authors if isinstance(authors, list) else [authors])]


def assert_refused_409(response, claim):
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "evidence_frozen"
    assert "Reopen the review first" in body["detail"]
    assert body["reopen"].endswith(f"/api/claims/{claim.pk}/reopen/")


# API ---------------------------------------------------------------------------------------------


def test_adding_a_quote_to_a_claim_under_a_published_verdict_gets_409(api, curator, judged, another_quote):
    api.force_authenticate(curator)
    response = api.post(
        "/api/attributions/", {"claim": judged.pk, "quote": another_quote.pk, "stance": "asserts"}, format="json"
    )
    assert_refused_409(response, judged)
    assert judged.attributions.count() == 1
    api.force_authenticate(None)
    assert claimants(api, judged) == ["Choguel Maïga"]


def test_pointing_an_attribution_at_another_quote_or_stance_gets_409(api, curator, judged, said, another_quote):
    api.force_authenticate(curator)
    moved = api.patch(f"/api/attributions/{said.pk}/", {"quote": another_quote.pk}, format="json")
    assert_refused_409(moved, judged)
    assert list(moved.json()["errors"]) == ["quote"]
    denied = api.patch(f"/api/attributions/{said.pk}/", {"stance": "denies"}, format="json")
    assert_refused_409(denied, judged)
    stored = Attribution.objects.get(pk=said.pk)
    assert (stored.quote_id, stored.stance) == (said.quote_id, "asserts")
    api.force_authenticate(None)
    assert claimants(api, judged) == ["Choguel Maïga"]


def test_moving_an_attribution_away_from_or_onto_a_judged_claim_gets_409(api, curator, judged, said, another_quote):
    api.force_authenticate(curator)
    elsewhere = factories.claim()
    assert_refused_409(api.patch(f"/api/attributions/{said.pk}/", {"claim": elsewhere.pk}, format="json"), judged)
    loose = factories.attribution(claim=elsewhere, quote=another_quote)
    assert_refused_409(api.patch(f"/api/attributions/{loose.pk}/", {"claim": judged.pk}, format="json"), judged)


def test_deleting_an_attribution_under_a_published_verdict_gets_409(api, curator, judged, said):
    api.force_authenticate(curator)
    assert_refused_409(api.delete(f"/api/attributions/{said.pk}/"), judged)
    assert Attribution.objects.filter(pk=said.pk).exists()


def test_the_note_beside_the_evidence_stays_editable(api, curator, judged, said):
    api.force_authenticate(curator)
    response = api.patch(f"/api/attributions/{said.pk}/", {"note": "Said on France 24."}, format="json")
    assert response.status_code == 200, response.content


def test_attributions_change_again_once_the_review_is_reopened(api, curator, reviewer, judged, said, another_quote):
    reviews.review_reopen(claim=judged, actor=reviewer, note="another claimant")
    api.force_authenticate(curator)
    response = api.post("/api/attributions/", {"claim": judged.pk, "quote": another_quote.pk}, format="json")
    assert response.status_code == 201, response.content
    assert api.delete(f"/api/attributions/{said.pk}/").status_code == 204


def test_a_draft_verdict_freezes_nothing(api, curator, reviewer, said, another_quote):
    reviews.review_assign(claim=said.claim, actor=reviewer)
    reviews.review_save_draft(claim=said.claim, actor=reviewer, rating="mixed", rationale="thinking")
    api.force_authenticate(curator)
    response = api.post("/api/attributions/", {"claim": said.claim_id, "quote": another_quote.pk}, format="json")
    assert response.status_code == 201, response.content


def test_changing_who_said_a_published_quote_under_the_verdict_gets_409(api, curator, judged, said):
    api.force_authenticate(curator)
    other = factories.speaker(name="Assimi Goïta", slug="assimi-goita")
    response = api.patch(f"/api/quotes/{said.quote_id}/", {"speaker": other.slug}, format="json")
    assert_refused_409(response, judged)
    assert list(response.json()["errors"]) == ["speaker"]
    assert Quote.objects.get(pk=said.quote_id).speaker.name == "Choguel Maïga"


# Drafts under the verdict ------------------------------------------------------------------------


@pytest.fixture
def draft_under_verdict(judged, another_quote):
    """A draft quote attributed to the judged claim (added while it was in review): no reader sees it."""
    Quote.objects.filter(pk=another_quote.pk).update(status=Status.DRAFT)
    return Attribution.objects.create(claim=judged, quote=Quote.objects.get(pk=another_quote.pk))


def test_approving_a_draft_quote_under_a_published_verdict_is_refused(api, judged, draft_under_verdict):
    with pytest.raises(ValidationError) as refusal:
        drafts_approve(quotes=Quote.objects.filter(pk=draft_under_verdict.quote_id))
    assert "Reopen the review first" in " ".join(refusal.value.messages)
    assert Quote.objects.get(pk=draft_under_verdict.quote_id).status == Status.DRAFT
    assert claimants(api, judged) == ["Choguel Maïga"]


def test_a_draft_attribution_stays_a_curators_proposal_under_the_verdict(api, curator, judged, draft_under_verdict):
    """Invisible to readers and to the ClaimReview, it may be corrected or removed; only publishing it is refused."""
    api.force_authenticate(curator)
    edited = api.patch(f"/api/attributions/{draft_under_verdict.pk}/", {"stance": "denies"}, format="json")
    assert edited.status_code == 200, edited.content
    assert api.delete(f"/api/attributions/{draft_under_verdict.pk}/").status_code == 204


def test_admin_approve_action_refuses_with_a_message(client, curator, judged, draft_under_verdict):
    client.force_login(curator)
    response = client.post(
        reverse("admin:claims_quote_changelist"),
        {"action": "approve_drafts", "_selected_action": [draft_under_verdict.quote_id]},
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert any("Reopen the review first" in message for message in shown), shown
    assert Quote.objects.get(pk=draft_under_verdict.quote_id).status == Status.DRAFT


# The model and the admin -------------------------------------------------------------------------


def test_the_model_refuses_whoever_saves(judged, said, another_quote):
    said.stance = Attribution.Stance.DENIES
    with pytest.raises(ValidationError) as refusal:
        said.full_clean()
    assert refusal.value.error_dict["stance"][0].code == "evidence_frozen"
    with pytest.raises(RecordConflict):
        Attribution(claim=judged, quote=another_quote).check_evidence_open()
    with pytest.raises(RecordConflict):
        Attribution.objects.get(pk=said.pk).check_removable()


def _claim_form(judged, attributions, **inline):
    form = {"slug": judged.slug, "text": judged.text, "note": "", "seen_version": judged.version}
    rows = list(attributions)
    form |= {
        "attributions-TOTAL_FORMS": str(len(rows) + (1 if inline else 0)),
        "attributions-INITIAL_FORMS": str(len(rows)),
        "attributions-MIN_NUM_FORMS": "0",
        "attributions-MAX_NUM_FORMS": "1000",
    }
    for index, attribution in enumerate(rows):
        form |= {
            f"attributions-{index}-id": attribution.pk,
            f"attributions-{index}-claim": judged.pk,
            f"attributions-{index}-quote": attribution.quote_id,
            f"attributions-{index}-stance": attribution.stance,
            f"attributions-{index}-note": attribution.note,
        }
    if inline:
        form |= {f"attributions-{len(rows)}-{key}": value for key, value in inline.items()}
    for prefix in ["relations_from", "relations_to"]:
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
        form |= {f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    return form


def _attributions_formset(response):
    formsets = [inline.formset for inline in response.context["inline_admin_formsets"]]
    (formset,) = [formset for formset in formsets if formset.prefix == "attributions"]
    return formset


def test_admin_claim_inline_refuses_adding_a_quote_with_a_form_error(client, curator, judged, another_quote):
    client.force_login(curator)
    form = _claim_form(judged, judged.attributions.all(), claim=judged.pk, quote=another_quote.pk, stance="asserts")
    response = client.post(reverse("admin:claims_claim_change", args=[judged.pk]), form)
    assert response.status_code == 200
    formset = _attributions_formset(response)
    assert "Reopen the review first" in str(formset.errors)
    assert judged.attributions.count() == 1


def test_admin_claim_inline_refuses_deleting_with_a_message(client, curator, judged, said):
    client.force_login(curator)
    form = _claim_form(judged, [said])
    form["attributions-0-DELETE"] = "on"
    response = client.post(reverse("admin:claims_claim_change", args=[judged.pk]), form)
    assert response.status_code == 200
    formset = _attributions_formset(response)
    assert "Reopen the review first" in " ".join(formset.non_form_errors())
    assert Attribution.objects.filter(pk=said.pk).exists()


def test_admin_attribution_form_shows_the_refusal(client, curator, judged, said):
    client.force_login(curator)
    url = reverse("admin:claims_attribution_change", args=[said.pk])
    response = client.post(
        url, {"claim": judged.pk, "quote": said.quote_id, "stance": "denies", "note": "", "seen_version": said.version}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["stance"]
    assert "Reopen the review first" in errors["stance"][0]
    assert Attribution.objects.get(pk=said.pk).stance == "asserts"


def test_admin_delete_page_refuses_with_the_reason(client, curator, judged, said):
    client.force_login(curator)
    url = reverse("admin:claims_attribution_delete", args=[said.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "Reopen the review first" in response.content.decode()
    assert Attribution.objects.filter(pk=said.pk).exists()
    bulk = client.post(
        reverse("admin:claims_attribution_changelist"),
        {"action": "delete_selected", "_selected_action": [said.pk], "post": "yes"},
    )
    assert "Reopen the review first" in bulk.content.decode()
    assert Attribution.objects.filter(pk=said.pk).exists()


def test_admin_claim_page_saves_the_note_with_its_attributions_unchanged(client, curator, judged, said):
    client.force_login(curator)
    form = _claim_form(judged, [said])
    form["note"] = "Checked against the army's communiqué."
    form["attributions-0-note"] = "Said twice."
    response = client.post(reverse("admin:claims_claim_change", args=[judged.pk]), form)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert Claim.objects.get(pk=judged.pk).note == "Checked against the army's communiqué."
    assert Attribution.objects.get(pk=said.pk).note == "Said twice."
