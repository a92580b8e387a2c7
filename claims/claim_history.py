"""A claim's edit history as plain rows: the claim itself and its attributions, relations and reviews.

Each row says who changed what and when, with the fields that changed against the previous
version of the same record (django-simple-history's `diff_against`); a record's first version lists
the fields it was created with.

The history shows what its viewer may see (claims/querysets.py, `visible_to`): to a reader who may
not see drafts, no draft review (nor the drafts a published review was before publication: who
wrote them, when) and no attribution through a quote they may not see.
"""

from django.db.models import Q

from .models import Attribution, Claim, ClaimRelation, Quote, Review
from .querysets import sees_drafts

CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def _records(claim, viewer):
    yield "claim", Claim.history.filter(id=claim.pk)
    attributions = Attribution.history.filter(claim_id=claim.pk)
    # The few quotes this claim's attributions ever named, those the viewer may see among them.
    quotes = Quote.objects.visible_to(viewer).filter(pk__in=attributions.values("quote_id"))
    yield "attribution", attributions.filter(quote_id__in=quotes.values("pk"))
    yield "claimrelation", ClaimRelation.history.filter(Q(from_claim_id=claim.pk) | Q(to_claim_id=claim.pk))
    reviews = Review.history.filter(claim_id=claim.pk)
    # Each version as it stood: a review's draft versions are drafts, even once it is published.
    yield "review", reviews if sees_drafts(viewer, Review) else reviews.exclude(status=Review.Status.DRAFT)


def _held_fields(record):
    """The fields a version holds a value in: what a record's first version (as the viewer sees it) says."""
    return sorted(
        field.name
        for field in record.tracked_fields
        if field.editable and field.name != "id" and getattr(record, field.attname) not in (None, "")
    )


def _change(model_name, record, before):
    """How a version reads: as recorded, except the first one the viewer may see of a record whose
    earlier versions are hidden from them (a review's drafts): that one is when it came into view,
    published (a review) or created, not a change of nothing."""
    if before is None and record.history_type == "~":
        return "published" if model_name == "review" else "created"
    return CHANGE_TYPES.get(record.history_type, record.history_type)


def _rows(model_name, records):
    previous = {}
    for record in records.select_related("history_user").order_by("id", "history_date", "history_id"):
        before = previous.get(record.id)
        if before is None and record.history_type != "-":
            changed = _held_fields(record)
        elif record.history_type == "~":
            changed = sorted(
                change.field for change in record.diff_against(before).changes if change.field not in {"version"}
            )
        else:
            changed = []
        previous[record.id] = record
        yield {
            "model": model_name,
            "object_id": record.id,
            "history_id": record.history_id,
            "change": _change(model_name, record, before),
            "at": record.history_date,
            "user": record.history_user.get_username() if record.history_user else None,
            "changed_fields": changed,
            "reason": record.history_change_reason or "",
            # Only the claim's own wording: describing the others would cost queries per row.
            "summary": record.text if model_name == "claim" else "",
        }


def claim_history(claim, viewer=None):
    """Newest first: every recorded change to the claim and to the records hanging off it that
    `viewer` may see (the published record's only, without a viewer)."""
    rows = [row for model_name, records in _records(claim, viewer) for row in _rows(model_name, records)]
    return sorted(rows, key=lambda row: (row["at"], row["history_id"]), reverse=True)
