"""DRF's rate limits, counting each anonymous client by the address django-axes counts it by.

DRF's own throttles name an anonymous client by the whole X-Forwarded-For header when there is one,
so a client writing a new value there on each request was a new client each time and never throttled.
Here the client is `claims.signin.client_address`: REMOTE_ADDR, or behind TRUSTED_PROXIES reverse
proxies the address the outermost one saw — the one rule for sign-in lockouts and rate limits.

Each throttle keeps DRF's log of a client's request times in the cache, which pickles it on every
request, once to read and once to write. Kept as a list, a busy client's log (up to the rate: 3000
times under the user rate) costs ~30-90 µs per throttle per request; as an array of doubles, DRF's
algorithm runs unchanged on it (an array pops, inserts and counts as the list did, and the times
are the same doubles). The array is stored as its bytes: pickling an array object itself costs
≈ 10-14 µs each way whatever its length (pickle looks up and imports `array._array_reconstructor`
to write it and to read it back), its bytes ≈ 1-3 µs. They are stored under their own key (the
throttle's key + ":times"): a server not yet updated, sharing the cache, reads its own key's list or
array and never meets the bytes; a log it left is read when there is none in bytes yet (so a
client's first request reads twice). While both kinds of server run, each writes its own key: a
client's requests are counted by the kind of server that served them.

The cache backend is looked up once per throttle (DRF makes each throttle afresh per request), not
through the `cache` proxy on each read and write: each look-up goes through Django's per-thread
connection handler (≈ 6 Python calls; 4 look-ups per request became 2). The backend is still the
request's thread's, as the proxy would give.
"""

from array import array

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from rest_framework import throttling

from ..signin import client_address


class RequestLogs:
    """The cache as DRF's throttles use it (`get(key, [])`, `set(key, log, duration)`), each log an
    array of times, stored as its bytes."""

    def __init__(self, backend):
        self.backend = backend

    def get(self, key, default=None):
        stored = self.backend.get(times_key(key))
        if stored is None:
            # None in bytes yet: a log written before logs were stored as bytes (by a server sharing
            # the cache, not yet updated: DRF's list, or an array), else DRF's default (a list).
            log = self.backend.get(key, default)
            return array("d", log) if isinstance(log, list) else log
        log = array("d")
        log.frombytes(stored)
        return log

    def set(self, key, log, timeout):
        times = log if isinstance(log, array) else array("d", log)
        self.backend.set(times_key(key), times.tobytes(), timeout)


def times_key(key):
    return f"{key}:times"


class ClientAddressMixin:
    def __init__(self):
        self.cache = RequestLogs(caches[DEFAULT_CACHE_ALIAS])  # DRF's throttles read `self.cache`
        super().__init__()

    def get_ident(self, request):
        return client_address(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    """Signed-in clients are counted by account (DRF's rule); the address names only anonymous ones."""
