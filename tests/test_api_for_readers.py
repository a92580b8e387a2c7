"""What an API reader meets: links where ids were, verdicts in words, full CSV exports, a usable root.

Issue 19, "API readers": each behaviour a reader reported, pinned through the HTTP interface.
"""

import datetime

import pytest

from claims import reviews
from claims.models import ClaimRelation, Review
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 11, 20, 12, 0, tzinfo=datetime.UTC)
LONG_QUOTE = "Mali’s foreign minister said “the fate of Mali will not be decided” by the media. " * 3


@pytest.fixture
def linked():
    """A claim carried by a quote, disputed by another claim, with a published verdict citing the quote."""
    origin = factories.source(title="France Inter, 10 Nov 2025", slug="france-inter", text="", kind="interview")
    quote = factories.quote(origin=origin)
    claim = factories.claim(text="France kept the Malian army out of Kidal.")
    counter = factories.claim(text="The Malian army entered Kidal freely.")
    attribution = factories.attribution(claim=claim, quote=quote)
    relation = factories.relation(from_claim=counter, to_claim=claim, kind=ClaimRelation.Kind.DISPUTES)
    review = factories.review(claim=claim, rating="mostly_false", status=Review.Status.PUBLISHED, published_at=NOW)
    review.evidence_quotes.add(quote)
    review.evidence_sources.add(quote.source)
    return {
        "quote": quote,
        "claim": claim,
        "counter": counter,
        "attribution": attribution,
        "relation": relation,
        "review": review,
        "origin": origin,
    }


def _is_link(ref, path, pk):
    return ref["id"] == pk and ref["href"] == f"http://testserver{path}"


# Links where raw ids were ---------------------------------------------------------------------


def test_claim_list_attributions_link_their_quote_with_its_words(api, linked):
    [row] = [row for row in api.get("/api/claims/").json()["results"] if row["id"] == linked["claim"].pk]
    ref = row["attributions"][0]["quote"]
    assert _is_link(ref, f"/api/quotes/{linked['quote'].pk}/", linked["quote"].pk)
    assert ref["excerpt"] == linked["quote"].text


def test_a_long_quote_is_referred_to_by_an_excerpt_cut_at_a_word(api, linked):
    source = factories.source(text=LONG_QUOTE)
    quote = factories.quote(source=source, text=LONG_QUOTE.strip())
    factories.attribution(claim=linked["claim"], quote=quote)
    [row] = [row for row in api.get("/api/claims/").json()["results"] if row["id"] == linked["claim"].pk]
    excerpt = row["attributions"][-1]["quote"]["excerpt"]
    assert excerpt.endswith("…") and len(excerpt) <= 161
    assert quote.text.startswith(excerpt[:-1]) and quote.text[len(excerpt) - 1] == " "


def test_disputed_by_links_the_relation_and_the_counter_claim(api, linked):
    [link] = api.get(f"/api/claims/{linked['claim'].pk}/").json()["disputed_by"]
    relation = linked["relation"]
    assert _is_link(link["relation"], f"/api/relations/{relation.pk}/", relation.pk)
    assert link["relation"]["kind"] == "disputes"
    assert link["claim"]["text"] == linked["counter"].text


def test_a_review_links_its_claim_and_evidence(api, linked):
    body = api.get(f"/api/reviews/{linked['review'].pk}/").json()
    assert _is_link(body["claim"], f"/api/claims/{linked['claim'].pk}/", linked["claim"].pk)
    assert body["claim"]["text"] == linked["claim"].text
    [quote] = body["evidence_quotes"]
    assert _is_link(quote, f"/api/quotes/{linked['quote'].pk}/", linked["quote"].pk)
    [source] = body["evidence_sources"]
    assert source["title"] == linked["quote"].source.title
    assert source["href"] == f"http://testserver/api/sources/{linked['quote'].source.slug}/"


def test_a_relation_links_both_claims(api, linked):
    body = api.get(f"/api/relations/{linked['relation'].pk}/").json()
    assert _is_link(body["from_claim"], f"/api/claims/{linked['counter'].pk}/", linked["counter"].pk)
    assert body["to_claim"]["text"] == linked["claim"].text


def test_an_attribution_links_its_claim_and_quote(api, linked):
    body = api.get(f"/api/attributions/{linked['attribution'].pk}/").json()
    assert _is_link(body["claim"], f"/api/claims/{linked['claim'].pk}/", linked["claim"].pk)
    assert _is_link(body["quote"], f"/api/quotes/{linked['quote'].pk}/", linked["quote"].pk)


def test_a_quote_links_where_it_was_first_said(api, linked):
    origin = api.get(f"/api/quotes/{linked['quote'].pk}/").json()["origin"]
    assert origin["title"] == "France Inter, 10 Nov 2025"
    assert origin["href"] == "http://testserver/api/sources/france-inter/"


def test_links_are_still_written_as_keys(api, linked):
    curator = factories.user(groups=["curators"])
    api.force_authenticate(curator)
    other = factories.claim()
    response = api.post(
        "/api/relations/", {"from_claim": other.pk, "to_claim": linked["claim"].pk, "kind": "supports"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["from_claim"]["id"] == other.pk
    response = api.post("/api/attributions/", {"claim": other.pk, "quote": linked["quote"].pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["quote"]["excerpt"] == linked["quote"].text


def test_the_schema_documents_keys_written_and_links_read(api):
    schemas = api.get("/api/schema/?format=json").json()["components"]["schemas"]
    assert schemas["ClaimRelationRequest"]["properties"]["from_claim"]["type"] == "integer"
    assert schemas["ClaimRelation"]["properties"]["from_claim"] == {"$ref": "#/components/schemas/ClaimRef"}
    assert schemas["ReviewRequest"]["properties"]["evidence_quotes"]["items"]["type"] == "integer"
    assert schemas["Review"]["properties"]["evidence_quotes"]["items"] == {"$ref": "#/components/schemas/QuoteRef"}
    assert schemas["ReviewRequest"]["properties"]["evidence_sources"]["items"]["type"] == "string"


# Verdicts in words ------------------------------------------------------------------------------


def test_our_verdict_reads_with_the_scales_label_and_this_site_as_publisher(api, linked, settings):
    settings.CLAIMREVIEW_PUBLISHER = {"name": "Sahel Claims Desk", "url": "https://claims.example.org/"}
    [brief] = api.get(f"/api/claims/{linked['claim'].pk}/").json()["reviews"]
    assert (brief["rating_label"], brief["publisher_name"]) == ("Mostly false", "Sahel Claims Desk")
    full = api.get(f"/api/reviews/{linked['review'].pk}/").json()
    assert (full["rating_label"], full["publisher_name"]) == ("Mostly false", "Sahel Claims Desk")
    assert full["publisher_url"] == "https://claims.example.org/"


def test_an_imported_verdict_keeps_its_publishers_words(api, linked):
    Review.objects.filter(pk=linked["review"].pk).update(
        rating_label="Misleading", publisher_name="Africa Check", publisher_url="https://africacheck.org/"
    )
    [brief] = api.get(f"/api/claims/{linked['claim'].pk}/").json()["reviews"]
    assert (brief["rating_label"], brief["publisher_name"]) == ("Misleading", "Africa Check")


def test_writing_back_a_read_verdict_keeps_it_this_sites_own(api, linked):
    reviewer = factories.user(groups=["reviewers"])
    api.force_authenticate(reviewer)
    claim = factories.claim()
    reviews.review_assign(claim=claim, actor=reviewer)
    draft = factories.review(claim=claim, reviewer=reviewer, rating="false")
    read = api.get(f"/api/reviews/{draft.pk}/").json()
    payload = {key: read[key] for key in ("rating", "rating_label", "publisher_name", "publisher_url", "rationale")}
    response = api.patch(f"/api/reviews/{draft.pk}/", payload, format="json")
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert (draft.rating_label, draft.publisher_name, draft.publisher_url) == ("", "", "")
    assert response.json()["rating_label"] == "False"


# ClaimReview in a browser, the API root, the favicon --------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/html", "text/html"),
        ("application/ld+json", "application/ld+json"),
        ("application/json", "application/json"),
        ("*/*", "application/ld+json"),
    ],
)
def test_claimreview_is_served_as_the_type_negotiated(api, linked, accept, media_type):
    response = api.get(f"/api/claims/{linked['claim'].pk}/claimreview/", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == media_type


def test_the_api_root_lists_the_queue_the_docs_and_the_schema(api):
    body = api.get("/api/").json()
    assert body["claims/disputed"] == "http://testserver/api/claims/disputed/"
    assert body["docs"] == "http://testserver/api/docs/"
    assert body["schema"] == "http://testserver/api/schema/"
    for href in body.values():
        assert api.get(href.removeprefix("http://testserver")).status_code == 200, href


def test_the_api_root_describes_the_api(api):
    html = api.get("/api/", HTTP_ACCEPT="text/html").content.decode()
    assert "who said what about the war in Mali" in html
    assert "default basic root view" not in html


def test_a_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


# CSV export -------------------------------------------------------------------------------------


def _csv(response):
    import csv
    import io

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_csv_exports_every_matching_row_not_a_page(api):
    for _ in range(45):
        factories.claim()
    response = api.get("/api/claims/?format=csv")
    rows = _csv(response)
    assert len(rows) == 45  # a JSON page holds 20
    assert (response["X-Export-Rows"], response["X-Export-Truncated"]) == ("45", "false")


def test_csv_export_follows_the_filters_and_ordering(api):
    claims = [factories.claim() for _ in range(25)]
    rows = _csv(api.get("/api/claims/?format=csv&ordering=id"))
    assert [int(row["id"]) for row in rows] == [claim.pk for claim in claims]


def test_csv_export_stops_at_the_cap_and_says_so(api, settings):
    settings.API_CSV_MAX_ROWS = 10
    for _ in range(12):
        factories.claim()
    response = api.get("/api/claims/?format=csv")
    assert len(_csv(response)) == 10
    assert (response["X-Export-Rows"], response["X-Export-Truncated"], response["X-Export-Row-Cap"]) == (
        "10",
        "true",
        "10",
    )
    assert "More than 10 rows matched" in response["X-Export-Note"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/speakers/",
        "/api/sources/",
        "/api/quotes/",
        "/api/claims/",
        "/api/claims/disputed/",
        "/api/relations/",
        "/api/attributions/",
        "/api/reviews/",
    ],
)
def test_csv_cells_hold_no_json_and_links_no_format(api, linked, path):
    factories.alias(speaker=linked["quote"].speaker, name="Another spelling")
    rows = _csv(api.get(path, {"format": "csv"}))
    assert rows
    # Every value the JSON list shows has its column (the columns come from walking the serializer).
    from claims.api.renderers import flatten

    for result in api.get(path).json()["results"]:
        shown = {column for column, value in flatten(result).items() if value not in ("", None)}
        assert shown <= set(rows[0]), path
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(("{", "[")), (column, value)
            assert "format=csv" not in value, (column, value)


def test_csv_names_nested_fields_flat_and_joins_lists(api, linked):
    [row] = [row for row in _csv(api.get("/api/claims/?format=csv")) if row["id"] == str(linked["claim"].pk)]
    assert row["attributions_quote_id"] == str(linked["quote"].pk)
    assert row["attributions_speaker_slug"] == linked["quote"].speaker.slug
    factories.attribution(
        claim=linked["claim"], quote=factories.quote(text="the fate of Mali will not be decided", start=30)
    )
    [row] = [row for row in _csv(api.get("/api/claims/?format=csv")) if row["id"] == str(linked["claim"].pk)]
    assert row["attributions_stance"] == "asserts; asserts"


def test_csv_export_runs_a_fixed_number_of_queries_per_chunk(api, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("claims.api.export.CHUNK_SIZE", 5)

    def queries(total):
        while Review.objects.count() < total:
            factories.review(status=Review.Status.PUBLISHED, published_at=NOW)
        with CaptureQueriesContext(connection) as captured:
            assert len(_csv(api.get("/api/reviews/?format=csv"))) == total
        return len(captured)

    queries(5)
    five, ten, fifteen = queries(5), queries(10), queries(15)
    assert fifteen - ten == ten - five <= 3  # each chunk of 5 reviews: its prefetches only


def test_the_browsable_api_is_branded_and_offers_a_sign_in(api):
    html = api.get("/api/", HTTP_ACCEPT="text/html").content.decode()
    assert "<title>Api Root – Sahel Claims API</title>" in html or "Sahel Claims API</title>" in html
    assert "Django REST framework" not in html
    assert "/api/auth/login/?next=/api/" in html, html[html.find("navbar-right") :][:600]
    login = api.get("/api/auth/login/?next=/api/")
    assert login.status_code == 200 and "Sahel Claims API" in login.content.decode()


def test_breadcrumbs_lead_only_to_pages_that_exist(api):
    import re

    html = api.get("/api/claims/disputed/", HTTP_ACCEPT="text/html").content.decode()
    crumbs = re.findall(
        r'<li(?: class="active")?>\s*<a href="([^"]+)"[^>]*>([^<]+)</a>', html.split("breadcrumb", 1)[1]
    )
    names = [name.strip() for _, name in crumbs][:3]
    assert names == ["API Root", "Claim List", "Disputed"], names
    assert "Not Found" not in html.split("breadcrumb", 1)[1].split("</ul>", 1)[0]
