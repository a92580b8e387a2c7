"""OpenAPI: every operation documents its ETag/If-Match headers and the errors it can answer."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .serializers import (
    ConflictErrorSerializer,
    ErrorSerializer,
    PreconditionFailedSerializer,
    ValidationErrorSerializer,
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Optional. The ETag of the version this edit is based on; a stale one answers 412 and "
    "changes nothing. Without it the write goes through (last writer wins).",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=["200", "201"],
    description="The version of the resource returned: send it back in If-Match to edit safely.",
)


class LinkedFieldExtension(OpenApiSerializerFieldExtension):
    """A LinkedRelatedField is written as a key (integer id, slug) and read as a reference object.

    With COMPONENT_SPLIT_REQUEST the request and response components are apart, so each side
    documents what it really takes or gives.
    """

    target_class = "claims.api.serializers.LinkedMixin"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return auto_schema.resolve_serializer(self.target.ref_serializer, direction).ref


class SahelAutoSchema(AutoSchema):
    def _is_versioned(self):
        queryset = getattr(self.view, "queryset", None)
        model = getattr(queryset, "model", None)
        return model is not None and any(field.name == "version" for field in model._meta.fields)

    def _returns_one_resource(self):
        action = getattr(self.view, "action", None)
        return action in {"retrieve", "create", "update", "partial_update"}

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method in {"PUT", "PATCH", "DELETE"} and self._is_versioned():
            parameters.append(IF_MATCH)
        if self._returns_one_resource() and self._is_versioned():
            parameters.append(ETAG)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {"429": (ErrorSerializer, "Too many requests: slow down (see Retry-After).")}
        if self.method in {"GET"}:
            errors["400"] = (ValidationErrorSerializer, "An invalid query parameter, named with the reason.")
        if self.method in {"POST", "PUT", "PATCH"}:
            errors["400"] = (ValidationErrorSerializer, "Invalid input: each invalid field named with the reason.")
            errors["415"] = (ErrorSerializer, "The body is not JSON (or another accepted media type).")
        if self.method in {"POST", "PUT", "PATCH", "DELETE"}:
            errors["401"] = (ErrorSerializer, "No valid credentials (token or session) were given.")
            errors["403"] = (ErrorSerializer, "The account lacks the model permission for this write.")
        if "{" in self.path:
            errors["404"] = (ErrorSerializer, "No such resource (or not visible to this account).")
        else:  # DRF answers 404 for a page past the last one and for an unknown ?format=
            errors["404"] = (ErrorSerializer, "No such page, or an unknown ?format=.")
        if self.method in {"PUT", "PATCH", "DELETE"} and self._is_versioned():
            errors["412"] = (PreconditionFailedSerializer, "If-Match names a version that is no longer current.")
        if self.method == "DELETE":
            errors["409"] = (
                ConflictErrorSerializer,
                "Still referenced by other records, or a published verdict: nothing was deleted.",
            )
        if self.method in {"PUT", "PATCH"} and self._is_versioned():
            errors["409"] = (
                ConflictErrorSerializer,
                "A published verdict, or the claim wording it judges: reopen the review first. Nothing was changed.",
            )
        for code, (serializer, description) in errors.items():
            if code not in responses:
                response = self._get_response_for_code(serializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses


class ProjectSessionScheme(SessionScheme):
    """drf-spectacular's cookieAuth for claims.api.authentication.SessionAuthentication (its own
    extension matches DRF's class only, not subclasses)."""

    target_class = "claims.api.authentication.SessionAuthentication"
