"""sitemap.xml (django.contrib.sitemaps): every claim, approved speaker, source and topic, on SITE_URL.

The record's tables are paged by ranges of primary keys (KeyRangePaginator), not by COUNT and
OFFSET: the index knows its pages from the largest key, and a page is one range scan of the key
index, as fast for the last page as for the first. Each URL of a page carries its row's `lastmod`,
and the page its Last-Modified; the index gives its entries none (see get_latest_lastmod).
"""

import math
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property

from ..models import Claim, Source, Speaker, Topic
from .pages import READER


class OnSiteUrl(Sitemap):
    """Addresses on SITE_URL, whatever host the request came in on."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


# Keys per sitemap page. Far below the protocol's 50,000 URLs: a page is built in Python URL by URL
# (≈ 0.3 ms each: 1,000 URLs ≈ 0.3 s), and a crawler fetching a page should not hold a worker for seconds.
KEYS_PER_PAGE = 1_000


class KeyRangePaginator:
    """Page n holds the rows with keys in ((n - 1) × per_page, n × per_page]: at most per_page of them.

    Gaps left by deleted rows make pages shorter (or empty, which a sitemap may be), never wrong: a
    row keeps its page as others come and go, and the pages are told from MAX(pk) alone.
    """

    def __init__(self, queryset, per_page):
        self.queryset = queryset
        self.per_page = per_page

    @cached_property
    def num_pages(self):
        last = self.queryset.aggregate(last=Max("pk"))["last"] or 0
        return max(1, math.ceil(last / self.per_page))

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("There is no such page")
        low = (number - 1) * self.per_page
        return SimpleNamespace(object_list=self.queryset.filter(pk__gt=low, pk__lte=low + self.per_page))


class RecordSitemap(OnSiteUrl):
    """A table of the record, paged by key ranges, each URL with its row's `updated_at`."""

    limit = KEYS_PER_PAGE

    @property
    def paginator(self):
        return KeyRangePaginator(self.items(), self.limit)

    def lastmod(self, row):
        return row.updated_at

    def get_latest_lastmod(self):
        # Django would read every row into Python to find the newest (≈ 300 ms for 100k claims), and
        # MAX(updated_at) has no index (a sequential scan, ≈ 50 ms). It would also date every page of
        # the section alike, so any change would send a crawler back to all of them: no date at all
        # says as much. The topics and pages sections have none either, so the index never had a
        # Last-Modified; its ETag (caching.public_page) revalidates it.
        return None


class ClaimSitemap(RecordSitemap):
    def items(self):
        return Claim.objects.order_by("pk").only("slug", "updated_at")


class SpeakerSitemap(RecordSitemap):
    def items(self):
        return Speaker.objects.visible_to(READER).order_by("pk").only("slug", "updated_at")


class SourceSitemap(RecordSitemap):
    def items(self):
        return Source.objects.order_by("pk").only("slug", "updated_at")


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
