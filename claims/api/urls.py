"""/api/: the router's resources, token sign-in, and a JSON 404 for any other path under /api/."""

from django.db import transaction
from django.urls import NoReverseMatch, URLResolver, path, re_path
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


class ResourcePrefix(RegexPattern):
    """Matches a path that starts with a resource's prefix and a `/` or `.` after it, consuming nothing.

    Its regex is empty: reverse() and the matched route are those of the patterns it groups.
    """

    def __init__(self, prefix):
        super().__init__("")
        self.starts = (f"{prefix}/", f"{prefix}.")

    def match(self, path):
        return (path, (), {}) if path.startswith(self.starts) else None


def grouped_by_resource(patterns, prefixes):
    """The router's patterns, each resource's run of them behind one test of its prefix.

    Django tries a path against every pattern in turn until one matches: ~34 regular expressions for
    /api/relations/ (≈ 50-75 µs of a ≈ 1 ms read) when a resource's patterns can match only a path
    starting with its prefix. Grouped, a path is tried against one prefix per resource and then its
    own resource's patterns, in the router's order; every other pattern stays where it was.
    """
    runs = []  # [(prefix or None, [patterns])], in the router's order
    for pattern in patterns:
        regex = str(pattern.pattern)
        prefix = next((p for p in prefixes if regex.startswith((f"^{p}/", f"^{p}\\."))), None)
        if prefix is not None and runs and runs[-1][0] == prefix:
            runs[-1][1].append(pattern)
        else:
            runs.append((prefix, [pattern]))
    return [URLResolver(ResourcePrefix(prefix), run) if prefix is not None else run[0] for prefix, run in runs]


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    *grouped_by_resource(router.urls, [prefix for prefix, _, _ in router.registry]),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
