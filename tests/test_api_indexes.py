"""On PostgreSQL, indexes serve the API's search, filters and default orderings (EXPLAIN).

The test tables are tiny, so sequential scans are switched off: the question is whether an index
*can* serve each query, which is what the planner needs once the tables are large.
"""

import pytest
from django.db import connection

from claims.models import Attribution, Claim, Quote, Source, Speaker
from claims.site import pages
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def plan():
    factories.attribution()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    def explain(queryset):
        return queryset.explain()

    return explain


@pytest.mark.parametrize(
    ("model", "index"),
    [(Speaker, "claims_speaker_search_trgm"), (Quote, "claims_quote_search_trgm"), (Claim, "claims_claim_search_trgm")],
)
def test_search_uses_the_trigram_index(plan, model, index):
    assert index in plan(model.objects.filter(search_document__contains=" maiga").order_by())


def test_a_quote_search_nothing_matches_reads_the_trigram_index_not_the_table(plan):
    # The OR with "or the speaker matches" once kept the trigram index out: every quote was read (170 ms at 300k).
    explained = plan(Quote.objects.matching("zzzqx").order_by())
    assert "claims_quote_search_trgm" in explained, explained
    assert "Seq Scan on claims_quote" not in explained, explained


def test_quote_search_through_speakers_ors_the_trigram_index_with_the_speaker_index(plan):
    factories.quote(speaker=factories.speaker(name="Choguel Kokalla Maïga"))
    explained = plan(Quote.objects.matching("maiga").order_by())
    assert "BitmapOr" in explained and "claims_quote_search_trgm" in explained, explained
    assert "Seq Scan on claims_quote" not in explained, explained


def test_claim_search_through_speakers_ors_the_trigram_index_with_the_claim_keys(plan):
    factories.attribution(quote=factories.quote(speaker=factories.speaker(name="Choguel Kokalla Maïga")))
    explained = plan(Claim.objects.matching("maiga").order_by())
    assert "BitmapOr" in explained and "claims_claim_search_trgm" in explained, explained
    assert "Seq Scan on claims_claim" not in explained, explained


@pytest.mark.parametrize(
    "queryset",
    [
        lambda: Speaker.objects.order_by("name", "slug")[:20],
        lambda: Source.objects.order_by("-published_on", "title")[:20],
        lambda: Claim.objects.order_by("-created_at", "-id")[:20],
        lambda: Claim.objects.filter(review_status="reviewed").order_by(),
        lambda: Quote.objects.order_by("source_id", "start", "pk")[:20],
        lambda: Quote.objects.order_by("-created_at", "-id")[:20],
        lambda: Attribution.objects.order_by("-created_at", "-id")[:20],
        lambda: Quote.objects.filter(speaker__slug="x").order_by(),
        lambda: Quote.objects.filter(said_on__gte="2021-01-01").order_by(),
        lambda: Quote.objects.filter(kind="direct").order_by(),
        lambda: Speaker.objects.filter(kind="person").order_by(),
        lambda: Claim.objects.filter(topics__slug="kidal").order_by(),
    ],
    ids=[
        "speaker order",
        "source order",
        "claim order",
        "review status",
        "quote order",
        "quote cursor order",
        "attribution cursor order",
        "quote speaker",
        "quote date",
        "quote kind",
        "speaker kind",
        "topic",
    ],
)
def test_filters_and_default_orderings_use_an_index(plan, queryset):
    """No table is read whole, and no first page needs a full sort (an incremental sort on an index is fine)."""
    explained = plan(queryset())
    assert "Seq Scan" not in explained, explained
    assert not explained.startswith("Sort") and "->  Sort" not in explained, explained


def test_the_review_queue_and_its_count_read_only_the_partial_index_of_the_queue(plan):
    with connection.cursor() as cursor:  # an empty table's bitmap scan of any index is as cheap as any other
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    for queue in (Claim.objects.review_queue()[:50], Claim.objects.review_queue().order_by()[:1001].values("pk")):
        explained = plan(queue)
        assert "claim_review_queue_idx" in explained, explained
        # The stored flags, not a probe per claim into the relations or the reviews.
        assert "claims_claimrelation" not in explained and "claims_review" not in explained, explained


def generic_plan(statement, **keys):
    """EXPLAIN of the plan PostgreSQL keeps for a compiled statement once it is prepared: the generic
    plan, made without the keys' values. The statement is read once, as a page reads it, to prepare it."""
    from claims.api.statements import PREPARED_PREFIX

    executed = []

    def capture(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        statement(pages.READER, **keys)
    ((sql, params),) = executed
    assert sql.startswith(f"EXECUTE {PREPARED_PREFIX}"), sql
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_speaker_pages_prepared_statement_reaches_the_approved_rows_partial_indexes_in_its_generic_plan(plan):
    """A prepared statement's constants ('approved') are in its SQL, not parameters: `status = $1` hid the
    partial indexes from the generic plan, which then looked dearer than a fresh plan, so PostgreSQL planned
    the speaker page's statements again at every read (≈ 0.5–2 ms each on the 100k corpus). The claims
    carried come from the approved quotes' index, the timeline's speakers not approved from theirs."""
    speaker = factories.speaker()
    factories.attribution(quote=factories.quote(speaker=speaker))
    statement, _ = pages.speaker_statement(1)
    explained = generic_plan(statement, slug=speaker.slug)
    assert "quote_approved_by_speaker_idx" in explained and "speaker_not_approved_idx" in explained, explained


def test_the_readers_attribution_count_gathers_the_speakers_not_approved_once(plan):
    # The list's capped count (1,001 rows) looked up each attribution's speaker for its status (1.25 ms
    # at 100k claims, 0.45 ms without): the few speakers not approved come from migration 0013's index.
    counted = Attribution.objects.visible_to(None).order_by().values("pk")[:1001]
    explained = plan(counted)
    assert "speaker_not_approved_idx" in explained and "claims_speaker_pkey" not in explained, explained
