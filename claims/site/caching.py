"""HTTP caching of public pages: validators and lifetimes for browsers and CDNs, and replay from memory.

Every page is the same for every reader (the published record, nothing per user, no cookie), so:
- `Cache-Control: public, max-age=SITE_CACHE_SECONDS` lets a CDN or browser keep it that long;
- an `ETag` (a hash of the page) and, where the view knows it, `Last-Modified` (the newest change of
  the rows shown) let them revalidate; ConditionalGetMiddleware answers 304 when nothing changed;
- the answer is kept by `claims.api.read_cache` under PostgreSQL's snapshot and replayed while the
  database has committed nothing since, exactly as the API's anonymous reads are.
"""

from functools import wraps

from django.conf import settings
from django.db import transaction
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from ..api import read_cache


def public_page(view):
    """`view`, a read, kept and replayed as above, and run outside ATOMIC_REQUESTS' transaction: a
    page's reads commit nothing, and BEGIN and COMMIT were two more round trips to the database
    (each of its statements takes its own snapshot under READ COMMITTED inside one as well)."""

    @transaction.non_atomic_requests
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = read_cache.page_key_for(request)
        if key is not None:
            stored = read_cache.stored_response(key)
            if stored is not None:
                return stored
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()  # a TemplateResponse (the sitemaps): its content is hashed and stored below
        if response.status_code == 200 and not response.streaming:
            patch_cache_control(response, public=True, max_age=settings.SITE_CACHE_SECONDS)
            if not response.has_header("ETag"):
                set_response_etag(response)
            if key is not None:
                read_cache.store_page(key, response)
        return response

    return wrapper


def set_last_modified(response, moment):
    """`Last-Modified` from the newest change among the rows a page shows (None: no header)."""
    if moment is not None:
        response["Last-Modified"] = http_date(moment.timestamp())
    return response
