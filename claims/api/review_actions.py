"""Review endpoints on a claim, as a mixin for the claims ViewSet.

- GET  /api/claims/{id}/history/      the edit history of the claim and its attributions, relations, reviews
- GET  /api/claims/{id}/claimreview/  its published reviews as schema.org ClaimReview JSON-LD
  (also GET /api/claims/{id}/ with `Accept: application/ld+json`)
- POST /api/claims/{id}/assign/ | unassign/ | publish/ | reopen/   the review workflow (reviewers only)

Workflow actions honour `If-Match` (the claim's ETag, as `etag_for` writes it): an edit based on an
older version is refused with 412 and who changed it when, never applied over their change.
"""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from .. import reviews
from ..claim_history import claim_history
from ..claimreview import json_ld_for_html
from ..claimreview_io import claim_review_for, published_reviews
from ..models import Quote, Rating, Source
from ..validators import validate_no_control_characters
from ..versioning import etag_for
from .exceptions import PreconditionFailed
from .renderers import BrowsableAPIRenderer


class JSONLDRenderer(JSONRenderer):
    """ClaimReview JSON-LD, escaped so that it can be pasted into a <script> block of a web page as is."""

    media_type = "application/ld+json"
    format = "jsonld"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return json_ld_for_html(data).encode()


# A ClaimReview is JSON-LD whose shape schema.org defines (claims/claimreview_io.py builds it).
CLAIM_REVIEW_SCHEMA = {
    "type": "object",
    "description": "A schema.org ClaimReview (JSON-LD) of one published verdict.",
    "additionalProperties": True,
}


class HistoryEntrySerializer(serializers.Serializer):
    model = serializers.CharField()
    object_id = serializers.IntegerField()
    history_id = serializers.IntegerField()
    change = serializers.CharField(
        help_text="created, changed, deleted; or published: a review's first version the reader may see (its "
        "drafts are hidden)."
    )
    at = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    changed_fields = serializers.ListField(
        child=serializers.CharField(),
        help_text="The fields changed against the previous version; for a first version, the fields it holds.",
    )
    reason = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)


class AssignSerializer(serializers.Serializer):
    reviewer = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.all(), required=False, allow_null=True
    )


class VerdictSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    rationale = serializers.CharField(max_length=20000, validators=[validate_no_control_characters])
    evidence_sources = serializers.PrimaryKeyRelatedField(many=True, queryset=Source.objects.all(), required=False)
    evidence_quotes = serializers.PrimaryKeyRelatedField(many=True, queryset=Quote.objects.all(), required=False)


class ReopenSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, validators=[validate_no_control_characters]
    )


def expected_version(request, claim):
    """The version named by If-Match (`"<pk>-<version>"`), or None when the request names none."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    match = re.fullmatch(r'(?:W/)?"(\d+)-(\d+)"', header)
    if not match or int(match.group(1)) != claim.pk:
        raise PreconditionFailed(f"If-Match {header} does not name a version of this claim.")
    return int(match.group(2))


class ClaimReviewActionsMixin:
    """Mix into the claims ViewSet (before ModelViewSet/GenericViewSet in the bases)."""

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) == "retrieve":
            renderers.append(JSONLDRenderer())
        return renderers

    def retrieve(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) == JSONLDRenderer.format:
            return self._claimreview_response(self.get_object())
        return super().retrieve(request, *args, **kwargs)

    def _claimreview_response(self, claim):
        data = [claim_review_for(review) for review in published_reviews(claim)]
        # The negotiated renderer names the type: JSON-LD when asked (and by default), the browsable
        # page as text/html in a browser, plain JSON for `Accept: application/json`.
        return Response(data)

    @extend_schema(summary="The claim's history as its readers may see it", responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], permission_classes=[AllowAny], pagination_class=None)
    def history(self, request, *args, **kwargs):
        claim = self.get_object()
        return Response(HistoryEntrySerializer(claim_history(claim, viewer=request.user), many=True).data)

    @extend_schema(
        summary="The claim's published verdicts as schema.org ClaimReview",
        responses={200: {"type": "array", "items": CLAIM_REVIEW_SCHEMA}},
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[AllowAny],
        renderer_classes=[JSONLDRenderer, JSONRenderer, BrowsableAPIRenderer],
        pagination_class=None,
    )
    def claimreview(self, request, *args, **kwargs):
        return self._claimreview_response(self.get_object())

    def _transition(self, request, service, serializer_class=None):
        claim = self.get_object()
        fields = {}
        if serializer_class is not None:
            serializer = serializer_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            fields = {key: value for key, value in serializer.validated_data.items() if value is not None}
        try:
            result = service(
                claim=claim, actor=request.user, expected_version=expected_version(request, claim), **fields
            )
        except reviews.StaleEdit as error:
            raise PreconditionFailed(str(error)) from error
        except DjangoValidationError as error:
            raise serializers.ValidationError(as_serializer_error(error)) from error
        claim.refresh_from_db()
        body = {
            "id": claim.pk,
            "review_status": claim.review_status,
            "assigned_to": claim.assigned_to.get_username() if claim.assigned_to else None,
            "version": claim.version,
        }
        if service is reviews.review_publish:
            body["review"] = {"id": result.pk, "rating": result.rating, "published_at": result.published_at}
            body["claimreview"] = claim_review_for(published_reviews(claim).get(pk=result.pk))
        return Response(body, headers={"ETag": etag_for(claim)})

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def assign(self, request, *args, **kwargs):
        return self._transition(request, reviews.review_assign, AssignSerializer)

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def unassign(self, request, *args, **kwargs):
        return self._transition(request, reviews.review_unassign)

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def publish(self, request, *args, **kwargs):
        return self._transition(request, reviews.review_publish, VerdictSerializer)

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def reopen(self, request, *args, **kwargs):
        return self._transition(request, reviews.review_reopen, ReopenSerializer)
