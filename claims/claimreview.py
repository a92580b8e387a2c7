"""schema.org ClaimReview JSON-LD, in and out, as plain data: no database, no Django.

`claim_review()` builds one ClaimReview object from plain values; `parse_claim_review()` reads one
back into a `ParsedReview`, or raises `Skip` with the reason a person can act on. Real feeds are
untidy (ratings given only as words, organisations typed as people, partial dates), so reading is
lenient where the meaning is still clear and refuses only what cannot be imported at all.
"""

import json
import re
import unicodedata
from dataclasses import dataclass, field

CONTEXT = "https://schema.org"
WIKIDATA_PREFIX = "https://www.wikidata.org/wiki/"

# The fixed verdict scale (claims.models.Rating) on schema.org's numeric scale; Unverifiable has no
# place on a true-false axis, so it carries only its name.
RATING_VALUES = {
    "false": 1,
    "mostly_false": 2,
    "mixed": 3,
    "mostly_true": 4,
    "true": 5,
    "unverifiable": None,
}
RATING_LABELS = {
    "false": "False",
    "mostly_false": "Mostly false",
    "mixed": "Mixed",
    "mostly_true": "Mostly true",
    "true": "True",
    "unverifiable": "Unverifiable",
}
BEST_RATING = 5
WORST_RATING = 1

# Words other fact-checkers use for the same verdicts (folded: lower case, no accents or punctuation).
RATING_SYNONYMS = {
    "false": "false",
    "pants on fire": "false",
    "four pinocchios": "false",
    "incorrect": "false",
    "fake": "false",
    "mostly false": "mostly_false",
    "three pinocchios": "mostly_false",
    "misleading": "mostly_false",
    "mixed": "mixed",
    "mixture": "mixed",
    "half true": "mixed",
    "two pinocchios": "mixed",
    "partly true": "mixed",
    "partly false": "mixed",
    "mostly true": "mostly_true",
    "one pinocchio": "mostly_true",
    "true": "true",
    "correct": "true",
    "geppetto checkmark": "true",
    "unverifiable": "unverifiable",
    "unproven": "unverifiable",
    "hard to verify": "unverifiable",
    "unsupported": "unverifiable",
}

PERSON_TYPES = {"Person"}
ORGANISATION_TYPES = {"Organization", "Organisation", "NGO", "GovernmentOrganization", "NewsMediaOrganization"}
# Common words that make a "Person" claimant an organisation in fact.
ORGANISATION_WORDS = {
    "posts",
    "post",
    "party",
    "committee",
    "fund",
    "group",
    "meme",
    "image",
    "video",
    "news",
    "ministry",
    "government",
    "army",
    "council",
    "union",
    "association",
    "foundation",
    "institute",
    "inc",
    "ltd",
}


class Skip(Exception):
    """A record that cannot be imported; the message says why."""


def fold(text):
    """Lower case, accents and punctuation dropped, spaces collapsed: for matching names and labels."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def publisher_key(name):
    """ "The Washington Post" and "Washington Post" are one publisher."""
    folded = fold(name)
    return folded.removeprefix("the ") if folded.startswith("the ") else folded


# Out --------------------------------------------------------------------------------------------


def review_rating(rating, label=""):
    """The `reviewRating` for a verdict on our scale; `label` (a publisher's own wording) wins as its name."""
    value = RATING_VALUES.get(rating)
    data = {"@type": "Rating"}
    if value is not None:
        data |= {"ratingValue": value, "bestRating": BEST_RATING, "worstRating": WORST_RATING}
    data["alternateName"] = label or RATING_LABELS.get(rating, "")
    return data


def person_or_organisation(*, name, is_person, wikidata_id="", url=""):
    data = {"@type": "Person" if is_person else "Organization", "name": name}
    if wikidata_id:
        data["sameAs"] = WIKIDATA_PREFIX + wikidata_id
    if url:
        data["url"] = url
    return data


def creative_work(*, name="", url="", date_published="", publisher=""):
    data = {"@type": "CreativeWork"}
    if name:
        data["name"] = name
    if url:
        data["url"] = url
    if date_published:
        data["datePublished"] = date_published
    if publisher:
        data["publisher"] = {"@type": "Organization", "name": publisher}
    return data


def claim_review(
    *,
    claim_text,
    url,
    date_published,
    publisher,
    rating,
    rating_label="",
    claimants=(),
    claim_date="",
    appearances=(),
    review_body="",
    citations=(),
):
    """One ClaimReview object. `publisher` is {"name", "url"}; claimants are person_or_organisation()
    dicts and appearances/citations are creative_work() dicts. Empty values are left out."""
    item = {"@type": "Claim"}
    if claimants:
        item["author"] = claimants[0] if len(claimants) == 1 else list(claimants)
    if claim_date:
        item["datePublished"] = claim_date
    if appearances:
        item["appearance"] = list(appearances)
    data = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim_text,
        "itemReviewed": item,
        "reviewRating": review_rating(rating, rating_label),
        "author": person_or_organisation(name=publisher["name"], is_person=False, url=publisher.get("url", "")),
    }
    if date_published:
        data["datePublished"] = date_published
    if review_body:
        data["reviewBody"] = review_body
    if citations:
        data["citation"] = list(citations)
    return data


def data_feed(reviews, *, publisher):
    """A schema.org DataFeed of ClaimReview objects, as fact-checkers publish them."""
    return {
        "@context": CONTEXT,
        "@type": "DataFeed",
        "name": f"{publisher['name']} fact checks",
        "dataFeedElement": list(reviews),
    }


# Inside <script type="application/ld+json"> the HTML parser ends the element at the first "</script"
# whatever JSON says, and "<!--" changes how it reads on; U+2028/9 end lines in older JavaScript. JSON's
# \uXXXX escapes mean the same characters to every JSON-LD reader, so nothing is lost.
_HTML_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_ld_for_html(data):
    """`data` as JSON text that is safe between <script type="application/ld+json"> and </script>.

    No "<", ">" or "&" is left raw, so no text in the record ("</script><script>…") can close the
    element or open another. The caller marks the result safe (Django: `mark_safe`) and puts it,
    unchanged, inside the script element; it is not for an HTML attribute.
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_HTML_UNSAFE)


# In ---------------------------------------------------------------------------------------------


@dataclass
class Party:
    name: str
    is_person: bool
    wikidata_id: str = ""
    url: str = ""


@dataclass
class Work:
    name: str = ""
    url: str = ""
    date: str = ""  # ISO 8601, possibly partial ("2025-11", "2019")
    publisher: str = ""


@dataclass
class ParsedReview:
    claim_text: str
    url: str
    date_published: str
    publisher: Party | None
    rating: str  # a key of RATING_VALUES, or "" when the publisher's wording maps onto none
    rating_label: str  # the publisher's wording, kept when it is not our own label
    review_body: str = ""
    claimants: list = field(default_factory=list)
    claim_date: str = ""
    appearances: list = field(default_factory=list)
    citations: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def records(data):
    """The ClaimReview objects in a feed: a JSON array, a DataFeed, an @graph, or one object."""
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict) and "dataFeedElement" in data:
        items = []
        for element in data.get("dataFeedElement") or []:
            inner = element.get("item") if isinstance(element, dict) and "item" in element else element
            items.extend(inner if isinstance(inner, list) else [inner])
    elif isinstance(data, dict) and "@graph" in data:
        items = data["@graph"]
    else:
        items = [data]
    return list(items)


def _types(node):
    value = node.get("@type", "") if isinstance(node, dict) else ""
    return set(value) if isinstance(value, list) else {value}


def _text(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or "")
    if isinstance(value, list) and value:
        return _text(value[0])
    return ""


def partial_date(value):
    """An ISO 8601 date, date-time, year-month or year, cut to what is known; "" when unreadable."""
    text = _text(value)
    match = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not match:
        return ""
    year, month, day = match.groups()
    if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= 31:
        return ""
    return "-".join(part for part in (year, month, day) if part)


def wikidata_id(same_as):
    for value in same_as if isinstance(same_as, list) else [same_as]:
        match = (
            re.search(r"wikidata\.org/(?:wiki|entity)/(Q[1-9][0-9]*)", value or "") if isinstance(value, str) else None
        )
        if match:
            return match.group(1)
    return ""


def looks_like_organisation(name):
    words = set(fold(name).split())
    return bool(words & ORGANISATION_WORDS) or name.startswith("@") or "." in name.split()[-1] if name else False


def party(node, warnings, role):
    """A claimant or publisher. Feeds type people as organisations and back: trust the @type when it
    says Person and the name has no tell-tale organisation word, else call it an organisation."""
    if isinstance(node, str):
        node = {"name": node}
    if not isinstance(node, dict):
        return None
    name = _text(node.get("name"))
    if not name:
        warnings.append(f"{role} without a name ignored")
        return None
    types = _types(node)
    is_person = bool(types & PERSON_TYPES) and not looks_like_organisation(name)
    if types & PERSON_TYPES and not is_person:
        warnings.append(f"{role} {name!r} is typed as a Person but named like an organisation")
    return Party(
        name=name, is_person=is_person, wikidata_id=wikidata_id(node.get("sameAs")), url=_text(node.get("url"))
    )


def work(node):
    if isinstance(node, str):
        node = {"url": node}
    if not isinstance(node, dict):
        return None
    result = Work(
        name=_text(node.get("name") or node.get("headline")),
        url=_text(node.get("url")),
        date=partial_date(node.get("datePublished")),
        publisher=_text(node.get("publisher")),
    )
    return result if result.name or result.url else None


def rating_from(node, warnings):
    """(rating, label) from a reviewRating: its number on its own scale, else its name."""
    if not isinstance(node, dict):
        return "", ""
    label = _text(node.get("alternateName") or node.get("name"))
    rating = ""
    try:
        value = float(node["ratingValue"])
        best = float(node.get("bestRating", BEST_RATING))
        worst = float(node.get("worstRating", WORST_RATING))
    except (KeyError, TypeError, ValueError):
        value = None
    if value is not None and best != worst and min(best, worst) <= value <= max(best, worst):
        position = round((value - worst) / (best - worst) * (BEST_RATING - WORST_RATING)) + WORST_RATING
        rating = next(key for key, number in RATING_VALUES.items() if number == position)
    elif label:
        rating = RATING_SYNONYMS.get(fold(label), "")
    if label and not rating:
        warnings.append(f"rating {label!r} is not on our scale: kept as the publisher's wording only")
    if rating and fold(label) == fold(RATING_LABELS[rating]):
        label = ""
    return rating, label


def parse_claim_review(node):
    """A ParsedReview from one ClaimReview object, or Skip(reason)."""
    if not isinstance(node, dict):
        raise Skip("not a JSON object")
    if "ClaimReview" not in _types(node):
        raise Skip(f"@type is {node.get('@type')!r}, not ClaimReview")
    claim_text = _text(node.get("claimReviewed"))
    if not claim_text:
        raise Skip("no claimReviewed")
    warnings = []
    rating, label = rating_from(node.get("reviewRating"), warnings)
    if not rating and not label:
        raise Skip("no reviewRating: a review without a verdict")
    date_published = partial_date(node.get("datePublished"))
    if not date_published:
        warnings.append("no datePublished")
    item = node.get("itemReviewed") if isinstance(node.get("itemReviewed"), dict) else {}
    authors = item.get("author")
    claimants = (
        [
            found
            for found in (
                party(author, warnings, "claimant") for author in (authors if isinstance(authors, list) else [authors])
            )
            if found
        ]
        if authors
        else []
    )
    appearances = item.get("appearance") or item.get("firstAppearance") or []
    citations = node.get("citation") or []
    return ParsedReview(
        claim_text=claim_text,
        url=_text(node.get("url")),
        date_published=date_published,
        publisher=party(node.get("author") or node.get("publisher"), warnings, "publisher"),
        rating=rating,
        rating_label=label,
        review_body=_text(node.get("reviewBody")),
        claimants=claimants,
        claim_date=partial_date(item.get("datePublished")),
        appearances=[
            found for found in map(work, appearances if isinstance(appearances, list) else [appearances]) if found
        ],
        citations=[found for found in map(work, citations if isinstance(citations, list) else [citations]) if found],
        warnings=warnings,
    )
