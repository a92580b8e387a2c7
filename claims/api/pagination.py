"""Pagination: page numbers with a capped count, and cursors for deep reading of the longest lists.

Counting every matching row on every page costs more than the page itself on a large record
(149 ms for 300k quotes against 2 ms for the page), so the count stops at COUNT_CAP: below it
`count` is exact, above it `count` is COUNT_CAP + 1 and `count_is_exact` is false ("more than
COUNT_CAP"). Past the cap, whether a page exists is decided by the page's own rows. A compiled
list (statements.CompiledList, a plain page or a search) reads the count with the page's rows in
one statement, one round trip where there were two; the page number is checked against the count
afterwards, with the same answers (a page past the end is refused as before, its count read).

An OFFSET still walks every skipped row (by its key only: the deferred join of
statements.CompiledList and of ListedRows below), so deep pages get slower the deeper they are;
slower still where the skipped rows are joined to decide who may see them (page 1000 of
attributions: ≈ 160 ms at 100k claims). Views that name a `cursor_ordering` (claims, quotes,
attributions) also accept `?cursor=` (empty for the first page): keyset pagination on that order,
served by its index, as fast on the 500th page as on the first, without any count.
"""

import math

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response

from ..querysets import count_up_to
from .statements import deferred_page

COUNT_CAP = 1000
# The largest OFFSET/LIMIT a database takes (a bigint).
MAX_OFFSET = 2**63 - 1


class ListedRows:
    """`listed(rows)` (a page's columns of a filtered, ordered queryset) as the paginators read it,
    counted and paged on `rows` alone: the columns a page lists can join other tables and compute
    subqueries (a source's quote count), which neither the count nor the rows an OFFSET skips need.
    A page is read by statements.deferred_page(), in `rows`' order made total by the key.
    For lists built per request (filtered, ordered); a plain list's statements are compiled.
    `flat`: `listed` gives the keys themselves."""

    def __init__(self, rows, listed, flat=False):
        self.rows, self.listed, self.flat = rows, listed, flat

    def count_up_to(self, cap):
        return count_up_to(self.rows.values("pk"), cap)

    def order_by(self, *ordering):  # a cursor's order
        return ListedRows(self.rows.order_by(*ordering), self.listed, self.flat)

    def filter(self, *args, **kwargs):  # a cursor's position
        return ListedRows(self.rows.filter(*args, **kwargs), self.listed, self.flat)

    def __getitem__(self, bounds):
        if not isinstance(bounds, slice) or bounds.step is not None:
            raise TypeError("Listed rows are read by slices of consecutive rows.")
        start, stop = bounds.start or 0, bounds.stop
        if self.flat:  # the keys themselves
            return list(self.listed(self.rows)[start:stop])
        rows = self.rows
        ordering = rows.query.order_by
        if not ordering or str(ordering[-1]).lstrip("-") not in {"pk", "id"}:
            rows = rows.order_by(*(ordering or rows.model._meta.ordering), "pk")  # ties: the key decides
        return list(deferred_page(rows, self.listed(rows), start, stop))


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, has_more):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self):
        return self.has_more

    def next_page_number(self):
        return self.number + 1


class CappedCountPaginator(Paginator):
    """Django's paginator, counting at most COUNT_CAP + 1 rows."""

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            # COUNT(*) over a LIMITed subquery: it stops at the cap whatever the table's size. Only the
            # keys are selected: a page's columns can be costly (context cut from source texts).
            return count_up_to(self.object_list.values("pk"), COUNT_CAP)
        if hasattr(self.object_list, "count_up_to"):  # statements.CompiledList
            return self.object_list.count_up_to(COUNT_CAP)
        return len(self.object_list)

    @property
    def count_is_exact(self):
        return self.count <= COUNT_CAP

    def validate_number(self, number):
        if self.count_is_exact:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        if self._past_any_offset(number):
            # No list holds that many rows, and no database takes that OFFSET (it would answer a 500).
            raise EmptyPage("That page contains no results")
        return number

    def _past_any_offset(self, number):
        """Whether page `number`'s rows, and the one more read after them, end past what a bigint holds."""
        return number * self.per_page + 1 > MAX_OFFSET

    def page(self, number):
        rows = self._read_with_count(number)
        if self.count_is_exact:
            if rows is None:
                return super().page(number)
            number = self.validate_number(number)
            return self._get_page(rows[: self.per_page], number, self)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        # One row more than the page tells whether a next page exists, without a count.
        if rows is None:
            rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

    def _read_with_count(self, number):
        """Page `number`'s rows and one more, read with the count by one statement, when the list is a
        CompiledList whose count is still to be read; else None, and page() reads as it would.

        The page is read before its number is checked against the count (validate_number() then
        answers as it would have): a number past the end reads no row. Nothing is read here for a
        count known already (page() then reads the page alone, or nothing if the count says it is
        empty), a number validate_number() refuses without the count (not an integer, below 1), nor
        an offset past what a database's bigint holds."""
        if "count" in self.__dict__ or self.orphans or not hasattr(self.object_list, "count_and_slice"):
            return None
        if self.object_list.known_count(COUNT_CAP) is not None:  # a search's, counted to rank it
            return None
        try:
            number = int(number)
        except (TypeError, ValueError):
            return None
        if number < 1 or self._past_any_offset(number):
            return None
        bottom = (number - 1) * self.per_page
        self.count, rows = self.object_list.count_and_slice(COUNT_CAP, bottom, bottom + self.per_page + 1)
        return rows

    @cached_property
    def num_pages(self):
        # A lower bound past the cap; `last` then means the last page the cap can tell about.
        return max(1, math.ceil(self.count / self.per_page)) if self.count else 1


class ViewOrderCursorPagination(CursorPagination):
    """DRF's cursor pagination on the view's `cursor_ordering` (its first field is the cursor's position)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_ordering(self, request, queryset, view):
        return tuple(view.cursor_ordering)


class Pagination(PageNumberPagination):
    """`?page=` (capped count) everywhere; `?cursor=` as well where the view names a cursor order."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = CappedCountPaginator
    cursor_query_param = "cursor"

    def cursor_requested(self, request, view):
        """Whether `request` pages `view`'s list by cursor rather than by page number."""
        if view is None or not getattr(view, "cursor_ordering", None) or getattr(view, "action", None) != "list":
            return False
        return self.cursor_query_param in request.query_params and not request.query_params.get("ordering")

    def _cursor_paginator(self, request, view):
        return ViewOrderCursorPagination() if self.cursor_requested(request, view) else None

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor = self._cursor_paginator(request, view)
        if self.cursor is not None:
            return self.cursor.paginate_queryset(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.cursor is not None:
            return Response(
                {"next": self.cursor.get_next_link(), "previous": self.cursor.get_previous_link(), "results": data}
            )
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_exact": self.page.paginator.count_is_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count"]["description"] = (
            f"Number of results, exact up to {COUNT_CAP}; past it, {COUNT_CAP + 1} and `count_is_exact` is false. "
            "Absent with `?cursor=`."
        )
        paginated["properties"]["count_is_exact"] = {
            "type": "boolean",
            "description": f"False when there are more than {COUNT_CAP} results (then `count` is a lower bound).",
        }
        paginated["required"] = ["results"]
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        if getattr(view, "cursor_ordering", None) and getattr(view, "action", None) == "list":
            parameters.append(
                {
                    "name": self.cursor_query_param,
                    "required": False,
                    "in": "query",
                    "description": "Keyset pagination, newest first: pass it empty for the first page, then follow "
                    "`next`. As fast deep in the list as on its first page; no count. Ignored with `?ordering=`.",
                    "schema": {"type": "string"},
                }
            )
        return parameters
