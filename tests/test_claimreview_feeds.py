"""Reading the files ClaimReview arrives in: JSON-LD, Data Commons script lines, Fact Check Tools API responses."""

import gzip
import json
from pathlib import Path

import pytest

from claims import claimreview
from claims.claimreview_feeds import FeedError, read_feed, records

DATA = Path(__file__).parent / "data"


def read(name):
    return read_feed((DATA / name).read_bytes())


def test_data_commons_lines_are_read_one_record_per_line_and_a_broken_line_is_named():
    found = read("claimreview_datacommons.txt")
    assert [record.where for record in found] == ["line 1", "line 2", "line 3", "line 5"]
    assert [record.node["url"] for record in found if not record.error] == [
        "https://observer.example.org/fact-checks/2025/nov/21/facebook-posts/gold-mine/",
        "https://factdesk.example.org/checks/2025-11-22-curfew",
        "https://observer.example.org/fact-checks/2025/nov/23/assimi-goita/fuel-stocks/",
    ]
    (broken,) = [record for record in found if record.error]
    assert broken.where == "line 3"
    assert broken.error.startswith("not valid JSON at column ")


def test_a_line_that_is_not_a_json_ld_script_element_is_named():
    found = read_feed(b'<script type="application/ld+json">{"@type": "ClaimReview"}</script>\n<p>hello</p>\n')
    assert [(record.where, record.error) for record in found] == [
        ("line 1", ""),
        ("line 2", 'not a <script type="application/ld+json"> element'),
    ]


def test_a_gzipped_data_commons_dump_is_read_as_published():
    raw = gzip.compress((DATA / "claimreview_datacommons.txt").read_bytes())
    assert [record.where for record in read_feed(raw)] == ["line 1", "line 2", "line 3", "line 5"]


def test_a_fact_check_tools_response_gives_one_claim_review_per_review():
    found = read("claimreview_factchecktools.json")
    assert [record.where for record in found] == [
        "claims[0].claimReview[0]",
        "claims[0].claimReview[1]",
        "claims[1].claimReview[0]",
        "claims[2].claimReview[0]",
    ]
    first = found[0].node
    assert first == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "Says the army retook Kidal without foreign help.",
        "url": "https://observer.example.org/fact-checks/2023/nov/20/kidal-foreign-help/",
        "datePublished": "2023-11-20T00:00:00Z",
        "author": {"@type": "Organization", "name": "Sahel Observer"},
        "reviewRating": {"@type": "Rating", "alternateName": "Mostly False"},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"name": "Transitional government of Mali"},
            "datePublished": "2023-11-14T00:00:00Z",
        },
        "name": "Did the army retake Kidal alone?",
        "inLanguage": "en",
    }
    parsed = claimreview.parse_claim_review(first)
    assert (parsed.claimants[0].schema_type, parsed.claim_date, parsed.date_published) == (
        "",
        "2023-11-14",
        "2023-11-20",
    )
    by_site = claimreview.parse_claim_review(found[2].node)
    assert (by_site.publisher.name, by_site.publisher.url, by_site.date_published) == ("factdesk.example.org", "", "")


@pytest.mark.parametrize(
    "response, where, error",
    [
        ({"claims": "none"}, "claims", "`claims` is not a list"),
        ({"claims": [{"text": "x"}]}, "claims[0]", "no claimReview"),
        ({"claims": [{"text": "x", "claimReview": ["y"]}]}, "claims[0].claimReview[0]", "not a JSON object"),
    ],
)
def test_a_malformed_fact_check_tools_response_names_the_claim(response, where, error):
    assert [(record.where, record.error) for record in records(response)] == [(where, error)]


def test_json_ld_records_are_named_by_their_place_in_the_file():
    review = {"@type": "ClaimReview"}
    assert [r.where for r in records([review, review])] == ["[0]", "[1]"]
    feed = {"@type": "DataFeed", "dataFeedElement": [review, {"item": [review, review]}]}
    assert [r.where for r in records(feed)] == ["dataFeedElement[0]", "dataFeedElement[1][0]", "dataFeedElement[1][1]"]
    assert [(r.where, r.node) for r in records({"@graph": [review]})] == [("@graph[0]", review)]
    assert [(r.where, r.node) for r in records(review)] == [("the object", review)]


@pytest.mark.parametrize(
    "raw, message",
    [
        (b'[{"@type": "ClaimReview",\n  "url": }]', "not valid JSON at line 2, column 10: Expecting value"),
        (b"", "the file is empty"),
        (b'[{"name": "Ma\xefga"}]', "line 1: not UTF-8 text"),
        (b"\x1f\x8b\x08\x00garbage", "a damaged gzip file"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_an_unreadable_file_says_where_and_why(raw, message):
    with pytest.raises(FeedError, match=message):
        read_feed(raw)


def test_a_byte_order_mark_is_no_obstacle():
    (record,) = read_feed("\ufeff".encode() + json.dumps([{"@type": "ClaimReview"}]).encode())
    assert record.node == {"@type": "ClaimReview"}
