"""ClaimReview JSON-LD out of the record and back in: the seed data, real feeds, idempotency, the round trip."""

import datetime
import gzip
import json
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from claims import reviews
from claims.claimreview_io import claim_review_for, export_feed, import_feed, import_key, published_reviews
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
UNTIDY = DATA / "claimreview_untidy.json"
DATACOMMONS = DATA / "claimreview_datacommons.txt"
FACT_CHECK_TOOLS = DATA / "claimreview_factchecktools.json"
CC_BY_NC = "https://creativecommons.org/licenses/by-nc/4.0/"


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


def approve_the_new_speakers():
    """What a curator does with the claimants an import proposes."""
    Speaker.objects.filter(status="draft").update(status="approved")


def everything():
    return [model.objects.count() for model in (Claim, Review, Speaker, Source, Quote, Attribution)]


def test_import_of_a_messy_feed_imports_what_is_there_and_says_what_was_skipped():
    report = import_file(MESSY)
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert report.skipped == [
        ("dataFeedElement[3]", "no claimReviewed"),
        ("dataFeedElement[4]", "no reviewRating: a review without a verdict"),
        ("dataFeedElement[5]", "@type is 'NewsArticle', not ClaimReview"),
        ("dataFeedElement[6]", "not a JSON object"),
    ]
    warnings = " | ".join(warning for _, warning in report.warnings)
    assert "'Facebook posts' is typed as a Person but named like an organisation" in warnings
    assert "no datePublished" in warnings
    assert "'Full Flop' is not on our scale" in warnings

    # The Washington Post and Washington Post are one publisher.
    assert set(Review.objects.values_list("publisher_name", flat=True)) == {"The Washington Post", "Sahel Fact Check"}
    fuel = Review.objects.get(url="https://factcheck.example.org/2025/11/fuel-blockade")
    assert (fuel.rating, fuel.rating_label, fuel.status) == ("mostly_false", "", "published")
    assert fuel.rationale == "Deliveries slowed but convoys still arrived."
    assert fuel.claim.review_status == "reviewed"
    diop = Speaker.objects.get(name="Abdoulaye Diop")
    assert (diop.kind, diop.wikidata_id, diop.status) == ("person", "Q4666434", "draft")
    quote = Attribution.objects.get(claim=fuel.claim).quote
    assert quote.speaker == diop
    assert (quote.source.url, quote.source.is_archived, quote.said) == (
        "https://radio.example.org/interview",
        False,
        "2025-11",
    )
    # Typed as a Person by its feed: kept so, as a draft, for a curator to settle.
    assert Speaker.objects.filter(name="Facebook posts").values_list("kind", "status").get() == ("person", "draft")
    advisory = Review.objects.get(url="https://factcheck.example.org/2025/11/advisory")
    assert (advisory.rating, advisory.rating_label) == ("false", "Pants on Fire")
    flop = Review.objects.get(url="https://factcheck.example.org/2025/11/no-date")
    assert (flop.rating, flop.rating_label, flop.published_at) == ("", "Full Flop", None)


def test_importing_the_same_feed_twice_changes_nothing():
    import_file(MESSY)
    counts = everything()
    exported = export_feed()
    again = import_file(MESSY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert everything() == counts
    assert export_feed() == exported


@pytest.mark.parametrize("path", [UNTIDY, DATACOMMONS, FACT_CHECK_TOOLS], ids=lambda path: path.name)
def test_importing_any_file_shape_twice_changes_nothing(path):
    first = call_import(path)
    counts, exported = everything(), export_feed()
    reviews_before = list(Review.objects.order_by("pk").values())
    again = call_import(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert again.skipped == first.skipped
    assert everything() == counts
    assert list(Review.objects.order_by("pk").values()) == reviews_before
    assert export_feed() == exported


def call_import(path):
    from claims.claimreview_io import import_file as import_bytes

    return import_bytes(Path(path).read_bytes())


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
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_claimreview", str(broken))
    call_command("import_claimreview", str(MESSY))
    captured = capsys.readouterr()
    assert "3 reviews created, 0 updated, 0 unchanged, 4 skipped" in captured.out
    assert "dataFeedElement[3]: skipped: no claimReviewed" in captured.err


# Untidy records, as real feeds send them ---------------------------------------------------------


def test_a_review_without_a_date_stays_without_one_and_exports_without_one():
    report = call_import(UNTIDY)
    undated = Review.objects.get(url__endswith="/choguel-maiga/france-forbade-kidal/")
    assert (undated.status, undated.published_at) == ("published", None)
    assert any("no datePublished: left empty" in warning for where, warning in report.warnings if where == "[2]")
    item = next(item for item in export_feed()["dataFeedElement"] if item["url"] == undated.url)
    assert "datePublished" not in item
    dated = Review.objects.get(url__endswith="/abdoulaye-diop/fate-of-mali/")
    assert dated.published_at.isoformat() == "2025-11-20T00:00:00+00:00"


def test_an_undated_review_round_trips_as_undated():
    call_import(UNTIDY)
    exported = export_feed()
    empty_the_record()
    import_feed(exported)
    assert Review.objects.filter(published_at__isnull=True).count() == 2
    assert export_feed() == exported


def test_sd_license_is_kept_and_exported():
    call_import(UNTIDY)
    assert Counter(Review.objects.values_list("sd_license", flat=True)) == {CC_BY_NC: 7, "": 1}
    exported = {item["url"]: item for item in export_feed()["dataFeedElement"]}
    assert (
        exported["https://observer.example.org/fact-checks/2025/nov/12/facebook-posts/fuel-convoys-burned/"][
            "sdLicense"
        ]
        == CC_BY_NC
    )
    assert (
        "sdLicense" not in exported["https://observer.example.org/fact-checks/2025/nov/20/abdoulaye-diop/fate-of-mali/"]
    )


def test_claimants_keep_the_feeds_type_and_arrive_as_drafts_for_a_curator():
    report = call_import(UNTIDY)
    speakers = {speaker.name: (speaker.kind, speaker.status) for speaker in Speaker.objects.all()}
    assert speakers == {
        "Facebook posts": ("organisation", "draft"),
        "Assimi Goïta": ("organisation", "draft"),  # a person, typed Organization by the feed: a curator decides
        "Choguel Maïga": ("organisation", "draft"),
        "Viral meme": ("organisation", "draft"),
        "Transitional government of Mali": ("organisation", "draft"),
        "Africa Corps": ("organisation", "draft"),
        "Abdoulaye Diop": ("person", "draft"),
    }
    assert report.speakers_created == 7
    assert ("[1]", "new speaker 'Assimi Goïta' (typed Organization in the feed) proposed as a draft for a curator") in (
        report.warnings
    )
    # Drafts are nobody's words in public until approved.
    assert all("author" not in item["itemReviewed"] for item in export_feed()["dataFeedElement"])


def test_a_claimant_already_in_the_record_is_linked_not_proposed_again():
    known = factories.speaker(name="Assimi Goïta", slug="assimi-goita", kind="person")
    report = call_import(UNTIDY)
    assert Speaker.objects.filter(name="Assimi Goïta").get() == known
    assert (known.kind, known.status) == ("person", "approved")
    assert report.speakers_created == 6
    authors = [item["itemReviewed"].get("author") for item in export_feed()["dataFeedElement"]]
    assert authors.count({"@type": "Person", "name": "Assimi Goïta"}) == 2


def test_unmapped_labels_are_kept_reported_by_name_and_leave_the_claim_unreviewed(capsys):
    call_command("import_claimreview", str(UNTIDY))
    out = capsys.readouterr().out
    assert (
        "Ratings not on the scale, kept as the publisher's wording (claims not marked reviewed): "
        "'Distorts the Facts' (1), 'Full Flop' (1), 'Needs context' (1), 'Not the Whole Story' (1)."
    ) in out
    for label in ("Distorts the Facts", "Not the Whole Story", "Full Flop", "Needs context"):
        review = Review.objects.get(rating_label=label)
        assert (review.rating, review.status) == ("", "published")
        assert review.claim.review_status == "unreviewed"
    exported = {item["claimReviewed"]: item for item in export_feed()["dataFeedElement"]}
    assert exported["Wagner left Mali in June 2025."]["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Needs context",
    }
    mapped = Review.objects.get(rating_label="Pants on Fire")
    assert (mapped.rating, mapped.claim.review_status) == ("false", "reviewed")


def test_a_disputed_claim_with_only_an_unmapped_label_waits_in_the_review_queue(api):
    call_import(UNTIDY)
    flop, pants = (
        Review.objects.get(rating_label="Full Flop").claim,
        Review.objects.get(rating_label="Pants on Fire").claim,
    )
    for claim in (flop, pants):
        factories.relation(to_claim=claim)
    queue = [item["id"] for item in api.get("/api/claims/disputed/").json()["results"]]
    assert flop.pk in queue and pants.pk not in queue


def test_a_settings_table_maps_more_labels(settings):
    settings.CLAIMREVIEW_RATING_LABELS = {"Needs context": "mixed", "Distorts the Facts": "mostly_false"}
    report = call_import(UNTIDY)
    assert set(report.unmapped) == {"Full Flop", "Not the Whole Story"}
    needs_context = Review.objects.get(rating_label="Needs context")
    assert (needs_context.rating, needs_context.claim.review_status) == ("mixed", "reviewed")
    assert Review.objects.get(rating_label="Distorts the Facts").rating == "mostly_false"


def test_a_label_mapped_later_marks_the_claim_reviewed_on_the_next_import(settings):
    call_import(UNTIDY)
    settings.CLAIMREVIEW_RATING_LABELS = {"Full Flop": "false"}
    report = call_import(UNTIDY)
    assert report.updated == 1
    flop = Review.objects.get(rating_label="Full Flop")
    assert (flop.rating, flop.claim.review_status) == ("false", "reviewed")


def test_a_bad_label_table_in_the_settings_is_refused_before_anything_is_written(settings):
    settings.CLAIMREVIEW_RATING_LABELS = {"Needs context": "sort of"}
    with pytest.raises(
        ImproperlyConfigured, match="CLAIMREVIEW_RATING_LABELS: label 'Needs context' maps to 'sort of'"
    ):
        call_import(UNTIDY)
    assert Review.objects.count() == 0


def test_a_javascript_review_url_is_refused_reported_and_never_stored(capsys):
    report = call_import(UNTIDY)
    assert ("[7]", "refused: url 'javascript:alert(document.cookie)' is not an http(s) address") in report.skipped
    assert not Review.objects.filter(url__icontains="javascript").exists()
    assert not Claim.objects.filter(text="Schools in Gao reopened in October.").exists()
    tools = call_import(FACT_CHECK_TOOLS)
    assert ("claims[2].claimReview[0]", "refused: url 'javascript:alert(1)' is not an http(s) address") in tools.skipped
    call_command("import_claimreview", str(UNTIDY))
    assert "[7]: skipped: refused: url 'javascript:alert(document.cookie)' is not an http(s) address" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"url": "data:text/html,<script>alert(1)</script>"}, "url 'data:text/html"),
        ({"author": {"name": "Desk", "url": "javascript:void(0)"}}, "author.url 'javascript:void(0)'"),
        ({"sdLicense": "javascript:alert(1)"}, "sdLicense 'javascript:alert(1)'"),
        (
            {"itemReviewed": {"author": {"name": "A"}, "appearance": {"name": "Post", "url": "vbscript:x"}}},
            "appearance 'Post' url 'vbscript:x'",
        ),
        ({"claimReviewed": "Fuel\x00 ran out."}, "claimReviewed holds a control character (U+0000 at position 4)"),
        ({"datePublished": "2999-12-01"}, "datePublished 2999-12-01 is in the future"),
        (
            {"itemReviewed": {"author": {"name": "A"}, "datePublished": "2999-01-01"}},
            "itemReviewed.datePublished 2999-01-01",
        ),
    ],
)
def test_what_cannot_be_stored_safely_refuses_the_record_naming_the_field(change, reason):
    node = {
        "@type": "ClaimReview",
        "url": "https://factdesk.example.org/checks/x",
        "claimReviewed": "Fuel ran out.",
        "author": {"name": "Desk"},
        "reviewRating": {"alternateName": "False"},
    }
    report = import_feed([node | change])
    ((where, why),) = report.skipped
    assert where == "[0]" and why.startswith("refused: ") and reason in why
    assert (Review.objects.count(), Claim.objects.count(), Source.objects.count()) == (0, 0, 0)


def test_a_licence_named_in_words_is_kept():
    node = {
        "@type": "ClaimReview",
        "url": "https://factdesk.example.org/checks/y",
        "claimReviewed": "Fuel ran out.",
        "author": {"name": "Desk"},
        "reviewRating": {"alternateName": "False"},
        "sdLicense": "CC BY-NC 4.0",
    }
    assert import_feed([node]).created == 1
    assert Review.objects.get().sd_license == "CC BY-NC 4.0"


def test_the_publisher_spelled_two_ways_is_one_publisher():
    call_import(UNTIDY)
    assert sorted(set(Review.objects.values_list("publisher_name", flat=True))) == [
        "Bamako Fact Desk",
        "The Sahel Observer",
    ]


# The other shapes ClaimReview arrives in ---------------------------------------------------------


def test_a_data_commons_dump_is_imported_and_its_broken_line_reported(tmp_path, capsys):
    dump = tmp_path / "fact_checks.txt.gz"
    dump.write_bytes(gzip.compress(DATACOMMONS.read_bytes()))
    call_command("import_claimreview", str(dump))
    captured = capsys.readouterr()
    assert "3 reviews created, 0 updated, 0 unchanged, 1 skipped" in captured.out
    assert "line 3: skipped: not valid JSON at column " in captured.err
    assert "'Not the Whole Story' (1)" in captured.out
    assert Review.objects.filter(published_at__isnull=True).count() == 1
    assert set(Review.objects.values_list("sd_license", flat=True)) == {CC_BY_NC}


def test_a_fact_check_tools_response_is_imported():
    report = call_import(FACT_CHECK_TOOLS)
    assert (report.created, len(report.skipped)) == (3, 1)
    kidal = Claim.objects.get(text="Says the army retook Kidal without foreign help.")
    assert sorted(kidal.reviews.values_list("publisher_name", "rating", "rating_label")) == [
        ("Bamako Fact Desk", "", "Needs context"),
        ("Sahel Observer", "mostly_false", ""),  # its own word is ours: not kept twice
    ]
    assert kidal.review_status == "reviewed"
    claimant = Speaker.objects.get(name="Transitional government of Mali")
    assert (claimant.kind, claimant.status) == ("organisation", "draft")  # the API types no claimant
    # Said on the claimDate, in each fact-check that reports it.
    assert {attribution.quote.said for attribution in Attribution.objects.filter(claim=kidal)} == {"2023-11-14"}
    by_site = Review.objects.get(url="https://factdesk.example.org/checks/2025-10-02-kayes-road")
    assert (by_site.publisher_name, by_site.rating, by_site.published_at) == (
        "factdesk.example.org",
        "unverifiable",
        None,
    )
    assert report.unmapped == {"Needs context": 1}


@pytest.mark.parametrize(
    "content, message",
    [
        (
            b'{"@type": "DataFeed",\n "dataFeedElement": [\n  {"@type": "ClaimReview",}]}',
            "line 3, column 27: Expecting property name",
        ),
        (b"", "the file is empty"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_a_bad_file_gives_a_clear_message_naming_where(tmp_path, content, message):
    bad = tmp_path / "feed.json"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match=f"Cannot read {bad}: .*{message}"):
        call_command("import_claimreview", str(bad))
    with pytest.raises(CommandError, match="Cannot read .*missing.json"):
        call_command("import_claimreview", str(tmp_path / "missing.json"))


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
    approve_the_new_speakers()
    second = tmp_path / "second.json"
    call_command("export_claimreview", out=str(second))
    assert json.loads(second.read_text(encoding="utf-8")) == exported


def test_round_trip_of_an_imported_feed():
    import_file(MESSY)
    approve_the_new_speakers()
    exported = export_feed()
    assert sum("author" in item["itemReviewed"] for item in exported["dataFeedElement"]) == 3
    empty_the_record()
    import_feed(exported)
    approve_the_new_speakers()
    assert export_feed() == exported


def test_the_migration_undoes_dates_and_verdicts_earlier_imports_made_up():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("claims.migrations.0008_imported_reviews_as_given")
    at = datetime.datetime(2025, 11, 28, 14, 3, 7, tzinfo=datetime.UTC)  # the moment an old import ran
    invented = factories.review(
        status="published", publisher_name="Desk", published_at=at, rating="", rating_label="Full Flop"
    )
    given = factories.review(
        status="published",
        publisher_name="Desk",
        url="https://desk.example.org/1",
        published_at=at.replace(hour=0, minute=0, second=0),
    )
    ours = factories.review(status="published", reviewer=factories.user(), published_at=at)
    Claim.objects.filter(pk__in=[invented.claim_id, given.claim_id]).update(review_status="reviewed")
    migration.keep_imported_reviews_as_given(apps, None)
    invented.refresh_from_db()
    assert invented.published_at is None
    assert invented.import_key == import_key(invented.claim.text, "The Desk", None)
    assert Review.objects.get(pk=given.pk).published_at == at.replace(hour=0, minute=0, second=0)
    assert Review.objects.get(pk=ours.pk).published_at == at
    assert Claim.objects.get(pk=invented.claim_id).review_status == "unreviewed"  # "Full Flop" is no verdict
    assert Claim.objects.get(pk=given.claim_id).review_status == "reviewed"
    # The next import of that undated, address-less record finds it instead of adding it again.
    node = {
        "@type": "ClaimReview",
        "claimReviewed": invented.claim.text,
        "author": {"name": "Desk"},
        "reviewRating": {"alternateName": "Full Flop"},
        "reviewBody": invented.rationale,
    }
    assert (import_feed([node]).unchanged, Review.objects.count()) == (1, 3)
