"""Compiled read statements (claims/api/statements.py) return what their querysets return.

The busiest reads run querysets compiled once with stand-in keys; these tests hold every such
statement equal to its queryset's own `.values()` for readers with and without draft permissions,
and pin down how keys reach the SQL.
"""

import datetime
import itertools
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from claims.api import reads, statements
from claims.api.statements import CompiledRows, KeysIn, draft_permissions
from claims.models import Attribution, Claim, ClaimRelation, Review, Role, Source, Speaker, Status
from tests import factories

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed.json"


@pytest.fixture
def record(working_groups):
    call_command("loaddata", str(SEED), verbosity=0)
    attribution = Attribution.objects.order_by("pk").first()
    Speaker.objects.filter(pk=attribution.quote.speaker_id).update(status=Status.DRAFT)
    factories.review(claim=attribution.claim, rationale="Unfinished.")
    return attribution


@pytest.fixture(params=["anonymous", "curator"])
def viewer(request, working_groups):
    return AnonymousUser() if request.param == "anonymous" else factories.user(groups=["curators"])


STATEMENTS_BY_SPEAKER = [reads._speaker_aliases, reads._speaker_roles]
# A list statement by claim keys, as the claim pages once read their topics.
TOPICS = CompiledRows(
    Claim,
    lambda viewer, claim_ids: (
        Claim.topics.through.objects.filter(claim_id__in=claim_ids)
        .order_by("topic__name", "topic_id", "claim_id")
        .values("claim_id", "topic__slug")
    ),
)


def _as_built(statement, viewer, **keys):
    return list(statement.build(viewer, **keys))


def test_claim_statements_return_what_their_querysets_return(record, viewer):
    for claim_id in Claim.objects.values_list("pk", flat=True):
        assert reads.claim_row(viewer, claim_id=claim_id) == _as_built(reads.claim_row, viewer, claim_id=claim_id)


def test_the_lists_read_with_a_claim_are_the_rows_their_querysets_give_in_their_order(record, viewer):
    """claim_row()'s JSON columns, decoded: each list's rows, values (dates and moments as the ORM
    loads them) and order as its own queryset gives them, for every claim of the seed."""
    read = 0
    for claim_id in Claim.objects.values_list("pk", flat=True):
        (row,) = reads.claim_row(viewer, claim_id=claim_id)
        related = reads.claim_related(row)
        assert set(related) == set(reads.CLAIM_RELATED)
        for name, nested in reads.CLAIM_RELATED.items():
            assert related[name] == list(nested.rows(claim_id, viewer)), (claim_id, name)
            read += len(related[name])
    assert read > Claim.objects.count()


def test_speaker_statements_return_what_their_querysets_return(record, viewer):
    for speaker_id, slug in Speaker.objects.values_list("pk", "slug"):
        assert reads.speaker_row(viewer, slug=slug) == _as_built(reads.speaker_row, viewer, slug=slug)
        for statement in STATEMENTS_BY_SPEAKER:
            assert statement(viewer, speaker_id=speaker_id) == _as_built(statement, viewer, speaker_id=speaker_id)


# The other details' statements by primary key: (statement, its key's name, the model keyed).
DETAIL_STATEMENTS_BY_KEY = [
    (reads.relation_row, "relation_id", ClaimRelation),
    (reads.attribution_row, "attribution_id", Attribution),
    (reads.review_row, "review_id", Review),
    (reads._source_quotes, "source_id", Source),
]


def test_detail_statements_return_what_their_querysets_return(record, viewer):
    for statement, name, model in DETAIL_STATEMENTS_BY_KEY:
        for key in model.objects.values_list("pk", flat=True):
            assert statement(viewer, **{name: key}) == _as_built(statement, viewer, **{name: key}), (name, key)
    for slug in Source.objects.values_list("slug", flat=True):
        for statement in (reads.source_row, reads.source_row_with_text):
            assert statement(viewer, slug=slug) == _as_built(statement, viewer, slug=slug), slug


def test_list_statements_return_what_their_querysets_return_for_every_length(record):
    claim_ids = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
    speaker_ids = list(Speaker.objects.order_by("pk").values_list("pk", flat=True))
    for length in (1, 2, len(claim_ids)):
        keys = claim_ids[:length]
        assert TOPICS(None, claim_ids=keys) == _as_built(TOPICS, None, claim_ids=keys)
    for length in (1, 3, len(speaker_ids)):
        keys = speaker_ids[:length]
        assert reads._roles(None, speaker_ids=keys) == _as_built(reads._roles, None, speaker_ids=keys)


def test_list_statements_read_as_sequences_give_their_values_rows_columns_in_order(record, viewer):
    claim_ids = list(Claim.objects.order_by("pk").values_list("pk", flat=True))
    for statement, reader in ((TOPICS, None), (reads._page_evidence_and_topics, viewer)):
        for length in (1, len(claim_ids)):
            keys = claim_ids[:length]
            built = [tuple(row.values()) for row in _as_built(statement, reader, claim_ids=keys)]
            assert built or length == 1  # the first claim's evidence may be a draft
            assert [tuple(row) for row in statement.values_list(reader, claim_ids=keys)] == built


def _claim_lists(viewer, claim_id):
    (row,) = reads.claim_row(viewer, claim_id=claim_id)
    return reads.claim_related(row)


def test_the_drafts_a_reader_may_not_see_stay_hidden_whoever_compiled_first(record, viewer):
    curator = factories.user(groups=["curators"])
    claim_id = record.claim_id
    shown_to_curator = _claim_lists(curator, claim_id)["evidence_rows"]
    shown_to_viewer = _claim_lists(viewer, claim_id)["evidence_rows"]
    assert record.pk in [row["id"] for row in shown_to_curator]
    assert (record.pk in [row["id"] for row in shown_to_viewer]) == (viewer.is_authenticated)
    reviews = _claim_lists(AnonymousUser(), claim_id)["review_rows"]
    assert Review.Status.DRAFT not in [row["status"] for row in reviews]


def test_a_statement_is_built_once_per_reader_kind_and_list_length(record):
    builds = []

    def build(viewer, speaker_ids):
        builds.append(len(speaker_ids))
        return Role.objects.filter(speaker_id__in=speaker_ids).values("pk")

    statement = CompiledRows(Role, build)
    ids = list(Speaker.objects.values_list("pk", flat=True))
    for _ in range(3):
        statement(None, speaker_ids=ids[:2])
        statement(AnonymousUser(), speaker_ids=ids[2:4])
    statement(None, speaker_ids=ids[:3])
    assert builds == [2, 3]


def test_a_key_that_does_not_reach_the_sql_as_a_parameter_is_refused(record):
    statement = CompiledRows(Claim, lambda viewer, claim_id: Claim.objects.filter(pk__gt=0).values("pk"))
    with pytest.raises(ImproperlyConfigured, match="did not reach the SQL"):
        statement(None, claim_id=1)


def test_keys_no_row_can_have_select_nothing(record):
    assert reads.claim_row(None, claim_id=2**70) == []
    assert TOPICS(None, claim_ids=[]) == []
    some_claim = Claim.objects.values_list("pk", flat=True).first()
    for beyond in (2**63, -(2**63) - 1):
        assert TOPICS(None, claim_ids=[some_claim, beyond]) == []
        assert TOPICS.values_list(None, claim_ids=[beyond, some_claim]) == []


def test_a_claim_id_beyond_any_key_is_a_404_not_an_error(record, api):
    for path in ("/api/claims/99999999999999999999999/", "/api/claims/-5/", "/api/claims/12abc/"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json()["detail"] == "No Claim matches the given query."
    assert api.get("/api/speakers/no-such-speaker/").json()["detail"] == "No Speaker matches the given query."


@pytest.mark.postgres
def test_on_postgresql_a_statement_is_prepared_once_per_connection_then_executed_by_name(record):
    claim_id = record.claim_id
    expected = _as_built(reads.claim_row, None, claim_id=claim_id)
    reads.claim_row(None, claim_id=claim_id)
    with CaptureQueriesContext(connection) as executed:
        assert reads.claim_row(None, claim_id=claim_id) == expected
    assert [query["sql"].split("(")[0] for query in executed] == [
        f"EXECUTE {reads.claim_row._local.compiled[('default', (), (('claim_id', None, int),))].name}"
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'PREPARE sahel_read_%%'")
        assert cursor.fetchone()[0] >= 1


@pytest.mark.postgres
def test_a_prepared_statements_only_parameters_are_its_keys_its_constants_written_in_as_sql_literals(record):
    # Constants in the statement's text let its generic plan use what a plain query's plan uses (partial
    # indexes on status = 'approved'): PostgreSQL then keeps that plan rather than planning every read.
    awkward = "it's 100% \\ 'sure' %s %% $1"
    statement = CompiledRows(
        Claim,
        lambda viewer, claim_id: (
            Claim.objects.filter(pk=claim_id, is_disputed__in=[True, False])
            .exclude(text=awkward)
            .exclude(created_at__lt=datetime.datetime(1999, 1, 2, 3, 4, 5, tzinfo=datetime.UTC))
            .annotate(said=Value(awkward))
            .values("pk", "said")
        ),
    )
    for _ in range(2):
        assert statement(None, claim_id=record.claim_id) == [{"pk": record.claim_id, "said": awkward}]
    (compiled,) = statement._local.compiled.values()
    with connection.cursor() as cursor:
        cursor.execute("SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = %s", [compiled.name])
        assert cursor.fetchone()[0] == ["bigint"]


@pytest.mark.postgres
def test_a_statement_postgresql_cannot_prepare_runs_as_plain_sql(record):
    # "$2 IS NOT NULL" (a key used nowhere else, where nothing says its type): PREPARE cannot tell
    # the parameter's type, and refuses the statement. (A constant would be written in as a literal,
    # and a key used again is the same parameter as its first use, whose type is known.)
    statement = CompiledRows(
        Claim,
        lambda viewer, claim_id, other: (
            Claim.objects.filter(pk=claim_id).extra(where=["%s IS NOT NULL"], params=[other]).values("pk")
        ),
    )
    for _ in range(2):  # the failed PREPARE left the test's transaction usable
        assert statement(None, claim_id=record.claim_id, other=1) == [{"pk": record.claim_id}]
    (compiled,) = statement._local.compiled.values()
    assert compiled.preparable is False


@pytest.mark.postgres
def test_with_prepared_statements_off_reads_run_as_plain_sql(record, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    statement = CompiledRows(Claim, lambda viewer, claim_id: Claim.objects.filter(pk=claim_id).values("slug"))
    with CaptureQueriesContext(connection) as executed:
        assert statement(None, claim_id=record.claim_id) == [{"slug": record.claim.slug}]
    assert [query["sql"].startswith("SELECT") for query in executed] == [True]


def _statements_prepared_on_this_connection():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_a_connection_walking_many_pages_holds_a_bounded_number_of_prepared_statements(
    record, reader_client, settings, monkeypatch
):
    # Each page's bounds compile a statement of their own: without a bound, a crawler walking the pages
    # would leave one more prepared statement on the connection (in PostgreSQL's memory) per page.
    settings.API_READ_CACHE_SECONDS = 0  # every read reaches the database, anonymous ones too
    monkeypatch.setattr(statements, "MAX_PREPARED", 12)
    pages = Claim.objects.count() // 2
    assert pages > 2 * statements.MAX_PREPARED

    def page(number):
        response = reader_client.get(f"/api/claims/?page_size=2&page={number}")
        assert response.status_code == 200
        return response.content

    with connection.cursor() as cursor:  # from none prepared (earlier tests prepared some on this connection)
        cursor.execute("DEALLOCATE ALL")
    statements._prepared_on.pop(connection.connection, None)
    before = {number: page(number) for number in (1, 7)}
    held = []
    for number in range(1, pages + 1):
        page(number)
        held.append(_statements_prepared_on_this_connection())
    assert max(held) <= statements.MAX_PREPARED
    assert any(later < earlier for earlier, later in itertools.pairwise(held)), "deallocated, then prepared again"
    # Read again after all were deallocated (and prepared again): the same answers.
    assert {number: page(number) for number in (1, 7)} == before


def _prepared_parameter_types(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = %s", [name])
        return cursor.fetchone()[0]


def test_keys_in_sends_the_keys_as_one_array_parameter_on_postgresql_and_one_parameter_per_key_elsewhere(record):
    statement = CompiledRows(
        Claim, lambda viewer, claim_ids: Claim.objects.filter(KeysIn("pk", claim_ids)).order_by("pk").values("pk")
    )
    keys = list(Claim.objects.order_by("-pk").values_list("pk", flat=True)[:3])
    for length in (1, 3):
        assert statement(None, claim_ids=keys[:length]) == [{"pk": key} for key in sorted(keys[:length])]
    with CaptureQueriesContext(connection) as executed:
        statement(None, claim_ids=keys)
    (sql,) = [query["sql"] for query in executed]
    compiled = statement._local.compiled[("default", (), (("claim_ids", 3, int),))]
    if connection.vendor == "postgresql" and compiled.preparable:
        assert sql == f"EXECUTE {compiled.name}('{{{','.join(map(str, keys))}}}')"
        assert _prepared_parameter_types(compiled.name) == ["bigint[]"]
    elif connection.vendor == "postgresql":
        assert sql.count("= ANY(") == 1 and "IN (" not in sql
    else:
        assert sql.count(" IN (") == 1 and all(str(key) in sql for key in keys)


@pytest.mark.postgres
def test_keys_in_as_plain_sql_when_statements_are_not_prepared(record, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    test_keys_in_sends_the_keys_as_one_array_parameter_on_postgresql_and_one_parameter_per_key_elsewhere(record)


@pytest.mark.postgres
def test_a_key_used_twice_is_one_parameter_of_the_prepared_statement(record, viewer):
    # The page's evidence and topics: the page's keys in both halves of a UNION, sent once.
    keys = list(Claim.objects.values_list("pk", flat=True))
    statement = reads._page_evidence_and_topics
    statement.values_list(viewer, claim_ids=keys)
    compiled = statement._local.compiled[("default", draft_permissions(viewer), (("claim_ids", len(keys), int),))]
    assert compiled.sql.count("= ANY(%s)") == 2
    assert _prepared_parameter_types(compiled.name) == ["bigint[]"]
