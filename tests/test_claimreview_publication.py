"""What a published ClaimReview may say: approved speakers and quotes only, and JSON-LD that is safe in HTML."""

import json

import pytest
from django.core.management import call_command

from claims import claimreview, reviews
from claims.models import Quote, Speaker, Status
from tests import factories

pytestmark = pytest.mark.django_db

SCRIPT_BREAKER = 'Fuel ran out </script><script>alert("x")</script> <!-- & \u2028 \u2029 in Bamako.'


@pytest.fixture
def reviewer():
    return factories.user(groups=["reviewers"], username="reviewer")


@pytest.fixture
def claim_with_drafts(reviewer):
    """A published verdict on a claim carried by an approved quote, a draft speaker's quote and a draft quote."""
    claim = factories.claim(text="The army entered Kidal.")
    approved = factories.speaker(name="Approved Minister", slug="approved-minister")
    draft_speaker = factories.speaker(name="Draft Colonel", slug="draft-colonel", status=Status.DRAFT)
    quoted_by_draft = factories.speaker(name="Quoted In A Draft", slug="quoted-in-a-draft")
    factories.attribution(claim=claim, quote=factories.quote(speaker=approved))
    factories.attribution(claim=claim, quote=factories.quote(speaker=draft_speaker))
    factories.attribution(claim=claim, quote=factories.quote(speaker=quoted_by_draft, status=Status.DRAFT))
    factories.relation(to_claim=claim)  # disputed, so it can be reviewed
    reviews.review_assign(claim=claim, actor=reviewer)
    reviews.review_publish(claim=claim, actor=reviewer, rating="mostly_false", rationale="Not quite.")
    return claim


def names_in(item):
    authors = item["itemReviewed"].get("author", [])
    return {author["name"] for author in (authors if isinstance(authors, list) else [authors])}


def test_claimreview_endpoint_names_no_draft_speaker_or_draft_quote(api, claim_with_drafts):
    response = api.get(f"/api/claims/{claim_with_drafts.pk}/claimreview/")
    assert response.status_code == 200
    (item,) = response.json()
    assert names_in(item) == {"Approved Minister"}
    assert "Draft Colonel" not in response.content.decode()
    assert "Quoted In A Draft" not in response.content.decode()


def test_claim_detail_as_json_ld_names_no_draft(api, claim_with_drafts):
    response = api.get(f"/api/claims/{claim_with_drafts.pk}/", HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"].startswith("application/ld+json")
    (item,) = response.json()
    assert names_in(item) == {"Approved Minister"}


def test_json_ld_is_a_publication_even_for_a_curator_who_sees_drafts(api, claim_with_drafts):
    api.force_authenticate(factories.user(groups=["curators"]))
    (item,) = api.get(f"/api/claims/{claim_with_drafts.pk}/claimreview/").json()
    assert names_in(item) == {"Approved Minister"}


def test_export_command_names_no_draft(claim_with_drafts, capsys):
    call_command("export_claimreview")
    out = capsys.readouterr().out
    (item,) = json.loads(out)["dataFeedElement"]
    assert names_in(item) == {"Approved Minister"}
    assert "Draft Colonel" not in out and "Quoted In A Draft" not in out


def test_a_speaker_approved_by_a_curator_is_named_from_then_on(api, claim_with_drafts):
    Speaker.objects.filter(slug="draft-colonel").update(status=Status.APPROVED)
    Quote.objects.filter(speaker__slug="quoted-in-a-draft").update(status=Status.APPROVED)
    (item,) = api.get(f"/api/claims/{claim_with_drafts.pk}/claimreview/").json()
    assert names_in(item) == {"Approved Minister", "Draft Colonel", "Quoted In A Draft"}


@pytest.mark.parametrize(
    "data",
    [
        {"claimReviewed": SCRIPT_BREAKER},
        [{"name": "</SCRIPT >"}, "a < b && c > d", {"</script>": "key"}],
        {"text": "<!--<script>"},
    ],
)
def test_json_ld_for_html_never_leaves_markup_raw_and_reads_back_the_same(data):
    text = claimreview.json_ld_for_html(data)
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == data


def test_json_ld_for_html_keeps_other_characters_readable():
    assert claimreview.json_ld_for_html({"name": "Maïga «Choguel»"}) == '{"name":"Maïga «Choguel»"}'


def test_json_ld_served_by_the_api_has_no_raw_script_end_tag(api, reviewer):
    claim = factories.claim(text=SCRIPT_BREAKER)
    factories.relation(to_claim=claim)
    reviews.review_assign(claim=claim, actor=reviewer)
    reviews.review_publish(claim=claim, actor=reviewer, rating="false", rationale="</script> and <b>bold</b>.")
    for response in (
        api.get(f"/api/claims/{claim.pk}/claimreview/"),
        api.get(f"/api/claims/{claim.pk}/", HTTP_ACCEPT="application/ld+json"),
    ):
        body = response.content.decode()
        assert "</script" not in body.lower() and "<" not in body
        (item,) = json.loads(body)
        assert item["claimReviewed"] == SCRIPT_BREAKER
        assert item["reviewBody"] == "</script> and <b>bold</b>."
