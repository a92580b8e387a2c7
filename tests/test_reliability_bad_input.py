"""A catalogue of bad input: each answer is a 4xx naming the problem, and the database is unchanged.

"Unchanged" is checked, not assumed: the row count and a checksum of every row of every table the
API can write, before and after.
"""

import hashlib

import pytest
from django.apps import apps
from django.core import serializers

from tests import factories

pytestmark = pytest.mark.django_db


def database_state():
    """(count, SHA-256 of the rows in primary-key order) for every model of the project."""
    state = {}
    for model in apps.get_app_config("claims").get_models():
        rows = model._default_manager.order_by("pk")
        digest = hashlib.sha256(serializers.serialize("json", rows).encode()).hexdigest()
        state[model._meta.label] = (rows.count(), digest)
    return state


@pytest.fixture
def writer(api):
    api.force_authenticate(factories.user(is_superuser=True))
    return api


@pytest.fixture
def record():
    quote = factories.quote()
    claim = factories.claim()
    factories.attribution(quote=quote, claim=claim)
    return {"quote": quote, "claim": claim}


def _json(path, body, method="post"):
    return {"method": method, "path": path, "data": body, "content_type": "application/json"}


CATALOGUE = {
    # name: (request, expected status, a word the answer must contain)
    "malformed JSON": (_json("/api/claims/", b'{"text": "unterminated'), 400, "JSON"),
    "truncated JSON": (_json("/api/claims/", b'{"text": '), 400, "JSON"),
    "wrong content type": (
        {"method": "post", "path": "/api/claims/", "data": b"text=x", "content_type": "application/xml"},
        415,
        "application/xml",
    ),
    "non-UTF-8 body": (_json("/api/claims/", '{"text": "caf\u00e9"}'.encode("latin-1")), 400, "JSON"),
    "null byte": (_json("/api/claims/", b'{"text": "before \\u0000 after"}'), 400, "text"),
    "control characters in a slug": (_json("/api/claims/", b'{"text": "ok", "slug": "a\\u0007b"}'), 400, "slug"),
    "over-long string": (_json("/api/claims/", b'{"text": "' + b"x" * 5000 + b'"}'), 400, "text"),
    "unknown enum value": (_json("/api/relations/", b'{"kind": "hates"}'), 400, "kind"),
    "id of the wrong type": (_json("/api/attributions/", b'{"claim": "one", "quote": {"id": 1}}'), 400, "claim"),
    "invalid date": (_json("/api/quotes/", b'{"said_on": "2021-02-30"}'), 400, "said_on"),
    "invalid precision": (_json("/api/quotes/", b'{"said_on": "2021-02-01", "said_precision": "week"}'), 400,
                          "said_precision"),
    "negative offset": (_json("/api/quotes/", b'{"start": -5, "end": 3}'), 400, "start"),
    "out-of-range offset": (_json("/api/quotes/", b'{"start": 99999999999999999999, "end": 1}'), 400, "start"),
    "body that is a list": (_json("/api/claims/", b"[1, 2, 3]"), 400, "dictionary"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CATALOGUE))
def test_bad_input_is_a_4xx_naming_it_and_changes_nothing(writer, record, name):
    request, status, word = CATALOGUE[name]
    before = database_state()
    response = writer.generic(request["method"].upper(), request["path"], request["data"], request["content_type"])
    assert response.status_code == status, (name, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    assert word.lower() in response.content.decode("utf-8").lower(), (name, response.content[:300])
    assert database_state() == before


def test_unknown_fields_are_ignored_not_stored(writer, record):
    """DRF drops fields it does not know: the answer and the row carry only the known ones."""
    before = database_state()
    response = writer.post("/api/claims/", {"text": "Known.", "is_superuser": True, "version": 99}, format="json")
    assert response.status_code == 201, response.content
    assert "is_superuser" not in response.json()
    assert response.json()["version"] == 1  # read-only: the client cannot choose it
    assert database_state() != before


def test_a_huge_body_is_refused_from_its_length_without_being_read(writer, record, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = database_state()

    response = writer.generic("POST", "/api/claims/", b"", "application/json", CONTENT_LENGTH="50000000")
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]
    assert database_state() == before


@pytest.mark.parametrize(
    ("query", "status", "word"),
    [
        ("page=-1", 404, "Invalid page"),
        ("page=abc", 404, "Invalid page"),
        ("said_after=2021-13-40", 400, "said_after"),
        ("kind=alien", 400, "kind"),
        ("speaker=%00", 400, "speaker"),
    ],
)
def test_bad_query_parameters_are_4xx_naming_them(api, record, query, status, word):
    response = api.get(f"/api/quotes/?{query}")
    assert response.status_code == status, response.content
    assert word in response.content.decode()


def test_an_out_of_range_page_size_is_capped_not_obeyed(api, record):
    response = api.get("/api/quotes/?page_size=99999999999999999999")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


@pytest.mark.parametrize(
    "path", ["/api/claims/abc/", "/api/claims/1.5/", "/api/quotes/%00/", "/api/claims/-1/", "/api/speakers/%FF/"]
)
def test_ids_of_the_wrong_type_in_the_path_are_404(api, record, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
