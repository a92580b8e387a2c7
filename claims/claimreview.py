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
    sd_license="",
):
    """One ClaimReview object. `publisher` is {"name", "url"}; claimants are person_or_organisation()
    dicts and appearances/citations are creative_work() dicts. Empty values are left out: a missing
    date or address stays missing rather than being filled in."""
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
    if not url:  # an imported review whose feed gave no address: none is made up for it
        del data["url"]
    if date_published:
        data["datePublished"] = date_published
    if sd_license:
        data["sdLicense"] = sd_license
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
    schema_type: str = ""  # the @type the feed gives ("Person", "Organization"…), "" when it gives none
    wikidata_id: str = ""
    url: str = ""

    @property
    def is_person(self):
        return self.schema_type in PERSON_TYPES


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
    sd_license: str = ""  # the record's own licence (schema.org sdLicense), a URL or a name
    claimants: list = field(default_factory=list)
    claim_date: str = ""
    appearances: list = field(default_factory=list)
    citations: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def _types(node):
    value = node.get("@type", "") if isinstance(node, dict) else ""
    return {kind for kind in (value if isinstance(value, list) else [value]) if isinstance(kind, str)}


def _work_id(node):
    """A CreativeWork given as an object (an sdLicense, say): its address, else its name."""
    return _text(node.get("url") or node.get("@id") or node.get("name"))


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
    """A claimant or publisher, typed as the feed types it. Feeds type people as organisations and back
    (every claimant an Organization, "Facebook posts" a Person): the importer keeps what the feed says
    and a curator decides; a Person named like an organisation is pointed out in the warnings."""
    if isinstance(node, str):
        node = {"name": node}
    if not isinstance(node, dict):
        return None
    name = _text(node.get("name"))
    if not name:
        warnings.append(f"{role} without a name ignored")
        return None
    types = _types(node) - {""}
    schema_type = next((kind for kind in sorted(types) if kind in PERSON_TYPES | ORGANISATION_TYPES), "")
    schema_type = schema_type or (sorted(types)[0] if types else "")
    if schema_type in PERSON_TYPES and looks_like_organisation(name):
        warnings.append(f"{role} {name!r} is typed as a Person but named like an organisation: a curator decides")
    return Party(
        name=name, schema_type=schema_type, wikidata_id=wikidata_id(node.get("sameAs")), url=_text(node.get("url"))
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


def rating_table(extra=None):
    """The words read as verdicts: RATING_SYNONYMS, plus a deployment's own `{label: rating}` (which win).

    Raises ValueError naming the entry when a rating is not on the scale or a label has no words.
    """
    if not isinstance(extra or {}, dict):
        raise ValueError(f"{extra!r} is not a table of label: rating")
    table = dict(RATING_SYNONYMS)
    for label, rating in (extra or {}).items():
        if rating not in RATING_VALUES:
            raise ValueError(f"label {label!r} maps to {rating!r}, which is not one of {', '.join(RATING_VALUES)}")
        if not isinstance(label, str) or not fold(label):
            raise ValueError(f"label {label!r} has no words to match")
        table[fold(label)] = rating
    return table


def rating_from(node, warnings, table=RATING_SYNONYMS):
    """(rating, label) from a reviewRating: its number on its own scale, else its name looked up in `table`
    (folded label → rating, see rating_table()). A label found nowhere gives rating ""."""
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
        rating = table.get(fold(label), "")
    if label and not rating:
        warnings.append(f"rating {label!r} is not on our scale: kept as the publisher's wording only")
    if rating and fold(label) == fold(RATING_LABELS[rating]):
        label = ""
    return rating, label


def parse_claim_review(node, table=RATING_SYNONYMS):
    """A ParsedReview from one ClaimReview object, or Skip(reason); `table` reads rating words."""
    if not isinstance(node, dict):
        raise Skip("not a JSON object")
    if "ClaimReview" not in _types(node):
        raise Skip(f"@type is {node.get('@type')!r}, not ClaimReview")
    claim_text = _text(node.get("claimReviewed"))
    if not claim_text:
        raise Skip("no claimReviewed")
    warnings = []
    rating, label = rating_from(node.get("reviewRating"), warnings, table)
    if not rating and not label:
        raise Skip("no reviewRating: a review without a verdict")
    publisher = party(node.get("author") or node.get("publisher"), warnings, "publisher")
    if publisher is None:
        # Imported without its publisher, a fact-check would be republished as this site's own.
        raise Skip("no author: the fact-checker who published it is not named")
    date_published = partial_date(node.get("datePublished"))
    if not date_published:
        given = _text(node.get("datePublished"))
        warnings.append(
            f"datePublished {given!r} is not a date: left empty" if given else "no datePublished: left empty"
        )
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
        publisher=publisher,
        rating=rating,
        rating_label=label,
        review_body=_text(node.get("reviewBody")),
        sd_license=_text(node.get("sdLicense"))
        if not isinstance(node.get("sdLicense"), dict)
        else _work_id(node["sdLicense"]),
        claimants=claimants,
        claim_date=partial_date(item.get("datePublished")),
        appearances=[
            found for found in map(work, appearances if isinstance(appearances, list) else [appearances]) if found
        ],
        citations=[found for found in map(work, citations if isinstance(citations, list) else [citations]) if found],
        warnings=warnings,
    )
