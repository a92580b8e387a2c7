"""What comes in from outside is checked: control characters, non-http(s) URLs, future dates, relations.

The rules live on the models (claims/validators.py, attached to every text, URL and date field), so the
API, the admin and anything calling `full_clean()` refuse the same input with the same message.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from claims import models as record
from claims.models import Claim, ClaimRelation, Review, Source
from claims.validators import latest_today, validate_http_url, validate_no_control_characters, validate_not_in_future
from tests import factories

pytestmark = pytest.mark.django_db

RECORD_MODELS = [
    record.Speaker,
    record.SpeakerAlias,
    record.Role,
    record.Source,
    record.Quote,
    record.Topic,
    record.Claim,
    record.Attribution,
    record.ClaimRelation,
    record.Review,
    record.ReviewEvent,
]


def _free_text_fields():
    for model in RECORD_MODELS:
        for field in model._meta.concrete_fields:
            text = isinstance(field, (models.CharField, models.TextField)) and not isinstance(field, models.SlugField)
            if text and field.editable and not field.choices:
                yield pytest.param(field, id=f"{model._meta.model_name}.{field.name}")


@pytest.fixture
def curator():
    return factories.user(groups=["curators"])


@pytest.fixture
def as_curator(api, curator):
    api.force_authenticate(curator)
    return api


def _field_error(response, field, status=400):
    assert response.status_code == status, response.content
    body = response.json()
    assert field in body, body
    return " ".join(body[field]) if isinstance(body[field], list) else str(body[field])


# Control characters ----------------------------------------------------------------------------


@pytest.mark.parametrize("field", list(_free_text_fields()))
def test_every_free_text_field_of_the_record_refuses_a_nul(field):
    assert validate_no_control_characters in field.validators
    with pytest.raises(ValidationError) as refused:
        field.clean("before\x00after", None)
    assert "control_character" in [error.code for error in refused.value.error_list]
    assert any("NUL" in message for message in refused.value.messages)


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"])
def test_control_characters_are_refused_naming_them(character):
    with pytest.raises(ValidationError, match="control character"):
        validate_no_control_characters(f"a{character}b")


@pytest.mark.parametrize("text", ["tab\there", "line\nbreak", "windows\r\nline", "Maïga « dit » — 100 %"])
def test_tab_newline_and_carriage_return_are_kept(text):
    validate_no_control_characters(text)


def test_api_claim_with_a_nul_is_a_400_naming_the_field(as_curator):
    message = _field_error(as_curator.post("/api/claims/", {"text": "Killed\x00nobody"}, format="json"), "text")
    assert "NUL" in message and "position 6" in message
    assert not Claim.objects.exists()


def test_api_source_text_with_a_nul_is_a_400(as_curator):
    body = {"title": "An article", "slug": "an-article", "kind": "article", "text": "Archived\x00text."}
    assert "NUL" in _field_error(as_curator.post("/api/sources/", body, format="json"), "text")
    assert not Source.objects.exists()


def test_api_quote_text_with_a_control_character_is_a_400(as_curator):
    quote = factories.quote()
    body = {"speaker": quote.speaker.slug, "source": quote.source.slug, "text": "Mali\x07"}
    assert "U+0007" in _field_error(as_curator.post("/api/quotes/", body, format="json"), "text")


def test_api_speaker_alias_with_a_nul_is_a_400(as_curator):
    body = {"name": "Choguel Maïga", "slug": "maiga", "kind": "person", "aliases": ["Maiga\x00"]}
    response = as_curator.post("/api/speakers/", body, format="json")
    assert response.status_code == 400, response.content
    assert "aliases" in response.json()
    assert not record.Speaker.objects.exists()


def test_admin_refuses_a_nul_in_a_claim(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/claims/claim/add/",
        {
            "slug": "nul-claim",
            "text": "A claim\x1b[31m",
            **{f"{prefix}-{key}": value for prefix in _CLAIM_INLINES for key, value in _EMPTY_INLINE.items()},
        },
    )
    assert response.status_code == 200
    assert "control character (U+001B at position 7)" in response.content.decode()
    assert not Claim.objects.exists()


_CLAIM_INLINES = ["attributions", "relations_from", "relations_to"]
_EMPTY_INLINE = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


# URLs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        " JavaScript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,x",
        "ftp://example.org/a",
    ],
)
def test_only_http_and_https_urls_are_accepted(url):
    with pytest.raises(ValidationError) as refused:
        validate_http_url(url)
    assert "http" in refused.value.messages[0]


@pytest.mark.parametrize("url", ["https://example.org/fact-check", "http://example.org/a?b=c", "HTTPS://EXAMPLE.ORG/"])
def test_http_and_https_urls_pass(url):
    validate_http_url(url)


@pytest.mark.parametrize(
    ("model", "field"), [(Source, "url"), (Review, "url"), (Review, "publisher_url")], ids=lambda v: str(v)
)
def test_every_url_field_refuses_javascript(model, field):
    assert validate_http_url in model._meta.get_field(field).validators
    with pytest.raises(ValidationError):
        model._meta.get_field(field).clean("javascript:alert(1)", None)


def test_api_review_with_a_javascript_url_is_a_400(api):
    api.force_authenticate(factories.user(groups=["reviewers"]))
    claim = factories.claim()
    response = api.post("/api/reviews/", {"claim": claim.pk, "url": "javascript:alert(1)"}, format="json")
    assert "http" in _field_error(response, "url")
    response = api.post("/api/reviews/", {"claim": claim.pk, "publisher_url": "javascript:alert(1)"}, format="json")
    _field_error(response, "publisher_url")
    assert not Review.objects.exists()


def test_api_source_with_a_javascript_url_is_a_400(as_curator):
    body = {"title": "x", "slug": "x", "kind": "article", "url": "javascript:alert(1)"}
    _field_error(as_curator.post("/api/sources/", body, format="json"), "url")


@pytest.mark.parametrize(("model", "field"), [(Source, "url"), (Review, "url"), (Review, "publisher_url")])
def test_the_database_refuses_a_non_http_url_whatever_code_writes_it(model, field):
    """An importer that forgets `full_clean()` still cannot store a script as an address."""
    row = factories.source() if model is Source else factories.review()
    setattr(row, field, "javascript:alert(1)")
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_admin_refuses_a_javascript_source_url(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/claims/source/add/",
        {"title": "T", "slug": "t", "kind": "article", "url": "javascript:alert(1)", "language": "en"},
    )
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()  # the form's own URL check comes first
    assert not Source.objects.exists()


# Dates -----------------------------------------------------------------------------------------


def test_a_date_after_today_is_refused_and_today_is_not():
    validate_not_in_future(datetime.date.today())
    validate_not_in_future(latest_today())
    with pytest.raises(ValidationError) as refused:
        validate_not_in_future(latest_today() + datetime.timedelta(days=1))
    assert refused.value.code == "date_in_future"


@pytest.mark.parametrize(
    ("model", "field"),
    [(record.Quote, "said_on"), (Source, "published_on"), (record.Role, "start_date"), (record.Role, "end_date")],
)
def test_every_date_of_the_record_refuses_the_future(model, field):
    assert validate_not_in_future in model._meta.get_field(field).validators


def test_api_quote_said_in_2999_is_a_400(as_curator):
    quote = factories.quote()
    response = as_curator.patch(
        f"/api/quotes/{quote.pk}/", {"said_on": "2999-01-01", "said_precision": "day"}, format="json"
    )
    assert "2999-01-01 is in the future" in _field_error(response, "said_on")


def test_api_source_published_in_2999_is_a_400(as_curator):
    body = {"title": "x", "slug": "x", "kind": "article", "published_on": "2999-12-01", "published_precision": "month"}
    assert "future" in _field_error(as_curator.post("/api/sources/", body, format="json"), "published_on")


def test_api_speaker_role_starting_in_2999_is_a_400(as_curator):
    body = {
        "name": "X",
        "slug": "x",
        "kind": "person",
        "roles": [{"title": "President", "start_date": "2999-01-01", "start_precision": "day"}],
    }
    response = as_curator.post("/api/speakers/", body, format="json")
    assert response.status_code == 400 and "future" in str(response.json()["roles"])


# Relations -------------------------------------------------------------------------------------


def test_a_mirror_dispute_is_refused_naming_the_existing_relation(as_curator):
    existing = factories.relation(kind="disputes")
    body = {"from_claim": existing.to_claim_id, "to_claim": existing.from_claim_id, "kind": "disputes"}
    message = _field_error(as_curator.post("/api/relations/", body, format="json"), "to_claim")
    assert "Mirror duplicate" in message and f"relation {existing.pk}" in message
    assert ClaimRelation.objects.count() == 1


@pytest.mark.parametrize("reverse", [False, True], ids=["same-direction", "other-direction"])
def test_one_claim_both_disputing_and_supporting_another_is_refused(as_curator, reverse):
    existing = factories.relation(kind="disputes")
    a, b = existing.from_claim_id, existing.to_claim_id
    body = {"from_claim": b if reverse else a, "to_claim": a if reverse else b, "kind": "supports"}
    message = _field_error(as_curator.post("/api/relations/", body, format="json"), "to_claim")
    assert "Contradiction" in message and f"claim {a} already disputes claim {b} (relation {existing.pk})" in message
    assert ClaimRelation.objects.count() == 1


def test_model_clean_refuses_the_mirror_and_the_contradiction():
    existing = factories.relation(kind="supports")
    for kind in ("supports", "disputes"):
        mirror = ClaimRelation(from_claim=existing.to_claim, to_claim=existing.from_claim, kind=kind)
        with pytest.raises(ValidationError, match=f"relation {existing.pk}"):
            mirror.full_clean()


def test_editing_a_relation_does_not_clash_with_itself(as_curator):
    existing = factories.relation(kind="disputes")
    response = as_curator.patch(f"/api/relations/{existing.pk}/", {"kind": "supports"}, format="json")
    assert response.status_code == 200, response.content


def test_the_database_holds_one_relation_per_pair_of_claims():
    existing = factories.relation(kind="disputes")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimRelation.objects.create(from_claim=existing.to_claim, to_claim=existing.from_claim, kind="disputes")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimRelation.objects.create(from_claim=existing.from_claim, to_claim=existing.to_claim, kind="supports")


# Bodies built to exhaust the parser --------------------------------------------------------------

NESTED = "[" * 2000 + "]" * 2000


@pytest.mark.parametrize("path", ["/api/auth/token/", "/api/claims/", "/api/relations/"])
def test_deeply_nested_json_is_a_400_for_anonymous_clients(api, path):
    response = api.post(path, NESTED, content_type="application/json")
    assert response.status_code in (400, 401), response.content  # never a 500 (RecursionError)
    if path.endswith("token/"):
        assert response.status_code == 400
        assert "nested deeper" in response.json()["detail"]


def test_deeply_nested_json_is_a_400_for_a_signed_in_writer(as_curator):
    for body in (NESTED, '{"text": ' + "[" * 40 + "]" * 40 + "}"):
        response = as_curator.post("/api/claims/", body, content_type="application/json")
        assert response.status_code == 400, response.content
        assert "nested deeper than 32 levels" in response.json()["detail"]
    assert not Claim.objects.exists()


def test_ordinary_nesting_is_accepted(as_curator):
    body = {"name": "X", "slug": "x", "kind": "person", "roles": [{"title": "Minister"}], "aliases": ["Ex"]}
    assert as_curator.post("/api/speakers/", body, format="json").status_code == 201
