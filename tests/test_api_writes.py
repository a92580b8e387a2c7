"""Writing through the API: who may, what is refused (4xx naming the field), and that nothing is lost."""

import datetime

import pytest
from rest_framework.authtoken.models import Token

from claims import reviews
from claims.models import Attribution, Claim, ClaimRelation, Quote, Review, Role, Source, Speaker, SpeakerAlias
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator():
    return factories.user(groups=["curators"])


@pytest.fixture
def reviewer():
    return factories.user(groups=["reviewers"])


@pytest.fixture
def as_curator(api, curator):
    api.force_authenticate(curator)
    return api


def _errors(response, status=400):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# Who may write -----------------------------------------------------------------------------------


def _one_of_each():
    quote = factories.quote()
    claim = factories.claim()
    return {
        "speakers": quote.speaker.slug,
        "sources": quote.source.slug,
        "quotes": quote.pk,
        "claims": claim.pk,
        "relations": factories.relation().pk,
        "attributions": factories.attribution(quote=quote).pk,
        "reviews": factories.review(status="published", published_at=datetime.datetime.now(datetime.UTC)).pk,
    }


def test_anonymous_writes_are_refused_with_json_401(api):
    for resource, key in _one_of_each().items():
        assert _errors(api.post(f"/api/{resource}/", {}, format="json"), 401)["code"] == "not_authenticated"
        for method in (api.put, api.patch, api.delete):
            response = method(f"/api/{resource}/{key}/", {}, format="json")
            assert _errors(response, 401)["detail"], (resource, method)


def test_accounts_without_the_model_permission_are_refused_with_json_403(api):
    api.force_authenticate(factories.user())
    for resource, key in _one_of_each().items():
        assert _errors(api.post(f"/api/{resource}/", {}, format="json"), 403)["code"] == "permission_denied"
        assert _errors(api.delete(f"/api/{resource}/{key}/"), 403)["detail"]


def test_curators_cannot_write_reviews(as_curator):
    claim = factories.claim()
    _errors(as_curator.post("/api/reviews/", {"claim": claim.pk, "rating": "false"}, format="json"), 403)


def test_token_authentication_lets_a_program_write(api, curator):
    token = Token.objects.create(user=curator)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post("/api/claims/", {"text": "Fuel convoys reached Bamako in October."}, format="json")
    assert response.status_code == 201, response.content
    assert Claim.objects.get().slug == "fuel-convoys-reached-bamako-in-october"
    assert Claim.history.get().history_user == curator  # the change is recorded under the program's account


def test_the_token_endpoint_gives_a_token_for_a_password(api, curator):
    response = api.post("/api/auth/token/", {"username": curator.username, "password": "correct horse battery staple"})
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=curator).key


# Writes that succeed ---------------------------------------------------------------------------------


def test_curator_creates_a_speaker_with_aliases_and_roles(as_curator):
    payload = {
        "name": "Assimi Goïta",
        "slug": "assimi-goita",
        "kind": "person",
        "aliases": ["Goita", "Colonel Goïta"],
        "roles": [{"title": "President of the transition", "start_date": "2021-05-24", "start_precision": "day"}],
    }
    response = as_curator.post("/api/speakers/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response["ETag"] == f'"{response.json()["id"]}-1"'
    speaker = Speaker.objects.get(slug="assimi-goita")
    assert sorted(speaker.aliases.values_list("name", flat=True)) == ["Colonel Goïta", "Goita"]
    assert speaker.roles.get().start_date == datetime.date(2021, 5, 24)
    assert " goita " in speaker.search_document

    response = as_curator.patch("/api/speakers/assimi-goita/", {"aliases": ["Goita"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["aliases"] == ["Goita"]
    assert response.json()["roles"][0]["title"] == "President of the transition"  # untouched when not sent


def test_curator_creates_a_source_and_an_anchored_quote(as_curator):
    speaker = factories.speaker()
    response = as_curator.post(
        "/api/sources/",
        {"title": "An article", "slug": "an-article", "kind": "article", "text": factories.ARTICLE_TEXT},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["sha256"] == Source.checksum(factories.ARTICLE_TEXT)
    response = as_curator.post(
        "/api/quotes/",
        {"speaker": speaker.slug, "source": "an-article", "text": "the fate of Mali will not be decided", "start": 102},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["position"] == {"type": "TextPositionSelector", "start": 102, "end": 138}
    assert body["speaker"]["slug"] == speaker.slug


def test_quote_text_change_is_re_anchored(as_curator):
    quote = factories.quote()
    response = as_curator.patch(f"/api/quotes/{quote.pk}/", {"text": "Mali’s foreign minister"}, format="json")
    assert response.status_code == 200, response.content
    quote.refresh_from_db()
    assert (quote.start, quote.end) == (0, 23)


def test_curator_links_claims_and_quotes(as_curator):
    claim, counter, quote = factories.claim(), factories.claim(), factories.quote()
    response = as_curator.post(
        "/api/relations/", {"from_claim": counter.pk, "to_claim": claim.pk, "kind": "disputes"}, format="json"
    )
    assert response.status_code == 201, response.content
    response = as_curator.post(
        "/api/attributions/", {"claim": claim.pk, "quote": quote.pk, "stance": "asserts"}, format="json"
    )
    assert response.status_code == 201, response.content
    detail = as_curator.get(f"/api/claims/{claim.pk}/").json()
    assert detail["is_disputed"] is True
    assert detail["attributions"][0]["quote"]["id"] == quote.pk


def test_a_claim_written_is_answered_with_its_detail_as_read(as_curator):
    claim, quote = factories.claim(), factories.quote()
    claim.topics.add(factories.topic())
    factories.attribution(claim=claim, quote=quote)
    factories.relation(from_claim=factories.claim(), to_claim=claim)
    factories.review(claim=claim)
    written = as_curator.patch(f"/api/claims/{claim.pk}/", {"note": "Checked."}, format="json")
    assert written.status_code == 200, written.content
    read = as_curator.get(f"/api/claims/{claim.pk}/")
    assert written.json() == read.json() and written["ETag"] == read["ETag"]
    assert all(read.json()[field] for field in ("topics", "attributions", "disputed_by", "reviews"))


def test_reviewer_writes_a_draft_review(api, reviewer):
    api.force_authenticate(reviewer)
    claim, source = factories.claim(), factories.source()
    reviews.review_assign(claim=claim, actor=reviewer)
    response = api.post(
        "/api/reviews/",
        {
            "claim": claim.pk,
            "rating": "mostly_false",
            "rationale": "See the sources.",
            "evidence_sources": [source.slug],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["reviewer"] == reviewer.username
    assert [ref["slug"] for ref in body["evidence_sources"]] == [source.slug]
    assert body["claim"]["id"] == claim.pk  # written as the id, read as a link
    assert claim.review_events.last().action == "draft"


def test_deleting_an_unreferenced_row_answers_204(as_curator):
    speaker = factories.speaker()
    assert as_curator.delete(f"/api/speakers/{speaker.slug}/").status_code == 204
    assert not Speaker.objects.filter(pk=speaker.pk).exists()


# Bad input: 4xx naming the field -------------------------------------------------------------------


def test_quote_with_unknown_speaker_or_source_names_the_field(as_curator):
    source = factories.source()
    errors = _errors(
        as_curator.post("/api/quotes/", {"speaker": "nobody", "source": source.slug, "text": "x"}, format="json")
    )
    assert "speaker" in errors
    speaker = factories.speaker()
    errors = _errors(
        as_curator.post("/api/quotes/", {"speaker": speaker.slug, "source": "nowhere", "text": "x"}, format="json")
    )
    assert "source" in errors


def test_quote_text_not_in_its_source_gives_the_closest_passage(as_curator):
    speaker, source = factories.speaker(), factories.source()
    payload = {"speaker": speaker.slug, "source": source.slug, "text": "France forbid the Malian army from entering"}
    errors = _errors(as_curator.post("/api/quotes/", payload, format="json"))
    assert "Closest passage" in errors["text"][0]
    assert "France forbade the Malian army from entering" in errors["text"][0]
    assert not Quote.objects.exists()


def test_ambiguous_quote_asks_for_the_offset(as_curator):
    speaker, source = factories.speaker(), factories.source()
    payload = {"speaker": speaker.slug, "source": source.slug, "text": "the fate of Mali will not be decided"}
    errors = _errors(as_curator.post("/api/quotes/", payload, format="json"))
    assert "occurs 2 times" in errors["text"][0]


def test_quote_at_wrong_offsets_names_start(as_curator):
    speaker, source = factories.speaker(), factories.source()
    payload = {"speaker": speaker.slug, "source": source.slug, "text": "the fate of Mali", "start": 5}
    assert "start" in _errors(as_curator.post("/api/quotes/", payload, format="json"))


def test_the_same_span_quoted_twice_names_start(as_curator):
    quote = factories.quote()
    payload = {"speaker": quote.speaker.slug, "source": quote.source.slug, "text": quote.text}
    assert "start" in _errors(as_curator.post("/api/quotes/", payload, format="json"))


def test_self_relation_is_refused_naming_to_claim(as_curator):
    claim = factories.claim()
    payload = {"from_claim": claim.pk, "to_claim": claim.pk, "kind": "disputes"}
    assert "to_claim" in _errors(as_curator.post("/api/relations/", payload, format="json"))


def test_duplicate_relation_is_refused_naming_to_claim(as_curator):
    relation = factories.relation()
    payload = {"from_claim": relation.from_claim_id, "to_claim": relation.to_claim_id, "kind": "disputes"}
    assert "to_claim" in _errors(as_curator.post("/api/relations/", payload, format="json"))
    assert ClaimRelation.objects.count() == 1


def test_duplicate_attribution_is_refused_naming_quote(as_curator):
    attribution = factories.attribution()
    payload = {"claim": attribution.claim_id, "quote": attribution.quote_id}
    assert "quote" in _errors(as_curator.post("/api/attributions/", payload, format="json"))
    assert Attribution.objects.count() == 1


def test_role_ending_before_it_starts_is_refused_and_nothing_is_written(as_curator):
    payload = {
        "name": "Someone",
        "slug": "someone",
        "kind": "person",
        "aliases": ["Some One"],
        "roles": [
            {"title": "Minister", "start_date": "2022-01-01", "start_precision": "day", "end_date": "2021-01-01",
             "end_precision": "day"},
        ],
    }  # fmt: skip
    errors = _errors(as_curator.post("/api/speakers/", payload, format="json"))
    assert errors["roles"] == {"0": {"end_date": ["A role cannot end before it starts."]}}  # item 0's field
    assert not Speaker.objects.exists() and not SpeakerAlias.objects.exists() and not Role.objects.exists()


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/api/quotes/", {"said_on": "30/09/2021"}, "said_on"),
        ("/api/quotes/", {"said_on": "2021-02-30"}, "said_on"),
        ("/api/sources/", {"published_on": "yesterday"}, "published_on"),
        ("/api/relations/", {"from_claim": "abc"}, "from_claim"),
        ("/api/relations/", {"from_claim": 10**30}, "from_claim"),
        ("/api/attributions/", {"quote": [1, 2]}, "quote"),
        ("/api/claims/", {"text": "x" * 1001}, "text"),
        ("/api/claims/", {"text": "A claim", "topics": ["no-such-topic"]}, "topics"),
        ("/api/claims/", {"text": "A claim", "slug": "not a slug!"}, "slug"),
        ("/api/quotes/", {"text": "x" * 10001}, "text"),
        ("/api/speakers/", {"name": "N" * 201}, "name"),
        ("/api/speakers/", {"wikidata_id": "123"}, "wikidata_id"),
        ("/api/speakers/", {"aliases": ["Same", "Same"]}, "aliases"),
        ("/api/speakers/", {"kind": "alien"}, "kind"),
        (
            "/api/sources/",
            {
                "title": "T",
                "slug": "t",
                "kind": "article",
                "published_on": "2025-11-05",
                "published_precision": "month",
            },
            "published_on",
        ),
        ("/api/reviews/", {"rating": "pants-on-fire"}, "rating"),
    ],
)
def test_bad_input_answers_400_naming_the_field(api, path, payload, field):
    api.force_authenticate(factories.user(is_superuser=True))
    assert field in _errors(api.post(path, payload, format="json"))


def test_claim_slug_taken_names_slug(as_curator):
    claim = factories.claim()
    assert "slug" in _errors(as_curator.post("/api/claims/", {"text": "New", "slug": claim.slug}, format="json"))


@pytest.mark.parametrize(
    "query",
    [
        "said_after=2021-13-01",
        "said_before=soon",
        "speaker=nobody",
        "speaker=%00",
        "source=nowhere",
        "kind=speech",
        "anchoring=maybe",
    ],
)
def test_bad_filter_values_answer_400_naming_the_parameter(api, query):
    name = query.split("=")[0]
    assert name in _errors(api.get(f"/api/quotes/?{query}"))


@pytest.mark.parametrize("query", ["review_status=done", "topic=nothing", "created_after=tuesday", "said_after=0"])
def test_bad_claim_filters_answer_400_naming_the_parameter(api, query):
    assert query.split("=")[0] in _errors(api.get(f"/api/claims/?{query}"))


@pytest.mark.parametrize(
    "path",
    [
        "/api/claims/abc/",
        "/api/claims/99999999999999999999999/",
        "/api/quotes/-1/",
        "/api/speakers/nobody/",
        "/api/nothing-here/",
        "/api/claims/1/nothing/",
        "/api/claims/?page=999",
    ],
)
def test_unknown_resources_answer_json_404(api, path):
    assert _errors(api.get(path), 404)["detail"]


def test_method_not_allowed_answers_json_405(as_curator):
    assert _errors(as_curator.post("/api/claims/disputed/", {}, format="json"), 405)["code"] == "method_not_allowed"
    assert _errors(as_curator.put("/api/claims/", {}, format="json"), 405)["detail"]


def test_a_body_that_is_not_json_answers_400(as_curator):
    response = as_curator.generic("POST", "/api/claims/", "{not json", content_type="application/json")
    assert _errors(response)["code"] == "parse_error"


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "just a string",
        {"text": None},
        {"text": {"nested": "object"}},
        {"text": "NUL \x00 byte"},
        {"text": "ok", "topics": "kidal"},
        {"text": "ok", "topics": [None]},
    ],
)
def test_odd_claim_bodies_answer_400_not_500(as_curator, payload):
    assert as_curator.post("/api/claims/", payload, format="json").status_code == 400


def test_odd_query_strings_never_answer_500(api):
    factories.quote()
    for query in ["q=%00", "speaker=%00", "q=" + "x" * 5000, "ordering=nonsense", "page_size=-3", "page=0", "q='''"]:
        for path in ["/api/quotes/", "/api/claims/", "/api/speakers/"]:
            assert api.get(f"{path}?{query}").status_code < 500, (path, query)


# Optimistic concurrency --------------------------------------------------------------------------


def test_stale_if_match_gets_412_and_changes_nothing(as_curator):
    claim = factories.claim(text="Original wording.")
    etag = as_curator.get(f"/api/claims/{claim.pk}/")["ETag"]
    first = as_curator.patch(f"/api/claims/{claim.pk}/", {"text": "First edit."}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.content
    assert first["ETag"] == f'"{claim.pk}-2"'

    stale = as_curator.patch(f"/api/claims/{claim.pk}/", {"text": "Second edit."}, format="json", HTTP_IF_MATCH=etag)
    body = _errors(stale, 412)
    assert body["code"] == "precondition_failed"
    assert body["current_etag"] == f'"{claim.pk}-2"'
    assert "changed by" in body["last_change"]
    claim.refresh_from_db()
    assert (claim.text, claim.version) == ("First edit.", 2)

    for method in (as_curator.put, as_curator.delete):
        _errors(method(f"/api/claims/{claim.pk}/", {"text": "Third."}, format="json", HTTP_IF_MATCH=etag), 412)
    assert Claim.objects.get(pk=claim.pk).text == "First edit."


def test_current_if_match_and_no_if_match_both_pass(as_curator):
    speaker = factories.speaker()
    path = f"/api/speakers/{speaker.slug}/"
    response = as_curator.patch(path, {"description": "A"}, format="json", HTTP_IF_MATCH=f'"{speaker.pk}-1"')
    assert response.status_code == 200
    assert as_curator.patch(path, {"description": "B"}, format="json").status_code == 200
    assert as_curator.delete(path, HTTP_IF_MATCH=f'W/"{speaker.pk}-3"').status_code == 204


# Deleting what is still referenced -----------------------------------------------------------------


def test_deleting_a_quoted_speaker_or_source_answers_409_with_the_reason(as_curator):
    quote = factories.quote()
    for path in (f"/api/speakers/{quote.speaker.slug}/", f"/api/sources/{quote.source.slug}/"):
        body = _errors(as_curator.delete(path), 409)
        assert body["code"] == "protected"
        assert body["referenced_by"] == {"quotes": 1}
        assert "1 quotes" in body["detail"]
    assert Speaker.objects.filter(pk=quote.speaker_id).exists() and Source.objects.filter(pk=quote.source_id).exists()


def test_deleting_a_disputed_claim_answers_409(as_curator):
    relation = factories.relation()
    assert _errors(as_curator.delete(f"/api/claims/{relation.to_claim_id}/"), 409)["referenced_by"] == {
        "claim relations": 1
    }


def test_a_published_review_is_never_deleted(api):
    review = factories.review(status="published", published_at=datetime.datetime.now(datetime.UTC))
    api.force_authenticate(factories.user(is_superuser=True))
    refusal = _errors(api.delete(f"/api/reviews/{review.pk}/"), 409)
    assert refusal["code"] == "verdict_published"
    assert refusal["reopen"].endswith(f"/api/claims/{review.claim_id}/reopen/")
    assert Review.objects.filter(pk=review.pk).exists()


# OPTIONS ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # as served: a read runs outside any transaction
@pytest.mark.parametrize("kind", ["speakers", "sources", "quotes", "claims", "relations", "attributions"])
def test_options_on_a_resource_a_curator_may_edit_describes_its_put_form_without_locking_it(working_groups, api, kind):
    # DRF's metadata asks get_object() as a PUT (on a clone of the request) to tell whether to describe
    # PUT. OPTIONS runs outside any transaction, where PostgreSQL's row lock (SELECT … FOR UPDATE) is
    # refused: the answer was a 500.
    attribution = factories.attribution()
    key = {
        "speakers": attribution.quote.speaker.slug,
        "sources": attribution.quote.source.slug,
        "quotes": attribution.quote_id,
        "claims": attribution.claim_id,
        "relations": factories.relation(from_claim=attribution.claim).pk,
        "attributions": attribution.pk,
    }[kind]
    api.force_authenticate(factories.user(groups=["curators"]))
    response = api.options(f"/api/{kind}/{key}/")
    assert response.status_code == 200, response.content
    assert "PUT" in response.json()["actions"]
