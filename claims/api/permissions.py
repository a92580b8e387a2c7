"""Model permissions that ask the view only for its model, not for a fully built read queryset."""

from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly


class ModelPermissionsOrAnonReadOnly(DjangoModelPermissionsOrAnonReadOnly):
    """DRF's class, minus a second `get_queryset()` per request: the check reads `queryset.model` only."""

    def _queryset(self, view):
        queryset = getattr(view, "queryset", None)
        return queryset if queryset is not None else super()._queryset(view)
