"""Drafts stay invisible to anonymous readers: in every list, detail, count, filter, search, export and history.

A draft speaker (with an alias), a draft quote by an approved speaker and a draft review sit next to
the approved record. Read anonymously, no surface names them, counts them, matches through them, or
answers about them otherwise than about something that does not exist; an account that may view
drafts (curators, reviewers) does see them.
"""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims.claim_history import claim_history
from claims.models import Claim, ClaimRelation, Quote, Review, Speaker, Status
from tests import factories

pytestmark = pytest.mark.django_db

# What an anonymous reader must never see, anywhere.
SECRETS = ("Zebulon", "zebulon-hidden", "Zebhidden", "Quietly unfinished", "drafting-reviewer")


@pytest.fixture
def record(working_groups):
    """Maïga's approved quote carries `public`; a draft speaker's quote carries `by_draft_speaker`;
    Maïga's draft quote carries `by_draft_quote`; `public` has a published and a draft review."""
    article = factories.source(slug="article", published_on=datetime.date(2025, 11, 1))
    text = factories.ARTICLE_TEXT
    maiga = factories.speaker(name="Choguel Kokalla Maïga", slug="choguel-maiga")
    factories.alias(speaker=maiga, name="Maiga")
    zebulon = factories.speaker(name="Zebulon Hiddenname", slug="zebulon-hidden", status=Status.DRAFT)
    factories.alias(speaker=zebulon, name="Zebhidden")
    approved_quote = factories.quote(speaker=maiga, source=article)  # "France forbade…"
    fate = "the fate of Mali will not be decided"
    draft_speakers_quote = factories.quote(speaker=zebulon, source=article, text=fate, start=text.index(fate))
    draft_quote = factories.quote(
        speaker=maiga, source=article, text=fate, start=text.rindex(fate), status=Status.DRAFT
    )
    public = factories.claim(slug="public", text="France kept the Malian army out of Kidal.")
    by_draft_speaker = factories.claim(slug="by-draft-speaker", text="Mali decides its own fate alone.")
    by_draft_quote = factories.claim(slug="by-draft-quote", text="Foreign media decide nothing in Mali.")
    factories.attribution(claim=public, quote=approved_quote)
    factories.attribution(claim=by_draft_speaker, quote=draft_speakers_quote)
    factories.attribution(claim=by_draft_quote, quote=draft_quote)
    # Both hidden-carried claims are disputed, so they stand in the review queue.
    factories.relation(from_claim=public, to_claim=by_draft_speaker, kind=ClaimRelation.Kind.DISPUTES)
    factories.relation(from_claim=public, to_claim=by_draft_quote, kind=ClaimRelation.Kind.DISPUTES)
    publisher = factories.user(username="publishing-reviewer", groups=["reviewers"])
    drafter = factories.user(username="drafting-reviewer", groups=["reviewers"])
    published = factories.review(
        claim=public,
        reviewer=publisher,
        rating="mostly_true",
        rationale="Reported by two outlets.",
        status=Review.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    published.evidence_quotes.add(approved_quote, draft_quote)
    draft_review = Review(claim=public, reviewer=drafter, rating="false", rationale="Quietly unfinished thoughts.")
    draft_review._history_user = drafter  # its history names its author, as the workflow's would
    draft_review.save()
    return {
        "maiga": maiga,
        "zebulon": zebulon,
        "approved_quote": approved_quote,
        "draft_quote": draft_quote,
        "draft_speakers_quote": draft_speakers_quote,
        "public": public,
        "by_draft_speaker": by_draft_speaker,
        "by_draft_quote": by_draft_quote,
        "published": published,
        "draft_review": draft_review,
    }


@pytest.fixture
def curator(working_groups):
    return factories.user(groups=["curators"])


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def slugs(response):
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


# ?speaker= : a draft speaker is answered as an unknown one ------------------------------------------


@pytest.mark.parametrize("path", ["/api/claims/", "/api/claims/disputed/", "/api/quotes/", "/api/attributions/"])
@pytest.mark.parametrize("named", ["zebulon-hidden", "Zebulon Hiddenname", "zebhidden"])
def test_a_draft_speaker_in_the_speaker_filter_is_answered_like_an_unknown_speaker(api, record, path, named):
    unknown = api.get(path, {"speaker": "nobody-at-all"})
    draft = api.get(path, {"speaker": named})
    assert unknown.status_code == draft.status_code == 400
    assert list(draft.json()) == ["speaker"]
    assert json.dumps(draft.json()) == json.dumps(unknown.json()).replace("nobody-at-all", named)


@pytest.mark.parametrize("named", ["choguel-maiga", "maiga", "MAÏGA", "Choguel Kokalla Maïga"])
def test_the_speaker_filter_takes_a_slug_a_name_or_an_alias_ignoring_accents_and_case(api, record, named):
    assert slugs(api.get("/api/claims/", {"speaker": named})) == {"public"}
    assert ids(api.get("/api/quotes/", {"speaker": named})) == [record["approved_quote"].pk]
    assert [row["claim"]["id"] for row in api.get("/api/attributions/", {"speaker": named}).json()["results"]] == [
        record["public"].pk
    ]


def test_a_speaker_filter_naming_several_speakers_takes_them_all(api, record):
    other = factories.speaker(name="Modibo Maïga", slug="modibo-maiga")
    carried = factories.attribution(quote=factories.quote(speaker=other)).claim
    assert slugs(api.get("/api/claims/", {"speaker": "maiga"})) == {"public", carried.slug}
    assert slugs(api.get("/api/claims/", {"speaker": "modibo"})) == {carried.slug}


def test_an_unknown_speaker_is_a_400_naming_the_field_and_the_value(api, record):
    response = api.get("/api/claims/", {"speaker": "nobody-at-all"})
    assert response.status_code == 400
    assert "nobody-at-all" in response.json()["speaker"][0]


def test_a_curator_filters_by_a_draft_speaker(api, record, curator):
    api.force_authenticate(curator)
    assert slugs(api.get("/api/claims/", {"speaker": "zebulon-hidden"})) == {"by-draft-speaker"}
    assert slugs(api.get("/api/claims/", {"speaker": "zebhidden"})) == {"by-draft-speaker"}
    assert ids(api.get("/api/quotes/", {"speaker": "zebulon-hidden"})) == [record["draft_speakers_quote"].pk]
    assert slugs(api.get("/api/claims/", {"speaker": "maiga"})) == {"public", "by-draft-quote"}


def test_a_draft_quote_in_the_quote_filter_is_answered_like_an_unknown_quote(api, record):
    unknown = api.get("/api/attributions/", {"quote": 999999})
    draft = api.get("/api/attributions/", {"quote": record["draft_quote"].pk})
    assert unknown.status_code == draft.status_code == 400
    assert json.dumps(draft.json()) == json.dumps(unknown.json()).replace("999999", str(record["draft_quote"].pk))


# Claims match through published attributions only -------------------------------------------------


def test_claim_search_does_not_match_through_a_draft_speaker_or_a_draft_quote(api, record, curator):
    assert slugs(api.get("/api/claims/", {"q": "zebulon"})) == set()
    assert slugs(api.get("/api/claims/", {"q": "maiga"})) == {"public"}
    api.force_authenticate(curator)
    assert slugs(api.get("/api/claims/", {"q": "zebulon"})) == {"by-draft-speaker"}
    assert slugs(api.get("/api/claims/", {"q": "maiga"})) == {"public", "by-draft-quote"}


@pytest.mark.parametrize(
    "params", [{"source": "article"}, {"said_after": "2000-01-01"}, {"said_before": "2100-01-01"}], ids=str
)
def test_claim_filters_through_quotes_do_not_match_through_drafts(api, record, curator, params):
    assert slugs(api.get("/api/claims/", params)) == {"public"}
    api.force_authenticate(curator)
    assert slugs(api.get("/api/claims/", params)) == {"public", "by-draft-speaker", "by-draft-quote"}


# Counts -------------------------------------------------------------------------------------------


def test_speaker_counts_leave_drafts_out_for_anonymous_readers(api, record, curator):
    listed = {row["slug"]: row for row in api.get("/api/speakers/").json()["results"]}
    assert set(listed) == {"choguel-maiga"}
    assert (listed["choguel-maiga"]["quote_count"], listed["choguel-maiga"]["claim_count"]) == (1, 1)
    detail = api.get("/api/speakers/choguel-maiga/").json()
    assert (detail["quote_count"], detail["claim_count"]) == (1, 1)
    assert api.get("/api/speakers/choguel-maiga/quotes/").json()["count"] == 1
    assert api.get("/api/sources/article/").json()["quote_count"] == 1

    api.force_authenticate(curator)
    listed = {row["slug"]: row for row in api.get("/api/speakers/").json()["results"]}
    assert (listed["choguel-maiga"]["quote_count"], listed["choguel-maiga"]["claim_count"]) == (2, 2)
    assert (listed["zebulon-hidden"]["quote_count"], listed["zebulon-hidden"]["claim_count"]) == (1, 1)
    assert api.get("/api/sources/article/").json()["quote_count"] == 3


def test_list_counts_leave_drafts_out(api, record):
    assert api.get("/api/quotes/").json()["count"] == 1
    assert api.get("/api/attributions/").json()["count"] == 1
    assert api.get("/api/reviews/").json()["count"] == 1
    assert api.get("/api/speakers/").json()["count"] == 1


def test_home_page_counts_leave_drafts_out(client, record):
    counts = client.get("/").context["counts"]
    assert (counts["speakers"].value, counts["quotes"].value) == (1, 1)


# History --------------------------------------------------------------------------------------------


def test_claim_history_hides_draft_reviews_and_their_authors_from_anonymous_readers(api, record, curator):
    response = api.get(f"/api/claims/{record['public'].pk}/history/")
    assert response.status_code == 200
    reviews = {row["object_id"] for row in response.json() if row["model"] == "review"}
    assert reviews == {record["published"].pk}
    assert "drafting-reviewer" not in response.content.decode()

    api.force_authenticate(curator)
    rows = api.get(f"/api/claims/{record['public'].pk}/history/").json()
    assert {row["object_id"] for row in rows if row["model"] == "review"} == {
        record["published"].pk,
        record["draft_review"].pk,
    }


def test_claim_history_hides_attributions_through_drafts(api, record, curator):
    for claim in ("by_draft_speaker", "by_draft_quote"):
        rows = api.get(f"/api/claims/{record[claim].pk}/history/").json()
        assert [row["model"] for row in rows if row["model"] == "attribution"] == [], claim
    api.force_authenticate(curator)
    rows = api.get(f"/api/claims/{record['by_draft_quote'].pk}/history/").json()
    assert [row["model"] for row in rows if row["model"] == "attribution"] == ["attribution"]


def test_a_published_reviews_history_starts_when_it_was_published(record):
    """The draft it was before (its wording, its edits) is not part of the public record."""
    review = record["draft_review"]
    review.rationale = "Quietly unfinished, edited."
    review.save()
    review.status = Review.Status.PUBLISHED
    review.published_at = timezone.now()
    review.rationale = "Final wording."
    review.save()
    rows = [
        row for row in claim_history(record["public"]) if row["object_id"] == review.pk and row["model"] == "review"
    ]
    assert [row["change"] for row in rows] == ["published"]  # not a change of a draft nobody was shown
    everything = claim_history(record["public"], viewer=factories.user(groups=["reviewers"]))
    assert len([row for row in everything if row["object_id"] == review.pk and row["model"] == "review"]) == 3


# Reviews -----------------------------------------------------------------------------------------


def test_a_published_review_cites_no_draft_quote_to_anonymous_readers(api, record, curator):
    path = f"/api/reviews/{record['published'].pk}/"
    assert [quote["id"] for quote in api.get(path).json()["evidence_quotes"]] == [record["approved_quote"].pk]
    api.force_authenticate(curator)
    assert sorted(quote["id"] for quote in api.get(path).json()["evidence_quotes"]) == sorted(
        [record["approved_quote"].pk, record["draft_quote"].pk]
    )


# Site search ---------------------------------------------------------------------------------------


def test_site_search_does_not_find_claims_through_drafts(client, record):
    page = client.get("/search/", {"q": "zebulon"}).content.decode()
    assert "Mali decides its own fate alone" not in page
    page = client.get("/search/", {"q": "maiga"}).content.decode()
    assert "France kept the Malian army" in page
    assert "Foreign media decide nothing" not in page


# Every surface, swept ---------------------------------------------------------------------------------


def anonymous_paths(record):
    claims = [record[name] for name in ("public", "by_draft_speaker", "by_draft_quote")]
    return [
        "/api/speakers/",
        "/api/speakers/?q=zeb",
        "/api/speakers/choguel-maiga/",
        "/api/speakers/choguel-maiga/quotes/",
        "/api/sources/",
        "/api/sources/article/",
        "/api/sources/article/?include=text",
        "/api/quotes/",
        "/api/quotes/?q=hiddenname",
        "/api/claims/?q=hiddenname",
        "/api/claims/?q=maiga&format=csv",
        "/api/quotes/?q=fate",
        "/api/claims/",
        "/api/claims/?format=csv",
        "/api/claims/disputed/",
        "/api/claims/disputed/?format=csv",
        "/api/relations/",
        "/api/attributions/",
        "/api/attributions/?format=csv",
        "/api/reviews/",
        "/api/reviews/?format=csv",
        *(f"/api/claims/{claim.pk}/" for claim in claims),
        *(f"/api/claims/{claim.pk}/history/" for claim in claims),
        *(f"/api/claims/{claim.pk}/claimreview/" for claim in claims),
        "/",
        *(f"/claims/{claim.slug}/" for claim in claims),
        "/speakers/choguel-maiga/",
        "/sources/article/",
        "/search/?q=hiddenname",
        "/search/?q=fate",
        "/search/?q=maiga",
        "/verdicts/",
        "/verdicts/feed/",
        "/sitemap-speakers.xml",
        "/sitemap-claims.xml",
    ]


def test_no_anonymous_surface_names_a_draft(api, record):
    for path in anonymous_paths(record):
        response = api.get(path)
        assert response.status_code == 200, (path, response.status_code)
        body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        for secret in SECRETS:
            assert secret.lower() not in body.lower(), (path, secret)
        for quote in (record["draft_quote"], record["draft_speakers_quote"]):
            assert f"/api/quotes/{quote.pk}/" not in body and f'quote-{quote.pk}"' not in body, (path, quote)


def test_draft_details_answer_404_like_anything_unknown(api, record, client):
    for path in (
        "/api/speakers/zebulon-hidden/",
        "/api/speakers/zebulon-hidden/quotes/",
        f"/api/quotes/{record['draft_quote'].pk}/",
        f"/api/quotes/{record['draft_speakers_quote'].pk}/",
        f"/api/reviews/{record['draft_review'].pk}/",
    ):
        assert api.get(path).status_code == 404, path
    assert client.get("/speakers/zebulon-hidden/").status_code == 404


def test_claimreview_export_names_no_draft_speaker(record, tmp_path):
    record["by_draft_speaker"].reviews.create(
        rating="false", rationale="No.", status=Review.Status.PUBLISHED, published_at=timezone.now()
    )
    out = tmp_path / "feed.json"
    call_command("export_claimreview", out=str(out), verbosity=0)
    exported = out.read_text()
    assert "Mali decides its own fate alone" in exported
    assert "Zebulon" not in exported and "Zebhidden" not in exported


def test_a_curator_sees_drafts_in_lists_and_details(api, record, curator):
    api.force_authenticate(curator)
    assert "zebulon-hidden" in slugs(api.get("/api/speakers/"))
    assert api.get("/api/speakers/zebulon-hidden/").status_code == 200
    assert record["draft_quote"].pk in ids(api.get("/api/quotes/"))
    detail = api.get(f"/api/claims/{record['public'].pk}/").json()
    assert record["draft_review"].pk in {review["id"] for review in detail["reviews"]}
    carried = api.get(f"/api/claims/{record['by_draft_speaker'].pk}/").json()
    assert [row["speaker"]["slug"] for row in carried["attributions"]] == ["zebulon-hidden"]


def test_the_rule_is_one_queryset_method_per_model(record, curator):
    anonymous = None
    assert list(Speaker.objects.visible_to(anonymous)) == [record["maiga"]]
    assert list(Quote.objects.visible_to(anonymous)) == [record["approved_quote"]]
    assert list(Review.objects.visible_to(anonymous)) == [record["published"]]
    assert set(Claim.objects.visible_to(anonymous).matching("maiga")) == {record["public"]}
    assert Speaker.objects.visible_to(curator).count() == 2
    assert Quote.objects.visible_to(curator).count() == 3
    assert Review.objects.visible_to(curator).count() == 2
    assert set(Claim.objects.visible_to(curator).matching("maiga")) == {record["public"], record["by_draft_quote"]}


def test_an_account_without_view_permission_sees_what_anonymous_readers_see(api, record):
    api.force_authenticate(factories.user())
    assert slugs(api.get("/api/speakers/")) == {"choguel-maiga"}
    assert api.get("/api/claims/", {"speaker": "zebulon-hidden"}).status_code == 400
    assert slugs(api.get("/api/claims/", {"q": "zebulon"})) == set()


def test_a_reviewer_sees_drafts_through_the_view_permission(api, record):
    api.force_authenticate(factories.user(groups=["reviewers"]))
    assert slugs(api.get("/api/speakers/")) == {"choguel-maiga", "zebulon-hidden"}
    assert slugs(api.get("/api/claims/", {"speaker": "zebulon-hidden"})) == {"by-draft-speaker"}
