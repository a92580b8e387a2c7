"""Failure answers that stay JSON and cheap: oversized bodies and an unreachable database."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class RequestBodyLimitMiddleware:
    """Refuse a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE with 413, from its Content-Length.

    Django enforces that limit only when `request.body` is read; parsers that stream the body
    (DRF's) would otherwise read a huge upload whole before failing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse(
                {"detail": "Malformed Content-Length header.", "code": "bad_content_length"}, status=400
            )
        if limit is not None and length > limit:
            return JsonResponse(
                {
                    "detail": f"The request body is {length} bytes; the limit is {limit} bytes.",
                    "code": "request_too_large",
                },
                status=413,
            )
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Answer 503 with a JSON body while the database cannot be reached, not a traceback or a hang.

    With CONN_HEALTH_CHECKS on and a short connect_timeout (settings), the next request after the
    database comes back opens a fresh connection: the app server recovers without a restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable: %s", exception)
        return database_unavailable()


def database_unavailable():
    response = JsonResponse(
        {"detail": "The database is unavailable; try again shortly.", "code": "database_unavailable"},
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
