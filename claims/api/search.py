"""The lists' `?q=` search from compiled statements (statements.py), as the public search page runs it.

A search through django-filter cost ≈ 11 ms of Python per request before PostgreSQL did anything:
the filter's form (≈ 2.6 ms), then the ORM building and compiling the speakers' read, the ranked
count and the page. Here the same querysets (the QuerySets' `matching_words()` and `ranked_by()`)
are compiled once with stand-in keys, then run with the term's: its LIKE word patterns
(querysets.word_patterns()), the keys of the speakers it names (quotes) or of the claims their
quotes carry (claims), and its tsquery when the matches are few enough to rank. The queries are
those of `matching(term).ranked(term)`: the names read, the count up to RANK_AT_MOST (which the
paginator's count reuses), the page; where nothing is ranked (no tsquery, or SQLite), the count is
read with the page, in one statement (pagination.py).

Only a request asking for a search and pages (`?q=`, `?page=`, `?page_size=`) comes here; a value
the filter would refuse (too long, a NUL) is left to the filter, which answers the 400.
"""

import threading

from django.db import connections, router

from ..models import Attribution, Claim, Quote, Speaker
from ..querysets import LISTED_AT_MOST, prefix_tsquery, word_patterns
from .filters import SEARCH_MAX_LENGTH
from .statements import CompiledList, CompiledRows

SEARCH_PARAMETERS = {"q", "page", "page_size"}

# The speakers a term names, drafts included: querysets.matching_speakers(), compiled. The same SQL
# whoever reads, so it is run as no one (one statement, not one per set of draft permissions). Not
# prepared (nor is anything a search reads): a generic plan cannot see how common a word is (LIKE $1).
speakers_named = CompiledRows(
    Speaker,
    lambda viewer, patterns: Speaker.objects.matching_words(patterns).order_by().values("pk")[: LISTED_AT_MOST + 1],
    prepare=False,
)

# The claims carried by the quotes of the speakers a term names, as the reader may see them:
# what ClaimQuerySet.matching() lists (carried_by_named()).
claims_carried = CompiledRows(
    Attribution,
    lambda viewer, patterns: (
        Claim.objects.visible_to(viewer).carried_by_named(patterns).order_by()[: LISTED_AT_MOST + 1]
    ),
    prepare=False,
)


def search_term(request, filterset_class):
    """The `?q=` term (as the filter cleans it) when the request asks for a search and pages only, of a
    list whose filters search, with a value the filter accepts; else None."""
    params = request.query_params
    if "q" not in params or not params.keys() <= SEARCH_PARAMETERS:
        return None
    if filterset_class is None or "q" not in filterset_class.base_filters:
        return None
    term = params["q"].strip()  # the form's CharField strips; the last value, as its widget reads it
    if len(term) > SEARCH_MAX_LENGTH or "\x00" in term:
        return None
    return term


class CompiledSearch(CompiledList):
    """A search's statements, cached apart from the plain lists': their shapes (words, speakers,
    claims carried) are many, and must not push the lists' out."""

    _local = threading.local()


def _matches(rows, patterns=None, speakers=None, carried=None, tsquery=None, many=False):
    """`rows` (a list's queryset) narrowed as `matching(term)` narrows it, ranked as `ranked_by()`
    ranks it when `tsquery` is given. `many`: the term names more speakers (or carried claims)
    than are listed, which are then read by subquery, as matching() reads them."""
    if patterns is None:  # no word to find (matching() is none())
        return rows.none()
    model = rows.model
    if model is Quote:
        named = Speaker.objects.matching_words(patterns).values_list("pk", flat=True) if many else speakers or []
        rows = rows.matching_words(patterns, named)
    elif model is Claim:
        rows = rows.matching_words(patterns, rows.carried_by_named(patterns) if many else carried or ())
    else:
        rows = rows.matching_words(patterns)
    return rows if tsquery is None else rows.ranked_by(tsquery)


def searched_rows(view, term, queryset, listed, flat):
    """The rows of `listed(queryset().matching(term).ranked(term))`, from compiled statements."""
    model = view.queryset.model
    viewer = view.request.user
    patterns = word_patterns(term)
    keys, many = {}, False
    if patterns:
        keys["patterns"] = patterns
        if model is Quote:
            named = [row["pk"] for row in speakers_named(None, patterns=patterns)]
            many = len(named) > LISTED_AT_MOST
            if named and not many:
                keys["speakers"] = named
        elif model is Claim:
            carried = [row["claim"] for row in claims_carried(viewer, patterns=patterns)]
            many = len(carried) > LISTED_AT_MOST
            if carried and not many:
                keys["carried"] = carried

    def rows(**keys):
        return listed(_matches(queryset(), many=many, **keys))

    name = (type(view), view.action, many, flat)
    found = CompiledSearch(name, model, viewer, rows, flat=flat, keys=keys, prepare=False)
    # ranked(): the matches counted up to RANK_AT_MOST, and ranked if there are no more.
    tsquery = prefix_tsquery(term)
    if tsquery and connections[router.db_for_read(model)].vendor == "postgresql":
        cap = model.objects.all().RANK_AT_MOST  # the model's own: a QuerySet class may set another
        if found.count_up_to(cap) <= cap:
            found = found.ordered_by_keys(tsquery=tsquery)
    return found
