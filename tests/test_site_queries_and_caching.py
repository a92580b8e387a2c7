"""The public pages read a fixed number of queries whatever they show, and are cacheable by CDNs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.api.statements import PREPARED_PREFIX
from claims.models import Review
from claims.reviews import review_assign, review_publish
from tests import factories

pytestmark = pytest.mark.django_db

# One more query on PostgreSQL: the read cache asks for the transaction snapshot (claims/api/read_cache.py).
SNAPSHOT = 1


def snapshot_queries():
    return SNAPSHOT if connection.vendor == "postgresql" else 0


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured.captured_queries)


@pytest.fixture
def reviewer(working_groups):
    return factories.user(groups=["reviewers"])


def grow_claim(claim, reviewer, units):
    """Give `claim` `units` more attributions, counter-claims (each with its own quote), topics and cited sources."""
    for _ in range(units):
        factories.attribution(claim=claim)
        counter = factories.claim()
        factories.attribution(claim=counter)
        factories.relation(from_claim=counter, to_claim=claim)
        factories.relation(from_claim=factories.claim(), to_claim=counter, kind="supports")
        claim.topics.add(factories.topic())


def published(claim, reviewer, **evidence):
    review_assign(claim=claim, actor=reviewer)
    return review_publish(claim=claim, actor=reviewer, rating="false", rationale="Checked.", **evidence)


# Pinned counts on SQLite (PostgreSQL adds the snapshot query). What they are made of:
# claim page: claim with its topics, review events and reviews (pages._claim; the events and the
# reviews were a query of their own each), relations (read only when the claim's statement says one
# touches it), evidence (with each speaker's role on the day: pages.role_held(), where the roles were a
# query of their own), cited sources + cited quotes, graph (its second step + claims, which bring the
# related claims' verdicts: those were a query of their own; the first step is the relations). The
# ClaimReview is written from the rows the page read (pages.claim_reviews()): no query of its own.
CLAIM_PAGE_QUERIES = 7


@pytest.mark.parametrize("path", ["/", "/claims/{claim}/", "/speakers/{speaker}/", "/search/?q=said", "/sitemap.xml"])
def test_pages_run_outside_a_transaction(client, path):
    """A page only reads: ATOMIC_REQUESTS' BEGIN and COMMIT (SAVEPOINT and RELEASE inside the test's
    transaction) would be two more round trips for nothing."""
    attribution = factories.attribution()
    path = path.format(claim=attribution.claim.slug, speaker=attribution.quote.speaker.slug)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    assert not [query["sql"] for query in captured.captured_queries if "SAVEPOINT" in query["sql"]]


def test_claim_page_reads_a_fixed_number_of_queries(client, reviewer, django_assert_num_queries):
    small, big = factories.claim(), factories.claim()
    grow_claim(small, reviewer, 1)
    grow_claim(big, reviewer, 6)
    published(small, reviewer, evidence_sources=[factories.source()])
    published(big, reviewer, evidence_sources=[factories.source() for _ in range(4)])
    with django_assert_num_queries(CLAIM_PAGE_QUERIES + snapshot_queries()):
        client.get(f"/claims/{small.slug}/")
    assert queries(client, f"/claims/{big.slug}/") == queries(client, f"/claims/{small.slug}/")


def test_speaker_page_reads_a_fixed_number_of_queries(client, reviewer, django_assert_num_queries):
    few, many = factories.speaker(), factories.speaker()
    for speaker, count in ((few, 1), (many, 30)):
        factories.role(speaker=speaker)
        factories.alias(speaker=speaker)
        for _ in range(count):
            factories.attribution(quote=factories.quote(speaker=speaker))
    # one statement: the speaker, with their aliases, roles, timeline page and claims carried as JSON
    # columns (pages.speaker_rows()); these were three statements, three round trips
    with django_assert_num_queries(1 + snapshot_queries()):
        client.get(f"/speakers/{few.slug}/")
    assert queries(client, f"/speakers/{many.slug}/") == queries(client, f"/speakers/{few.slug}/")


def test_source_page_reads_a_fixed_number_of_queries(client, django_assert_num_queries):
    text = " ".join(f"Sentence number {n} says something." for n in range(40))
    few, many = factories.source(text=text), factories.source(text=text)
    factories.attribution(quote=factories.quote(source=few, text="Sentence number 1 says"))
    for n in range(30):
        factories.attribution(quote=factories.quote(source=many, text=f"Sentence number {n} says"))
    # source, quotes printed, quotes originating here, their claims
    with django_assert_num_queries(4 + snapshot_queries()):
        client.get(f"/sources/{few.slug}/")
    assert queries(client, f"/sources/{many.slug}/") == queries(client, f"/sources/{few.slug}/")


def test_listing_pages_read_a_fixed_number_of_queries(client, reviewer):
    topic = factories.topic()

    def add(count):
        for _ in range(count):
            claim = factories.claim()
            claim.topics.add(topic)
            factories.attribution(claim=claim)
            factories.attribution(claim=claim)
            factories.relation(to_claim=claim)
            published(claim, reviewer)

    add(1)
    paths = [
        "/",
        f"/topics/{topic.slug}/",
        "/topics/",
        "/verdicts/",
        "/verdicts/false/",
        "/verdicts/feed/",
        "/search/?q=claim",
        "/search/?q=claim&kind=claims",
        "/sitemap.xml",
        "/sitemap-claims.xml",
    ]
    before = {path: queries(client, path) for path in paths}
    add(12)
    after = {path: queries(client, path) for path in paths}
    assert after == before


def test_pages_tell_caches_how_long_to_keep_them_and_how_to_revalidate(client, reviewer):
    claim = factories.claim()
    factories.attribution(claim=claim)
    published(claim, reviewer)
    for path in ["/", f"/claims/{claim.slug}/", "/verdicts/feed/", "/sitemap.xml", "/robots.txt"]:
        response = client.get(path)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"], path
        assert response.has_header("ETag"), path
        assert not response.cookies, path
        assert "Cookie" not in response.get("Vary", ""), path
    page = client.get(f"/claims/{claim.slug}/")
    review = Review.objects.get(claim=claim)
    assert page["Last-Modified"]
    from django.utils.http import parse_http_date

    assert parse_http_date(page["Last-Modified"]) >= int(review.updated_at.timestamp())
    again = client.get(f"/claims/{claim.slug}/", HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 304
    later = client.get(f"/claims/{claim.slug}/", HTTP_IF_MODIFIED_SINCE=page["Last-Modified"])
    assert later.status_code == 304


def test_a_changed_claim_gets_a_new_etag(client, reviewer):
    claim = factories.claim()
    first = client.get(f"/claims/{claim.slug}/")
    claim.text = "A new wording of the claim."
    claim.save()
    second = client.get(f"/claims/{claim.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and "A new wording of the claim." in second.content.decode()


def statements(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return response, [query["sql"] for query in captured.captured_queries]


def reads_the_record(sql):
    # A compiled read (claims/api/statements.py) runs on PostgreSQL as EXECUTE of its prepared statement.
    return any("claims_" in statement or statement.startswith(f"EXECUTE {PREPARED_PREFIX}") for statement in sql)


def replayed_within(client, path, attempts=5):
    """Whether a read of `path` is replayed (reads no table of the record) within a few attempts.

    The snapshot names commits anywhere in the cluster, and a shared test cluster commits all the time
    (other databases' tests, autovacuum): a read may be built afresh once more before one is replayed.
    """
    for _ in range(attempts):
        response, sql = statements(client, path)
        if not reads_the_record(sql):
            return response
    return None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pages_are_replayed_from_memory_until_something_is_committed(client, working_groups):
    claim = factories.claim(text="The first wording.")
    factories.attribution(claim=claim)
    path = f"/claims/{claim.slug}/"
    first, sql = statements(client, path)
    assert reads_the_record(sql)
    again = replayed_within(client, path)
    assert again is not None, "never replayed"
    assert again.content == first.content and again["ETag"] == first["ETag"]
    claim.text = "The second wording."
    claim.save()
    changed, sql = statements(client, path)
    assert reads_the_record(sql) and "The second wording." in changed.content.decode()
    assert "The second wording." in replayed_within(client, path).content.decode()


def _blockade_quote(**fields):
    return factories.quote(source=factories.source(text="The blockade goes on."), text="The blockade goes on", **fields)


def _speaker_lookups(statements):
    return [sql for sql in statements if 'FROM "claims_speaker"' in sql.split("WHERE")[0] and "LIMIT 501" in sql]


def test_the_search_page_reads_the_speakers_a_term_names_once(client):
    """Claims, quotes and sources all match through the speakers the term names: one read for the page."""
    speaker = factories.speaker(name="Hamadoun Koufa")
    factories.attribution(quote=_blockade_quote(speaker=speaker))
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/search/?q=koufa").status_code == 200
    assert len(_speaker_lookups(query["sql"] for query in captured.captured_queries)) == 1


def test_a_search_naming_no_speaker_reads_no_claims_carried_by_speakers(client):
    factories.attribution(quote=_blockade_quote())
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/search/?q=blockade").status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if sql.startswith('SELECT "claims_attribution"."claim_id" AS "claim"')]
    # Still found: the claims carried by a matching speaker's quotes.
    carried = factories.attribution(quote=factories.quote(speaker=factories.speaker(name="Blockade Committee")))
    assert carried.claim.text in client.get("/search/?q=blockade").content.decode()


@pytest.mark.postgres
def test_the_search_page_ranks_the_speakers_it_listed_without_counting_them(client):
    """The page listed at most LISTED_AT_MOST matching speakers, fewer than RANK_AT_MOST: it ranks
    those a reader sees without counting them first."""
    weaker = factories.speaker(name="Koufa Hamadoun Koufa Ag Koufa")
    factories.alias(speaker=weaker, name="Amadou Koufa")
    best = factories.speaker(name="Koufa")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/?q=koufa")
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if sql.startswith('SELECT COUNT(*) FROM (SELECT "claims_speaker"')]
    speakers = next(section for section in response.context["sections"] if section["kind"] == "speakers")
    assert {row["slug"] for row in speakers["results"]} == {weaker.slug, best.slug}
