"""Plain list pages (nothing but `page`/`page_size` asked) come from compiled statements
(claims/api/statements.py, CompiledList) and must equal the same pages built through the filters.

`?ordering=` (empty) changes nothing in what a list holds, but it is a parameter, so that request
builds its queryset: the two answers must be identical, page by page, for every reader.
"""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.paginator import EmptyPage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.api import pagination
from claims.api.statements import CompiledList
from claims.models import Attribution, Claim, ClaimRelation, Quote, Speaker, Status
from tests import factories

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed.json"
LISTS = [
    "/api/claims/",
    "/api/claims/disputed/",
    "/api/quotes/",
    "/api/relations/",
    "/api/attributions/",
    "/api/speakers/",
    "/api/sources/",
    "/api/reviews/",
]
LINKS = {"next", "previous"}


@pytest.fixture
def record(working_groups):
    call_command("loaddata", str(SEED), verbosity=0)
    attribution = Attribution.objects.order_by("pk").first()
    Speaker.objects.filter(pk=attribution.quote.speaker_id).update(status=Status.DRAFT)


def _pages(client, path, suffix=""):
    """Each page's status and body, its links aside (they repeat the request's own parameters)."""
    pages, number = [], 1
    while True:
        response = client.get(f"{path}?page_size=3&page={number}{suffix}")
        body = response.json()
        pages.append((response.status_code, {key: value for key, value in body.items() if key not in LINKS}))
        if response.status_code != 200 or body["next"] is None:
            return pages
        number += 1


@pytest.mark.parametrize("path", LISTS)
def test_plain_pages_equal_the_pages_built_through_the_filters(record, reader_client, path):
    plain = _pages(reader_client, path)
    assert len(plain) > 1, "the record fills several pages"
    assert plain == _pages(reader_client, path, "&ordering=")
    assert reader_client.get(f"{path}?page_size=3&page=999").status_code == 404


@pytest.mark.parametrize("path", LISTS)
def test_plain_pages_past_the_count_cap_equal_the_built_ones(record, reader_client, path, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 4)
    plain = _pages(reader_client, path)
    assert plain[0][1]["count_is_exact"] is False
    assert plain == _pages(reader_client, path, "&ordering=")


def test_a_plain_page_of_a_list_builds_its_queryset_only_to_compile_it(record):
    built = []

    def rows():
        built.append(1)
        return Claim.objects.order_by("-created_at", "-pk").values("id", "slug")

    def page(bounds):
        return CompiledList(("test", "list"), Claim, AnonymousUser(), rows)[bounds]

    first = page(slice(0, 3))
    assert page(slice(0, 3)) == first == list(rows()[0:3])
    assert len(built) == 2  # compiled once, then once more by the comparison above
    page(slice(3, 6))
    counted = CompiledList(("test", "list"), Claim, AnonymousUser(), rows).count_up_to(2)
    assert counted == 3 and len(built) == 4


def _claims_by_age():
    return Claim.objects.order_by("-created_at", "-pk").values("id", "slug")


@pytest.mark.parametrize("cap", [1000, 4], ids=["exact count", "past the count cap"])
@pytest.mark.parametrize("flat", [False, True], ids=["rows", "flat"])
def test_a_page_and_its_count_are_read_by_one_statement(record, monkeypatch, cap, flat):
    monkeypatch.setattr(pagination, "COUNT_CAP", cap)

    def rows():
        return _claims_by_age().values_list("pk", flat=True) if flat else _claims_by_age()

    claims = len(rows())
    assert claims > cap or cap == 1000
    listed = CompiledList(("test", "counted page", flat), Claim, None, rows, flat=flat)
    paginator = pagination.CappedCountPaginator(listed, 3)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page("2")
    assert len(queries) == 1
    assert list(page) == list(rows()[3:6])
    assert (paginator.count, paginator.count_is_exact) == (min(claims, cap + 1), claims <= cap)
    assert page.has_next() and page.has_previous()


def _claims_with_counts():
    return (
        Claim.objects.with_disputed_by_count()
        .order_by("-created_at", "-pk")
        .values("id", "slug", "disputed_by_count", "created_at")
    )


def test_a_page_past_the_first_reads_the_keys_it_skips_not_their_rows(record):
    listed = CompiledList(("test", "deferred join"), Claim, None, _claims_with_counts, prepare=False)
    with CaptureQueriesContext(connection) as queries:
        page = listed[3:6]
    (sql,) = [query["sql"] for query in queries]
    # The OFFSET skips keys in the subquery; the page's columns, its disputed_by_count's subquery
    # among them, are read for the page's own rows only.
    rows, _, keys = sql.partition(" IN (SELECT ")
    assert "OFFSET" in keys and "OFFSET" not in rows
    assert "claims_claimrelation" in rows and "claims_claimrelation" not in keys
    assert page == list(_claims_with_counts()[3:6])


def _relations_in_order():
    return ClaimRelation.objects.order_by("-created_at", "-pk")


def _with_their_claims(relations):
    return relations.values("id", "from_claim__slug", "to_claim__text")


@pytest.mark.parametrize("number", ["1", "2"], ids=["first page", "a page past the first"])
def test_a_listed_pages_count_and_skipped_keys_read_the_list_without_the_joins_its_columns_make(record, number):
    """The columns a page lists join the relations to their claims (Django keeps a join once made,
    whatever is selected after); the count and the keys an OFFSET skips read the relations alone."""
    listed = CompiledList(
        ("test", "listed"), ClaimRelation, None, _relations_in_order, _with_their_claims, prepare=False
    )
    paginator = pagination.CappedCountPaginator(listed, 3)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(number)
    (sql,) = [query["sql"] for query in queries]
    count, _, rows = sql.partition(" LEFT JOIN ")
    rows, _, keys = rows.partition(" IN (SELECT ")
    assert "claims_claim" not in count.replace("claims_claimrelation", "")
    assert "claims_claim" not in keys.replace("claims_claimrelation", "")
    assert "claims_claim" in rows.replace("claims_claimrelation", "")
    start = (int(number) - 1) * 3
    assert list(page) == list(_with_their_claims(_relations_in_order())[start : start + 3])
    assert paginator.count == ClaimRelation.objects.count()


@pytest.mark.parametrize("path", ["/api/relations/", "/api/attributions/", "/api/sources/"])
def test_a_page_of_relations_attributions_or_sources_is_read_with_its_count_by_one_statement(record, settings, path):
    settings.API_READ_CACHE_SECONDS = 0  # no replay, nor its snapshot query on PostgreSQL (read_cache.py)
    client = APIClient()
    for url in (f"{path}?page_size=3", f"{path}?page=2&page_size=3"):
        client.get(url)  # compiled
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200 and len(response.json()["results"]) == 3
        assert len(queries) == 1, [query["sql"] for query in queries]


def test_a_built_page_counts_and_skips_the_list_without_the_joins_and_subqueries_its_columns_make(record, settings):
    """Built per request (`?ordering=` given empty: built, yet the plain list), a page is counted and
    paged as a compiled one is: the count and the keys an OFFSET skips read the sources alone, the
    quote count only the page's own rows."""
    settings.API_READ_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        body = APIClient().get("/api/sources/?page=2&page_size=1&ordering=").json()
    count, page = [query["sql"] for query in queries]
    assert "claims_quote" not in count
    rows, _, keys = page.partition(" IN (SELECT ")
    assert "OFFSET" in keys and "OFFSET" not in rows
    assert "claims_quote" in rows and "claims_quote" not in keys
    assert body["results"] == APIClient().get("/api/sources/?page=2&page_size=1").json()["results"]


def test_built_pages_ordered_with_ties_neither_repeat_nor_skip_a_row(record):
    moments = [datetime.datetime(2024, 1, day, tzinfo=datetime.UTC) for day in (1, 2)]
    for index, key in enumerate(Attribution.objects.order_by("pk").values_list("pk", flat=True)):
        Attribution.objects.filter(pk=key).update(created_at=moments[index % 2])
    client, seen, number = APIClient(), [], 1
    while number:
        body = client.get(f"/api/attributions/?ordering=-created_at&page={number}&page_size=3").json()
        seen += [(row["created_at"], row["id"]) for row in body["results"]]
        number = number + 1 if body["next"] else None
    assert len(seen) == len(set(seen)) == body["count"] > 6
    assert seen == sorted(seen, key=lambda row: row[0], reverse=True)


@pytest.mark.parametrize("cap", [1000, 4], ids=["exact count", "past the count cap"])
def test_every_page_read_by_its_keys_keeps_the_lists_order_and_count(record, monkeypatch, cap):
    monkeypatch.setattr(pagination, "COUNT_CAP", cap)
    Claim.objects.filter(pk__in=list(Claim.objects.values_list("pk", flat=True)[:6])).update(
        created_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )  # ties: the key decides their order
    claims = list(_claims_with_counts())
    for number in range(1, (len(claims) + 2) // 3 + 1):
        # A list of its own for each page, as each request has: the page is read with its count.
        listed = CompiledList(("test", "deferred join", cap), Claim, None, _claims_with_counts)
        paginator = pagination.CappedCountPaginator(listed, 3)
        page = paginator.page(str(number))
        assert list(page) == claims[(number - 1) * 3 : number * 3]
        assert paginator.count == min(len(claims), cap + 1)


@pytest.mark.parametrize("cap", [1000, 4], ids=["exact count", "past the count cap"])
def test_a_page_past_the_end_is_refused_after_one_statement_that_counted(record, monkeypatch, cap):
    monkeypatch.setattr(pagination, "COUNT_CAP", cap)
    claims = Claim.objects.count()
    paginator = pagination.CappedCountPaginator(CompiledList(("test", "counted page"), Claim, None, _claims_by_age), 3)
    with CaptureQueriesContext(connection) as queries, pytest.raises(EmptyPage, match="contains no results"):
        paginator.page(str(claims))
    assert len(queries) == 1
    assert paginator.count == min(claims, cap + 1)


def test_the_last_page_of_a_counted_list_is_read_with_its_count_known(record):
    claims = Claim.objects.count()
    paginator = pagination.CappedCountPaginator(CompiledList(("test", "counted page"), Claim, None, _claims_by_age), 5)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(paginator.num_pages)  # as DRF reads `?page=last`: the count first, then the page
    assert len(queries) == 2
    assert list(page) == list(_claims_by_age()[(paginator.num_pages - 1) * 5 :])
    assert not page.has_next() and paginator.count == claims


def test_the_readers_draft_permissions_name_their_own_compiled_pages(record, working_groups):
    curator = factories.user(groups=["curators"])
    anonymous_keys = APIClient().get("/api/quotes/?page_size=100").json()["results"]
    client = APIClient()
    client.force_authenticate(curator)
    curator_keys = client.get("/api/quotes/?page_size=100").json()["results"]
    assert len(curator_keys) > len(anonymous_keys)
    assert {row["speaker"]["slug"] for row in anonymous_keys} <= set(
        Speaker.objects.filter(status=Status.APPROVED).values_list("slug", flat=True)
    )


def test_a_plain_claims_page_is_built_once_then_read_from_its_compiled_statements(record, monkeypatch):
    from claims.api.views import ClaimViewSet

    built = []
    get_queryset = ClaimViewSet.get_queryset
    monkeypatch.setattr(ClaimViewSet, "get_queryset", lambda view: built.append(1) or get_queryset(view))
    client = APIClient()
    assert client.get("/api/claims/?page_size=17").status_code == 200
    assert built, "a page size not read before: its statement is compiled from the queryset"
    compiled = len(built)
    for _ in range(2):
        assert client.get("/api/claims/?page_size=17").status_code == 200
    assert len(built) == compiled
    client.get("/api/claims/?page_size=17&review_status=unreviewed")
    assert len(built) == compiled + 1  # a filtered page is built every time


def test_an_empty_list_reads_as_an_empty_page_with_a_count_of_nought(working_groups):
    body = APIClient().get("/api/claims/?page_size=5").json()
    assert (body["count"], body["results"]) == (0, [])
    assert CompiledList(("test", "none"), Claim, None, lambda: Claim.objects.none().values("id"))[0:5] == []


@pytest.fixture
def spread_record(record):
    """The record with its claims, quotes and attributions created over a few hours, ties included:
    cursors carry positions and offsets."""
    start = datetime.datetime(2025, 11, 23, tzinfo=datetime.UTC)
    for model in (Claim, Quote, Attribution):
        for index, key in enumerate(model.objects.order_by("pk").values_list("pk", flat=True)):
            model.objects.filter(pk=key).update(created_at=start + datetime.timedelta(hours=index % 7))


# The lists paged by cursor, each with a filter given empty (it filters nothing, but the page is built).
CURSOR_LISTS = {"/api/claims/": "&topic=", "/api/quotes/": "&speaker=", "/api/attributions/": "&claim="}


def _cursor_pages(client, path, suffix=""):
    """The results of every cursor page, following `next` from the first, then `previous` back."""
    pages, url, body = [], f"{path}?cursor=&page_size=3{suffix}", None
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append(("next", body["results"]))
        url = body["next"]
    url = body["previous"]
    while url:
        body = client.get(url).json()
        pages.append(("previous", body["results"]))
        url = body["previous"]
    return pages


@pytest.mark.parametrize("path", CURSOR_LISTS)
def test_cursor_pages_forward_and_back_equal_the_pages_built_through_the_filters(spread_record, reader_client, path):
    plain = _cursor_pages(reader_client, path)
    assert len(plain) > 4, "the record fills several pages each way"
    assert plain == _cursor_pages(reader_client, path, CURSOR_LISTS[path])  # an empty filter: built, same rows


@pytest.mark.parametrize(("path", "model"), [("/api/quotes/", Quote), ("/api/attributions/", Attribution)])
def test_cursor_pages_hold_every_row_the_reader_may_see_once_newest_first(spread_record, reader_client, path, model):
    user = getattr(reader_client.handler, "_force_user", None)
    ids, url = [], f"{path}?cursor=&page_size=4"
    while url:
        body = reader_client.get(url).json()
        assert "count" not in body
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    visible = model.objects.visible_to(user).order_by("-created_at", "-id").values_list("id", flat=True)
    assert ids == list(visible)
    if user is None:
        assert len(ids) < model.objects.count(), "the record's draft speaker hides rows from anonymous readers"


def test_cursor_pages_read_again_build_no_queryset(spread_record):
    from claims.api.views import ClaimViewSet

    client = APIClient()
    urls, url = [], "/api/claims/?cursor=&page_size=4"
    while url:  # every page compiled once (a page after ties also carries an offset: other bounds)
        urls.append(url)
        url = client.get(url).json()["next"]
    built = []
    get_queryset = ClaimViewSet.get_queryset
    ClaimViewSet.get_queryset = lambda view: built.append(1) or get_queryset(view)
    try:
        assert all(client.get(url).status_code == 200 for url in reversed(urls))
    finally:
        ClaimViewSet.get_queryset = get_queryset
    assert len(urls) > 3 and built == []


def test_a_compiled_cursor_position_is_a_parameter_adapted_as_the_field_adapts_it(spread_record):
    built = []

    def rows():
        built.append(1)
        return Claim.objects.values("id", "created_at")

    newest_first = CompiledList(("test", "cursor"), Claim, AnonymousUser(), rows).order_by("-created_at", "-id")
    moments = sorted({claim.created_at for claim in Claim.objects.all()}, reverse=True)
    assert len(moments) > 2
    for moment in (moments[1], moments[len(moments) // 2], str(moments[-1])):
        expected = Claim.objects.values("id", "created_at").order_by("-created_at", "-id").filter(created_at__lt=moment)
        assert newest_first.filter(created_at__lt=moment)[0:5] == list(expected[0:5])
    assert len(built) == 1, "one statement for every position"
    with pytest.raises(TypeError):
        newest_first.filter(text__contains="Kidal")
