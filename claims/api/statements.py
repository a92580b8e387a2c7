"""Read queries compiled to SQL once, then run again with each request's keys.

Building and compiling a queryset is most of what a small read costs: 1–2 ms of Python per
statement (filters resolved, joins set up, the SQL assembled), where PostgreSQL answers it in a
fraction of that. The busiest reads (reads.py) run the same few statements every time with other
keys: a claim's id, a page's ids. A `CompiledRows` builds its queryset once with stand-in keys,
notes where each stand-in landed among the SQL's parameters, and from then on swaps in the
request's keys and executes. The queryset stays the one definition of the statement, and the rows
are what its `.values()` gives (the ORM's converters applied); tests/test_api_statements.py holds
the two equal.

On PostgreSQL each statement is also prepared once per connection (`PREPARE`): planning took
longer than running these small statements (a claim's detail: 2.5 ms of planning for 0.5 ms of
execution), and a prepared statement is planned once, then only executed. The PREPARE itself is
setup, not a read: it goes to the driver's cursor directly, outside Django's query log. Behind a
pooler in transaction mode, set DATABASE_PREPARED_STATEMENTS=0: statements then run as plain SQL.

Only the keys are the prepared statement's parameters ($1, $2…); its constants (a status such as
'approved', the actions a history shows) are written into it as literals, as plain SQL has them.
PostgreSQL plans a prepared statement afresh at each execution ("custom" plans) for as long as its
one parameter-blind ("generic") plan looks dearer, and `status = $1` hid from that plan the partial
indexes that hold only approved rows: a speaker page's timeline and carried claims were planned at
every read (≈ 0.5–2 ms each, more than their execution), never from the generic plan.

A statement's SQL depends on who reads (drafts are hidden from readers who may not see them) and
on how many keys a list holds, so one is compiled per database, per set of draft permissions
(`sees_drafts` for each model with drafts) and per list length, in each thread (a compiler is
bound to its thread's connection).
"""

import datetime
import json
import re
import threading
import weakref
from itertools import count

from django.apps import apps
from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.db.models import F, Lookup, Subquery, TextField

from ..querysets import sees_drafts

# Stand-in keys: no primary key or slug, and no constant in a read's SQL, is anywhere near these.
_STAND_IN_BASE = -(2**62)
_STAND_IN_TEXT = "\x00stand-in key {}\x00"
# Keys are bigint columns: a key outside their range matches no row (PostgreSQL would refuse it).
_KEY_RANGE = range(-(2**63), 2**63)
# What a stand-in can be once adapted for the database (a datetime: a cursor's position).
_KEY_TYPES = (int, str, datetime.datetime)
# A slot's index for a whole list of keys sent as one parameter (KeysIn on PostgreSQL).
_WHOLE_LIST = "whole list"


class KeysIn(Lookup):
    """`KeysIn("column", keys)`, a filter: the column's value is one of `keys` (a list of integer keys).

    Elsewhere it is `column IN (%s, %s, …)`, one parameter per key. On PostgreSQL it is
    `column = ANY(%s)` and the keys are one array parameter, sent as its text ('{1,2,3}'): a page's
    50 keys written and parsed as one literal, not 50 (psycopg2 interpolates each parameter on the
    client, PostgreSQL parses each in the EXECUTE). Measured on the 100k-claim corpus, a prepared
    statement of 50 keys: 0.085 → 0.045 ms of client CPU per execution, 0.26 → 0.15–0.20 ms wall.
    The SQL no longer depends on how many keys there are, but CompiledRows still compiles one per
    list length (as for any list).
    """

    lookup_name = "keys_in"
    prepare_rhs = False

    def __init__(self, column, keys):
        super().__init__(F(column) if isinstance(column, str) else column, list(keys))

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.lhs)
        if not self.rhs:
            raise EmptyResultSet
        return f"{column} IN ({', '.join(['%s'] * len(self.rhs))})", [*params, *self.rhs]

    def as_postgresql(self, compiler, connection):
        column, params = compiler.compile(self.lhs)
        if not self.rhs:
            raise EmptyResultSet
        return f"{column} = ANY(%s)", [*params, self.rhs]


def _array_text(keys):
    """PostgreSQL's text of an array of integer keys; other keys as a list (which psycopg2 adapts)."""
    if all(type(key) is int for key in keys):
        return "{" + ",".join(map(str, keys)) + "}"
    return list(keys)


def draft_permissions(viewer):
    """What decides the SQL of a read for `viewer`: which of the record's models' drafts they may see."""
    if viewer is None or not viewer.is_authenticated:
        return ()
    return tuple(sees_drafts(viewer, model) for model in apps.get_app_config("claims").get_models())


# The statements prepared on each PostgreSQL connection (the driver's connection object, so a
# connection replaced by the health check starts with none).
_prepared_on = weakref.WeakKeyDictionary()
PREPARED_PREFIX = "sahel_read_"
_statement_names = count(1)
# The most statements one connection holds prepared. Each costs its PostgreSQL backend memory for as
# long as the connection lives (≈ 85 KB for a claims page with its count, ≈ 110 KB once a generic plan
# is cached), and a list compiles one per page bounds: a crawler walking ?page=1,2,3… had each
# connection prepare one more per page, under a new name (CompiledList's compile cache is emptied,
# never its statements deallocated). The busy reads need far fewer: every list's first pages and
# every claim, speaker and source (API and site) prepared 83 statements for an anonymous reader, 124
# with a curator's too (seed record, PostgreSQL 15). At 500 (≈ 40 MB a backend at most) the busy
# reads of every kind of reader stay prepared; past it the connection deallocates all and prepares
# each again as it is next read (one PREPARE each, once per 500 new statements).
MAX_PREPARED = 500


def _executed_unless_refused(connection, driver_cursor, sql, savepoint):
    """Whether `sql` (a PREPARE, a DEALLOCATE: neither is transactional) ran; False if the database
    refused it. In a transaction a refusal must not abort the caller's: a savepoint keeps it usable."""
    if connection.in_atomic_block:
        driver_cursor.execute(f"SAVEPOINT {savepoint}")
    try:
        driver_cursor.execute(sql)
    except connection.Database.Error:
        if connection.in_atomic_block:
            driver_cursor.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
        return False
    if connection.in_atomic_block:
        driver_cursor.execute(f"RELEASE SAVEPOINT {savepoint}")
    return True


def _deallocated_all(connection, driver_cursor, prepared):
    """DEALLOCATE ALL of `connection`'s prepared statements (`prepared`, its set of their names, emptied);
    False if PostgreSQL refused (`prepared` left as it was)."""
    if not _executed_unless_refused(connection, driver_cursor, "DEALLOCATE ALL", "sahel_deallocate"):
        return False
    prepared.clear()
    return True


def _prepared_sql(sql, slots, constants, driver_cursor):
    """The SQL to PREPARE: each key's `%s` as PostgreSQL's `$1, $2…`, numbered in the order the keys
    first appear (a key used twice is one parameter), and each constant written in as the literal the
    driver sends for it in plain SQL (psycopg2 interpolates its parameters on the client), so that the
    generic plan sees the constants as a custom plan does."""
    numbers = {slot: number for number, slot in enumerate(dict.fromkeys(s for s in slots if s is not None), 1)}
    parameters = iter(zip(slots, constants, strict=True))
    literals = []

    def placeholder(match):
        if match.group() == "%%":
            return "%%"  # left for mogrify(), which writes it as `%`
        slot, constant = next(parameters)
        if slot is None:
            literals.append(constant)
            return "%s"
        return f"${numbers[slot]}"

    template = re.sub(r"%%|%s", placeholder, sql)
    return driver_cursor.mogrify(template, literals).decode()  # Django's connections speak UTF-8


def _in_range(value):
    if isinstance(value, (list, tuple)) and value:
        try:  # a list of integer keys (a page's): its bounds, not each key in turn
            return _KEY_RANGE.start <= min(value) and max(value) < _KEY_RANGE.stop
        except TypeError:  # strings: any is a key
            return all(_in_range(item) for item in value)
    return isinstance(value, (str, list, tuple)) or value in _KEY_RANGE


def _shape(value):
    if isinstance(value, (list, tuple)):
        return (len(value), type(value[0]))
    return (None, type(value))


def _keys_shape(keys):
    """What of `keys` decides a statement's SQL: their names, and each list's length and item type."""
    return tuple((name, *_shape(value)) for name, value in sorted(keys.items()))


def _stand_ins(shape):
    """({name: stand-in key, or a list of them}, {stand-in: (name, index)}) for keys of `shape`."""
    numbers = count(_STAND_IN_BASE)

    def stand_in(kind):
        number = next(numbers)
        return number if kind is int else _STAND_IN_TEXT.format(number)

    arguments, stand_ins = {}, {}
    for name, length, kind in shape:
        if length is None:
            arguments[name] = stand_in(kind)
            stand_ins[arguments[name]] = (name, None)
        else:
            arguments[name] = [stand_in(kind) for _ in range(length)]
            stand_ins.update({value: (name, index) for index, value in enumerate(arguments[name])})
    return arguments, stand_ins


def _key(keys, slot):
    """The key a parameter's slot names: (name, None) for a single key, (name, index) for a list's item,
    (name, _WHOLE_LIST) for a list sent as one array parameter."""
    name, index = slot
    if index is None:
        return keys[name]
    if index == _WHOLE_LIST:
        return _array_text(keys[name])
    return keys[name][index]


def _slot(param, stand_ins):
    """The slot of a parameter: the (name, index) of the key a stand-in stands for, (name, _WHOLE_LIST)
    for a whole list of stand-ins in their order (KeysIn's array), or None for a constant."""
    if type(param) in _KEY_TYPES:
        return stand_ins.get(param)
    if type(param) is list and param and all(type(item) in _KEY_TYPES for item in param):
        slots = [stand_ins.get(item) for item in param]
        name = slots[0] and slots[0][0]
        if name is not None and slots == [(name, index) for index in range(len(param))]:
            return (name, _WHOLE_LIST)
    return None


def _keys_missing(slots, stand_ins):
    """The (name, index) of the stand-ins no parameter sends (a whole list's parameter sends all its keys)."""
    reached = {slot for slot in slots if slot is not None}
    whole = {name for name, index in reached if index == _WHOLE_LIST}
    return {slot for slot in stand_ins.values() if slot not in reached and slot[0] not in whole}


class _Compiled:
    def __init__(self, queryset, using, stand_ins, counting=False):
        query = queryset.query
        self.names = (
            list(query.selected)
            if query.selected
            else [
                *query.extra_select,
                *query.values_select,
                *query.annotation_select,
            ]
        )
        self.counting = counting
        compiler = query.get_compiler(using=using)
        try:
            self.sql, params = compiler.as_sql()
        except EmptyResultSet:  # nothing can match (an empty slice, `.none()`): no SQL to run
            self.sql, self.preparable = None, False
            return
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ImproperlyConfigured("A compiled read cannot select a composite field.")
        self.width = compiler.col_count if compiler.has_extra_select else None
        self.converters = compiler.get_converters(fields)
        self.compiler = compiler
        # For each parameter: the (name, index) of the key it stands for, or None for a constant.
        self.slots = [_slot(param, stand_ins) for param in params]
        self.constants = params
        if counting:  # the number of rows, not the rows
            self.sql = f"SELECT COUNT(*) FROM ({self.sql}) counted"
            self.names, self.width, self.converters = ["count"], None, {}
        missing = _keys_missing(self.slots, stand_ins)
        if missing:
            raise ImproperlyConfigured(f"Keys {sorted(missing)} did not reach the SQL as parameters.")
        self._ready(compiler.connection)

    def _ready(self, connection):
        """Names the statement to PREPARE, once its SQL and parameters (`sql`, `slots`, `constants`) are set."""
        # What a prepared statement is sent: each key once, though the SQL may use it more than once
        # (both halves of a UNION).
        self.key_slots = list(dict.fromkeys(slot for slot in self.slots if slot is not None))
        self.preparable = connection.vendor == "postgresql" and settings.DATABASE_PREPARED_STATEMENTS
        if self.preparable:
            self.name = f"{PREPARED_PREFIX}{next(_statement_names)}"
            arguments = f"({', '.join(['%s'] * len(self.key_slots))})" if self.key_slots else ""
            self.execute_prepared = f"EXECUTE {self.name}{arguments}"

    def _prepared(self, connection, cursor):
        """Whether this statement is prepared on `connection` (preparing it the first time)."""
        prepared = _prepared_on.setdefault(connection.connection, set())
        if self.name in prepared:
            return True
        driver_cursor = cursor.cursor
        if len(prepared) >= MAX_PREPARED and not _deallocated_all(connection, driver_cursor, prepared):
            return False  # this once as plain SQL; the next statement to prepare tries again
        sql = _prepared_sql(self.sql, self.slots, self.constants, driver_cursor)
        if not _executed_unless_refused(connection, driver_cursor, f"PREPARE {self.name} AS {sql}", self.name):
            self.preparable = False  # run as plain SQL from now on
            return False
        prepared.add(self.name)
        return True

    def rows(self, connection, keys):
        if self.sql is None:
            return [{"count": 0}] if self.counting else []
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.values(connection, keys)]

    def values(self, connection, keys):
        """The rows as sequences of the columns in `names`' order (no dict per row)."""
        if self.sql is None:
            return [(0,)] if self.counting else []
        return self._converted(self._fetched(connection, keys))

    def _fetched(self, connection, keys):
        """The rows as the database answers them."""
        with connection.cursor() as cursor:
            if self.preparable and self._prepared(connection, cursor):
                # The constants are in the prepared statement: only the keys are sent.
                cursor.execute(self.execute_prepared, [_key(keys, slot) for slot in self.key_slots])
            else:
                params = [
                    constant if slot is None else _key(keys, slot)
                    for constant, slot in zip(self.constants, self.slots, strict=True)
                ]
                cursor.execute(self.sql, params)
            return cursor.fetchall()

    def _converted(self, rows):
        """`rows` as the queryset's `.values()` gives them: its columns only, the ORM's converters applied."""
        if self.width is not None:
            rows = [row[: self.width] for row in rows]
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return rows


class _CountedPage(_Compiled):
    """A list's count (`count`, a counting _Compiled) and one of its pages (`page`), read by one
    statement: one round trip, and on PostgreSQL one EXECUTE, where they took two.

    The count is the one row of its own subquery, and the page is LEFT JOINed to it, so the answer
    is one row even when the page is empty: the count still comes back. Each of the page's rows
    carries a 1 (`on_page`), which an empty page's row has as NULL. The page's rows keep its order:
    with nothing to join on, the join can only be a nested loop over the count's one row, reading
    the page once, in order. Each half is planned as it was alone (EXPLAIN: the count still an
    index-only scan stopping at the cap, the page the same scan of the same rows).
    """

    def __init__(self, count, page):
        self.names, self.counting = page.names, False
        self.count, self.page = count, page
        if count.sql is None or page.sql is None:  # nothing can match: each answers without a read
            self.sql, self.preparable = None, False
            return
        self.width, self.converters, self.compiler = page.width, page.converters, page.compiler
        self.sql = (
            f"SELECT capped_count.*, page.* FROM ({count.sql}) capped_count "
            f"LEFT JOIN (SELECT 1 AS on_page, listed.* FROM ({page.sql}) listed) page ON TRUE"
        )
        self.slots = [*count.slots, *page.slots]
        self.constants = [*count.constants, *page.constants]
        self._ready(page.compiler.connection)

    def counted_values(self, connection, keys):
        """(The count, the page's rows as `values()` gives them: sequences of the columns in `names`' order)."""
        if self.sql is None:
            return self.count.values(connection, keys)[0][0], list(self.page.values(connection, keys))
        rows = self._fetched(connection, keys)
        count = rows[0][0]
        return count, list(self._converted([row[2:] for row in rows if row[1] is not None]))


class CompiledRows:
    """`build(viewer, **keys)`, a `.values()` queryset of `model`, compiled once, run with other keys.

    Keys are integers or strings, or lists of either: each is meant for an `exact` or `__in` match,
    so an empty list, or an integer no bigint can hold, selects nothing (and with `counting`, reads
    nothing: the caller knows the count is 0). `statement(viewer, **keys)` returns
    the rows as `.values()` would, read from the database the router names for `model`.
    """

    def __init__(self, model, build, counting=False, prepare=True):
        self.model = model
        self.build = build
        self.counting = counting  # rows [{"count": how many rows the queryset has}]
        # prepare=False: sent as plain SQL, planned for its keys each time. For keys whose values
        # decide the plan (a search's LIKE patterns), which a generic plan cannot see.
        self.prepare = prepare
        self._local = threading.local()

    def __call__(self, viewer, **keys):
        return self._read(viewer, keys, _Compiled.rows)

    def values_list(self, viewer, **keys):
        """The rows as sequences of their columns, in the order the queryset's `.values()` names
        them (as `values_list()` gives them): for reads that unpack each row rather than look its
        columns up by name."""
        return self._read(viewer, keys, _Compiled.values)

    def _read(self, viewer, keys, read):
        using = router.db_for_read(self.model)
        if any(value == [] or not _in_range(value) for value in keys.values()):
            return []
        shape = _keys_shape(keys)
        cache_key = (using, draft_permissions(viewer), shape)
        compiled = getattr(self._local, "compiled", None)
        if compiled is None:
            compiled = self._local.compiled = {}
        statement = compiled.get(cache_key)
        if statement is None:
            statement = compiled[cache_key] = self._compile(viewer, using, shape)
        return read(statement, connections[using], keys)

    def _compile(self, viewer, using, shape):
        arguments, stand_ins = _stand_ins(shape)
        compiled = _Compiled(self.build(viewer, **arguments), using, stand_ins, counting=self.counting)
        compiled.preparable = compiled.preparable and self.prepare
        return compiled


def deferred_page(rows, listed, start, stop):
    """`listed`[start:stop], where `listed` is `rows` (an ordered queryset) with a page's columns.

    Past the first row, the page's keys are found by `rows`' order (the OFFSET there), then only those
    rows read (a deferred join): an OFFSET makes the database build each row it skips, columns and
    subqueries included (a claim's disputed_by_count), only to discard it. Page 1000 of claims (50 a
    page, 100k claims) took ≈ 58 ms that way, ≈ 5 ms reading keys. The page is sorted again by the
    same order, which must end with the key: the same rows, in the same order. Its LIMIT, which takes
    nothing away, keeps SQLite from flattening the page into _CountedPage's join, which would drop
    the page's order."""
    if start == 0 or stop is None:  # nothing skipped; no bound
        return listed[start:stop]
    return listed.filter(pk__in=rows.values("pk")[start:stop])[: stop - start]


class CompiledList:
    """The rows of a list read, counted and sliced by compiled statements, for Django's Paginator
    and DRF's CursorPagination.

    `rows(**keys)` builds the list's queryset (filtered and ordered as the view reads it for this
    reader); it is called only when a statement is compiled: the first time per thread, database,
    set of draft permissions, page bounds, cursor shape and shape of `keys`. `listed(queryset)`,
    if given, makes it what a page reads (its `.values()`), while the count and a deep page's keys
    read `rows()` as it is: the columns a page lists can join other tables, which neither needs
    (Django keeps a join once made, whatever is selected afterwards). `name` names the list (its
    view and action) in the cache, so it must say everything that decides `rows()` and `listed()`
    besides the reader and the keys. With `flat`, a slice gives the single column's values rather
    than rows.

    `keys` are what a search reads by (statements.CompiledRows' keys: its LIKE patterns, the
    matching speakers' keys, its tsquery), handed to `rows()` as stand-ins when it compiles, then
    sent with each execution; `prepare=False` as for CompiledRows.

    A page and its count are read by one statement (`count_and_slice()`, which the paginator
    calls for a page it has no count for yet): the two statements joined, one round trip.

    A cursor paginator reorders the list and filters it past its position on the first ordering
    field (`order_by()`, `filter()` below): the order and the comparison are compiled, the position
    is a parameter, adapted for the database as the field's lookups adapt it.
    """

    _local = threading.local()
    MAX_STATEMENTS = 512  # per thread; deep page numbers each compile their own LIMIT/OFFSET

    def __init__(
        self, name, model, viewer, rows, listed=None, flat=False, ordering=None, position=None, keys=None, prepare=True
    ):
        self.name, self.model, self.viewer, self.rows, self.listed, self.flat = name, model, viewer, rows, listed, flat
        self.ordering = ordering  # None: the order rows() gives
        self.position = position  # None, or (lookup, value): a cursor's `created_at__lt` and its position
        self.keys = keys or {}
        self.prepare = prepare
        self._counted = None  # count_up_to()'s memo: (cap, count)

    def _copy(self, **changes):
        arguments = {
            "listed": self.listed,
            "flat": self.flat,
            "ordering": self.ordering,
            "position": self.position,
            "keys": self.keys,
            "prepare": self.prepare,
            **changes,
        }
        return type(self)(self.name, self.model, self.viewer, self.rows, **arguments)

    def order_by(self, *ordering):
        return self._copy(ordering=tuple(ordering))

    def filter(self, **lookups):
        ((lookup, value),) = lookups.items()  # a cursor's one comparison; anything else builds a queryset
        field_name, comparison = lookup.rsplit("__", 1)
        if self.position is not None or comparison not in ("lt", "gt"):
            raise TypeError(f"A compiled list is filtered by one cursor position, not by {lookup}.")
        return self._copy(position=(lookup, value))

    def ordered_by_keys(self, **keys):
        """These rows in the order `rows()` gives with `keys` added (a search ranked by its tsquery):
        the same rows, so a count already made holds for them (as count_up_to() hands it on)."""
        ordered = self._copy(keys={**self.keys, **keys})
        ordered._counted = self._counted
        return ordered

    def _position_parameter(self, value, connection):
        field = self.model._meta.get_field(self.position[0].rsplit("__", 1)[0])
        return field.get_db_prep_value(value, connection)

    def _build(self, stand_in, arguments):
        rows = self.rows(**arguments)
        if self.ordering is not None:
            rows = rows.order_by(*self.ordering)
        if self.position is not None:
            rows = rows.filter(**{self.position[0]: stand_in})
        return rows

    @staticmethod
    def _for_counting(rows):
        """What a count reads of the rows: their keys only (a page's columns can be costly: context cut
        from source texts), in no order."""
        return rows.order_by().values("pk")

    def _sliced(self, rows, start, stop):
        """The listed rows[start:stop], by deferred_page() (the view's orderings end with the key)."""
        listed = rows if self.listed is None else self.listed(rows)
        if self.flat:  # a flat list reads keys
            return listed[start:stop]
        return deferred_page(rows, listed, start, stop)

    def _statement(self, bounds, counting=False, counted_up_to=None):
        """The compiled statement reading rows[start:stop] (`bounds`), or counting them (`counting`), or
        reading them with their count up to `counted_up_to` + 1 (_CountedPage); its connection and keys."""
        using = router.db_for_read(self.model)
        cursor = (self.ordering, self.position and self.position[0])
        shape = _keys_shape(self.keys)
        key = (self.name, using, draft_permissions(self.viewer), bounds, counting, counted_up_to, cursor, shape)
        compiled = getattr(self._local, "compiled", None)
        if compiled is None:
            compiled = self._local.compiled = {}
        statement = compiled.get(key)
        connection = connections[using]
        if statement is None:
            if len(compiled) >= self.MAX_STATEMENTS:
                compiled.clear()
            start, stop = bounds
            arguments, stand_ins = _stand_ins(shape)
            stand_in = None
            if self.position is not None:  # a moment no record holds; as the database receives it
                stand_in = datetime.datetime(1, 1, 1, 0, 0, 0, 424242, tzinfo=datetime.UTC)
                stand_ins[self._position_parameter(stand_in, connection)] = ("position", None)
            rows = self._build(stand_in, arguments)
            if counting:
                statement = _Compiled(self._for_counting(rows)[start:stop], using, stand_ins, counting=True)
            else:
                statement = _Compiled(self._sliced(rows, start, stop), using, stand_ins)
            if counted_up_to is not None:
                count = _Compiled(self._for_counting(rows)[: counted_up_to + 1], using, stand_ins, counting=True)
                statement = _CountedPage(count, statement)
            statement.preparable = statement.preparable and self.prepare
            compiled[key] = statement
        keys = self.keys
        if self.position is not None:
            keys = {**keys, "position": self._position_parameter(self.position[1], connection)}
        return statement, connection, keys

    def known_count(self, cap):
        """count_up_to(cap) if a count already made answers it (a count exact below its cap answers any
        cap, past it only caps up to its own), else None."""
        if self._counted is not None:
            counted_cap, count = self._counted
            if count <= counted_cap or cap <= counted_cap:
                return min(count, cap + 1)
        return None

    def count_up_to(self, cap):
        """How many rows there are, counted up to `cap` + 1 (as querysets.count_up_to does, and as
        it does, once)."""
        count = self.known_count(cap)
        if count is None:
            statement, connection, keys = self._statement((0, cap + 1), counting=True)
            count = statement.rows(connection, keys)[0]["count"]
            self._counted = (cap, count)
        return count

    def count_and_slice(self, cap, start, stop):
        """(count_up_to(cap), self[start:stop]), read by one statement (_CountedPage): a page and its
        count in one round trip. (Where known_count(cap) knows the count, the slice alone reads less.)"""
        statement, connection, keys = self._statement((start, stop), counted_up_to=cap)
        count, rows = statement.counted_values(connection, keys)
        self._counted = (cap, count)
        return count, self._listed(statement.names, rows)

    def _listed(self, names, rows):
        """Rows read as sequences of the columns `names`, as a slice gives them: dicts, or with `flat`
        the single column's values."""
        if self.flat:
            return [row[0] for row in rows]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def __getitem__(self, bounds):
        if not isinstance(bounds, slice) or bounds.step is not None:
            raise TypeError("A compiled list is read by slices of consecutive rows.")
        statement, connection, keys = self._statement((bounds.start or 0, bounds.stop))
        return self._listed(statement.names, statement.values(connection, keys))


# Rows nested in a statement ---------------------------------------------------------------------
#
# A detail's related rows (a speaker's roles, a claim's evidence) read as JSON columns of the one
# statement that reads the record, not by a statement each: a statement costs a round trip and
# ≈ 0.1 ms of Python (Django's cursor, the driver, the converters) before its first row.


class JSONRows(Subquery):
    """The rows of `queryset` (an ordered, sliced `.values()` queryset on the outer row's key) as one
    column of the outer statement: a JSON array of arrays, each row's `names` columns in order.

    The aggregate takes the rows in the order the subquery gives them: a plain aggregate over one
    ordered subquery, with nothing between them that could reorder (PostgreSQL's documentation names
    a sorted subquery as a way to order json_agg()'s input; SQLite 3.40 has no ORDER BY inside an
    aggregate). tests/test_site_compiled.py and tests/test_api_statements.py hold the order to the
    querysets' on both databases.
    """

    def __init__(self, queryset, names):
        super().__init__(queryset, output_field=TextField())
        self.names = names

    def _columns(self, connection):
        return ", ".join(f"_rows.{connection.ops.quote_name(name)}" for name in self.names)

    def as_postgresql(self, compiler, connection, **extra_context):
        # json (text), not jsonb: built once and sent on, never queried; COALESCE: no row, no array.
        rows = f"JSON_AGG(JSON_BUILD_ARRAY({self._columns(connection)}))"
        template = f"(SELECT COALESCE({rows}, '[]')::text FROM (%(subquery)s) _rows)"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = f"(SELECT JSON_GROUP_ARRAY(JSON_ARRAY({self._columns(connection)})) FROM (%(subquery)s) _rows)"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _moment(text):
    """A datetime column's JSON text as the ORM loads it: aware, in UTC (SQLite's has no offset)."""
    moment = datetime.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


# What the ORM's converters make of a column that JSON holds as text or 0/1; the columns JSON holds as
# the ORM gives them. A column of any other kind (a decimal, a duration) is refused, not misread.
_FROM_JSON = {"DateField": datetime.date.fromisoformat, "DateTimeField": _moment, "BooleanField": bool}
_AS_JSON = {"AutoField", "BigAutoField", "BigIntegerField", "CharField", "ForeignKey", "IntegerField"}
_AS_JSON |= {"PositiveIntegerField", "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField"}


class NestedRows:
    """Rows read within another statement: `rows(key, *more)` is their `.values()` queryset, ordered
    and sliced, for `key` (the outer row's key as an OuterRef, or the statement's own key) and
    whatever else decides it (the reader); column() reads them as a JSONRows column and decode()
    gives back the rows the queryset gives, as dicts of its columns."""

    def __init__(self, model, rows):
        self.model, self.rows = model, rows
        self._columns = None

    def columns(self, *arguments):
        """(names, [(index, name, converter)] of the columns JSON does not hold as the ORM gives them),
        from the queryset rows(0, *arguments) (its columns are the same whatever the key and reader)."""
        if self._columns is None:
            compiler = self.rows(0, *arguments).query.get_compiler(using=router.db_for_read(self.model))
            compiler.setup_query()
            names = [alias for _, _, alias in compiler.select]
            types = [expression.output_field.get_internal_type() for expression, _, _ in compiler.select]
            unread = sorted(set(types) - _AS_JSON - set(_FROM_JSON))
            if unread:
                raise ImproperlyConfigured(f"Rows read as JSON cannot hold {', '.join(unread)} columns.")
            converted = [
                (index, names[index], _FROM_JSON[kind]) for index, kind in enumerate(types) if kind in _FROM_JSON
            ]
            self._columns = names, converted
        return self._columns

    def column(self, key, *more):
        return JSONRows(self.rows(key, *more), self.columns(*more)[0])

    def decode(self, text):
        names, converted = self._columns  # read when the statement holding the column was built
        rows = []
        for values in json.loads(text):
            row = dict(zip(names, values, strict=True))
            for index, name, convert in converted:
                if values[index] is not None:
                    row[name] = convert(values[index])
            rows.append(row)
        return rows
