"""Which database a request reads from: a streaming replica for anonymous reads, the primary otherwise.

Settings: DATABASE_REPLICAS (aliases in DATABASES, built from DATABASE_REPLICA_URLS),
DATABASE_REPLICA_MAX_LAG (seconds; a replica further behind is skipped) and
DATABASE_REPLICA_CHECK_SECONDS (how long one look at a replica's health is trusted).

`ReplicaRoutingMiddleware` picks, once per request, one healthy replica for a GET/HEAD/OPTIONS from
nobody (no Authorization header, no signed-in session). Everything else — every write, every
curator or reviewer, every read after the request has written — goes to the primary ("default"), so
nobody fails to see their own edit. The choice lives in a context variable: each thread and each
asyncio task sees its own request's choice.

A request read from a replica does not run inside ATOMIC_REQUESTS' transaction on the primary: that
transaction would open a connection to the primary for every anonymous read (and fail them all
while the primary is down). It is read-only, so it needs no transaction; should it write after all,
the write goes to the primary in its own transaction, and its later reads follow it there.
"""

import contextvars
import logging
import random
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections

from .middleware import database_unavailable

logger = logging.getLogger(__name__)

PRIMARY = "default"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class _Route:
    __slots__ = ("alias", "wrote")

    def __init__(self, alias):
        self.alias = alias
        self.wrote = False


_route = contextvars.ContextVar("db_route", default=None)


def read_alias():
    """The alias this request reads from now: its replica until it writes, else the primary."""
    route = _route.get()
    if route is None or route.wrote or route.alias is None:
        return PRIMARY
    return route.alias


class ReplicaRouter:
    """Django's database router, following the request's route (outside a request: the primary)."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        route = _route.get()
        if route is not None:
            route.wrote = True  # its later reads must see what it wrote
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # replicas replay the primary's schema; they are never migrated


# Replica health, per process: alias -> (checked at, usable). ------------------------------------
_health = {}
_health_lock = threading.Lock()

LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


def replica_lag(alias):
    """Seconds the replica's replay is behind what it has received; 0 when it has replayed all of it.

    Once everything received is replayed the replica is as fresh as its primary lets it be (an idle
    primary sends nothing; a stopped one sends nothing more). The replay timestamp alone would call a
    caught-up replica of a quiet primary ever more "behind".
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return 0.0  # a test mirror
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def is_usable(alias, now=None):
    """Whether `alias` answers and lags at most DATABASE_REPLICA_MAX_LAG; looked at again after a while."""
    now = time.monotonic() if now is None else now
    checked = _health.get(alias)
    if checked is not None and now - checked[0] < settings.DATABASE_REPLICA_CHECK_SECONDS:
        return checked[1]
    try:
        lag = replica_lag(alias)
        usable = lag <= settings.DATABASE_REPLICA_MAX_LAG
        if not usable:
            logger.warning("Replica %s is %.1f s behind; reading from the primary.", alias, lag)
    except DatabaseError as error:
        logger.warning("Replica %s is unavailable (%s); reading from the primary.", alias, error)
        connections[alias].close()
        usable = False
    with _health_lock:
        _health[alias] = (now, usable)
    return usable


def mark_unusable(alias):
    with _health_lock:
        _health[alias] = (time.monotonic(), False)


def forget_health():
    with _health_lock:
        _health.clear()


def choose_replica():
    """One usable replica at random (spreading the readers), or None for the primary."""
    candidates = list(settings.DATABASE_REPLICAS)
    random.shuffle(candidates)
    return next((alias for alias in candidates if is_usable(alias)), None)


def may_read_from_replica(request):
    """A read from nobody: a safe method, no credentials in a header, no signed-in session."""
    if request.method not in SAFE_METHODS or "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


class ReplicaRoutingMiddleware:
    """Route each request's reads (see the module's docstring). Goes after AuthenticationMiddleware.

    It is the last middleware with a process_view, so it can run a replica request's view itself,
    outside ATOMIC_REQUESTS' transaction on the primary. Should the replica fail under the view, the
    replica is set aside and the view runs again, as usual, on the primary: a GET may run twice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            eligible = settings.DATABASE_REPLICAS and may_read_from_replica(request)
        except DatabaseError as error:  # the session could not be read: the primary is down
            logger.error("Database unavailable: %s", error)
            return database_unavailable()
        alias = choose_replica() if eligible else None
        token = _route.set(_Route(alias))
        try:
            response = self.get_response(request)
            if settings.DATABASE_REPLICAS and settings.DATABASE_ROUTE_HEADER:
                response["X-Database"] = read_alias()  # where its reads went last: for the harness, for ops
        finally:
            _route.reset(token)
        return response

    def process_view(self, request, view, args, kwargs):
        route = _route.get()
        if route is None or route.alias is None:
            return None
        try:
            return view(request, *args, **kwargs)
        except DatabaseError as error:
            if route.wrote:
                raise
            logger.warning("Replica %s failed (%s); reading from the primary.", route.alias, error)
            connections[route.alias].close()
            mark_unusable(route.alias)
            route.alias = None
            return None  # Django runs the view again, in its transaction on the primary
