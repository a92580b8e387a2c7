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


def test_an_organisation_typed_as_a_person_becomes_an_organisation():
    warnings = []
    found = claimreview.party({"@type": "Person", "name": "Facebook posts"}, warnings, "claimant")
    assert found.is_person is False
    assert "typed as a Person" in warnings[0]
    assert claimreview.party({"@type": "Person", "name": "Choguel Maïga"}, [], "claimant").is_person is True


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
    ],
)
def test_unimportable_records_are_skipped_with_the_reason(node, reason):
    with pytest.raises(claimreview.Skip, match=reason):
        claimreview.parse_claim_review(node)


def test_records_come_from_arrays_data_feeds_and_graphs():
    review = {"@type": "ClaimReview"}
    assert claimreview.records([review, review]) == [review, review]
    assert claimreview.records({"@type": "DataFeed", "dataFeedElement": [review, {"item": [review]}]}) == [
        review,
        review,
    ]
    assert claimreview.records({"@graph": [review]}) == [review]


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
    assert parsed.claimants == [claimreview.Party("Choguel Maïga", True, "Q5104536")]
    assert parsed.appearances == [claimreview.Work("RIA interview", "https://ria.example/1", "", "RIA")]
    assert parsed.warnings == []
