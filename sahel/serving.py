"""What must hold, and what is worth doing, before the web application answers a single request."""

import gc

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_resolver


def require_secret_key():
    """Refuse to serve with DEBUG off and no SECRET_KEY, rather than fail on the first signed cookie."""
    try:
        settings.SECRET_KEY  # noqa: B018  (Django refuses an empty key when it is read)
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.") from error


def prepare_worker():
    """Load what a worker's first request would, then keep it out of the garbage collector's way.

    Django imports the URLconf, and with it every view, serializer and DRF itself, on a worker's
    first request: about 0.4 s that this request, and those queued behind it, would wait. What is
    loaded then lives as long as the worker, yet every full collection traverses it (some hundred
    thousand objects, pauses of 50 to 300 ms under load: bench/RESULTS.md, run 14). gc.freeze()
    moves it to a generation the collector never scans.
    """
    get_resolver().reverse_dict  # noqa: B018  (imports the URLconf and builds the reverse() table)
    gc.collect()
    gc.freeze()
