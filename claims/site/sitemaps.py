"""sitemap.xml (django.contrib.sitemaps): every claim, approved speaker, source and topic, on SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ..models import Claim, Source, Speaker, Topic
from .pages import READER


class OnSiteUrl(Sitemap):
    """Addresses on SITE_URL, whatever host the request came in on."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ClaimSitemap(OnSiteUrl):
    def items(self):
        return Claim.objects.order_by("pk").only("slug", "updated_at")

    def lastmod(self, claim):
        return claim.updated_at


class SpeakerSitemap(OnSiteUrl):
    def items(self):
        return Speaker.objects.visible_to(READER).order_by("pk").only("slug", "updated_at")

    def lastmod(self, speaker):
        return speaker.updated_at


class SourceSitemap(OnSiteUrl):
    def items(self):
        return Source.objects.order_by("pk").only("slug", "updated_at")

    def lastmod(self, source):
        return source.updated_at


class TopicSitemap(OnSiteUrl):
    def items(self):
        return Topic.objects.order_by("pk").only("slug")

    def location(self, topic):
        return reverse("site:topic", args=[topic.slug])


class PageSitemap(OnSiteUrl):
    def items(self):
        return ["site:home", "site:verdicts", "site:topics", "site:about", "site:accessibility"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "claims": ClaimSitemap,
    "speakers": SpeakerSitemap,
    "sources": SourceSitemap,
    "topics": TopicSitemap,
}
