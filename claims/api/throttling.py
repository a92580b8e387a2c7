"""DRF's rate limits, counting each anonymous client by the address django-axes counts it by.

DRF's own throttles name an anonymous client by the whole X-Forwarded-For header when there is one,
so a client writing a new value there on each request was a new client each time and never throttled.
Here the client is `claims.signin.client_address`: REMOTE_ADDR, or behind TRUSTED_PROXIES reverse
proxies the address the outermost one saw — the one rule for sign-in lockouts and rate limits.
"""

from rest_framework import throttling

from ..signin import client_address


class ClientAddressMixin:
    def get_ident(self, request):
        return client_address(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    """Signed-in clients are counted by account (DRF's rule); the address names only anonymous ones."""
