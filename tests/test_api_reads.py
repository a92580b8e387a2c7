"""Reading the record through the API, anonymously: every resource, its detail, and its shape."""

import csv
import datetime
import io

import pytest
from rest_framework.test import APIRequestFactory

from claims.api.serializers import SpeakerSerializer
from claims.models import ClaimRelation, Quote, Review, Source, Speaker, Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    """A small record: Maïga quoted in an article, a claim he carries, a counter-claim, a review."""
    maiga = factories.speaker(name="Choguel Kokalla Maïga", slug="choguel-maiga")
    factories.alias(speaker=maiga, name="Maiga")
    factories.role(
        speaker=maiga,
        title="Prime minister",
        organisation="Transitional government of Mali",
        start_date=datetime.date(2021, 6, 7),
        start_precision="day",
        end_date=datetime.date(2024, 11, 20),
        end_precision="day",
    )
    factories.role(speaker=maiga, title="Politician", start_date=datetime.date(2025, 1, 1), start_precision="year")
    article = factories.source(
        title="Mali article", slug="mali-article", published_on=datetime.date(2025, 11, 1), published_precision="month"
    )
    quote = factories.quote(
        speaker=maiga, source=article, said_on=datetime.date(2021, 9, 30), said_precision="day", kind="paraphrase"
    )
    claim = factories.claim(slug="france-blocked-kidal", text="France kept the Malian army out of Kidal.")
    topic = factories.topic(name="Kidal", slug="kidal")
    claim.topics.add(topic)
    attribution = factories.attribution(claim=claim, quote=quote)
    counter = factories.claim(slug="army-entered-kidal", text="The Malian army entered Kidal freely.")
    supporter = factories.claim(slug="french-control", text="French forces controlled Kidal.")
    factories.relation(from_claim=counter, to_claim=claim, kind=ClaimRelation.Kind.DISPUTES, note="Contradicts.")
    factories.relation(from_claim=supporter, to_claim=claim, kind=ClaimRelation.Kind.SUPPORTS)
    reviewer = factories.user(groups=["reviewers"])
    published = factories.review(
        claim=claim, reviewer=reviewer, status=Review.Status.PUBLISHED, published_at=datetime.datetime.now(datetime.UTC)
    )
    draft = factories.review(claim=claim, reviewer=reviewer, rationale="Unfinished thoughts.")
    return {
        "maiga": maiga,
        "article": article,
        "quote": quote,
        "claim": claim,
        "counter": counter,
        "supporter": supporter,
        "attribution": attribution,
        "published": published,
        "draft": draft,
    }


LIST_ENDPOINTS = [
    "/api/speakers/",
    "/api/sources/",
    "/api/quotes/",
    "/api/claims/",
    "/api/claims/disputed/",
    "/api/relations/",
    "/api/attributions/",
    "/api/reviews/",
]


@pytest.mark.parametrize("path", LIST_ENDPOINTS)
def test_each_list_is_readable_anonymously_with_a_total_count(api, record, path):
    response = api.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["count"] >= 1
    assert len(body["results"]) == min(body["count"], 20)


def test_each_detail_is_readable_anonymously_with_an_etag(api, record):
    paths = {
        f"/api/speakers/{record['maiga'].slug}/": record["maiga"],
        f"/api/sources/{record['article'].slug}/": record["article"],
        f"/api/quotes/{record['quote'].pk}/": record["quote"],
        f"/api/claims/{record['claim'].pk}/": record["claim"],
        f"/api/relations/{record['claim'].relations_to.first().pk}/": record["claim"].relations_to.first(),
        f"/api/attributions/{record['attribution'].pk}/": record["attribution"],
        f"/api/reviews/{record['published'].pk}/": record["published"],
    }
    for path, instance in paths.items():
        response = api.get(path)
        assert response.status_code == 200, (path, response.content)
        assert response["ETag"] == f'"{instance.pk}-{instance.version}"', path
        assert response.json()["id"] == instance.pk


def test_a_speakers_roles_of_no_known_start_come_first_then_by_start_ties_by_key_on_every_database(api, db):
    speaker = factories.speaker(slug="roles-in-order")
    factories.role(speaker=speaker, title="Minister", start_date=datetime.date(2021, 6, 1), start_precision="month")
    unknown_first = factories.role(speaker=speaker, title="Adviser")
    factories.role(speaker=speaker, title="Spokesman")
    factories.role(speaker=speaker, title="Deputy", start_date=datetime.date(2015, 1, 1), start_precision="year")
    unknown_first.note = "Edited"  # on PostgreSQL its row now lies after the Spokesman's: key, not storage, decides
    unknown_first.save()
    expected = ["Adviser", "Spokesman", "Deputy", "Minister"]

    detail = api.get("/api/speakers/roles-in-order/").json()
    (listed,) = [row for row in api.get("/api/speakers/?page_size=100").json()["results"] if row["id"] == speaker.pk]
    request = APIRequestFactory().get("/api/speakers/roles-in-order/")
    serialized = SpeakerSerializer(
        Speaker.objects.prefetch_related("roles").get(pk=speaker.pk), context={"request": request}
    )
    for roles in (detail["roles"], listed["roles"], serialized.data["roles"]):
        assert [role["title"] for role in roles] == expected


def test_speaker_detail_has_aliases_roles_and_counts(api, record):
    body = api.get("/api/speakers/choguel-maiga/").json()
    assert body["name"] == "Choguel Kokalla Maïga"
    assert body["aliases"] == ["Maiga"]
    assert [role["title"] for role in body["roles"]] == ["Prime minister", "Politician"]
    assert body["roles"][0]["end_date"] == "2024-11-20"
    assert body["quote_count"] == 1
    assert body["claim_count"] == 1


def test_speaker_quotes_lists_only_that_speakers_quotes(api, record):
    factories.quote()  # somebody else's
    body = api.get("/api/speakers/choguel-maiga/quotes/").json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == record["quote"].pk


def test_source_detail_has_metadata_checksum_and_quotes_but_text_only_on_request(api, record):
    body = api.get("/api/sources/mali-article/").json()
    assert body["sha256"] == Source.checksum(factories.ARTICLE_TEXT)
    assert body["is_archived"] is True
    assert body["published"] == "2025-11"
    assert [quote["id"] for quote in body["quotes"]] == [record["quote"].pk]
    assert "text" not in body

    with_text = api.get("/api/sources/mali-article/?include=text").json()
    assert with_text["text"] == factories.ARTICLE_TEXT


def test_quote_shows_the_role_held_on_its_date_and_its_anchored_context(api, record):
    body = api.get(f"/api/quotes/{record['quote'].pk}/").json()
    assert body["speaker"]["slug"] == "choguel-maiga"
    assert body["speaker"]["role"]["title"] == "Prime minister"  # in 2021, not "Politician"
    assert body["source"]["slug"] == "mali-article"
    assert body["kind"] == "paraphrase"
    assert body["anchoring"] == "anchored"
    selector = body["selector"]
    assert selector["type"] == "TextQuoteSelector"
    assert selector["exact"] == "France forbade the Malian army from entering"
    assert selector["prefix"].endswith('Maïga said "')
    assert selector["suffix"].startswith('" Kidal.')
    start = factories.ARTICLE_TEXT.index("France forbade")
    assert body["position"] == {"type": "TextPositionSelector", "start": start, "end": start + 44}


def test_quote_without_a_date_takes_the_role_held_when_the_source_was_published(api, record):
    quote = record["quote"]
    Quote.objects.filter(pk=quote.pk).update(said_on=None, said_precision="")
    body = api.get(f"/api/quotes/{quote.pk}/").json()
    assert body["speaker"]["role"]["title"] == "Politician"  # the article is from November 2025


def test_quote_in_a_referenced_only_source_is_unanchored(api):
    interview = factories.source(text="", kind=Source.Kind.INTERVIEW)
    quote = factories.quote(source=interview, text="Anything at all")
    body = api.get(f"/api/quotes/{quote.pk}/").json()
    assert body["anchoring"] == "unanchored"
    assert body["selector"] is None


def test_claim_detail_has_evidence_relations_reviews_and_dispute_state(api, record):
    body = api.get(f"/api/claims/{record['claim'].pk}/").json()
    assert body["topics"] == ["kidal"]
    [attribution] = body["attributions"]
    assert attribution["quote"]["id"] == record["quote"].pk
    assert attribution["speaker"]["slug"] == "choguel-maiga"
    assert attribution["speaker"]["role"]["title"] == "Prime minister"
    assert attribution["source"]["slug"] == "mali-article"
    assert [link["claim"]["id"] for link in body["disputed_by"]] == [record["counter"].pk]
    assert body["disputed_by"][0]["note"] == "Contradicts."
    assert [link["claim"]["id"] for link in body["supported_by"]] == [record["supporter"].pk]
    assert body["disputes"] == [] and body["supports"] == []
    assert body["is_disputed"] is True
    assert body["review_status"] == "unreviewed"
    assert [review["id"] for review in body["reviews"]] == [record["published"].pk]  # the draft stays hidden

    counter = api.get(f"/api/claims/{record['counter'].pk}/").json()
    assert [link["claim"]["id"] for link in counter["disputes"]] == [record["claim"].pk]
    assert counter["is_disputed"] is True
    assert api.get(f"/api/claims/{record['supporter'].pk}/").json()["is_disputed"] is False


def test_disputed_queue_lists_disputed_claims_without_a_published_review_oldest_first(api, record):
    # record["claim"] has a published review: out of the queue; the counter-claim disputes it: in.
    second = factories.claim()
    factories.relation(from_claim=second, to_claim=record["counter"])
    reviewed = factories.claim()
    factories.relation(from_claim=reviewed, to_claim=second, kind=ClaimRelation.Kind.SUPPORTS)
    body = api.get("/api/claims/disputed/").json()
    assert [claim["id"] for claim in body["results"]] == [record["counter"].pk, second.pk]


def test_draft_reviews_are_hidden_from_anonymous_readers(api, record):
    assert api.get(f"/api/reviews/{record['draft'].pk}/").status_code == 404
    assert [review["id"] for review in api.get("/api/reviews/").json()["results"]] == [record["published"].pk]


def test_draft_speakers_and_quotes_are_invisible_without_view_permission(api, record):
    draft_speaker = factories.speaker(status="draft", name="Imported Someone")
    draft_quote = factories.quote(speaker=record["maiga"], status="draft", text="the fate of Mali", start=30)
    speaker_path, quote_path = f"/api/speakers/{draft_speaker.slug}/", f"/api/quotes/{draft_quote.pk}/"
    assert api.get(speaker_path).status_code == 404
    assert api.get(quote_path).status_code == 404
    assert draft_speaker.slug not in {s["slug"] for s in api.get("/api/speakers/").json()["results"]}
    assert api.get("/api/speakers/choguel-maiga/quotes/").json()["count"] == 1

    curator = factories.user(groups=["curators"])
    api.force_authenticate(curator)
    assert api.get(speaker_path).status_code == 200
    assert api.get(quote_path).status_code == 200


def test_list_filters_narrow_the_results(api, record):
    other = factories.quote(kind="direct")
    assert [q["id"] for q in api.get("/api/quotes/?speaker=choguel-maiga").json()["results"]] == [record["quote"].pk]
    assert [q["id"] for q in api.get("/api/quotes/?kind=paraphrase").json()["results"]] == [record["quote"].pk]
    assert [q["id"] for q in api.get(f"/api/quotes/?source={other.source.slug}").json()["results"]] == [other.pk]
    assert api.get("/api/quotes/?said_after=2021-09-30&said_before=2021-09-30").json()["count"] == 1
    assert api.get("/api/quotes/?said_after=2021-10-01").json()["count"] == 0
    assert api.get("/api/quotes/?anchoring=anchored").json()["count"] == 2
    assert api.get("/api/quotes/?anchoring=mismatch").json()["count"] == 0
    Quote.objects.filter(pk=other.pk).update(text="Tampered with")
    assert [q["id"] for q in api.get("/api/quotes/?anchoring=mismatch").json()["results"]] == [other.pk]

    claim_ids = lambda query: [c["id"] for c in api.get(f"/api/claims/?{query}").json()["results"]]  # noqa: E731
    assert claim_ids("speaker=choguel-maiga") == [record["claim"].pk]
    assert claim_ids("topic=kidal") == [record["claim"].pk]
    assert claim_ids("source=mali-article") == [record["claim"].pk]
    assert set(claim_ids("disputed=true")) == {record["claim"].pk, record["counter"].pk}
    assert claim_ids("disputed=false") == [record["supporter"].pk]
    assert claim_ids("review_status=reviewed") == []
    assert claim_ids("said_after=2021-01-01&said_before=2021-12-31") == [record["claim"].pk]
    assert claim_ids("said_after=2022-01-01") == []

    speaker_kinds = {s["kind"] for s in api.get("/api/speakers/?kind=armed_group").json()["results"]}
    factories.speaker(kind=Speaker.Kind.ARMED_GROUP)
    assert speaker_kinds <= {"armed_group"}
    assert api.get("/api/speakers/?kind=armed_group").json()["count"] == 1


def test_ordering_parameter_orders_the_list(api, record):
    ids = [c["id"] for c in api.get("/api/claims/?ordering=created_at").json()["results"]]
    assert ids == sorted(ids)
    ids = [c["id"] for c in api.get("/api/claims/?ordering=-id").json()["results"]]
    assert ids == sorted(ids, reverse=True)


def test_page_size_is_capped(api):
    for _ in range(3):
        factories.claim()
    body = api.get("/api/claims/?page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    capped = api.get("/api/claims/?page_size=100000")
    assert capped.status_code == 200


def test_csv_output_flattens_a_list(api, record):
    response = api.get("/api/quotes/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert rows[0]["speaker_name"] == "Choguel Kokalla Maïga"
    assert rows[0]["speaker_role_title"] == "Prime minister"
    assert rows[0]["text"] == "France forbade the Malian army from entering"


@pytest.mark.parametrize("path", LIST_ENDPOINTS)
def test_every_list_endpoint_answers_csv(api, record, path):
    response = api.get(path, {"format": "csv"})
    assert response.status_code == 200
    assert len(list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))) >= 2  # a header and a row


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(api):
    factories.claim(text='=HYPERLINK("http://evil.example")')
    body = b"".join(api.get("/api/claims/?format=csv").streaming_content)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert rows[0]["text"].startswith("'=")


@pytest.mark.parametrize("path", ["/api/claims/?disputed=perhaps", "/api/sources/?archived=maybe"])
def test_a_yes_no_filter_refuses_a_value_that_is_neither_true_nor_false(api, path):
    response = api.get(path)
    assert response.status_code == 400
    name = path.split("?")[1].split("=")[0]
    assert "neither true nor false" in response.json()[name][0]


@pytest.mark.parametrize("parameter", ["/api/claims/?review_status", "/api/quotes/?kind", "/api/speakers/?kind"])
def test_a_choice_filter_given_empty_filters_nothing_and_an_unknown_choice_is_refused_naming_it(api, record, parameter):
    path, name = parameter.split("?")
    everything = api.get(path).json()["count"]
    assert everything > 0
    assert api.get(f"{parameter}=").json()["count"] == everything
    response = api.get(f"{parameter}=&{name}=nonsense")
    assert response.status_code == 400
    assert "nonsense" in response.json()[name][0]


def test_a_choice_filter_takes_several_choices_and_ignores_an_empty_one(api, record):
    factories.quote(kind=Quote.Kind.DIRECT)
    factories.quote(kind=Quote.Kind.HEADLINE)
    assert api.get("/api/quotes/?kind=direct&kind=").json()["count"] == 1
    assert api.get("/api/quotes/?kind=direct&kind=headline").json()["count"] == 2
    assert api.get("/api/quotes/?kind=").json()["count"] == Quote.objects.count() > 2


def test_a_yes_no_filter_reads_1_and_0_as_true_and_false(api, record):
    assert api.get("/api/claims/?disputed=1").json()["count"] == 2
    assert api.get("/api/claims/?disputed=0").json()["count"] == 1


@pytest.mark.parametrize("as_curator", [False, True], ids=["anonymous", "curator"])
def test_a_page_of_claims_gives_each_claim_its_topics_by_name_and_its_evidence_in_order(api, as_curator):
    # The page reads its evidence and its claims' topics in one statement (reads.claim_list): each
    # claim gets its own topics, in their names' order whatever their keys and slugs, and its own
    # evidence in the attributions' order whatever the speakers' names; a claim with topics and no
    # evidence, or evidence and no topics, gets the one and not the other. Drafts stay hidden.
    if as_curator:
        api.force_authenticate(factories.user(groups=["curators"]))
    zulu, alpha, mike = (
        factories.topic(name=name, slug=slug) for name, slug in [("Zulu", "a-z"), ("Alpha", "z-a"), ("Mike", "m")]
    )
    topics_only = factories.claim()
    topics_only.topics.add(zulu, alpha, mike)
    evidence_only = factories.claim()
    both = factories.claim()
    both.topics.add(mike, zulu)
    speakers = [factories.speaker(name=name) for name in ("Yacouba", "Bintou", "Moussa")]
    evidence = {
        claim: [factories.attribution(claim=claim, quote=factories.quote(speaker=speaker)).pk for speaker in speakers]
        for claim in (evidence_only, both)
    }
    hidden = factories.attribution(claim=both, quote=factories.quote(speaker=speakers[0], status=Status.DRAFT))
    listed = {claim["id"]: claim for claim in api.get("/api/claims/?page_size=100").json()["results"]}
    assert listed[topics_only.pk]["topics"] == ["z-a", "m", "a-z"]
    assert listed[topics_only.pk]["attributions"] == []
    assert listed[evidence_only.pk]["topics"] == []
    assert [a["id"] for a in listed[evidence_only.pk]["attributions"]] == evidence[evidence_only]
    assert listed[both.pk]["topics"] == ["m", "a-z"]
    shown = evidence[both] + ([hidden.pk] if as_curator else [])
    assert [a["id"] for a in listed[both.pk]["attributions"]] == shown
    assert [a["speaker"]["name"] for a in listed[both.pk]["attributions"][:3]] == ["Yacouba", "Bintou", "Moussa"]
