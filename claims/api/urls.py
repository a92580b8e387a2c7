"""/api/: the router's resources, token sign-in, and a JSON 404 for any other path under /api/."""

import re

from django.db import transaction
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, path, re_path
from django.urls import reverse as django_reverse
from django.urls.resolvers import RegexPattern
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.routers import APIRootView, DefaultRouter
from rest_framework.settings import api_settings

from .. import signin
from . import views
from .exceptions import LockedOut

app_name = "api"


class SahelAPIRoot(APIRootView):
    """Sahel Claims: who said what about the war in Mali and the Sahel.

    Speakers, sources, verbatim quotes, the claims they carry, the claims that dispute them, and
    reviewers' verdicts. Reads are open to anyone; filter and search with the query parameters each
    list documents, export any list with `?format=csv`, and get a claim's verdicts as schema.org
    ClaimReview JSON-LD. The OpenAPI schema and its docs are listed below.
    """

    def get_view_name(self):
        return "API Root"

    EXTRA = {"claims/disputed": "api:claim-disputed", "docs": "api-docs", "schema": "schema"}

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for name, view_name in self.EXTRA.items():
            try:
                response.data[name] = request.build_absolute_uri(django_reverse(view_name))
            except NoReverseMatch:
                continue
        return response


router = DefaultRouter()
router.APIRootView = SahelAPIRoot
router.register("speakers", views.SpeakerViewSet, basename="speaker")
router.register("sources", views.SourceViewSet, basename="source")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("relations", views.ClaimRelationViewSet, basename="claimrelation")
router.register("attributions", views.AttributionViewSet, basename="attribution")
router.register("reviews", views.ReviewViewSet, basename="review")


class TokenView(ObtainAuthToken):
    """DRF's token sign-in, with the API's parsers (its own list bypasses the nesting guard), watched by
    django-axes: its serializer authenticates with the request, so each failure counts against the
    account and the address, and a locked-out one is answered 429 whatever the password."""

    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    @classmethod
    def as_view(cls, **initkwargs):
        # Outside ATOMIC_REQUESTS: a refused sign-in answers an error, which would roll the request's
        # transaction back, and with it axes' record of the failure.
        return transaction.non_atomic_requests(super().as_view(**initkwargs))

    def handle_exception(self, exc):
        with views.callers_transaction_kept():
            return super().handle_exception(exc)

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if getattr(request, "axes_locked_out", False):  # set by axes while authenticating
                raise LockedOut(wait=signin.cool_off_seconds(), detail=signin.lockout_message()) from None
            raise


class ByResource(URLResolver):
    """The router's patterns, a path tried only against those of the resource its first segment names.

    Its regex is empty and its patterns are the router's: reverse() and the matched route, view and
    arguments are those of the pattern that matches, as in the router's flat list.
    """

    def __init__(self, runs):
        super().__init__(RegexPattern(""), [pattern for run in runs.values() for pattern in run])
        self.runs = runs  # {prefix: its patterns, in the router's order}

    def resolve(self, path):
        resource = RESOURCE.match(path)
        run = self.runs.get(resource[1], ()) if resource else ()
        for pattern in run:
            match = pattern.resolve(path)
            if match:
                return match
        raise Resolver404({"tried": [[pattern] for pattern in run], "path": path})


# A path's first segment, followed by the "/" or "." that ends it (`relations/7/`, `relations.json`).
RESOURCE = re.compile(r"([^/.]+)[/.]")


def grouped_by_resource(patterns, prefixes):
    """The router's patterns, each run of resources' patterns behind one look-up of the path's resource.

    Django tries a path against every pattern in turn until one matches: ~34 regular expressions for
    /api/relations/ (≈ 50-75 µs of a ≈ 1 ms read), then against one test of each resource's prefix
    (each failure an exception: ≈ 15-20 µs), when a resource's patterns can match only a path
    starting with its prefix and a "/" or "." after it. Grouped, a path is tried against its own
    resource's patterns only, in the router's order; any other pattern stays where it was. Resources
    match disjoint paths, so the order between two resources' patterns does not matter.
    """
    grouped = []  # patterns, and {prefix: [patterns]} for each run of resources' patterns
    for pattern in patterns:
        regex = str(pattern.pattern)
        prefix = next((p for p in prefixes if regex.startswith((f"^{p}/", f"^{p}\\."))), None)
        if prefix is None or not isinstance(pattern, URLPattern) or not RESOURCE.fullmatch(f"{prefix}/"):
            grouped.append(pattern)
            continue
        if not grouped or not isinstance(grouped[-1], dict):
            grouped.append({})
        grouped[-1].setdefault(prefix, []).append(pattern)
    return [ByResource(item) if isinstance(item, dict) else item for item in grouped]


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    *grouped_by_resource(router.urls, [prefix for prefix, _, _ in router.registry]),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
