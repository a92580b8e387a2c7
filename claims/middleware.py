"""Answer 503 with a JSON body while the database cannot be reached, instead of a traceback or a hang.

With CONN_HEALTH_CHECKS on and a short connect_timeout (settings), the next request after the
database comes back opens a fresh connection: the app server recovers without a restart.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable: %s", exception)
        response = JsonResponse(
            {"detail": "The database is unavailable; try again shortly.", "code": "database_unavailable"},
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
