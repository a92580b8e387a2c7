"""ClaimReview JSON-LD out of the record and back in: the seed data, real feeds, idempotency, the round trip."""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from claims import claimreview, reviews
from claims.claimreview_io import claim_review_for, export_feed, import_feed, published_reviews
from claims.models import (
    Attribution,
    Claim,
    ClaimRelation,
    Quote,
    Review,
    ReviewEvent,
    Role,
    Source,
    Speaker,
    SpeakerAlias,
    Topic,
)
from tests import factories

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
MESSY = DATA / "claimreview_messy.json"
SAMPLE = Path(settings.BASE_DIR).parent / "shared" / "claimreview" / "sample.json"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def reviewer():
    return factories.user(groups=["reviewers"], username="reviewer")


def publish(claim, reviewer, **fields):
    reviews.review_assign(claim=claim, actor=reviewer)
    fields.setdefault("rating", "mostly_false")
    fields.setdefault("rationale", f"Rationale for {claim.slug}.")
    return reviews.review_publish(claim=claim, actor=reviewer, **fields)


def published_seed(reviewer):
    """The seed record with verdicts published on its disputed claims (the seed has none)."""
    call_command("loaddata", "seed", verbosity=0)
    claims = list(Claim.objects.disputed().order_by("pk"))
    assert claims, "the seed has disputed claims"
    ratings = ["false", "mostly_true", "unverifiable", "mixed"]
    for index, claim in enumerate(claims[:4]):
        evidence = [attribution.quote.source for attribution in claim.attributions.all()[:1]]
        publish(claim, reviewer, rating=ratings[index], evidence_sources=evidence)
    return claims[:4]


def test_claimreview_of_a_seed_claim_field_by_field(reviewer):
    claim = published_seed(reviewer)[0]
    review = Review.objects.get(claim=claim, status="published")
    data = claim_review_for(published_reviews(claim).get())
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == claim.text
    assert data["datePublished"] == review.published_at.date().isoformat()
    assert data["url"].startswith(settings.CLAIMREVIEW_PUBLISHER["url"].rstrip("/") + "/claims/" + claim.slug)
    assert data["author"] == {
        "@type": "Organization",
        "name": settings.CLAIMREVIEW_PUBLISHER["name"],
        "url": settings.CLAIMREVIEW_PUBLISHER["url"],
    }
    assert data["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
    }
    assert data["reviewBody"] == review.rationale
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    quotes = [a.quote for a in claim.attributions.filter(stance="asserts").select_related("quote__speaker")]
    speakers = sorted({quote.speaker for quote in quotes}, key=lambda speaker: (speaker.name, speaker.pk))
    authors = item["author"] if isinstance(item["author"], list) else [item["author"]]
    assert [author["name"] for author in authors] == [speaker.name for speaker in speakers]
    for author, speaker in zip(authors, speakers, strict=True):
        assert author["@type"] == ("Person" if speaker.kind == "person" else "Organization")
        if speaker.wikidata_id:
            assert author["sameAs"] == f"https://www.wikidata.org/wiki/{speaker.wikidata_id}"
        else:
            assert "sameAs" not in author
    assert {work.get("name") for work in item["appearance"]} == {quote.source.title for quote in quotes}
    assert {work.get("url") for work in item["appearance"]} == {quote.source.url or None for quote in quotes}
    dates = [quote.said or quote.source.published for quote in quotes if quote.said or quote.source.published]
    if dates:
        assert item["datePublished"] == min(dates)
    assert [work["name"] for work in data["citation"]] == [source.title for source in review.evidence_sources.all()]


def test_unverifiable_and_superseded_reviews_in_the_export(reviewer):
    published = published_seed(reviewer)
    reviews.review_reopen(claim=published[0], actor=reviewer)
    feed = export_feed()
    assert feed["@type"] == "DataFeed"
    claims_reviewed = [item["claimReviewed"] for item in feed["dataFeedElement"]]
    assert published[0].text not in claims_reviewed  # its review is superseded, no longer published
    unverifiable = next(item for item in feed["dataFeedElement"] if item["claimReviewed"] == published[2].text)
    assert unverifiable["reviewRating"] == {"@type": "Rating", "alternateName": "Unverifiable"}


def import_file(path):
    return import_feed(json.loads(Path(path).read_text(encoding="utf-8")))


def test_import_of_a_messy_feed_imports_what_is_there_and_says_what_was_skipped():
    report = import_file(MESSY)
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert [index for index, _ in report.skipped] == [3, 4, 5, 6]
    reasons = dict(report.skipped)
    assert reasons[3] == "no claimReviewed"
    assert reasons[4] == "no reviewRating: a review without a verdict"
    assert "not ClaimReview" in reasons[5]
    warnings = " | ".join(warning for _, warning in report.warnings)
    assert "'Facebook posts' is typed as a Person" in warnings
    assert "no datePublished" in warnings
    assert "'Full Flop' is not on our scale" in warnings

    # The Washington Post and Washington Post are one publisher.
    assert set(Review.objects.values_list("publisher_name", flat=True)) == {"The Washington Post", "Sahel Fact Check"}
    fuel = Review.objects.get(url="https://factcheck.example.org/2025/11/fuel-blockade")
    assert (fuel.rating, fuel.rating_label, fuel.status) == ("mostly_false", "", "published")
    assert fuel.rationale == "Deliveries slowed but convoys still arrived."
    assert fuel.claim.review_status == "reviewed"
    diop = Speaker.objects.get(name="Abdoulaye Diop")
    assert (diop.kind, diop.wikidata_id) == ("person", "Q4666434")
    quote = Attribution.objects.get(claim=fuel.claim).quote
    assert quote.speaker == diop
    assert (quote.source.url, quote.source.is_archived, quote.said) == (
        "https://radio.example.org/interview",
        False,
        "2025-11",
    )
    assert Speaker.objects.get(name="Facebook posts").kind == "organisation"
    advisory = Review.objects.get(url="https://factcheck.example.org/2025/11/advisory")
    assert (advisory.rating, advisory.rating_label) == ("false", "Pants on Fire")
    flop = Review.objects.get(url="https://factcheck.example.org/2025/11/no-date")
    assert (flop.rating, flop.rating_label) == ("", "Full Flop")


def test_importing_the_same_feed_twice_changes_nothing():
    import_file(MESSY)
    counts = [model.objects.count() for model in (Claim, Review, Speaker, Source, Quote, Attribution)]
    exported = export_feed()
    again = import_file(MESSY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert [model.objects.count() for model in (Claim, Review, Speaker, Source, Quote, Attribution)] == counts
    assert export_feed() == exported


def test_a_changed_verdict_in_a_feed_updates_the_review():
    data = json.loads(MESSY.read_text(encoding="utf-8"))
    import_feed(data)
    data["dataFeedElement"][0]["reviewRating"] = {"@type": "Rating", "alternateName": "False"}
    report = import_feed(data)
    assert (report.updated, report.unchanged) == (1, 2)
    assert Review.objects.get(url="https://factcheck.example.org/2025/11/fuel-blockade").rating == "false"


def test_import_command_reports_and_never_crashes(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    with pytest.raises(Exception, match="Cannot read"):
        call_command("import_claimreview", str(broken))
    call_command("import_claimreview", str(MESSY))
    captured = capsys.readouterr()
    assert "3 reviews created, 0 updated, 0 unchanged, 4 skipped" in captured.out
    assert "record 3: skipped: no claimReviewed" in captured.err


@pytest.mark.skipif(not SAMPLE.exists() and not IN_CI, reason="the shared ClaimReview sample is not beside the repo")
def test_import_of_the_real_sample_counts_what_was_created_and_skipped():
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    report = import_feed(data)
    assert len(data) == 40
    assert (report.created, len(report.skipped)) == (40, 0), report.skipped
    assert Review.objects.published().count() == 40
    # PolitiFact, FactCheck.org, and the Washington Post spelled with and without "The".
    assert Review.objects.values("publisher_name").distinct().count() == 3
    claimants = {claimreview.fold(item["itemReviewed"]["author"]["name"]) for item in data}
    assert report.speakers_created == Speaker.objects.count() == len(claimants)
    assert Review.objects.get(url__contains="michelle-obama").rating_label == "Pants on Fire"
    assert Review.objects.filter(rating="").count() == len(
        [i for i in data if claim_rating_unknown(i["reviewRating"]["alternateName"])]
    )
    again = import_feed(data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 40)


def claim_rating_unknown(label):
    return claimreview.RATING_SYNONYMS.get(claimreview.fold(label)) is None


def empty_the_record():
    for model in (
        ReviewEvent,
        Review,
        Attribution,
        ClaimRelation,
        Quote,
        Claim,
        Role,
        SpeakerAlias,
        Speaker,
        Source,
        Topic,
    ):
        model.objects.all().delete()


def test_export_import_into_an_empty_database_export_gives_the_same_json_ld(reviewer, tmp_path):
    published_seed(reviewer)
    first = tmp_path / "first.json"
    call_command("export_claimreview", out=str(first))
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert len(exported["dataFeedElement"]) == Review.objects.published().count() > 0
    empty_the_record()
    call_command("import_claimreview", str(first))
    second = tmp_path / "second.json"
    call_command("export_claimreview", out=str(second))
    assert json.loads(second.read_text(encoding="utf-8")) == exported


def test_round_trip_of_an_imported_feed():
    import_file(MESSY)
    exported = export_feed()
    empty_the_record()
    import_feed(exported)
    assert export_feed() == exported
