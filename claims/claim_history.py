"""A claim's edit history as plain rows: the claim itself and its attributions, relations and reviews.

Each row says who changed what and when, with the fields that changed against the previous
version of the same record (django-simple-history's `diff_against`).
"""

from django.db.models import Q

from .models import Attribution, Claim, ClaimRelation, Review

CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def _records(claim):
    yield "claim", Claim.history.filter(id=claim.pk)
    yield "attribution", Attribution.history.filter(claim_id=claim.pk)
    yield "claimrelation", ClaimRelation.history.filter(Q(from_claim_id=claim.pk) | Q(to_claim_id=claim.pk))
    yield "review", Review.history.filter(claim_id=claim.pk)


def _rows(model_name, records):
    previous = {}
    for record in records.select_related("history_user").order_by("id", "history_date", "history_id"):
        before = previous.get(record.id)
        changed = []
        if before is not None and record.history_type == "~":
            changed = sorted(
                change.field for change in record.diff_against(before).changes if change.field not in {"version"}
            )
        previous[record.id] = record
        yield {
            "model": model_name,
            "object_id": record.id,
            "history_id": record.history_id,
            "change": CHANGE_TYPES.get(record.history_type, record.history_type),
            "at": record.history_date,
            "user": record.history_user.get_username() if record.history_user else None,
            "changed_fields": changed,
            "reason": record.history_change_reason or "",
            # Only the claim's own wording: describing the others would cost queries per row.
            "summary": record.text if model_name == "claim" else "",
        }


def claim_history(claim):
    """Newest first: every recorded change to the claim and to the records hanging off it."""
    rows = [row for model_name, records in _records(claim) for row in _rows(model_name, records)]
    return sorted(rows, key=lambda row: (row["at"], row["history_id"]), reverse=True)
