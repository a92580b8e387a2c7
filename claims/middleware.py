"""Failure answers that stay JSON and cheap (oversized bodies, an unreachable database), the
Content-Security-Policy header built once, message storage made only when used, and conditional
GETs evaluated only when the request makes one."""

import functools
import logging

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import DEFAULT_DIRECTIVES, build_policy
from django.conf import settings
from django.contrib.messages import middleware as messages_middleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import JsonResponse
from django.middleware import http
from django.utils.cache import set_response_etag
from django.utils.functional import SimpleLazyObject, empty

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


# django-csp's list of directives, report-uri last as django-csp writes it.
DIRECTIVE_ORDER = [name for name in DEFAULT_DIRECTIVES if name != "report-uri"] + ["report-uri"]


def in_directive_order(policy):
    """`policy` (header text django-csp built) with its directives in one order, the same in every process.

    django-csp's build_policy() gathers the directives in a set (`set(chain(config, replace))`), so it
    writes them in the order of their strings' hashes, which changes with PYTHONHASHSEED: two worker
    processes sent different bytes for the same page. Only the order changes here, not a directive or
    a source: they are put in django-csp's own list's order (csp.utils.DEFAULT_DIRECTIVES), report-uri
    last as django-csp puts it, any directive it does not list after them by name. A directive's
    sources cannot hold ";" (CSP's grammar), so "; " separates directives only.
    """
    return "; ".join(sorted(policy.split("; "), key=_directive_rank))


def _directive_rank(directive):
    name = directive.split(" ", 1)[0]
    return (DIRECTIVE_ORDER.index(name) if name in DIRECTIVE_ORDER else len(DIRECTIVE_ORDER), directive)


# What a view (django-csp's csp_update / csp_replace decorators) sets on its response to make that
# response's policy differ from the settings'.
OWN_POLICY_PARTS = frozenset(
    ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
)


@functools.cache
def policies_from_settings():
    """[(header, its text from the settings, the path prefixes it skips, the response flag exempting
    from it)], as django-csp's middleware builds them, for the policy and its report-only twin."""
    policies = []
    for header, setting, report_only, exempt in (
        (HEADER, "CONTENT_SECURITY_POLICY", False, "_csp_exempt"),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True, "_csp_exempt_ro"),
    ):
        text = in_directive_order(build_policy(report_only=report_only))
        if text:
            prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
            policies.append((header, text, prefixes, exempt))
    return policies


@receiver(setting_changed)
def _policy_setting_changed(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        policies_from_settings.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy of the settings built into header text once.

    django-csp rebuilds the header from CONTENT_SECURITY_POLICY on every response (dataclass copies,
    a dict of ~30 directives merged and joined: ≈ 0.1 ms, a tenth of a small API read), though it
    changes only with the settings. A response with parts of its own (a view decorated with
    csp_update / csp_replace, or a page that used `request.csp_nonce`) is still built by django-csp.
    What is written, and when, is django-csp's: same header text, exemptions, excluded prefixes,
    Django's debug pages left alone, and `csp_nonce` refused once the header is written. Only the
    directives' order is this middleware's: one order in every process (in_directive_order()).
    """

    def process_response(self, request, response):
        # The decorators set their parts on the response itself (no response class defines them).
        if getattr(request, "_csp_nonce", None) is not None or not OWN_POLICY_PARTS.isdisjoint(vars(response)):
            set_before = [header for header in (HEADER, HEADER_REPORT_ONLY) if header in response]
            response = super().process_response(request, response)
            for header in (HEADER, HEADER_REPORT_ONLY):
                if header in response and header not in set_before:
                    response[header] = in_directive_order(response[header])
            return response
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for header, text, prefixes, exempt in policies_from_settings():
            exempted = getattr(response, exempt, False) is not False  # django-csp's test, as it writes it
            if header not in response and not exempted and not request.path_info.startswith(prefixes):
                response[header] = text
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class MessageMiddleware(messages_middleware.MessageMiddleware):
    """Django's, its message storage made when a view or template first uses it, not for every request.

    Django makes the storage (cookie storage, then session storage, each with its signer) for every
    request: ≈ 10-20 µs, for messages that only the admin writes and reads. A storage nobody used stores
    nothing at the end (BaseStorage.update() writes only once messages were read or added), so one
    never made leaves the response as Django would.
    """

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        storage = getattr(request, "_messages", None)
        if isinstance(storage, SimpleLazyObject) and storage._wrapped is empty:
            return response  # never used: nothing to store
        return super().process_response(request, response)


# The request headers that make a GET conditional (RFC 9110 section 13.1), as Django's
# get_conditional_response() reads them.
CONDITIONAL_HEADERS = ("HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's: an ETag on every GET response that has none, and 304 / 412 for a conditional GET.

    Django parses the response's Last-Modified and the request's four precondition headers on every
    GET (≈ 20 Python calls of a ≈ 1,100-call API read), to find on most requests that none was sent:
    then the response is Django's unchanged. Here a GET without any of them only gets its ETag, as
    Django sets it; a GET with one (even empty) goes through Django's code.
    """

    def process_response(self, request, response):
        if request.method != "GET" or any(header in request.META for header in CONDITIONAL_HEADERS):
            return super().process_response(request, response)
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        return response
