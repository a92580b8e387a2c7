"""The review workflow: assign, draft, publish, reopen — the one place these transitions happen.

unreviewed → in review (assigned to a reviewer) → reviewed (a published verdict); reopening a
reviewed claim supersedes its published review (kept in the record) and puts the claim back in
review. Every service is one transaction, checks who may act, refuses an edit based on a version
somebody else has changed since (`StaleEdit`), and records a ReviewEvent. The admin, the API and
the commands call these; none of them re-implements a transition.

A draft verdict belongs to the reviewer who wrote it: only they edit or discard it. A published
verdict is never edited nor deleted (`RecordConflict`): the claim is reopened and a new verdict written.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Claim, Rating, RecordConflict, Review, ReviewEvent
from .versioning import last_change_by

REVIEW_PERMISSION = "claims.review_claim"


class StaleEdit(Exception):
    """The claim or review changed since the version the edit was based on (admin: reload; API: 412)."""

    def __init__(self, instance):
        self.instance = instance
        super().__init__(
            f"This {instance._meta.verbose_name} was {last_change_by(instance)} — reload the page and apply "
            "your edit again."
        )


def can_review(user):
    """Only the reviewers group (or a superuser) assigns, publishes and reopens."""
    return bool(user and user.is_active and user.has_perm(REVIEW_PERMISSION))


def check_review_editable(user, review):
    """Only its author, a reviewer, edits or discards a draft; nobody edits a published or superseded verdict.

    Raises why not: PermissionDenied (who may) or RecordConflict (its status). The API asks it first."""
    _require_reviewer(user, "write verdicts")
    if review.status == Review.Status.PUBLISHED:
        raise RecordConflict(
            "This verdict is published: it changes only by reopening the claim's review (the published verdict "
            "is then kept as superseded), and writing a new verdict.",
            code="verdict_published",
            claim=review.claim_id,
        )
    if review.status == Review.Status.SUPERSEDED:
        raise RecordConflict(
            "This verdict was superseded when its claim was reopened: it stays in the record as it was.",
            code="verdict_superseded",
        )
    if review.reviewer_id != user.pk:
        raise PermissionDenied(f"This draft is {review.reviewer}'s: only its author edits or discards it.")


def _require_reviewer(user, doing):
    if not can_review(user):
        raise PermissionDenied(f"Only reviewers may {doing}.")


def _locked(instance, expected_version=None):
    """Re-read `instance` under a row lock; refuse if it moved past `expected_version`."""
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if expected_version is not None and current.version != int(expected_version):
        raise StaleEdit(current)
    return current


def _save(instance, actor):
    instance._history_user = actor  # outside a request (commands, tests) simple_history has no user
    instance.save()


def _event(*, claim, actor, action, from_status, review=None, note=""):
    return ReviewEvent.objects.create(
        claim=claim,
        review=review,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=claim.review_status,
        note=note,
    )


@transaction.atomic
def review_assign(*, claim, actor, reviewer=None, expected_version=None):
    """Put a claim in review, assigned to `reviewer` (default: the actor themself)."""
    _require_reviewer(actor, "assign claims")
    reviewer = reviewer or actor
    if not can_review(reviewer):
        raise ValidationError({"reviewer": ValidationError(f"{reviewer} is not a reviewer.", code="not_a_reviewer")})
    claim = _locked(claim, expected_version)
    if claim.review_status == Claim.ReviewStatus.REVIEWED:
        raise ValidationError("This claim has a published verdict: reopen it first.", code="already_reviewed")
    if claim.review_status == Claim.ReviewStatus.IN_REVIEW and claim.assigned_to_id == reviewer.pk:
        raise ValidationError(f"This claim is already assigned to {reviewer}.", code="already_assigned")
    from_status = claim.review_status
    claim.review_status = Claim.ReviewStatus.IN_REVIEW
    claim.assigned_to = reviewer
    _save(claim, actor)
    note = "" if reviewer == actor else f"assigned to {reviewer.get_username()}"
    _event(claim=claim, actor=actor, action="assign", from_status=from_status, note=note)
    return claim


@transaction.atomic
def review_unassign(*, claim, actor, expected_version=None):
    """Give a claim in review back to the queue."""
    _require_reviewer(actor, "unassign claims")
    claim = _locked(claim, expected_version)
    if claim.review_status != Claim.ReviewStatus.IN_REVIEW:
        raise ValidationError("Only a claim in review can be given back to the queue.", code="not_in_review")
    claim.review_status = Claim.ReviewStatus.UNREVIEWED
    claim.assigned_to = None
    _save(claim, actor)
    _event(claim=claim, actor=actor, action="unassign", from_status=Claim.ReviewStatus.IN_REVIEW)
    return claim


def _check_verdict(rating, rationale, *, publishing):
    errors = {}
    if rating and rating not in Rating.values:
        errors["rating"] = ValidationError(f"{rating!r} is not on the verdict scale.", code="invalid_rating")
    if publishing and not rating:
        errors["rating"] = ValidationError("A published verdict needs a rating.", code="rating_required")
    if publishing and not (rationale or "").strip():
        errors["rationale"] = ValidationError("A published verdict needs a rationale.", code="rationale_required")
    if errors:
        raise ValidationError(errors)


def open_draft(claim, reviewer, *, lock=False):
    """The draft `reviewer` has in progress on `claim`, if any (another reviewer's stays theirs)."""
    drafts = claim.reviews.select_for_update() if lock else claim.reviews.all()
    return drafts.filter(status=Review.Status.DRAFT, reviewer=reviewer).order_by("-pk").first()


def _draft_for(claim, actor, review, expected_review_version):
    """The draft being edited: the one named, else the actor's open draft on the claim, else a new one."""
    if review is not None:
        review = _locked(review, expected_review_version)
        if review.claim_id != claim.pk:
            raise ValidationError("This review belongs to another claim.", code="wrong_claim")
        check_review_editable(actor, review)
        return review
    draft = open_draft(claim, actor, lock=True)
    if draft is not None and expected_review_version is not None and draft.version != int(expected_review_version):
        raise StaleEdit(draft)
    return draft or Review(claim=claim, reviewer=actor)


def _fill(review, actor, *, rating, rationale, evidence_sources, evidence_quotes):
    review.rating = rating or ""
    review.rationale = rationale or ""
    review.reviewer = actor
    _save(review, actor)
    if evidence_sources is not None:
        review.evidence_sources.set(evidence_sources)
    if evidence_quotes is not None:
        review.evidence_quotes.set(evidence_quotes)


def _require_assignee(claim, actor):
    if claim.review_status != Claim.ReviewStatus.IN_REVIEW:
        raise ValidationError("Assign the claim before writing its verdict.", code="not_in_review")
    if claim.assigned_to_id != actor.pk:
        raise ValidationError(
            f"This claim is assigned to {claim.assigned_to}: assign it to yourself first.", code="assigned_elsewhere"
        )


@transaction.atomic
def review_save_draft(
    *,
    claim,
    actor,
    rating="",
    rationale="",
    evidence_sources=None,
    evidence_quotes=None,
    review=None,
    expected_version=None,
    expected_review_version=None,
):
    """Keep a verdict in progress; the claim stays in review."""
    _require_reviewer(actor, "write verdicts")
    claim = _locked(claim, expected_version)
    draft = _draft_for(claim, actor, review, expected_review_version)
    _require_assignee(claim, actor)
    _check_verdict(rating, rationale, publishing=False)
    _fill(
        draft,
        actor,
        rating=rating,
        rationale=rationale,
        evidence_sources=evidence_sources,
        evidence_quotes=evidence_quotes,
    )
    _event(claim=claim, actor=actor, action="draft", from_status=claim.review_status, review=draft)
    return draft


@transaction.atomic
def review_publish(
    *,
    claim,
    actor,
    rating,
    rationale,
    evidence_sources=None,
    evidence_quotes=None,
    review=None,
    expected_version=None,
    expected_review_version=None,
):
    """Publish the verdict of the reviewer the claim is assigned to; the claim becomes reviewed."""
    _require_reviewer(actor, "publish verdicts")
    claim = _locked(claim, expected_version)
    published = _draft_for(claim, actor, review, expected_review_version)
    _require_assignee(claim, actor)
    _check_verdict(rating, rationale, publishing=True)
    published.status = Review.Status.PUBLISHED
    published.published_at = timezone.now()
    _fill(
        published,
        actor,
        rating=rating,
        rationale=rationale,
        evidence_sources=evidence_sources,
        evidence_quotes=evidence_quotes,
    )
    claim.review_status = Claim.ReviewStatus.REVIEWED
    _save(claim, actor)
    _event(claim=claim, actor=actor, action="publish", from_status=Claim.ReviewStatus.IN_REVIEW, review=published)
    return published


@transaction.atomic
def review_discard_draft(*, review, actor, expected_review_version=None):
    """Delete the actor's own draft verdict; published and superseded verdicts stay in the record."""
    _require_reviewer(actor, "discard verdicts")
    review = _locked(review, expected_review_version)
    check_review_editable(actor, review)
    claim = review.claim
    _event(claim=claim, actor=actor, action="discard", from_status=claim.review_status, note=f"draft #{review.pk}")
    review._history_user = actor
    review.delete()


@transaction.atomic
def review_reopen(*, claim, actor, note="", expected_version=None):
    """Reopen a reviewed claim: its published verdict is superseded (kept), the actor reviews it again."""
    _require_reviewer(actor, "reopen reviews")
    claim = _locked(claim, expected_version)
    if claim.review_status != Claim.ReviewStatus.REVIEWED:
        raise ValidationError("Only a reviewed claim can be reopened.", code="not_reviewed")
    superseded = list(claim.reviews.select_for_update().filter(status=Review.Status.PUBLISHED))
    for review in superseded:
        review.status = Review.Status.SUPERSEDED
        _save(review, actor)
    claim.review_status = Claim.ReviewStatus.IN_REVIEW
    claim.assigned_to = actor
    _save(claim, actor)
    _event(
        claim=claim,
        actor=actor,
        action="reopen",
        from_status=Claim.ReviewStatus.REVIEWED,
        review=superseded[0] if superseded else None,
        note=note,
    )
    return claim
