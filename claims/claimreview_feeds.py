"""The files fact-checkers exchange ClaimReview in, read into ClaimReview objects named by where they stand.

Three shapes reach a newsroom: schema.org JSON-LD (one ClaimReview, a JSON array, a DataFeed or an
@graph); the DataCommons research dump, one `<script type="application/ld+json">…</script>` element
per line (gzipped as published); and the Google Fact Check Tools API's response
(`{"claims": [{"text", "claimant", "claimDate", "claimReview": [{"publisher", "url", …}]}]}`), whose
reviews are rewritten here as the ClaimReview objects they describe. Plain Python: no Django.

A file that cannot be read at all raises FeedError with the line and column; a line or record that
cannot be read becomes a `Record` with an `error`, so the rest of the file is still imported and
the report names what was left out.
"""

import gzip
import json
import re
from dataclasses import dataclass

from .claimreview import CONTEXT


class FeedError(ValueError):
    """The file as a whole is unreadable; the message says where and why."""


@dataclass
class Record:
    where: str  # "dataFeedElement[3]", "line 17", "claims[2].claimReview[0]": for a person to find it
    node: object = None  # the ClaimReview object, as parsed JSON
    error: str = ""  # why the record could not be read, when it could not


SCRIPT_LINE = re.compile(
    r"""^<script\b[^>]*\btype\s*=\s*["']?application/ld\+json["']?[^>]*>(?P<json>.*)</script\s*>$""",
    re.IGNORECASE | re.DOTALL,
)


def decode(raw):
    """Text from the bytes of a feed file: gunzipped when gzipped, UTF-8 (a byte-order mark allowed)."""
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise FeedError(f"a damaged gzip file: {error}") from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FeedError(f"line {line}: not UTF-8 text (byte {error.start}: {error.reason})") from error


def read_feed(raw):
    """Every ClaimReview object in a feed file's bytes, as Records, in file order."""
    text = decode(raw).strip()
    if not text:
        raise FeedError("the file is empty")
    if text[:7].lower() == "<script":
        return list(_script_lines(text))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedError(f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from error
    except RecursionError as error:
        raise FeedError("not readable JSON: nested too deeply") from error
    return list(records(data))


def _script_lines(text):
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        where = f"line {number}"
        match = SCRIPT_LINE.match(line)
        if not match:
            yield Record(where, error='not a <script type="application/ld+json"> element')
            continue
        try:
            data = json.loads(match.group("json"))
        except json.JSONDecodeError as error:
            # Columns counted in the line, where a person will look for them.
            column = match.start("json") + error.pos + 1
            yield Record(where, error=f"not valid JSON at column {column}: {error.msg}")
            continue
        except RecursionError:
            yield Record(where, error="not readable JSON: nested too deeply")
            continue
        found = list(records(data))
        if len(found) == 1:
            yield Record(where, found[0].node, found[0].error)
        else:
            yield from (Record(f"{where}, {record.where}", record.node, record.error) for record in found)


def records(data):
    """The ClaimReview objects in parsed JSON: an array, a DataFeed, an @graph, a Fact Check Tools
    API response, or one object."""
    if isinstance(data, list):
        yield from (Record(f"[{index}]", item) for index, item in enumerate(data))
    elif isinstance(data, dict) and "dataFeedElement" in data:
        elements = data.get("dataFeedElement")
        for index, element in enumerate(elements if isinstance(elements, list) else [elements]):
            inner = element.get("item") if isinstance(element, dict) and "item" in element else element
            if isinstance(inner, list):
                yield from (Record(f"dataFeedElement[{index}][{n}]", item) for n, item in enumerate(inner))
            else:
                yield Record(f"dataFeedElement[{index}]", inner)
    elif isinstance(data, dict) and "@graph" in data:
        graph = data["@graph"]
        yield from (
            Record(f"@graph[{index}]", item) for index, item in enumerate(graph if isinstance(graph, list) else [graph])
        )
    elif isinstance(data, dict) and "claims" in data and "@type" not in data:
        yield from fact_check_tools_records(data)
    else:
        yield Record("the object", data)


def fact_check_tools_records(response):
    """The reviews in a Google Fact Check Tools API response (claims:search), as ClaimReview objects.

    What the API leaves out stays out: it types no claimant, so none is typed here, and a publisher's
    `site` is a host name, not the address of a page, so it is not made into a URL.
    """
    claims = response.get("claims")
    if not isinstance(claims, list):
        yield Record("claims", error="`claims` is not a list")
        return
    for index, claim in enumerate(claims):
        if not isinstance(claim, dict):
            yield Record(f"claims[{index}]", error="not a JSON object")
            continue
        reviews = claim.get("claimReview")
        if not isinstance(reviews, list) or not reviews:
            yield Record(f"claims[{index}]", error="no claimReview")
            continue
        for number, review in enumerate(reviews):
            where = f"claims[{index}].claimReview[{number}]"
            if not isinstance(review, dict):
                yield Record(where, error="not a JSON object")
                continue
            yield Record(where, fact_check_tools_claim_review(claim, review))


def fact_check_tools_claim_review(claim, review):
    """One Fact Check Tools API review of `claim`, rewritten as the schema.org ClaimReview it reports."""
    item = {"@type": "Claim"}
    if claim.get("claimant"):
        item["author"] = {"name": claim["claimant"]}
    if claim.get("claimDate"):
        item["datePublished"] = claim["claimDate"]
    node = {"@context": CONTEXT, "@type": "ClaimReview", "itemReviewed": item}
    if claim.get("text"):
        node["claimReviewed"] = claim["text"]
    if review.get("url"):
        node["url"] = review["url"]
    if review.get("reviewDate"):
        node["datePublished"] = review["reviewDate"]
    publisher = review.get("publisher")
    if isinstance(publisher, dict) and (publisher.get("name") or publisher.get("site")):
        node["author"] = {"@type": "Organization", "name": publisher.get("name") or publisher["site"]}
    if review.get("textualRating"):
        node["reviewRating"] = {"@type": "Rating", "alternateName": review["textualRating"]}
    if review.get("title"):
        node["name"] = review["title"]
    if review.get("languageCode"):
        node["inLanguage"] = review["languageCode"]
    return node
