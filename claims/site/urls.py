"""The public site's addresses, mounted at / (sahel/urls.py)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.http import require_safe

from . import views
from .caching import public_page
from .feeds import VerdictFeed
from .sitemaps import SITEMAPS

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/<slug:slug>/", views.claim, name="claim"),
    path("speakers/<slug:slug>/", views.speaker, name="speaker"),
    path("sources/<slug:slug>/", views.source, name="source"),
    path("search/", views.search, name="search"),
    path("topics/", views.topics, name="topics"),
    path("topics/<slug:slug>/", views.topic, name="topic"),
    path("verdicts/", views.verdicts, name="verdicts"),
    path("verdicts/feed/", require_safe(public_page(VerdictFeed())), name="verdict-feed"),
    path("verdicts/<slug:rating>/", views.verdicts, name="verdicts-rated"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        require_safe(public_page(sitemap_views.index)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "site:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(public_page(sitemap_views.sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
