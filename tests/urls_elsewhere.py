"""The whole project mounted under another path: a URLconf that a middleware could set as a
request's `request.urlconf` (tests/test_api_links.py reads links under it)."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("sahel.urls"))]
