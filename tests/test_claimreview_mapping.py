"""The pure ClaimReview mapping: the verdict scale ↔ reviewRating, and reading untidy records."""

import pytest

from claims import claimreview
from claims.models import Rating


def test_every_verdict_on_the_scale_has_a_schema_org_rating():
    assert set(claimreview.RATING_VALUES) == set(Rating.values)
    assert claimreview.review_rating("false") == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
    }
    assert claimreview.review_rating("true")["ratingValue"] == 5
    assert claimreview.review_rating("mostly_true")["alternateName"] == "Mostly true"


def test_unverifiable_has_no_numeric_value():
    assert claimreview.review_rating("unverifiable") == {"@type": "Rating", "alternateName": "Unverifiable"}


def test_a_publishers_own_wording_is_the_alternate_name():
    assert claimreview.review_rating("false", "Pants on Fire")["alternateName"] == "Pants on Fire"


@pytest.mark.parametrize("rating", Rating.values)
def test_rating_round_trips_through_review_rating(rating):
    assert claimreview.rating_from(claimreview.review_rating(rating), []) == (rating, "")


@pytest.mark.parametrize(
    "node, expected",
    [
        ({"alternateName": "Pants on Fire"}, ("false", "Pants on Fire")),
        ({"alternateName": "FALSE"}, ("false", "")),
        ({"alternateName": "Half True"}, ("mixed", "Half True")),
        ({"alternateName": "Three Pinocchios"}, ("mostly_false", "Three Pinocchios")),
        ({"alternateName": "Hard to verify"}, ("unverifiable", "Hard to verify")),
        ({"ratingValue": 10, "bestRating": 10, "worstRating": 0}, ("true", "")),
        ({"ratingValue": "1", "bestRating": "5", "worstRating": "1", "alternateName": "Faux"}, ("false", "Faux")),
        ({"alternateName": "Full Flop"}, ("", "Full Flop")),
    ],
)
def test_ratings_given_as_words_or_on_other_scales_are_read(node, expected):
    assert claimreview.rating_from({"@type": "Rating", **node}, []) == expected


def test_an_unknown_rating_word_is_kept_with_a_warning():
    warnings = []
    claimreview.rating_from({"alternateName": "Full Flop"}, warnings)
    assert warnings == ["rating 'Full Flop' is not on our scale: kept as the publisher's wording only"]


def test_publishers_spelled_with_and_without_the_are_one():
    assert claimreview.publisher_key("The Washington Post") == claimreview.publisher_key("Washington Post")
    assert claimreview.publisher_key("PolitiFact") != claimreview.publisher_key("FactCheck.org")


@pytest.mark.parametrize(
    "value, expected",
    [("2019-01-03", "2019-01-03"), ("2019-01-03T10:00:00Z", "2019-01-03"), ("2025-11", "2025-11"), ("2019", "2019")],
)
def test_partial_dates_keep_only_what_is_known(value, expected):
    assert claimreview.partial_date(value) == expected


@pytest.mark.parametrize("value", ["", None, "yesterday", "2019-13-01"])
def test_unreadable_dates_are_empty(value):
    assert claimreview.partial_date(value) == ""


def test_a_claimant_keeps_the_type_its_feed_gives_and_an_odd_one_is_pointed_out():
    warnings = []
    found = claimreview.party({"@type": "Person", "name": "Facebook posts"}, warnings, "claimant")
    assert (found.schema_type, found.is_person) == ("Person", True)
    assert warnings == [
        "claimant 'Facebook posts' is typed as a Person but named like an organisation: a curator decides"
    ]
    trump = claimreview.party({"@type": "Organization", "name": "Donald Trump"}, [], "claimant")
    assert (trump.schema_type, trump.is_person) == ("Organization", False)
    assert claimreview.party({"name": "Viral meme"}, [], "claimant").schema_type == ""


def test_wikidata_same_as_gives_the_id():
    node = {"@type": "Person", "name": "X", "sameAs": ["https://example.org/x", "https://www.wikidata.org/wiki/Q42"]}
    assert claimreview.party(node, [], "claimant").wikidata_id == "Q42"


@pytest.mark.parametrize(
    "node, reason",
    [
        ("text", "not a JSON object"),
        ({"@type": "NewsArticle"}, "not ClaimReview"),
        ({"@type": "ClaimReview", "reviewRating": {"alternateName": "False"}}, "no claimReviewed"),
        ({"@type": "ClaimReview", "claimReviewed": "x"}, "no reviewRating"),
        ({"@type": "ClaimReview", "claimReviewed": "x", "reviewRating": {"alternateName": "False"}}, "no author"),
    ],
)
def test_unimportable_records_are_skipped_with_the_reason(node, reason):
    with pytest.raises(claimreview.Skip, match=reason):
        claimreview.parse_claim_review(node)


def test_built_claim_review_parses_back_to_the_same_values():
    built = claimreview.claim_review(
        claim_text="France forbade the Malian army from entering Kidal.",
        url="https://example.org/r/1",
        date_published="2025-11-20",
        publisher={"name": "Sahel Claims", "url": "https://example.org/"},
        rating="mostly_false",
        claimants=[claimreview.person_or_organisation(name="Choguel Maïga", is_person=True, wikidata_id="Q5104536")],
        claim_date="2021-10",
        appearances=[claimreview.creative_work(name="RIA interview", url="https://ria.example/1", publisher="RIA")],
        review_body="Rationale",
        sd_license="https://creativecommons.org/licenses/by/4.0/",
    )
    assert built["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "Choguel Maïga",
        "sameAs": "https://www.wikidata.org/wiki/Q5104536",
    }
    parsed = claimreview.parse_claim_review(built)
    assert (parsed.rating, parsed.rating_label, parsed.claim_date, parsed.date_published) == (
        "mostly_false",
        "",
        "2021-10",
        "2025-11-20",
    )
    assert parsed.claimants == [claimreview.Party("Choguel Maïga", "Person", "Q5104536")]
    assert parsed.appearances == [claimreview.Work("RIA interview", "https://ria.example/1", "", "RIA")]
    assert parsed.sd_license == "https://creativecommons.org/licenses/by/4.0/"
    assert parsed.warnings == []


@pytest.mark.parametrize(
    "label", ["Distorts the Facts", "Not the Whole Story", "Full Flop", "Needs context", "Boehner left in 2015"]
)
def test_labels_that_name_no_verdict_map_to_nothing_by_default(label):
    assert claimreview.rating_from({"alternateName": label}, []) == ("", label)


def test_a_deployments_table_maps_more_labels_and_wins_over_the_built_in_words():
    table = claimreview.rating_table({"Needs Context": "mixed", "Misleading": "mixed"})
    assert claimreview.rating_from({"alternateName": "needs context"}, [], table) == ("mixed", "needs context")
    assert claimreview.rating_from({"alternateName": "Misleading"}, [], table) == ("mixed", "Misleading")
    assert claimreview.rating_from({"alternateName": "Pants on Fire"}, [], table) == ("false", "Pants on Fire")


@pytest.mark.parametrize(
    "table, message",
    [({"Needs context": "half"}, "'Needs context' maps to 'half'"), ({"  ": "false"}, "has no words")],
)
def test_a_bad_label_table_is_refused_naming_the_entry(table, message):
    with pytest.raises(ValueError, match=message):
        claimreview.rating_table(table)


def test_a_missing_date_stays_missing_and_an_unreadable_one_is_said_so():
    node = {"@type": "ClaimReview", "claimReviewed": "x", "reviewRating": {"alternateName": "False"}, "author": "P"}
    parsed = claimreview.parse_claim_review(node)
    assert parsed.date_published == ""
    assert "no datePublished: left empty" in parsed.warnings
    unreadable = claimreview.parse_claim_review(node | {"datePublished": "last Tuesday"})
    assert unreadable.date_published == ""
    assert "datePublished 'last Tuesday' is not a date: left empty" in unreadable.warnings


def test_an_undated_review_without_an_address_is_built_without_inventing_either():
    built = claimreview.claim_review(
        claim_text="x", url="", date_published="", publisher={"name": "P"}, rating="", rating_label="Full Flop"
    )
    assert "url" not in built and "datePublished" not in built
    assert built["reviewRating"] == {"@type": "Rating", "alternateName": "Full Flop"}


def test_sd_license_given_as_a_creative_work_keeps_its_address():
    node = {
        "@type": "ClaimReview",
        "claimReviewed": "x",
        "author": {"name": "P"},
        "reviewRating": {"alternateName": "False"},
        "sdLicense": {"@type": "CreativeWork", "url": "https://creativecommons.org/licenses/by-nc/4.0/"},
    }
    assert claimreview.parse_claim_review(node).sd_license == "https://creativecommons.org/licenses/by-nc/4.0/"


def test_a_bad_label_table_fails_the_system_check(settings):
    from django.core import checks

    settings.CLAIMREVIEW_RATING_LABELS = {"Needs context": "kind of"}
    errors = [error for error in checks.run_checks() if error.id == "claims.E001"]
    assert [error.msg for error in errors] == [
        "CLAIMREVIEW_RATING_LABELS: label 'Needs context' maps to 'kind of', which is not one of "
        "false, mostly_false, mixed, mostly_true, true, unverifiable"
    ]
    settings.CLAIMREVIEW_RATING_LABELS = {"Needs context": "mixed"}
    assert not [error for error in checks.run_checks() if error.id == "claims.E001"]
