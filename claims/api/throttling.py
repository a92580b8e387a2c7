"""DRF's rate limits, counting each anonymous client by the address django-axes counts it by.

DRF's own throttles name an anonymous client by the whole X-Forwarded-For header when there is one,
so a client writing a new value there on each request was a new client each time and never throttled.
Here the client is `claims.signin.client_address`: REMOTE_ADDR, or behind TRUSTED_PROXIES reverse
proxies the address the outermost one saw — the one rule for sign-in lockouts and rate limits.

Each throttle keeps DRF's log of a client's request times in the cache, which pickles it on every
request, once to read and once to write. Kept as a list, a busy client's log (up to the rate: 3000
times under the user rate) costs ~30-90 µs per throttle per request; kept as an array of doubles
(one block of bytes to copy) ~4-10 µs. DRF's algorithm runs unchanged on it: an array pops, inserts
and counts as the list did, and the times are the same doubles.

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
    """The cache as DRF's throttles use it (`get(key, [])`, `set(key, log, duration)`), each log an array."""

    def __init__(self, backend):
        self.backend = backend

    def get(self, key, default=None):
        log = self.backend.get(key, default)
        # A list: DRF's default for a new client, or a log written before logs were arrays (a cache
        # shared with servers not yet updated).
        return array("d", log) if isinstance(log, list) else log

    def set(self, key, log, timeout):
        self.backend.set(key, log, timeout)


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
