"""What each public page shows, read in a fixed number of queries: the site's selectors.

Readers see the published record only, whoever they are (pages are cached for everyone): every
read starts from `visible_to(READER)` (claims/querysets.py), the rule the API applies to anonymous
requests: approved speakers, their approved quotes, the attributions through those quotes, and
reviews that are not drafts. Views hand these plain dicts to templates; templates only lay them out.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, OuterRef
from django.db.models.functions import Coalesce, Greatest, Length, Substr
from django.http import Http404
from django.urls import reverse

from .. import graph
from ..api.pagination import COUNT_CAP as API_COUNT_CAP
from ..api.reads import roles_by_speaker
from ..api.serializers import role_on
from ..claimreview_io import claim_review_for, published_reviews
from ..models import Attribution, Claim, ClaimRelation, Quote, Rating, Review, ReviewEvent, Source, Speaker, Topic
from ..querysets import CountUpTo, count_up_to
from ..review_admin import neighbourhood

# Characters of the source on each side of a quote shown in context: two or three sentences.
CONTEXT_WIDTH = 240
PAGE_SIZE = 20
SECTION_SIZE = 10  # search results per kind on the combined search page


@dataclass(frozen=True)
class Passage:
    prefix: str
    exact: str
    suffix: str
    at_start: bool  # the prefix begins the source text
    at_end: bool  # the suffix ends it


# Whoever asks, a page shows what a reader without an account may see.
READER = AnonymousUser()


def published_quotes():
    return Quote.objects.visible_to(READER)


def published_attributions():
    return Attribution.objects.visible_to(READER)


def page_number(value):
    """`?page=` as a number from 1, or Http404 saying why (a list has no such page)."""
    if value in (None, ""):
        return 1
    if not str(value).isdigit() or int(value) < 1:
        raise Http404(f"There is no page “{value}” of this list: pages are numbered from 1.")
    return int(value)


def page_of(queryset, number, size=PAGE_SIZE):
    """(rows, has_next) of page `number`, read with one query of size + 1 rows: nothing is counted."""
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    if number > 1 and not rows:
        raise Http404(f"There is no page {number} of this list.")
    return rows[:size], len(rows) > size


def latest(*moments):
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


# Evidence: quotes in their context -------------------------------------------------------------

_EVIDENCE_COLUMNS = [
    "id",
    "claim_id",
    "stance",
    "note",
    "updated_at",
    "quote_id",
    "quote__text",
    "quote__kind",
    "quote__start",
    "quote__end",
    "quote__said_on",
    "quote__said_precision",
    "quote__said_venue",
    "quote__is_translation",
    "quote__updated_at",
    "quote__speaker_id",
    "quote__speaker__slug",
    "quote__speaker__name",
    "quote__speaker__updated_at",
    "quote__source__slug",
    "quote__source__title",
    "quote__source__publisher",
    "quote__source__published_on",
    "quote__source__published_precision",
    "quote__source__updated_at",
]


def _with_passage(rows, prefix=""):
    """Annotate quote rows with the passage of their source around them, cut by the database.

    Only the quote and CONTEXT_WIDTH characters either side leave the database, not the source text.
    """
    start, end = F(f"{prefix}start"), F(f"{prefix}end")
    window_start = Greatest(start - CONTEXT_WIDTH, 0)
    return rows.annotate(
        passage_start=window_start,
        passage=Substr(f"{prefix}source__text", window_start + 1, end + CONTEXT_WIDTH - window_start),
        source_length=Length(f"{prefix}source__text"),
    )


def passage(row, prefix="quote__"):
    """The Passage of an anchored quote row from _with_passage(), or None (unanchored, or not at its offsets)."""
    start, end = row[f"{prefix}start"], row[f"{prefix}end"]
    if start is None or row["passage"] is None:
        return None
    offset = row["passage_start"]
    text = row["passage"]
    exact = text[start - offset : end - offset]
    if exact != row[f"{prefix}text"]:
        return None
    return Passage(
        prefix=text[: start - offset],
        exact=exact,
        suffix=text[end - offset :],
        at_start=offset == 0,
        at_end=end + CONTEXT_WIDTH >= row["source_length"],
    )


def source_anchor(source_slug, quote_id):
    return f"{reverse('site:source', args=[source_slug])}#quote-{quote_id}"


def _evidence(row, roles):
    day = row["quote__said_on"] or row["quote__source__published_on"]
    said_precision = (
        row["quote__said_precision"] if row["quote__said_on"] else row["quote__source__published_precision"]
    )
    role = role_on(roles.get(row["quote__speaker_id"], ()), day)
    return {
        "id": row["id"],
        "stance": row["stance"],
        "note": row["note"],
        "quote": {
            "id": row["quote_id"],
            "text": row["quote__text"],
            "kind": Quote.Kind(row["quote__kind"]).label,
            "said_on": row["quote__said_on"],
            "said_precision": row["quote__said_precision"],
            "said_venue": row["quote__said_venue"],
            "is_translation": row["quote__is_translation"],
            "url": source_anchor(row["quote__source__slug"], row["quote_id"]),
            "passage": passage(row),
        },
        "day": day,
        "day_precision": said_precision or "day",
        "speaker": {
            "name": row["quote__speaker__name"],
            "url": reverse("site:speaker", args=[row["quote__speaker__slug"]]),
            "role": str(role) if role else "",
        },
        "source": {
            "title": row["quote__source__title"],
            "publisher": row["quote__source__publisher"],
            "published_on": row["quote__source__published_on"],
            "published_precision": row["quote__source__published_precision"],
            "url": reverse("site:source", args=[row["quote__source__slug"]]),
        },
    }


def evidence_by_claim(claim_ids):
    """{claim id: [evidence]} for the published attributions of `claim_ids`: two queries."""
    rows = list(
        _with_passage(
            published_attributions()
            .filter(claim_id__in=claim_ids)
            .order_by("claim_id", "pk")
            .values(*_EVIDENCE_COLUMNS),
            "quote__",
        )
    )
    roles = roles_by_speaker(row["quote__speaker_id"] for row in rows)
    evidence = defaultdict(list)
    for row in rows:
        evidence[row["claim_id"]].append(_evidence(row, roles))
    moments = [
        moment
        for row in rows
        for moment in (
            row["updated_at"],
            row["quote__updated_at"],
            row["quote__speaker__updated_at"],
            row["quote__source__updated_at"],
        )
    ]
    return evidence, latest(*moments)


# Claim cards (lists) ----------------------------------------------------------------------------

CARD_COLUMNS = ["id", "slug", "text", "review_status", "is_disputed", "created_at", "updated_at"]
VERDICT_COLUMNS = ["verdict_rating", "verdict_label", "verdict_at", "verdict_id"]


def verdict(rating, label):
    """The verdict as shown: our scale's name and the publisher's own wording when it has one."""
    if not rating and not label:
        return None
    return {"rating": rating or "", "name": Rating(rating).label if rating else "", "label": label or ""}


def claim_cards(claims):
    """Cards for `claims` (a sliced or listed queryset of claim rows with CARD_COLUMNS + VERDICT_COLUMNS).

    One query more: the speakers carrying each claim, through published quotes.
    """
    rows = list(claims)
    speakers = defaultdict(dict)
    carried = (
        published_attributions()
        .filter(claim_id__in=[row["id"] for row in rows])
        .order_by("pk")
        .values_list("claim_id", "stance", "quote__speaker__slug", "quote__speaker__name")
    )
    for claim_id, stance, slug, name in carried:
        speakers[claim_id].setdefault(
            slug, {"name": name, "url": reverse("site:speaker", args=[slug]), "stance": stance}
        )
    return [
        {
            **row,
            "url": reverse("site:claim", args=[row["slug"]]),
            "verdict": verdict(row["verdict_rating"], row["verdict_label"]),
            "speakers": list(speakers[row["id"]].values()),
        }
        for row in rows
    ]


def card_rows(claims):
    return claims.with_verdict().values(*CARD_COLUMNS, *VERDICT_COLUMNS)


# Home -------------------------------------------------------------------------------------------

HOME_LIST_SIZE = 6
# Counts stop at a cap and say so ("10,000+"): counting every row of a large record cost more than the
# rest of the page (the approved quotes alone ≈ 60 ms at 300k), and past the cap a figure tells a
# reader nothing a lower bound does not. A count then reads at most cap + 1 keys, whatever the size.
COUNT_CAP = 10_000
# Topics are counted in one query, one capped count each, so their cap is the API's lists' (1,000):
# eight topics of 16k claims read 80k index entries at 10,000 (≈ 20 ms), 8k at 1,000 (≈ 2 ms).
TOPIC_COUNT_CAP = API_COUNT_CAP


@dataclass(frozen=True)
class CappedCount:
    """A count read by count_up_to(): exact up to `cap`, shown as "10,000+" past it."""

    counted: int  # at most cap + 1
    cap: int

    @property
    def is_exact(self):
        return self.counted <= self.cap

    @property
    def value(self):
        return min(self.counted, self.cap)

    def __str__(self):
        return f"{self.value:,}" if self.is_exact else f"{self.cap:,}+"


def capped_count(queryset, cap=None):
    cap = COUNT_CAP if cap is None else cap
    return CappedCount(count_up_to(queryset, cap), cap)


def cards_in_order(claim_ids):
    """Claim cards for `claim_ids`, in that order: two queries."""
    rows = {row["id"]: row for row in card_rows(Claim.objects.filter(pk__in=claim_ids))}
    return claim_cards([rows[claim_id] for claim_id in claim_ids if claim_id in rows])


def latest_verdicts():
    """The standing verdicts, newest first (a queryset of claim keys)."""
    return Review.objects.current_verdicts().latest_first().values_list("claim_id", flat=True)


def home():
    claims = Claim.objects.visible_to(READER)
    awaiting = card_rows(claims.review_queue()).order_by("-created_at", "-pk")[:HOME_LIST_SIZE]
    return {
        "latest_verdicts": cards_in_order(list(latest_verdicts()[:HOME_LIST_SIZE])),
        "awaiting_review": claim_cards(awaiting),
        "topics": topics_with_counts(),
        "counts": {
            "claims": capped_count(claims),
            # Claims with a verdict: distinct claims of the published reviews. PostgreSQL hashes all the
            # published reviews before the LIMIT (≈ 10 ms for 10k), which grows with them, not with the
            # claims; counting current_verdicts() stops at the cap but probes each claim (≈ 2× longer here).
            "verdicts": capped_count(Review.objects.published().values("claim").distinct()),
            "disputed": capped_count(claims.disputed()),
            "speakers": capped_count(Speaker.objects.visible_to(READER)),
            "sources": capped_count(Source.objects.visible_to(READER)),
            "quotes": capped_count(published_quotes()),
        },
    }


def topics_with_counts():
    """Topics by name with `claims`, a CappedCount: one query, each count stopping at TOPIC_COUNT_CAP."""
    cap = TOPIC_COUNT_CAP
    tagged = Claim.topics.through.objects.filter(topic=OuterRef("pk"))
    topics = Topic.objects.annotate(claim_count=CountUpTo(tagged, cap)).order_by("name")
    return [
        {"name": name, "slug": slug, "claims": CappedCount(counted, cap)}
        for name, slug, counted in topics.values_list("name", "slug", "claim_count")
    ]


# Claim page -------------------------------------------------------------------------------------

_RELATED_SIDES = [
    # (heading, kind, this claim's end, the other end)
    ("disputed_by", ClaimRelation.Kind.DISPUTES, "to_claim", "from_claim"),
    ("disputes", ClaimRelation.Kind.DISPUTES, "from_claim", "to_claim"),
    ("supported_by", ClaimRelation.Kind.SUPPORTS, "to_claim", "from_claim"),
    ("supports", ClaimRelation.Kind.SUPPORTS, "from_claim", "to_claim"),
]


def _review(review, sources, quotes):
    return {
        "id": review.pk,
        "status": review.status,
        "verdict": verdict(review.rating, review.rating_label),
        "rating_value": review.rating,
        "rationale": review.rationale,
        "reviewer": (review.reviewer.get_full_name() or review.reviewer.get_username()) if review.reviewer else "",
        "publisher_name": review.publisher_name,
        "publisher_url": review.publisher_url,
        "url": review.url,
        "published_at": review.published_at,
        "evidence_sources": sources.get(review.pk, []),
        "evidence_quotes": quotes.get(review.pk, []),
    }


def _reviews(claim):
    """Published and superseded reviews, newest first, with their evidence: three queries."""
    reviews = list(
        Review.objects.visible_to(READER)
        .filter(claim=claim)
        .select_related("reviewer")
        .latest_first()  # the first published one is the standing verdict, as with_verdict() names it
    )
    ids = [review.pk for review in reviews]
    sources = defaultdict(list)
    for review_id, slug, title in (
        Review.evidence_sources.through.objects.filter(review_id__in=ids)
        .order_by("pk")
        .values_list("review_id", "source__slug", "source__title")
    ):
        sources[review_id].append({"title": title, "url": reverse("site:source", args=[slug])})
    quotes = defaultdict(list)
    cited = (
        Review.evidence_quotes.through.objects.filter(review_id__in=ids, quote__in=published_quotes())
        .order_by("pk")
        .values_list("review_id", "quote_id", "quote__text", "quote__speaker__name", "quote__source__slug")
    )
    for review_id, quote_id, text, speaker, source_slug in cited:
        quotes[review_id].append({"text": text, "speaker": speaker, "url": source_anchor(source_slug, quote_id)})
    return [_review(review, sources, quotes) for review in reviews], latest(*(review.updated_at for review in reviews))


HISTORY_ACTIONS = {
    "assign": "Review started",
    "publish": "Verdict published",
    "reopen": "Review reopened",
}


def claim_page(slug):
    claim = Claim.objects.filter(slug=slug).first()
    if claim is None:
        raise Http404("No claim at this address.")
    relations = list(
        ClaimRelation.objects.touching(claim.pk)
        .order_by("pk")
        .values(
            "id",
            "kind",
            "note",
            "from_claim_id",
            "to_claim_id",
            "updated_at",
            "from_claim__slug",
            "from_claim__text",
            "to_claim__slug",
            "to_claim__text",
        )
    )
    other_ids = {relation["from_claim_id"] for relation in relations} | {
        relation["to_claim_id"] for relation in relations
    }
    other_ids.discard(claim.pk)
    verdicts = {
        row["id"]: verdict(row["verdict_rating"], row["verdict_label"])
        for row in Claim.objects.filter(pk__in=other_ids).with_verdict().values("id", *VERDICT_COLUMNS)
    }
    evidence, evidence_changed = evidence_by_claim([claim.pk, *other_ids])
    sides = {heading: [] for heading, *_ in _RELATED_SIDES}
    for heading, kind, this_end, other_end in _RELATED_SIDES:
        for relation in relations:
            if relation["kind"] == kind and relation[f"{this_end}_id"] == claim.pk:
                other = relation[f"{other_end}_id"]
                sides[heading].append(
                    {
                        "note": relation["note"],
                        "claim": {
                            "id": other,
                            "text": relation[f"{other_end}__text"],
                            "url": reverse("site:claim", args=[relation[f"{other_end}__slug"]]),
                            "verdict": verdicts.get(other),
                        },
                        "evidence": evidence.get(other, []),
                    }
                )
    reviews, reviews_changed = _reviews(claim)
    current = next((review for review in reviews if review["status"] == Review.Status.PUBLISHED), None)
    events = [
        {"label": HISTORY_ACTIONS[action], "at": at}
        for action, at in ReviewEvent.objects.filter(claim=claim, action__in=HISTORY_ACTIONS)
        .order_by("at", "pk")
        .values_list("action", "at")
    ]
    svg = ""
    if relations:
        nodes, edges = neighbourhood(claim, url_for=lambda node: node.get_absolute_url())
        svg = graph.dispute_svg(nodes, edges, title=f"Claims related to “{claim.text}”")
        # Here the nodes are links to claim pages, and an image (role="img") may not hold links: a
        # group keeps its title as its name and lets screen readers reach each link.
        svg = svg.replace('role="img"', 'role="group"', 1)
    return {
        "claim": claim,
        "topics": list(claim.topics.order_by("name").values("name", "slug")),
        "evidence": evidence.get(claim.pk, []),
        "sides": sides,
        "has_sides": any(sides.values()),
        "verdict": current,
        "earlier_reviews": [review for review in reviews if review is not current],
        "history": events,
        "graph_svg": svg,
        "rating_scale": [(value, name) for value, name in Rating.choices if value != Rating.UNVERIFIABLE],
        "claimreview": [claim_review_for(review) for review in published_reviews(claim)],
        "last_modified": latest(
            claim.updated_at,
            evidence_changed,
            reviews_changed,
            *(relation["updated_at"] for relation in relations),
            *(event["at"] for event in events),
        ),
    }


# Speaker page -----------------------------------------------------------------------------------

SPEAKER_CLAIMS_SHOWN = 100


def speaker_page(slug, page):
    speaker = Speaker.objects.visible_to(READER).filter(slug=slug).first()
    if speaker is None:
        raise Http404("No speaker at this address.")
    roles = list(speaker.roles.order_by(F("start_date").asc(nulls_first=True), "pk"))
    quotes = (
        published_quotes()
        .filter(speaker=speaker)
        .annotate(day=Coalesce("said_on", "source__published_on"))
        .order_by(F("day").asc(nulls_last=True), "pk")
        .values(
            "id",
            "text",
            "kind",
            "day",
            "said_on",
            "said_precision",
            "said_venue",
            "is_translation",
            "updated_at",
            "source__slug",
            "source__title",
            "source__publisher",
            "source__published_on",
            "source__published_precision",
        )
    )
    rows, has_next = page_of(quotes, page)
    timeline = [
        {
            **row,
            "day_precision": (row["said_precision"] if row["said_on"] else row["source__published_precision"]) or "day",
            "role": str(role_on(roles, row["day"]) or ""),
            "url": source_anchor(row["source__slug"], row["id"]),
            "source_url": reverse("site:source", args=[row["source__slug"]]),
        }
        for row in rows
    ]
    carried = list(
        published_attributions()
        .filter(quote__speaker=speaker)
        .order_by("-claim__created_at", "-claim_id", "stance")
        .values_list("claim_id", "stance", "claim__created_at")
        .distinct()[: SPEAKER_CLAIMS_SHOWN + 1]
    )
    shown = carried[:SPEAKER_CLAIMS_SHOWN]
    cards = {
        row["id"]: row
        for row in Claim.objects.filter(pk__in={claim_id for claim_id, *_ in shown})
        .with_verdict()
        .values("id", "slug", "text", *VERDICT_COLUMNS)
    }
    claims = [
        {
            "text": cards[claim_id]["text"],
            "stance": stance,
            "url": reverse("site:claim", args=[cards[claim_id]["slug"]]),
            "verdict": verdict(cards[claim_id]["verdict_rating"], cards[claim_id]["verdict_label"]),
        }
        for claim_id, stance, _ in shown
    ]
    return {
        "speaker": speaker,
        "aliases": list(speaker.aliases.order_by("name").values_list("name", flat=True)),
        "roles": roles,
        "timeline": timeline,
        "page": page,
        "has_next": has_next,
        "claims": claims,
        "more_claims": len(carried) > SPEAKER_CLAIMS_SHOWN,
        "last_modified": latest(speaker.updated_at, *(row["updated_at"] for row in rows)),
    }


# Source page ------------------------------------------------------------------------------------


def source_page(slug):
    source = Source.objects.filter(slug=slug).first()
    if source is None:
        raise Http404("No source at this address.")
    printed = list(
        published_quotes()
        .filter(source=source)
        .order_by(F("start").asc(nulls_last=True), "pk")
        .values(
            "id",
            "text",
            "kind",
            "start",
            "end",
            "said_on",
            "said_precision",
            "said_venue",
            "updated_at",
            "speaker__slug",
            "speaker__name",
            "origin__slug",
            "origin__title",
        )
    )
    originated = list(
        published_quotes()
        .filter(origin=source)
        .order_by("source__published_on", "pk")
        .values(
            "id",
            "text",
            "said_on",
            "said_precision",
            "said_venue",
            "updated_at",
            "speaker__slug",
            "speaker__name",
            "source__slug",
            "source__title",
        )
    )
    claims = defaultdict(list)
    quote_ids = [row["id"] for row in printed] + [row["id"] for row in originated]
    for quote_id, stance, claim_slug, claim_text in (
        published_attributions()
        .filter(quote_id__in=quote_ids)
        .order_by("pk")
        .values_list("quote_id", "stance", "claim__slug", "claim__text")
    ):
        claims[quote_id].append({"stance": stance, "text": claim_text, "url": reverse("site:claim", args=[claim_slug])})
    text = source.text
    spans = []
    for number, row in enumerate(printed, start=1):
        row["number"] = number
        row["claims"] = claims.get(row["id"], [])
        row["speaker_url"] = reverse("site:speaker", args=[row["speaker__slug"]])
        row["origin_url"] = reverse("site:source", args=[row["origin__slug"]]) if row["origin__slug"] else ""
        row["highlighted"] = row["start"] is not None and text[row["start"] : row["end"]] == row["text"]
        if row["highlighted"]:
            spans.append((row["start"], row["end"], row["id"]))
    for row in originated:
        row["claims"] = claims.get(row["id"], [])
        row["speaker_url"] = reverse("site:speaker", args=[row["speaker__slug"]])
        row["url"] = source_anchor(row["source__slug"], row["id"])
    return {
        "source": source,
        "quotes": printed,
        "spans": spans,
        "originated": originated,
        "last_modified": latest(source.updated_at, *(row["updated_at"] for row in printed + originated)),
    }


# Listings ---------------------------------------------------------------------------------------


def topic_page(slug, page):
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise Http404("No topic at this address.")
    rows, has_next = page_of(card_rows(Claim.objects.filter(topics=topic)).order_by("-created_at", "-pk"), page)
    return {"topic": topic, "claims": claim_cards(rows), "page": page, "has_next": has_next}


def verdicts_page(rating, page):
    if rating and rating not in Rating.values:
        raise Http404("There is no such verdict on this site's scale.")
    standing = latest_verdicts()
    if rating:
        standing = standing.filter(rating=rating)
    claim_ids, has_next = page_of(standing, page)
    return {
        "rating": rating,
        "rating_name": Rating(rating).label if rating else "",
        "ratings": Rating.choices,
        "claims": cards_in_order(claim_ids),
        "page": page,
        "has_next": has_next,
    }


# Search -----------------------------------------------------------------------------------------

SEARCH_KINDS = ("claims", "quotes", "speakers", "sources")
MAX_QUERY_LENGTH = 200


def _search_claims(term):
    return card_rows(Claim.objects.visible_to(READER).matching(term).ranked(term))


# Unranked matches (more than RANK_AT_MOST) in the API's default order: by source key and offset, read
# from the (source, start) index. Quote's Meta.ordering ("source": its date, then title) joins and
# sorts the sources first: ≈ 40 ms for a common word at 300k quotes, against ≈ 3 ms.
QUOTE_SEARCH_ORDER = ("source_id", "start", "pk")


def _search_quotes(term):
    return (
        published_quotes()
        .matching(term)
        .order_by(*QUOTE_SEARCH_ORDER)
        .ranked(term)
        .values(
            "id",
            "text",
            "said_on",
            "said_precision",
            "speaker__slug",
            "speaker__name",
            "source__slug",
            "source__title",
            "source__published_on",
            "source__published_precision",
        )
    )


def _search_speakers(term):
    return Speaker.objects.visible_to(READER).matching(term).ranked(term).values("slug", "name", "kind", "description")


def _search_sources(term):
    return (
        Source.objects.visible_to(READER)
        .matching(term)
        .values("slug", "title", "publisher", "published_on", "published_precision", "kind")
    )


def _present(kind, rows):
    if kind == "claims":
        return claim_cards(rows)
    for row in rows:
        if kind == "quotes":
            row["url"] = source_anchor(row["source__slug"], row["id"])
            row["speaker_url"] = reverse("site:speaker", args=[row["speaker__slug"]])
        elif kind == "speakers":
            row["url"] = reverse("site:speaker", args=[row["slug"]])
        else:
            row["url"] = reverse("site:source", args=[row["slug"]])
    return rows


def search(term, kind, page):
    """Each kind's first SECTION_SIZE matches, or one kind's page of PAGE_SIZE: never a count."""
    searches = {
        "claims": _search_claims,
        "quotes": _search_quotes,
        "speakers": _search_speakers,
        "sources": _search_sources,
    }
    kinds = [kind] if kind else list(SEARCH_KINDS)
    sections = []
    for name in kinds:
        size = PAGE_SIZE if kind else SECTION_SIZE
        rows, has_next = page_of(searches[name](term), page if kind else 1, size)
        sections.append({"kind": name, "results": _present(name, rows), "has_next": has_next})
    return sections
