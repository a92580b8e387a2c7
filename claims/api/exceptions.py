"""Every error the API gives is JSON with a status that says what went wrong; none is a 500.

DRF already answers its own exceptions as JSON. This handler adds the database's refusals:
a Django ValidationError (model `clean()`) becomes 400 with the fields named, a ProtectedError
(a row still referenced) becomes 409 naming what references it, and an IntegrityError that slipped
past the serializers' checks becomes 400 naming the constraint's field. A RecordConflict (the record
forbids the change: a published verdict) becomes 409 with its code and, where reopening is the way,
the address to reopen at. A Django PermissionDenied keeps its reason in the 403.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from ..models import RecordConflict

# Constraint name (as the database reports it) → the request field it is about.
CONSTRAINT_FIELDS = {
    "attribution_unique_claim_quote": "quote",
    "claimrelation_unique_triple": "to_claim",
    "claimrelation_not_self": "to_claim",
    "claimrelation_one_per_pair": "to_claim",
    "source_url_http": "url",
    "review_url_http": "url",
    "review_publisher_url_http": "publisher_url",
    "quote_unique_span_per_source": "start",
    "quote_offsets_valid": "start",
    "speakeralias_unique_per_speaker": "aliases",
    "role_ends_after_it_starts": "roles",
    "review_unique_url": "url",
    "speaker_wikidata_id_format": "wikidata_id",
    "source_checksum_matches_archive": "text",
}


class RecordConflictRaised(Exception):
    """A RecordConflict raised inside a serializer's validation, where DRF would make a 400 of it."""

    def __init__(self, conflict):
        super().__init__(str(conflict))
        self.conflict = conflict


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource has changed since the version named in If-Match."
    default_code = "precondition_failed"


class LockedOut(exceptions.Throttled):
    """Too many failed sign-ins for the account or from the address (django-axes): 429 with Retry-After."""

    default_code = "locked_out"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


def _integrity_field(error):
    message = str(error)
    for constraint, field in CONSTRAINT_FIELDS.items():
        if constraint in message:
            return field
    # SQLite names the columns, not the constraint: "UNIQUE constraint failed: claims_claim.slug".
    if "UNIQUE constraint failed:" in message:
        return message.rsplit(".", 1)[-1].strip()
    if "Key (" in message:  # PostgreSQL: 'Key (slug)=(x) already exists.'
        return message.split("Key (", 1)[1].split(")", 1)[0].split(",")[0].strip()
    return "non_field_errors"


def _protected_response(error):
    referencing = {}
    for row in error.protected_objects:
        label = str(row._meta.verbose_name_plural)
        referencing[label] = referencing.get(label, 0) + 1
    listed = ", ".join(f"{count} {label}" for label, count in sorted(referencing.items()))
    return {
        "detail": f"Cannot delete: still referenced by {listed}. Remove or reassign those first.",
        "code": "protected",
        "referenced_by": referencing,
    }


def _conflict_response(error, request):
    """409 for a change the record forbids: what and why, its code, the fields concerned, how to reopen."""
    errors = error.error_dict if hasattr(error, "error_dict") else {}
    found = [item for items in errors.values() for item in items] or error.error_list
    body = {"detail": " ".join(message for item in found for message in item), "code": found[0].code}
    if errors:
        body["errors"] = {field: [message for item in items for message in item] for field, items in errors.items()}
    if error.claim is not None:
        body["reopen"] = reverse("api:claim-reopen", args=[error.claim], request=request)
    return body


def exception_handler(exc, context):
    if isinstance(exc, RecordConflictRaised):
        exc = exc.conflict
    if isinstance(exc, RecordConflict):
        set_rollback()
        return Response(_conflict_response(exc, context.get("request")), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoPermissionDenied) and str(exc):
        exc = exceptions.PermissionDenied(str(exc))
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        set_rollback()
        return Response(_protected_response(exc), status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, IntegrityError):
        field = _integrity_field(exc)
        message = "This conflicts with an existing record (a uniqueness or consistency rule)."
        exc = exceptions.ValidationError({field: [message]})
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        # A machine-readable code beside the message, as DRF's ValidationErrors carry per field.
        response.data.setdefault(
            "code", getattr(response.data["detail"], "code", None) or getattr(exc, "default_code", "error")
        )
    return response


def server_error(request, *args, **kwargs):
    """The 500 answer (handler500): JSON under /api/, Django's plain page elsewhere; never a traceback.

    DRF's handler only sees the exceptions it knows; anything else reaches Django, whose default
    500 page is HTML even for API clients.
    """
    from django.http import JsonResponse
    from django.views.defaults import server_error as html_server_error

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Internal server error.", "code": "server_error"}, status=500)
    return html_server_error(request, *args, **kwargs)
