"""/api/: the router's resources, token sign-in, and a JSON 404 for any other path under /api/."""

from django.urls import path, re_path
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings

from . import views

app_name = "api"

router = DefaultRouter()
router.register("speakers", views.SpeakerViewSet, basename="speaker")
router.register("sources", views.SourceViewSet, basename="source")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("relations", views.ClaimRelationViewSet, basename="claimrelation")
router.register("attributions", views.AttributionViewSet, basename="attribution")
router.register("reviews", views.ReviewViewSet, basename="review")




class TokenView(ObtainAuthToken):
    """DRF's token sign-in, with the API's parsers (its own list bypasses the nesting guard)."""

    parser_classes = api_settings.DEFAULT_PARSER_CLASSES


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    *router.urls,
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
