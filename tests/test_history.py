"""Edit history: every change recorded with who, when and which fields; listed by the API; restorable in the admin."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from claims import reviews
from claims.claim_history import claim_history
from claims.models import Quote, Source, Speaker
from tests import factories

pytestmark = pytest.mark.django_db


def edit(instance, actor, **fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance._history_user = actor
    instance.save()


@pytest.mark.parametrize(
    "make, field, value",
    [
        (factories.speaker, "description", "Prime minister 2021–2024"),
        (factories.source, "publisher", "Peoples Dispatch"),
        (factories.quote, "note", "Translated from French"),
        (factories.claim, "text", "Reworded"),
        (factories.relation, "note", "Contradicts the ministry"),
        (factories.attribution, "stance", "denies"),
    ],
    ids=["speaker", "source", "quote", "claim", "relation", "attribution"],
)
def test_every_curated_change_is_recorded_with_who_and_which_fields(make, field, value):
    record = make()
    editor = factories.user(username="editor")
    edit(record, editor, **{field: value})
    newest, previous = record.history.all()[:2]
    assert newest.history_user == editor
    assert newest.history_type == "~"
    assert field in {change.field for change in newest.diff_against(previous).changes}


def test_claim_history_lists_the_claim_its_relations_and_its_reviews():
    claim = factories.relation().to_claim
    curator = factories.user(username="curator", groups=["curators"])
    reviewer = factories.user(username="reviewer", groups=["reviewers"])
    edit(claim, curator, text="Reworded by a curator", note="Wording agreed")
    reviews.review_assign(claim=claim, actor=reviewer)
    reviews.review_publish(claim=claim, actor=reviewer, rating="false", rationale="No evidence")
    rows = claim_history(claim)
    wording = next(row for row in rows if row["model"] == "claim" and row["user"] == "curator")
    assert wording["change"] == "changed"
    assert wording["changed_fields"] == ["note", "text"]
    assert {"claim", "claimrelation", "review"} <= {row["model"] for row in rows}
    review_rows = [row for row in rows if row["model"] == "review"]
    assert all(row["user"] == "reviewer" for row in review_rows)
    assert [row["at"] for row in rows] == sorted((row["at"] for row in rows), reverse=True)


def test_history_endpoint_lists_who_when_and_what():
    claim = factories.claim()
    edit(claim, factories.user(username="moussa"), text="Second wording")
    response = APIClient().get(f"/api/claims/{claim.pk}/history/")
    assert response.status_code == 200
    newest = response.json()[0]
    assert (newest["model"], newest["change"], newest["user"], newest["changed_fields"]) == (
        "claim",
        "changed",
        "moussa",
        ["text"],
    )
    assert newest["at"]
    assert response.json()[-1]["change"] == "created"


def test_a_published_reviews_first_visible_version_reads_as_published_with_its_fields(working_groups):
    """Its drafts are hidden from anonymous readers: the version they first see is the publication,
    with what it says, not a "change" of nothing."""
    claim = factories.claim()
    reviewer = factories.user(username="fatou", groups=["reviewers"])
    reviews.review_assign(claim=claim, actor=reviewer)
    reviews.review_save_draft(claim=claim, actor=reviewer, rating="mixed", rationale="First thoughts")
    reviews.review_publish(claim=claim, actor=reviewer, rating="false", rationale="No evidence at all")
    response = APIClient().get(f"/api/claims/{claim.pk}/history/")
    (published,) = [row for row in response.json() if row["model"] == "review"]
    assert (published["change"], published["user"]) == ("published", "fatou")
    assert {"claim", "rating", "rationale", "reviewer", "status", "published_at"} <= set(published["changed_fields"])

    reviewer_view = claim_history(claim, viewer=reviewer)
    first, *later = reversed([row for row in reviewer_view if row["model"] == "review"])
    assert first["change"] == "created"  # who may see drafts sees the review from its first draft
    assert [row["change"] for row in later] == ["changed"] * len(later)
    assert "status" in later[-1]["changed_fields"]


def test_a_records_first_version_lists_the_fields_it_was_created_with():
    claim = factories.claim(text="Created wording", slug="created-wording")
    (created,) = claim_history(claim)
    assert created["change"] == "created"
    assert {"slug", "text", "review_status"} <= set(created["changed_fields"])
    assert "note" not in created["changed_fields"]  # empty


def test_admin_restores_an_earlier_version(client, superuser):
    claim = factories.claim(text="Original wording")
    original = claim.history.get()
    edit(claim, superuser, text="Vandalised wording")
    client.force_login(superuser)
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, original.history_id])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "topics"}
    data["seen_version"] = form["seen_version"].value()  # the hidden field, as the browser posts it
    data |= {
        "attributions-TOTAL_FORMS": 0,
        "attributions-INITIAL_FORMS": 0,
        "relations_from-TOTAL_FORMS": 0,
        "relations_from-INITIAL_FORMS": 0,
        "relations_to-TOTAL_FORMS": 0,
        "relations_to-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    version_before = claim.version
    claim.refresh_from_db()
    assert claim.text == "Original wording"
    assert claim.version == version_before + 1  # a restore is a new version: stale edits are still refused
    assert claim.history.first().history_user == superuser


def test_history_is_kept_for_speakers_sources_and_quotes_deleted_or_not():
    quote = factories.quote()
    assert quote.history.count() == 1
    assert Speaker.history.filter(id=quote.speaker_id).exists()
    assert Source.history.filter(id=quote.source_id).exists()
    quote_id = quote.pk
    quote.delete()
    assert Quote.history.filter(id=quote_id, history_type="-").exists()
