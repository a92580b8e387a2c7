"""The public listings stay cheap on a large record (issue 17): what bench/site_pages.py times, pinned.

- Counts stop at a cap (pages.COUNT_CAP, TOPIC_COUNT_CAP) and say so ("10,000+"); every count is read as
  COUNT over a LIMITed subquery, never over the whole table.
- The standing verdicts (ReviewQuerySet.current_verdicts) are each claim's newest published review,
  the one `with_verdict()` names; the home page and /verdicts/ list them newest first from the
  reviews (an index on PostgreSQL, migration 0012), not by sorting every claim's verdict.
- The sitemap is paged by key ranges: no COUNT, no OFFSET, and the index reads no row of the record.
- Each listing reads a fixed number of queries however much the record grows.
"""

import datetime
import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claim, Review
from claims.site import pages, sitemaps
from tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def sql_of(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return response, [query["sql"] for query in captured.captured_queries]


def review(claim, status="published", days_ago=1, **fields):
    published_at = timezone.now() - days_ago * DAY if days_ago is not None else None
    return factories.review(claim=claim, status=status, published_at=published_at, **fields)


# Capped counts -------------------------------------------------------------------------------------


def test_home_counts_show_the_cap_with_a_plus_past_it_and_exact_figures_below(client, monkeypatch):
    monkeypatch.setattr(pages, "COUNT_CAP", 3)
    monkeypatch.setattr(pages, "TOPIC_COUNT_CAP", 3)
    topic = factories.topic(name="Blockade")
    for _ in range(4):
        factories.claim().topics.add(topic)
    factories.attribution()  # a fifth claim, one speaker, one quote, one source
    body = client.get("/").content.decode()
    assert "<dt>Claims</dt><dd>3+</dd>" in body
    assert "<dt>Speakers</dt><dd>1</dd>" in body
    assert "<dt>Quotations</dt><dd>1</dd>" in body
    assert '>Blockade</a> <span class="count">(3+)</span>' in body
    assert "(3+ claims)" in client.get("/topics/").content.decode()


def test_a_count_at_the_cap_is_exact_and_thousands_are_separated(monkeypatch):
    assert str(pages.CappedCount(10_000, 10_000)) == "10,000"
    assert str(pages.CappedCount(10_001, 10_000)) == "10,000+"
    assert (pages.CappedCount(10_001, 10_000).value, pages.CappedCount(10_001, 10_000).is_exact) == (10_000, False)
    assert str(pages.CappedCount(1, 10_000)) == "1"
    assert str(pages.CappedCount(1_001, 1_000)) == "1,000+"


def test_topic_counts_count_claims_exactly_below_the_cap(client):
    topic, other = factories.topic(name="Fuel"), factories.topic(name="Schools")
    for _ in range(2):
        factories.claim().topics.add(topic)
    assert [(row["name"], str(row["claims"])) for row in pages.topics_with_counts()] == [
        ("Fuel", "2"),
        ("Schools", "0"),
    ]
    assert other.slug in client.get("/topics/").content.decode()


def test_every_count_on_the_home_and_topics_pages_is_capped(client):
    factories.claim().topics.add(factories.topic())
    for path in ["/", "/topics/"]:
        _, statements = sql_of(client, path)
        counts = [sql for sql in statements if "COUNT(" in sql.upper()]
        assert counts, path
        for sql in counts:
            # COUNT over a subquery that stops at the cap + 1, never COUNT over the table.
            caps = f"({pages.COUNT_CAP + 1}|{pages.TOPIC_COUNT_CAP + 1})"
            assert re.search(rf"LIMIT {caps}\)", sql), sql


# Standing verdicts ---------------------------------------------------------------------------------


def test_current_verdicts_are_each_claims_newest_published_review(db):
    claim, other = factories.claim(), factories.claim()
    review(claim, days_ago=9, rating="false")
    newest = review(claim, days_ago=5, rating="true")
    review(claim, status="draft", days_ago=None, rating="mixed")  # drafts decide nothing
    review(claim, status="superseded", days_ago=1, rating="mixed")  # nor do superseded reviews
    only = review(other, days_ago=7)
    current = list(Review.objects.current_verdicts().latest_first())
    assert current == [newest, only]
    # The same review with_verdict() names for each claim, on every database.
    named = dict(Claim.objects.with_verdict().filter(verdict_id__isnull=False).values_list("pk", "verdict_id"))
    assert named == {claim.pk: newest.pk, other.pk: only.pk}


def test_an_undated_imported_review_stands_only_when_its_claim_has_no_dated_one(client):
    claim, imported_only = factories.claim(), factories.claim()
    dated = review(claim, days_ago=30)
    review(claim, days_ago=None, publisher_name="Some fact-checker")
    undated_older, undated_newer = (
        review(imported_only, days_ago=None, publisher_name="Some fact-checker") for _ in range(2)
    )
    current = list(Review.objects.current_verdicts().latest_first())
    # Undated reviews come last, and among them the later key: as latest_first() orders everywhere.
    assert current == [dated, undated_newer]
    assert undated_older not in current
    named = dict(Claim.objects.with_verdict().filter(verdict_id__isnull=False).values_list("pk", "verdict_id"))
    assert named == {claim.pk: dated.pk, imported_only.pk: undated_newer.pk}
    # The claim page and the feed agree: the standing verdict is the dated one, the feed lists undated ones last.
    assert client.get(f"/claims/{claim.slug}/").context["verdict"]["id"] == dated.pk
    feed = client.get("/verdicts/feed/").content.decode()
    assert feed.index(f"#review-{dated.pk}") < feed.index(f"#review-{undated_newer.pk}")


def test_two_reviews_published_at_the_same_moment_leave_one_standing(db):
    claim = factories.claim()
    moment = timezone.now() - DAY
    first = factories.review(claim=claim, status="published", published_at=moment)
    second = factories.review(claim=claim, status="published", published_at=moment)
    assert list(Review.objects.current_verdicts()) == [max(first, second, key=lambda r: r.pk)]


def test_verdict_listings_show_each_claim_once_newest_verdict_first_by_its_standing_rating(client):
    old, recent, drafted = factories.claim(), factories.claim(), factories.claim()
    review(old, days_ago=20, rating="false")
    review(old, days_ago=2, rating="true")  # old's standing verdict: true, two days ago
    review(recent, days_ago=1, rating="false")
    review(drafted, status="draft", days_ago=None, rating="false")
    listed = [card["id"] for card in client.get("/verdicts/").context["claims"]]
    assert listed == [recent.pk, old.pk]
    assert [card["id"] for card in client.get("/verdicts/false/").context["claims"]] == [recent.pk]
    assert [card["id"] for card in client.get("/verdicts/true/").context["claims"]] == [old.pk]
    assert [card["id"] for card in client.get("/").context["latest_verdicts"]] == [recent.pk, old.pk]
    assert client.get("/").context["counts"]["verdicts"].value == 2


def test_verdict_pages_follow_on_and_end(client):
    claims = [factories.claim() for _ in range(pages.PAGE_SIZE + 1)]
    for days_ago, claim in enumerate(claims, start=1):
        review(claim, days_ago=days_ago)
    first = client.get("/verdicts/").context
    assert [card["id"] for card in first["claims"]] == [claim.pk for claim in claims[: pages.PAGE_SIZE]]
    assert first["has_next"]
    second = client.get("/verdicts/?page=2").context
    assert ([card["id"] for card in second["claims"]], second["has_next"]) == ([claims[-1].pk], False)
    assert client.get("/verdicts/?page=3").status_code == 404


# Sitemap -------------------------------------------------------------------------------------------


def test_sitemap_pages_are_key_ranges_listing_every_claim_once(client, monkeypatch):
    monkeypatch.setattr(sitemaps.RecordSitemap, "limit", 2)
    claims = [factories.claim() for _ in range(5)]
    gone = claims.pop(1)
    gone.delete()  # a gap: its page is shorter, no other claim moves
    index, statements = sql_of(client, "/sitemap.xml")
    assert not any("OFFSET" in sql.upper() or "updated_at" in sql for sql in statements), statements
    pages_listed = re.findall(r"<loc>[^<]*/sitemap-claims\.xml(?:\?p=(\d+))?</loc>", index.content.decode())
    last_page = -(-max(claim.pk for claim in claims) // 2)
    assert len(pages_listed) == last_page
    listed = []
    for number in range(1, last_page + 1):
        page, statements = sql_of(client, f"/sitemap-claims.xml?p={number}")
        assert not any(" OFFSET " in sql.upper() or "COUNT(" in sql.upper() for sql in statements), statements
        listed += re.findall(r"/claims/([^/<]+)/</loc>", page.content.decode())
    assert sorted(listed) == sorted(claim.slug for claim in claims)
    assert client.get(f"/sitemap-claims.xml?p={last_page + 1}").status_code == 404
    assert client.get("/sitemap-claims.xml?p=x").status_code == 404


def test_a_sitemap_page_dates_its_urls_and_itself(client):
    claim = factories.claim()
    # Pages are key ranges; on PostgreSQL keys go on growing from test to test.
    page = math.ceil(claim.pk / sitemaps.RecordSitemap.limit)
    response = client.get(f"/sitemap-claims.xml?p={page}")
    assert f"<lastmod>{claim.updated_at.date().isoformat()}" in response.content.decode()
    assert response.has_header("Last-Modified")


# Fixed query counts --------------------------------------------------------------------------------


def test_listings_read_a_fixed_number_of_queries_as_the_record_grows(client, monkeypatch):
    monkeypatch.setattr(pages, "COUNT_CAP", 5)  # growth crosses the caps
    monkeypatch.setattr(pages, "TOPIC_COUNT_CAP", 5)
    monkeypatch.setattr(sitemaps.RecordSitemap, "limit", 3)  # and the sitemap's pages

    def grow(count):
        for _ in range(count):
            topic = factories.topic()
            claim = factories.claim(text=f"A blockade claim number {Claim.objects.count()}")
            claim.topics.add(topic)
            factories.attribution(claim=claim)
            factories.relation(to_claim=claim)
            review(claim, days_ago=1, rating="false")
            review(claim, days_ago=3, rating="true")
            review(claim, status="draft", days_ago=None)

    grow(1)
    paths = [
        "/",
        "/topics/",
        "/verdicts/",
        "/verdicts/false/",
        "/search/?q=blockade",
        "/search/?q=blockade&kind=sources",
        "/sitemap.xml",
        "/sitemap-claims.xml",
    ]
    before = {path: len(sql_of(client, path)[1]) for path in paths}
    grow(12)
    assert {path: len(sql_of(client, path)[1]) for path in paths} == before


@pytest.mark.postgres
def test_on_postgresql_the_listings_read_their_indexes(db):
    review(factories.claim())
    factories.source(title="The blockade of Kidal")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: can an index serve it?
    newest = Review.objects.current_verdicts().latest_first().values("claim_id")[:6].explain()
    assert "claims_review_published_latest_idx" in newest, newest
    assert "Sort" not in newest.split("SubPlan")[0], newest  # read in order, not sorted
    from claims.models import Source

    found = Source.objects.matching("blockade").order_by().explain()
    assert "claims_source_title_upper_trgm" in found, found


def test_many_quote_matches_are_listed_in_the_apis_order_by_source_key_and_offset(client, monkeypatch):
    from claims.querysets import QuoteQuerySet

    monkeypatch.setattr(QuoteQuerySet, "RANK_AT_MOST", 0)  # as for a common word: too many to rank
    first = factories.source(published_on=datetime.date(2019, 1, 1), text="The blockade goes on. The blockade ends.")
    later = factories.source(published_on=datetime.date(2024, 1, 1), text="A blockade began.")
    wanted = [
        factories.quote(source=first, text="The blockade goes on", start=0, end=20),
        factories.quote(source=first, text="The blockade ends", start=22, end=39),
        factories.quote(source=later, text="A blockade began", start=0, end=16),
    ]
    # Not the sources' date order (which read and sorted every matching source): their key, then offset.
    results = client.get("/search/?q=blockade&kind=quotes").context["sections"][0]["results"]
    assert [row["id"] for row in results] == [quote.pk for quote in wanted]
    _, statements = sql_of(client, "/search/?q=blockade&kind=quotes")
    listed = next(sql for sql in statements if 'AS "text"' in sql and "claims_quote" in sql)
    assert re.search(r'ORDER BY "claims_quote"\."source_id" ASC, "claims_quote"\."start" ASC', listed), listed
