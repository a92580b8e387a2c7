"""The Atom feed of new verdicts (django.contrib.syndication), newest first, links on SITE_URL."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from ..models import Rating, Review

FEED_SIZE = 50


class VerdictFeed(Feed):
    feed_type = Atom1Feed
    title = "Sahel Claims: new verdicts"
    subtitle = "Verdicts published on claims about the war in Mali and the Sahel."

    def link(self):
        return settings.SITE_URL + reverse("site:verdicts")

    def feed_url(self):
        return settings.SITE_URL + reverse("site:verdict-feed")

    def items(self):
        return (
            Review.objects.published().select_related("claim", "reviewer").latest_first()[:FEED_SIZE]
        )

    def item_title(self, review):
        name = Rating(review.rating).label if review.rating else review.rating_label
        return f"{name}: {review.claim.text}"

    def item_description(self, review):
        return review.rationale

    def item_link(self, review):
        return f"{settings.SITE_URL}{review.claim.get_absolute_url()}#review-{review.pk}"

    def item_guid(self, review):
        return self.item_link(review)

    def item_pubdate(self, review):
        return review.published_at

    def item_updateddate(self, review):
        return review.updated_at

    def item_author_name(self, review):
        if review.publisher_name:
            return review.publisher_name
        return (review.reviewer.get_full_name() or review.reviewer.get_username()) if review.reviewer else None
