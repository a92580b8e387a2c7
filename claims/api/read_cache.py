"""Anonymous reads answered again from memory while the database has committed nothing since.

Most of the API's traffic is anonymous readers asking for the same pages (the newest claims, the
review queue, a claim everyone links to). Building a page costs several milliseconds of Python
and SQL; answering it again from memory costs one tiny query. That query asks PostgreSQL for the
current transaction snapshot: the set of transactions whose work is visible. Two requests that
see the same snapshot see the same committed data, whoever wrote it (this API, the admin, a
management command, psql, a restore). A response is therefore stored under the snapshot it was
built in, and replayed only to requests that see that same snapshot. Nothing has to remember to
invalidate it: any writing transaction that ends anywhere in the cluster moves the snapshot on,
and the next read is built afresh. There is no time-to-live to tune and no stale window.

What is stored is only what every anonymous reader would get anyway: a 200 answer to a GET from a
request that DRF authenticated as nobody, for the same URL (host and scheme included: the links in a
response are absolute) and the same negotiated media type. The request still passes
authentication, permissions and the rate limits before anything is replayed.

On a streaming replica (claims/db_router.py) the state also names the WAL position the replica has
replayed: the key moves whenever the replica replays anything, and a page built on one server's
data is replayed only to a request whose server has replayed exactly as far (a page built on the
primary never matches a replica's key, nor a page from a replica that is ahead of another one).

Only PostgreSQL names its snapshot; on SQLite (the embedded default, one process) reads are
always built afresh. A transaction that has written sees its own uncommitted rows, which no
other reader may get: such a request neither replays nor stores.
"""

from hashlib import blake2b

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpResponse

from claims import db_router

CACHE_ALIAS = "api_reads"
REPLAYED_MEDIA_TYPES = ("application/json", "application/ld+json", "text/csv")


class Replay(Exception):  # noqa: N818 (a way out of DRF's `initial()`, not an error)
    """Raised by a view's `initial()` to answer with a stored response instead of running the action."""

    def __init__(self, response):
        super().__init__()
        self.response = response


def committed_state():
    """Text naming exactly the committed data this request reads, or None when there is no such name.

    None on SQLite, and in a transaction that has written (its own uncommitted rows are not the
    committed state).
    """
    connection = connections[db_router.read_alias()]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NULL,"
            " pg_last_wal_replay_lsn()::text"  # NULL on the primary
        )
        snapshot, has_not_written, replayed = cursor.fetchone()
    if not has_not_written:
        return None
    return snapshot if replayed is None else f"{snapshot} replayed to {replayed}"


def is_anonymous_read(request):
    """A GET from a request that authenticated as nobody (DRF's view of it, forced test users included)."""
    return request.method == "GET" and request.auth is None and not request.user.is_authenticated


def key_for(request):
    """The cache key for this DRF request's answer, or None when its answer may not be shared."""
    if settings.API_READ_CACHE_SECONDS <= 0 or not is_anonymous_read(request):
        return None
    if not (request.accepted_media_type or "").startswith(REPLAYED_MEDIA_TYPES):
        return None  # the browsable API's HTML is never stored: no need to ask for the snapshot
    return _key("api-read", request, request.accepted_media_type)


def _key(prefix, request, media_type):
    """A key naming the committed data read, the URL and the media type; None without a snapshot."""
    state = committed_state()
    if state is None:
        return None
    named = "\n".join((state, request.build_absolute_uri(), media_type))
    return f"{prefix}:" + blake2b(named.encode(), digest_size=20).hexdigest()


def page_key_for(request):
    """The key for a public page (claims/site), or None when it may not be replayed.

    The public site shows every reader the same published record (never drafts, nothing per user),
    so a page is shared by URL and snapshot alone: no authentication to consult.
    """
    if settings.API_READ_CACHE_SECONDS <= 0 or request.method != "GET":
        return None
    return _key("site-page", request, "text/html")


def store_page(key, response):
    """Keep a public page's 200 answer (no cookies set) under `key`."""
    if response.status_code == 200 and not response.cookies:
        caches[CACHE_ALIAS].set(key, (response.content, dict(response.items())), settings.API_READ_CACHE_SECONDS)


def stored_response(key):
    stored = caches[CACHE_ALIAS].get(key)
    if stored is None:
        return None
    content, headers = stored
    return HttpResponse(content, headers=headers)


def store_when_rendered(key, response):
    """Keep `response` under `key` once rendered, when it is a 200 in one of the API's data formats."""

    def store(rendered):
        shareable = (
            rendered.status_code == 200
            and rendered.get("Content-Type", "").startswith(REPLAYED_MEDIA_TYPES)
            and not rendered.cookies
        )
        if shareable:
            caches[CACHE_ALIAS].set(key, (rendered.content, dict(rendered.items())), settings.API_READ_CACHE_SECONDS)

    response.add_post_render_callback(store)
