"""The SQL behind the speakers', sources' and search lists: right counts, computed for the page's rows only.

A count written as GROUP BY over the speaker × quote join made the speakers' first page cost as much
as counting every speaker's quotes (17 s at 10k speakers); the counts are now correlated subqueries.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Attribution, Claim, ClaimRelation, Quote, Review, Source, Speaker, Status
from claims.querysets import count_up_to
from tests import factories

pytestmark = pytest.mark.django_db


def _captured(api, path):
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200, (path, response.content)
    return response.json(), [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def sahel():
    """Maïga: three quotes in one article, carrying two claims (one of them twice); a quiet speaker."""
    maiga = factories.speaker(name="Choguel Kokalla Maïga", slug="choguel-maiga")
    quiet = factories.speaker(name="Quiet Speaker", slug="quiet")
    article = factories.source(slug="article")
    quotes = [_quote_in(article, n, speaker=maiga) for n in (0, 10, 20)]
    kidal, army = factories.claim(slug="kidal"), factories.claim(slug="army")
    factories.attribution(claim=kidal, quote=quotes[0])
    factories.attribution(claim=kidal, quote=quotes[1])
    factories.attribution(claim=army, quote=quotes[2])
    return {"maiga": maiga, "quiet": quiet, "article": article}


def _quote_in(source, start, **fields):
    """A quote of ten characters at `start` in the source's text (quotes in one source must not overlap)."""
    return factories.quote(source=source, text=factories.ARTICLE_TEXT[start : start + 10], start=start, **fields)


def _by_slug(rows):
    return {row["slug"]: row for row in rows}


def test_speaker_counts_are_every_quote_and_each_carried_claim_once(api, sahel):
    rows = _by_slug(api.get("/api/speakers/").json()["results"])
    assert (rows["choguel-maiga"]["quote_count"], rows["choguel-maiga"]["claim_count"]) == (3, 2)
    assert (rows["quiet"]["quote_count"], rows["quiet"]["claim_count"]) == (0, 0)
    assert [row["slug"] for row in api.get("/api/speakers/?ordering=-claim_count").json()["results"]] == [
        "choguel-maiga",
        "quiet",
    ]
    assert [row["slug"] for row in api.get("/api/speakers/?ordering=quote_count").json()["results"]] == [
        "quiet",
        "choguel-maiga",
    ]


def test_source_quote_count_leaves_drafts_out_unless_the_reader_may_see_them(api, sahel):
    article = sahel["article"]
    _quote_in(article, 30, speaker=sahel["maiga"], status=Status.DRAFT)
    _quote_in(article, 40, speaker=factories.speaker(status=Status.DRAFT))
    factories.source(slug="empty")

    rows = _by_slug(api.get("/api/sources/").json()["results"])
    assert (rows["article"]["quote_count"], rows["empty"]["quote_count"]) == (3, 0)
    assert api.get("/api/sources/?ordering=-quote_count").json()["results"][0]["slug"] == "article"

    api.force_authenticate(factories.user(groups=["curators"]))
    assert _by_slug(api.get("/api/sources/").json()["results"])["article"]["quote_count"] == 5


def test_published_quotes_are_approved_quotes_of_approved_speakers(sahel):
    draft_speaker = factories.speaker(status=Status.DRAFT)
    hidden = {
        factories.quote(speaker=sahel["maiga"], status=Status.DRAFT).pk,
        factories.quote(speaker=draft_speaker).pk,
    }
    published = set(Quote.objects.published().values_list("pk", flat=True))
    assert published == set(Quote.objects.values_list("pk", flat=True)) - hidden
    assert len(published) == 3


@pytest.mark.parametrize(
    ("path", "table"),
    [
        ("/api/speakers/", "claims_speaker"),
        ("/api/speakers/?ordering=-quote_count", "claims_speaker"),
        ("/api/speakers/?q=maiga", "claims_speaker"),
        ("/api/sources/", "claims_source"),
        ("/api/sources/?ordering=-quote_count", "claims_source"),
    ],
)
def test_speaker_and_source_lists_count_per_row_without_grouping_the_table(api, sahel, path, table):
    # Grouping the listed table by its rows is what made the page's cost grow with the whole table.
    body, statements = _captured(api, path)
    assert body["results"]
    assert not [sql for sql in statements if f'GROUP BY "{table}"' in sql], path


def test_a_search_counts_its_matches_once(api):
    # Ranking (PostgreSQL) decides on the count of matches; the paginator then reuses it.
    maiga = factories.speaker(name="Choguel Kokalla Maïga")
    for _ in range(3):
        factories.quote(speaker=maiga)
    body, statements = _captured(api, "/api/quotes/?q=maiga")
    assert body["count"] == 3
    assert len([sql for sql in statements if "COUNT(" in sql.upper()]) == 1


def test_a_kept_count_is_used_only_while_the_rows_are_the_same():
    for start in range(3):
        quote = factories.quote(text=factories.ARTICLE_TEXT[start : start + 10], start=start)
        factories.attribution(quote=quote)
        factories.attribution(quote=quote)
    quotes = Quote.objects.all()
    assert count_up_to(quotes, 100) == 3
    with CaptureQueriesContext(connection) as captured:
        assert count_up_to(quotes.order_by("-pk").values("pk", "speaker__name", "origin__slug"), 100) == 3
    assert not captured.captured_queries
    assert count_up_to(quotes.values("attributions__claim"), 100) == 6  # a reverse join repeats rows
    assert count_up_to(quotes.filter(start__gte=1), 100) == 2
    assert count_up_to(quotes.filter(start__gte=1), 1) == 2  # capped: counts one past the cap
    assert count_up_to(quotes, 1) == 2  # an exact count answers a lower cap


def test_review_queue_leaves_out_claims_with_a_published_review(sahel):
    waiting, imported, reviewed = (factories.claim() for _ in range(3))
    for claim in (waiting, imported, reviewed):
        factories.relation(from_claim=factories.claim(), to_claim=claim, kind=ClaimRelation.Kind.DISPUTES)
    Claim.objects.filter(pk=reviewed.pk).update(review_status=Claim.ReviewStatus.REVIEWED)
    # An imported verdict is published without the claim going through the workflow.
    factories.review(claim=imported, status=Review.Status.PUBLISHED, published_at=datetime.datetime.now(datetime.UTC))
    factories.review(claim=waiting)  # a draft keeps it waiting
    queue = list(Claim.objects.review_queue().filter(pk__in=[waiting.pk, imported.pk, reviewed.pk]))
    assert queue == [waiting]


def test_readers_attributions_leave_out_the_speakers_not_approved_without_joining_each_speaker(sahel):
    # Gathered once per query rather than a lookup of each attribution's speaker: the capped count of
    # /api/attributions/ (1,001 rows) took 1.25 ms of PostgreSQL at 100k claims, 0.45 ms this way.
    Speaker.objects.filter(pk=sahel["quiet"].pk).update(status=Status.DRAFT)
    factories.attribution(quote=_quote_in(sahel["article"], 30, speaker=sahel["quiet"]))
    readers = Attribution.objects.visible_to(None)
    assert readers.count() == 3 and Attribution.objects.count() == 4
    sql = str(readers.order_by().values("pk").query)
    assert 'JOIN "claims_speaker"' not in sql and 'FROM "claims_speaker"' in sql, sql


def test_speaker_and_source_models_answer_the_counts_outside_the_api(sahel):
    maiga = Speaker.objects.with_counts().get(pk=sahel["maiga"].pk)
    assert (maiga.quote_count, maiga.claim_count) == (3, 2)
    assert Source.objects.with_quote_count().get(pk=sahel["article"].pk).quote_count == 3


COUNTED_TABLES = ("claims_quote", "claims_attribution")


@pytest.fixture
def fresh_counted_tables():
    """The quotes' and attributions' tables emptied in the test's transaction (TRUNCATE, rolled back
    with it): new files, their indexes holding only the rows the test writes, not swollen by earlier
    tests' rolled-back rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(COUNTED_TABLES)} CASCADE")


def _as_vacuumed(cursor, *tables):
    """The planner's view of `tables` as in production: pages and rows counted, every page all-visible
    (as autovacuum keeps them), no column statistics; for this transaction only.

    An index-only scan is cheaper than an index scan only on an all-visible heap. The test tables' is
    not (their rows are this transaction's), so the two cost alike and what earlier tests left chose
    (index files swollen by their rolled-back rows, pg_class and pg_statistic from autovacuum and
    autoanalyze): e.g. the foreign key's (quote_id) index, and a heap visit per attribution. VACUUM
    cannot run in the test's transaction, ANALYZE's statistics of a few rows send the plan elsewhere,
    and REINDEX writes the tables' counts in pg_class in place (they outlasted the test and turned
    test_api_indexes' plans to sorts). Superuser only (pg_class, pg_statistic), as here and in CI.
    """
    for table in tables:
        cursor.execute(
            f"""UPDATE pg_class SET relpages = heap.pages, reltuples = (SELECT count(*) FROM {table}),
                    relallvisible = heap.pages
                FROM (SELECT greatest(1, pg_relation_size(%s) / current_setting('block_size')::int) AS pages) AS heap
                WHERE oid = %s::regclass""",
            [table, table],
        )
        cursor.execute("DELETE FROM pg_statistic WHERE starelid = %s::regclass", [table])


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("viewer", "quote_index"),
    [("reader", "quote_approved_by_speaker_idx"), ("curator", "claims_quote_speaker_id_id_idx")],
)
def test_speaker_counts_can_be_read_from_indexes_alone(
    fresh_counted_tables, sahel, working_groups, viewer, quote_index
):
    # Ordering by a count evaluates it for every speaker: migration 0004's indexes (all quotes, for
    # curators) and 0009's (approved quotes, for readers) spare a heap visit per quote and per
    # attribution. Tiny test tables: scans that would hide the question are off, and the planner
    # sees the tables as autovacuum keeps them in production (_as_vacuumed).
    user = factories.user(groups=["curators"]) if viewer == "curator" else None
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        _as_vacuumed(cursor, *COUNTED_TABLES)
    plan = Speaker.objects.visible_to(user).with_counts().order_by("-claim_count").explain()
    assert f"Index Only Scan using {quote_index}" in plan, plan
    assert "Index Only Scan using claims_attribution_quote_claim_idx" in plan, plan
    assert not re.search(r"Index Scan using \S+ on claims_(quote|attribution) ", plan), plan  # no heap visit


@pytest.mark.postgres
def test_a_claims_standing_verdict_is_read_from_an_index_alone(sahel):
    # Every claim shown with its verdict probes its published reviews for the standing one (four
    # subqueries on a claim detail, two per claim on a speaker page): migration 0017's partial index
    # holds them in the verdict's order with what is read, so each probe reads no review row and
    # sorts nothing.
    kidal = Claim.objects.get(slug="kidal")
    with connection.cursor() as cursor:
        # As fresh_counted_tables does for its tables: the reviews' indexes hold only this test's
        # rows, not earlier tests' rolled-back ones (swollen, they cost more than the status index's
        # scan of every published review). And 0012's index of every published review, in the
        # verdict's order with the claim a filter, costs a table this small what the probe by claim
        # does: out of the way too. Both for this transaction only (rolled back with it), so that
        # the plan answers whether 0017's index serves the probe from the index alone.
        cursor.execute("TRUNCATE claims_review CASCADE")
        cursor.execute("DROP INDEX claims_review_published_latest_idx")
    factories.review(claim=kidal, status="published", published_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC))
    factories.review(claim=kidal, status="draft")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        _as_vacuumed(cursor, "claims_review")
    plan = Claim.objects.with_verdict().filter(pk=kidal.pk).order_by().explain()
    assert plan.count("Index Only Scan using claims_review_standing_verdict_idx") == 4, plan
    assert "Sort" not in plan, plan
    assert not re.search(r"Index Scan using \S+ on claims_review ", plan), plan  # no heap visit


@pytest.mark.postgres
def test_a_speakers_carried_claims_group_their_attributions_from_an_index_alone(fresh_counted_tables, sahel):
    # A speaker page groups the attributions of the speaker's quotes by claim and stance: 0017 put
    # the stance (and the key, counted) in the (quote_id, claim_id) index, so no attribution row is read.
    from claims.site.pages import carried_rows

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        _as_vacuumed(cursor, *COUNTED_TABLES)
    plan = carried_rows(sahel["maiga"].pk).explain()
    assert "Index Only Scan using claims_attribution_quote_claim_idx" in plan, plan
    assert not re.search(r"Index Scan using \S+ on claims_attribution ", plan), plan  # no heap visit
