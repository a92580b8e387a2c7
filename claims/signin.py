"""Signing in under django-axes: whose address a request comes from, and what a locked-out person is told.

django-axes counts failed sign-ins (the admin's login page and POST /api/auth/token/) per account and
per address (settings.AXES_*). These are the two hooks it calls: `client_address` (AXES_CLIENT_IP_CALLABLE)
and `lockout_response` (AXES_LOCKOUT_CALLABLE, the admin's page; the API answers its own JSON 429).
"""

import math

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXIES reverse proxies the address the
    outermost proxy saw, read from the right of X-Forwarded-For (what a client writes there itself is
    further left, and never trusted)."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def cool_off_seconds():
    return math.ceil(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message():
    minutes = math.ceil(cool_off_seconds() / 60)
    return (
        "Too many failed sign-ins for this account or from this address. Wait "
        f"{minutes} minute{'s' if minutes != 1 else ''} and try again (another failed attempt meanwhile "
        "starts the wait again), or ask an administrator to unlock your account."
    )


def lockout_response(request, original_response=None, credentials=None):
    """The 429 page shown instead of the login form while the account or address is locked out."""
    context = {
        **admin.site.each_context(request),
        "title": "Signing in is paused",
        "message": lockout_message(),
    }
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(cool_off_seconds())
    return response
