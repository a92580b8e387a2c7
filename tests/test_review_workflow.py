"""The review workflow services: transitions, who may make them, and the record each one leaves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import reviews
from claims.models import Claim, RecordConflict, Review, ReviewEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    return factories.user(groups=["reviewers"])


@pytest.fixture
def curator():
    return factories.user(groups=["curators"])


@pytest.fixture
def disputed():
    return factories.relation().to_claim


def publish(claim, actor, **fields):
    fields.setdefault("rating", "mostly_false")
    fields.setdefault("rationale", "The blockade slowed deliveries but did not stop them.")
    return reviews.review_publish(claim=claim, actor=actor, **fields)


def test_assign_moves_unreviewed_to_in_review_and_records_who(disputed, reviewer):
    claim = reviews.review_assign(claim=disputed, actor=reviewer)
    assert (claim.review_status, claim.assigned_to) == ("in_review", reviewer)
    event = ReviewEvent.objects.get(claim=disputed)
    assert (event.actor, event.action, event.from_status, event.to_status) == (
        reviewer,
        "assign",
        "unreviewed",
        "in_review",
    )
    assert event.at is not None


def test_publish_moves_in_review_to_reviewed_with_a_published_verdict(disputed, reviewer):
    reviews.review_assign(claim=disputed, actor=reviewer)
    review = publish(disputed, reviewer, evidence_sources=[factories.source()])
    disputed.refresh_from_db()
    assert disputed.review_status == "reviewed"
    assert (review.status, review.reviewer, review.rating) == ("published", reviewer, "mostly_false")
    assert review.published_at is not None
    assert review.evidence_sources.count() == 1
    assert list(ReviewEvent.objects.filter(claim=disputed).values_list("action", flat=True)) == ["assign", "publish"]


def test_publish_uses_the_draft_in_progress(disputed, reviewer):
    reviews.review_assign(claim=disputed, actor=reviewer)
    draft = reviews.review_save_draft(claim=disputed, actor=reviewer, rating="mixed", rationale="Half done")
    published = publish(disputed, reviewer)
    assert published.pk == draft.pk
    assert Review.objects.filter(claim=disputed).count() == 1


def test_reopen_keeps_the_earlier_review_as_superseded(disputed, reviewer):
    reviews.review_assign(claim=disputed, actor=reviewer)
    first = publish(disputed, reviewer)
    other = factories.user(groups=["reviewers"])
    reviews.review_reopen(claim=disputed, actor=other, note="New evidence from the UN report")
    disputed.refresh_from_db()
    first.refresh_from_db()
    assert (disputed.review_status, disputed.assigned_to) == ("in_review", other)
    assert first.status == "superseded"
    second = publish(disputed, other, rating="false")
    assert set(disputed.reviews.values_list("status", flat=True)) == {"superseded", "published"}
    assert second.pk != first.pk
    event = ReviewEvent.objects.get(claim=disputed, action="reopen")
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        other,
        "reviewed",
        "in_review",
        "New evidence from the UN report",
    )


@pytest.mark.parametrize("service", ["assign", "publish", "reopen"])
def test_curators_cannot_make_any_transition(disputed, curator, reviewer, service):
    if service == "publish":
        reviews.review_assign(claim=disputed, actor=reviewer)
    if service == "reopen":
        reviews.review_assign(claim=disputed, actor=reviewer)
        publish(disputed, reviewer)
    status_before = Claim.objects.get(pk=disputed.pk).review_status
    calls = {
        "assign": lambda: reviews.review_assign(claim=disputed, actor=curator),
        "publish": lambda: publish(disputed, curator),
        "reopen": lambda: reviews.review_reopen(claim=disputed, actor=curator),
    }
    with pytest.raises(PermissionDenied):
        calls[service]()
    assert Claim.objects.get(pk=disputed.pk).review_status == status_before
    assert not ReviewEvent.objects.filter(actor=curator).exists()


def test_a_claim_cannot_be_assigned_to_a_curator(disputed, reviewer, curator):
    with pytest.raises(ValidationError) as error:
        reviews.review_assign(claim=disputed, actor=reviewer, reviewer=curator)
    assert error.value.error_dict["reviewer"][0].code == "not_a_reviewer"


def test_publish_needs_the_claim_assigned_to_the_publisher(disputed, reviewer):
    with pytest.raises(ValidationError) as unassigned:
        publish(disputed, reviewer)
    assert unassigned.value.code == "not_in_review"
    other = factories.user(groups=["reviewers"])
    reviews.review_assign(claim=disputed, actor=other)
    with pytest.raises(ValidationError) as elsewhere:
        publish(disputed, reviewer)
    assert elsewhere.value.code == "assigned_elsewhere"
    assert not Review.objects.exists()


def test_publish_needs_a_rating_on_the_scale_and_a_rationale(disputed, reviewer):
    reviews.review_assign(claim=disputed, actor=reviewer)
    with pytest.raises(ValidationError) as error:
        publish(disputed, reviewer, rating="pants_on_fire", rationale=" ")
    assert error.value.error_dict["rating"][0].code == "invalid_rating"
    assert error.value.error_dict["rationale"][0].code == "rationale_required"
    assert Claim.objects.get(pk=disputed.pk).review_status == "in_review"


def test_reviewed_claims_are_reopened_not_reassigned(disputed, reviewer):
    reviews.review_assign(claim=disputed, actor=reviewer)
    publish(disputed, reviewer)
    with pytest.raises(ValidationError) as error:
        reviews.review_assign(claim=disputed, actor=reviewer)
    assert error.value.code == "already_reviewed"


def test_only_reviewed_claims_can_be_reopened(disputed, reviewer):
    with pytest.raises(ValidationError) as error:
        reviews.review_reopen(claim=disputed, actor=reviewer)
    assert error.value.code == "not_reviewed"


def test_a_stale_claim_version_is_refused_with_who_changed_it(disputed, reviewer):
    seen = disputed.version
    other = factories.user(groups=["reviewers"], username="aminata")
    reviews.review_assign(claim=disputed, actor=other)
    with pytest.raises(reviews.StaleEdit) as error:
        reviews.review_assign(claim=disputed, actor=reviewer, expected_version=seen)
    assert "changed by aminata at" in str(error.value)
    assert "reload" in str(error.value)
    assert Claim.objects.get(pk=disputed.pk).assigned_to == other


def test_a_stale_draft_version_is_refused(disputed, reviewer):
    reviews.review_assign(claim=disputed, actor=reviewer)
    draft = reviews.review_save_draft(claim=disputed, actor=reviewer, rating="mixed", rationale="first")
    seen = draft.version
    reviews.review_save_draft(claim=disputed, actor=reviewer, rating="false", rationale="second")
    with pytest.raises(reviews.StaleEdit):
        publish(disputed, reviewer, expected_review_version=seen)
    assert Review.objects.get(pk=draft.pk).status == "draft"


def test_only_its_author_edits_a_draft_and_nobody_a_published_verdict(disputed, reviewer, curator):
    other = factories.user(groups=["reviewers"])
    reviews.review_assign(claim=disputed, actor=reviewer)
    draft = reviews.review_save_draft(claim=disputed, actor=reviewer, rating="mixed", rationale="draft")
    reviews.check_review_editable(reviewer, draft)
    for somebody_else in (other, curator):
        with pytest.raises(PermissionDenied):
            reviews.check_review_editable(somebody_else, draft)
    published = publish(disputed, reviewer)
    for anybody in (reviewer, factories.user(is_superuser=True)):
        with pytest.raises(RecordConflict):
            reviews.check_review_editable(anybody, published)
    assert not reviews.can_review(curator)


def test_a_named_draft_of_another_reviewer_is_not_theirs_to_save(disputed, reviewer):
    other = factories.user(groups=["reviewers"], username="aminata")
    reviews.review_assign(claim=disputed, actor=reviewer)
    draft = reviews.review_save_draft(claim=disputed, actor=reviewer, rating="mixed", rationale="mine")
    reviews.review_assign(claim=disputed, actor=other)
    with pytest.raises(PermissionDenied, match="only its author"):
        reviews.review_save_draft(claim=disputed, actor=other, review=draft, rating="false", rationale="taken")
    # Saving without naming one starts the new assignee's own draft; the first stays as it was.
    own = reviews.review_save_draft(claim=disputed, actor=other, rating="false", rationale="aminata's")
    assert own.pk != draft.pk and own.reviewer == other
    assert Review.objects.get(pk=draft.pk).rationale == "mine"


def test_a_published_verdict_is_not_saved_as_a_draft_again(disputed, reviewer):
    reviews.review_assign(claim=disputed, actor=reviewer)
    published = publish(disputed, reviewer)
    with pytest.raises(RecordConflict) as refusal:
        reviews.review_save_draft(claim=disputed, actor=reviewer, review=published, rating="true", rationale="x")
    assert refusal.value.code == "verdict_published" and "reopen" in refusal.value.message
    with pytest.raises(RecordConflict):
        reviews.review_discard_draft(review=published, actor=reviewer)
    assert Review.objects.get(pk=published.pk).status == "published"


def test_discarding_a_draft_records_who_discarded_it(disputed, reviewer):
    reviews.review_assign(claim=disputed, actor=reviewer)
    draft = reviews.review_save_draft(claim=disputed, actor=reviewer, rating="mixed", rationale="draft")
    reviews.review_discard_draft(review=draft, actor=reviewer)
    assert not Review.objects.filter(pk=draft.pk).exists()
    event = ReviewEvent.objects.filter(claim=disputed).last()
    assert (event.action, event.actor, event.note) == ("discard", reviewer, f"draft #{draft.pk}")
