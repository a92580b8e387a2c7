"""Content negotiation: the renderer and media type each request gets are DRF's, also when remembered.

claims.api.negotiation.ContentNegotiation remembers DRF's choice per renderer classes, format and
Accept header (the per-request parse and match cost ≈ 40 µs); nothing about the answer may change.
"""

import pytest
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.test import APIRequestFactory

from claims.api import negotiation
from claims.api.renderers import BrowsableAPIRenderer
from claims.api.review_actions import JSONLDRenderer
from tests import factories

ACCEPTS = [
    None,  # no header: DRF reads */*
    "",
    "*/*",
    "application/json",
    "application/json; indent=4",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "text/html",
    "text/csv",
    "text/*",
    "application/*",
    "application/ld+json",
    "application/ld+json, application/json;q=0.5",
    "image/png",
    "application/xml",
]
FORMATS = [None, "json", "csv", "api", "jsonld", "xml"]


def _renderer_lists():
    from rest_framework.renderers import JSONRenderer

    default = [renderer() for renderer in api_settings.DEFAULT_RENDERER_CLASSES]
    return {
        "default": default,
        "claim detail (JSON-LD appended)": [*default, JSONLDRenderer()],
        "claimreview action (JSON-LD first)": [JSONLDRenderer(), JSONRenderer(), BrowsableAPIRenderer()],
    }


def _choice(negotiator, renderers, accept, format):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get("/api/claims/", {"format": format} if format else {}, **headers))
    try:
        renderer, media_type = negotiator.select_renderer(request, renderers)
    except Exception as error:  # noqa: BLE001 (the refusal itself is compared)
        return type(error).__name__, None
    assert any(renderer is listed for listed in renderers), "the renderer is one of the view's own instances"
    return type(renderer).__name__, media_type


def test_the_choice_is_drfs_for_every_renderer_list_accept_header_and_format():
    negotiation.CHOICES.clear()
    for name, renderers in _renderer_lists().items():
        for accept in ACCEPTS:
            for format in FORMATS:
                expected = _choice(DefaultContentNegotiation(), renderers, accept, format)
                first = _choice(negotiation.ContentNegotiation(), renderers, accept, format)
                remembered = _choice(negotiation.ContentNegotiation(), renderers, accept, format)
                assert first == remembered == expected, (name, accept, format)
    assert negotiation.CHOICES, "the choices were remembered"


def test_a_client_writing_ever_new_accept_headers_does_not_grow_what_is_remembered():
    renderers = _renderer_lists()["default"]
    for number in range(3 * negotiation.REMEMBERED_CHOICES):
        _choice(negotiation.ContentNegotiation(), renderers, f"application/json; v={number}", None)
        assert len(negotiation.CHOICES) <= negotiation.REMEMBERED_CHOICES
    negotiation.CHOICES.clear()
    long_header = "application/json, " + "x/y, " * negotiation.REMEMBERED_HEADER_LENGTH
    assert _choice(negotiation.ContentNegotiation(), renderers, long_header, None) == (
        "ORJSONRenderer",
        "application/json",
    )
    assert not negotiation.CHOICES


@pytest.mark.django_db
def test_requests_read_in_turn_each_get_their_own_format(api):
    claim = factories.claim()
    detail = f"/api/claims/{claim.pk}/"
    cases = [
        ("/api/claims/", {}, 200, "application/json"),
        ("/api/claims/", {"HTTP_ACCEPT": "text/csv"}, 200, "text/csv; charset=utf-8"),
        ("/api/claims/?format=csv", {}, 200, "text/csv; charset=utf-8"),
        ("/api/claims/", {"HTTP_ACCEPT": "text/html"}, 200, "text/html; charset=utf-8"),
        ("/api/claims/?format=api", {}, 200, "text/html; charset=utf-8"),
        ("/api/claims/?format=api", {"HTTP_ACCEPT": "application/json"}, 406, "application/json"),
        ("/api/claims/", {"HTTP_ACCEPT": "image/png"}, 406, "application/json"),
        ("/api/claims/?format=xml", {}, 404, "application/json"),
        (detail, {}, 200, "application/json"),
        (detail, {"HTTP_ACCEPT": "application/ld+json"}, 200, "application/ld+json"),
        (f"{detail}claimreview/", {}, 200, "application/ld+json"),
        (f"{detail}claimreview/", {"HTTP_ACCEPT": "application/json"}, 200, "application/json"),
    ]
    for _ in range(2):  # the second round from remembered choices
        for path, headers, status, content_type in cases:
            response = api.get(path, **headers)
            assert (response.status_code, response["Content-Type"]) == (status, content_type), (path, headers)
    indented = api.get(detail, HTTP_ACCEPT="application/json; indent=4")
    assert indented["Content-Type"] == "application/json"
    assert indented.content.startswith(b'{\n    "')
    assert not api.get(detail).content.startswith(b"{\n")
