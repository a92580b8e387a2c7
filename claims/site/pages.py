"""What each public page shows, read in a fixed number of queries: the site's selectors.

Readers see the published record only, whoever they are (pages are cached for everyone): every
read starts from `visible_to(READER)` (claims/querysets.py), the rule the API applies to anonymous
requests: approved speakers, their approved quotes, the attributions through those quotes, and
reviews that are not drafts. Views hand these plain dicts to templates; templates only lay them out.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import connections, router
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Greatest, Length, Substr
from django.db.models.lookups import IsNull
from django.http import Http404

from .. import graph
from ..api.pagination import COUNT_CAP as API_COUNT_CAP
from ..api.search import speakers_named
from ..api.serializers import role_on
from ..api.statements import CompiledRows, NestedRows
from ..claimreview_io import claim_review_for
from ..models import (
    Attribution,
    Claim,
    ClaimRelation,
    Quote,
    Rating,
    Review,
    Role,
    Source,
    Speaker,
    SpeakerAlias,
    Topic,
)
from ..paths import path_parts
from ..querysets import (
    LISTED_AT_MOST,
    CountUpTo,
    count_up_to,
    prefix_tsquery,
    source_patterns,
    standing_verdicts,
    word_patterns,
)
from ..review_admin import neighbourhood, neighbourhood_claims, neighbourhood_relations

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


# Compiled statements ----------------------------------------------------------------------------
#
# The claim, speaker and source pages run the same few queries for every page with other keys. Each
# is a queryset defined here once, compiled to SQL once per thread (claims/api/statements.py) and
# then only executed: building and compiling them per request was most of these pages' Python.
# Every statement reads as READER, whoever asks (pages are the same for everyone).


def columns(model):
    """Every concrete field of `model`, as a compiled row must hold them to become an instance."""
    return [field.attname for field in model._meta.concrete_fields]


def instance(model, row):
    """The model instance the ORM would load from `row` (a compiled row of columns(model))."""
    return model.from_db(router.db_for_read(model), list(row), list(row.values()))


def loaded(model, **values):
    """A `model` instance holding only `values` (attnames), its other fields deferred, as `.only()` loads one."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]  # from_db's order
    return model.from_db(router.db_for_read(model), names, [values[name] for name in names])


def found_by_slug(statement, model, slug):
    """The `model` instance the compiled `statement` finds by `slug`, or Http404."""
    found = statement(READER, slug=slug)
    if not found:
        raise Http404(f"No {model._meta.verbose_name} at this address.")
    return instance(model, found[0])


def site_link(name):
    """A function of a slug giving the path of the site's page `name`: reverse(name, args=[slug]).

    The path is reversed once per URLconf and script prefix (claims/paths.py), and a page takes each
    name's function once, then fills in a slug per link: a reverse() per link cost ≈ 15 µs, a page
    of links several ms. Slugs match the URL patterns' `slug` converter (reverse() refuses any
    other), so nothing in them needs quoting.
    """
    before, after = path_parts(name, "slug")
    return lambda slug: f"{before}{slug}{after}"


def site_url(name, slug):
    """reverse(name, args=[slug]) for one link to a site page named by slug (see site_link())."""
    return site_link(name)(slug)


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
    "quote__speaker__kind",  # these four for the ClaimReview (claim_reviews())
    "quote__speaker__wikidata_id",
    "quote__source_id",
    "quote__source__url",
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


def source_anchor(source_url, quote_id):
    """The link to a quote where its source's page marks it; `source_url` is that page's path."""
    return f"{source_url}#quote-{quote_id}"


# Each kind's label, as Quote.Kind(kind).label gives it (an Enum call per quote cost ≈ 5 Python calls).
QUOTE_KINDS = dict(Quote.Kind.choices)


def _evidence(row, speaker_url, source_url):
    day = row["quote__said_on"] or row["quote__source__published_on"]
    said_precision = (
        row["quote__said_precision"] if row["quote__said_on"] else row["quote__source__published_precision"]
    )
    return {
        "id": row["id"],
        "stance": row["stance"],
        "note": row["note"],
        "quote": {
            "id": row["quote_id"],
            "text": row["quote__text"],
            "kind": QUOTE_KINDS[row["quote__kind"]],
            "said_on": row["quote__said_on"],
            "said_precision": row["quote__said_precision"],
            "said_venue": row["quote__said_venue"],
            "is_translation": row["quote__is_translation"],
            "url": source_anchor(source_url(row["quote__source__slug"]), row["quote_id"]),
            "passage": passage(row),
        },
        "day": day,
        "day_precision": said_precision or "day",
        "speaker": {
            "name": row["quote__speaker__name"],
            "url": speaker_url(row["quote__speaker__slug"]),
            "role": row["speaker_role"] or "",
        },
        "source": {
            "title": row["quote__source__title"],
            "publisher": row["quote__source__publisher"],
            "published_on": row["quote__source__published_on"],
            "published_precision": row["quote__source__published_precision"],
            "url": source_url(row["quote__source__slug"]),
        },
    }


def role_held(speaker, day):
    """The text of the role `speaker` held on `day` (both expressions of the outer row), as
    str(role_on(speaker's roles, day)) writes it, or NULL: role_on() in SQL.

    role_on() takes the latest started of the roles held that day, undated starts last, the key
    settling ties; a day unknown holds no role. Read with the evidence, in its statement: the
    speakers' roles were a statement of their own (≈ 0.1 ms of Python and as much of PostgreSQL a
    page, more than matching them to days cost).
    """
    held = Role.objects.filter(
        IsNull(day, False),
        Q(start_date__isnull=True) | Q(start_date__lte=day),
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        speaker_id=speaker,
    )
    text = Case(  # Role.__str__()
        When(organisation="", then=F("title")),
        default=Concat(F("title"), Value(", "), F("organisation"), output_field=CharField()),
        output_field=CharField(),
    )
    ranked = held.order_by(F("start_date").desc(nulls_last=True), "-pk")
    return Subquery(ranked.annotate(text=text).values("text")[:1], output_field=CharField())


evidence_rows = CompiledRows(
    Attribution,
    lambda viewer, claim_ids: _with_passage(
        published_attributions()
        .filter(claim_id__in=claim_ids)
        .order_by("claim_id", "pk")
        .values(*_EVIDENCE_COLUMNS)
        .alias(said_day=Coalesce("quote__said_on", "quote__source__published_on"))
        .annotate(speaker_role=role_held(OuterRef("quote__speaker_id"), OuterRef("said_day"))),
        "quote__",
    ),
)


def evidence_by_claim(claim_ids, rows=None):
    """{claim id: [evidence]} for the published attributions of `claim_ids`: one query (none when
    their evidence_rows() are given)."""
    if rows is None:
        rows = evidence_rows(READER, claim_ids=sorted(claim_ids))
    evidence = defaultdict(list)
    speaker_url, source_url = site_link("site:speaker"), site_link("site:source")
    for row in rows:
        evidence[row["claim_id"]].append(_evidence(row, speaker_url, source_url))
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


# The speakers carrying each listed claim, through published quotes.
_cards_carried = CompiledRows(
    Attribution,
    lambda viewer, claim_ids: (
        published_attributions()
        .filter(claim_id__in=claim_ids)
        .order_by("pk")
        .values("claim_id", "stance", "quote__speaker__slug", "quote__speaker__name")
    ),
)


def claim_cards(claims):
    """Cards for `claims` (a sliced or listed queryset of claim rows with CARD_COLUMNS + VERDICT_COLUMNS).

    One query more: the speakers carrying each claim, through published quotes.
    """
    rows = list(claims)
    claim_url, speaker_url = site_link("site:claim"), site_link("site:speaker")
    speakers = defaultdict(dict)
    for row in _cards_carried(READER, claim_ids=[row["id"] for row in rows]):
        slug = row["quote__speaker__slug"]
        speakers[row["claim_id"]].setdefault(
            slug, {"name": row["quote__speaker__name"], "url": speaker_url(slug), "stance": row["stance"]}
        )
    return [
        {
            **row,
            "url": claim_url(row["slug"]),
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
    """Topics by name with their `url` and `claims`, a CappedCount: one query, each count stopping at
    TOPIC_COUNT_CAP."""
    cap = TOPIC_COUNT_CAP
    tagged = Claim.topics.through.objects.filter(topic=OuterRef("pk"))
    topics = Topic.objects.annotate(claim_count=CountUpTo(tagged, cap)).order_by("name")
    topic_url = site_link("site:topic")
    return [
        {"name": name, "slug": slug, "url": topic_url(slug), "claims": CappedCount(counted, cap)}
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
    reviewer = f"{review['reviewer__first_name']} {review['reviewer__last_name']}".strip()  # get_full_name()
    return {
        "id": review["id"],
        "status": review["status"],
        "verdict": verdict(review["rating"], review["rating_label"]),
        "rating_value": review["rating"],
        "rationale": review["rationale"],
        "reviewer": (reviewer or review["reviewer__username"]) if review["reviewer_id"] else "",
        "publisher_name": review["publisher_name"],
        "publisher_url": review["publisher_url"],
        "url": review["url"],
        "published_at": review["published_at"],
        "evidence_sources": sources.get(review["id"], []),
        "evidence_quotes": quotes.get(review["id"], []),
    }


_cited_sources = CompiledRows(
    Review.evidence_sources.through,
    lambda viewer, review_ids: (
        Review.evidence_sources.through.objects.filter(review_id__in=review_ids)
        .order_by("pk")
        .values(
            *["review_id", "source__slug", "source__title"],
            # for the ClaimReview's citations (claim_reviews())
            *["source_id", "source__url", "source__publisher", "source__published_on", "source__published_precision"],
        )
    ),
)
_cited_quotes = CompiledRows(
    Review.evidence_quotes.through,
    lambda viewer, review_ids: (
        Review.evidence_quotes.through.objects.filter(review_id__in=review_ids, quote__in=published_quotes())
        .order_by("pk")
        .values("review_id", "quote_id", "quote__text", "quote__speaker__name", "quote__source__slug")
    ),
)


def _reviews(reviews):
    """Published and superseded reviews, newest first, with their evidence, from the review rows
    _claim read: two queries (none without a review).

    Also the rows read (review, cited sources), for claim_reviews()."""
    ids = [review["id"] for review in reviews]
    sources = defaultdict(list)
    source_url = site_link("site:source")
    cited = _cited_sources(READER, review_ids=ids)
    for row in cited:
        sources[row["review_id"]].append({"title": row["source__title"], "url": source_url(row["source__slug"])})
    quotes = defaultdict(list)
    for row in _cited_quotes(READER, review_ids=ids):
        quotes[row["review_id"]].append(
            {
                "text": row["quote__text"],
                "speaker": row["quote__speaker__name"],
                "url": source_anchor(source_url(row["quote__source__slug"]), row["quote_id"]),
            }
        )
    return (
        [_review(review, sources, quotes) for review in reviews],
        latest(*(review["updated_at"] for review in reviews)),
        (reviews, cited),
    )


# What claim_review_for() reads of a source it names.
CITED_SOURCE_FIELDS = ("url", "title", "publisher", "published_on", "published_precision")


def _loaded_related(model, row, prefix, fields):
    """A `model` instance holding only `fields`, from a row's `prefix`_id and `prefix`__<field> columns."""
    return loaded(model, id=row[f"{prefix}_id"], **{field: row[f"{prefix}__{field}"] for field in fields})


def claim_reviews(claim, review_rows, cited_rows, evidence_rows):
    """The ClaimReview JSON-LD of the claim's published reviews, as claim_review_for() writes it from
    published_reviews(claim), but from the rows the page has read: no query.

    `review_rows` and `cited_rows` are _reviews()'s rows, `evidence_rows` the claim's evidence_rows()
    (the published attributions, published_reviews()' rule). Instances hold only what the
    ClaimReview reads; reviews in published_reviews()' order (oldest first, undated last).
    """
    attributions = []
    for row in evidence_rows:
        speaker = _loaded_related(Speaker, row, "quote__speaker", ("name", "kind", "wikidata_id"))
        source = _loaded_related(Source, row, "quote__source", CITED_SOURCE_FIELDS)
        quote = loaded(
            Quote, id=row["quote_id"], said_on=row["quote__said_on"], said_precision=row["quote__said_precision"]
        )
        quote.speaker, quote.source = speaker, source
        attribution = loaded(Attribution, id=row["id"], stance=row["stance"])
        attribution.quote = quote
        attributions.append(attribution)
    claim.published_attributions = attributions  # what claim_review_for() reads, as published_reviews() prefetches it
    cited = defaultdict(list)
    for row in cited_rows:
        cited[row["review_id"]].append(_loaded_related(Source, row, "source", CITED_SOURCE_FIELDS))
    published = [row for row in review_rows if row["status"] == Review.Status.PUBLISHED]
    published.sort(key=lambda row: (row["published_at"] is None, row["published_at"] or claim.created_at, row["id"]))
    written = []
    for row in published:
        review = loaded(
            Review,
            id=row["id"],
            url=row["url"],
            publisher_name=row["publisher_name"],
            publisher_url=row["publisher_url"],
            published_at=row["published_at"],
            rating=row["rating"],
            rating_label=row["rating_label"],
            rationale=row["rationale"],
            sd_license=row["sd_license"],
        )
        review.claim = claim
        written.append(
            claim_review_for(review, evidence_sources=sorted(cited[row["id"]], key=lambda source: source.pk))
        )
    return written


# The scale a verdict is shown on: Rating.choices builds its list from the Enum on every read.
RATING_SCALE = [(value, name) for value, name in Rating.choices if value != Rating.UNVERIFIABLE]

HISTORY_ACTIONS = {
    "assign": "Review started",
    "publish": "Verdict published",
    "reopen": "Review reopened",
}


_CLAIM_COLUMNS = columns(Claim)
# What the page reads of each review (_reviews(), claim_reviews()), as the joined `shown_reviews__<column>`.
_REVIEW_COLUMNS = [
    *["id", "status", "rating", "rating_label", "rationale", "publisher_name", "publisher_url", "url"],
    *["published_at", "updated_at", "reviewer_id", "sd_license"],
    *["reviewer__first_name", "reviewer__last_name", "reviewer__username"],
]
_JOINED_REVIEW_COLUMNS = {f"shown_reviews__{column}": column for column in _REVIEW_COLUMNS}
# The claim with its topics, its history (the review events HISTORY_ACTIONS names) and the reviews a
# reader sees, joined: a row per topic, event and review (one, their columns NULL, without any), read
# in one statement where four were (a statement costs ≈ 0.1 ms of Python and ≈ 0.07 ms of PostgreSQL
# before its rows; most claims have one or two topics, no event and no review). The reviews are
# Review.objects.visible_to(READER)'s, as that queryset says (EXISTS in it), not a copy of its rule.
# Ordered by topic name, then as the history is listed, then as the reviews are (latest_first()):
# the first topic's first event's rows hold every review in order, the first topic's rows every
# event in order, and the topics come in order. A claim has a few of each. `related` says whether any
# relation touches the claim (what _relations reads): three claims in four have none, and their page
# does not run _relations to find none.
_claim = CompiledRows(
    Claim,
    lambda viewer, slug: (
        Claim.objects.filter(slug=slug)
        .alias(history=FilteredRelation("review_events", condition=Q(review_events__action__in=list(HISTORY_ACTIONS))))
        .alias(
            shown_reviews=FilteredRelation(
                "reviews",
                condition=Q(Exists(Review.objects.visible_to(READER).filter(pk=OuterRef("shown_reviews__pk")))),
            )
        )
        .order_by(
            "topics__name",
            "history__at",
            "history__id",
            F("shown_reviews__published_at").desc(nulls_last=True),  # Review.objects.latest_first()
            "-shown_reviews__id",
        )
        .annotate(related=Exists(ClaimRelation.objects.touching(OuterRef("pk"))))
        .values(
            *_CLAIM_COLUMNS,
            *["topics__name", "topics__slug", "history__id", "history__action", "history__at"],
            *_JOINED_REVIEW_COLUMNS,
            "related",
        )
    ),
)
_relations = CompiledRows(
    ClaimRelation,
    lambda viewer, claim_id: (
        ClaimRelation.objects.touching(claim_id)
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
    ),
)
# The dispute graph's reads (review_admin.neighbourhood), compiled. Its claims come with their standing
# verdict (what with_verdict() names): the related claims the page lists are the graph's first step, so
# their verdicts are read with the graph's claims, where a statement of their own read them again.
_graph_relations = CompiledRows(Claim, lambda viewer, claim_ids: neighbourhood_relations(claim_ids))
_graph_claims = CompiledRows(
    Claim,
    lambda viewer, claim_ids: neighbourhood_claims(claim_ids).annotate(
        verdict_rating=Subquery(standing_verdicts(OuterRef("pk")).values("rating")[:1]),
        verdict_label=Subquery(standing_verdicts(OuterRef("pk")).values("rating_label")[:1]),
    ),
)


def _dispute_graph(claim, relations, claim_url):
    """(the dispute graph's SVG, the rows of its claims) around `claim`, whose `relations` are read."""
    claims = []

    def read(function, claim_ids):
        if function is neighbourhood_relations:
            # The graph's first step, the relations touching the claim, is what _relations read (in the
            # same order, by key): not read again.
            return relations if claim_ids == [claim.pk] else _graph_relations(READER, claim_ids=claim_ids)
        claims.extend(_graph_claims(READER, claim_ids=claim_ids))
        return claims

    nodes, edges = neighbourhood(claim, url_for=lambda node: claim_url(node["slug"]), read=read)
    svg = graph.dispute_svg(nodes, edges, title=f"Claims related to “{claim.text}”")
    # Here the nodes are links to claim pages, and an image (role="img") may not hold links: a
    # group keeps its title as its name and lets screen readers reach each link.
    return svg.replace('role="img"', 'role="group"', 1), claims


def claim_page(slug):
    found = _claim(READER, slug=slug)
    if not found:
        raise Http404(f"No {Claim._meta.verbose_name} at this address.")
    claim = instance(Claim, {name: found[0][name] for name in _CLAIM_COLUMNS})
    topics = {row["topics__slug"]: row["topics__name"] for row in found if row["topics__slug"]}  # in order
    events = {row["history__id"]: row for row in found if row["history__id"] is not None}  # the first topic's order
    review_rows = {  # the first event's order
        row["shown_reviews__id"]: {column: row[joined] for joined, column in _JOINED_REVIEW_COLUMNS.items()}
        for row in found
        if row["shown_reviews__id"] is not None
    }
    relations = _relations(READER, claim_id=claim.pk) if found[0]["related"] else []
    other_ids = {relation["from_claim_id"] for relation in relations} | {
        relation["to_claim_id"] for relation in relations
    }
    other_ids.discard(claim.pk)
    claim_url = site_link("site:claim")
    svg, verdicts = "", {}
    if relations:
        svg, graph_claims = _dispute_graph(claim, relations, claim_url)
        verdicts = {
            row["id"]: verdict(row["verdict_rating"], row["verdict_label"])
            for row in graph_claims
            if row["id"] in other_ids
        }
    claim_ids = [claim.pk, *other_ids]
    rows = evidence_rows(READER, claim_ids=sorted(claim_ids))
    evidence, evidence_changed = evidence_by_claim(claim_ids, rows)
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
                            "url": claim_url(relation[f"{other_end}__slug"]),
                            "verdict": verdicts.get(other),
                        },
                        "evidence": evidence.get(other, []),
                    }
                )
    reviews, reviews_changed, (review_rows, cited_rows) = _reviews(list(review_rows.values()))
    current = next((review for review in reviews if review["status"] == Review.Status.PUBLISHED), None)
    events = [{"label": HISTORY_ACTIONS[row["history__action"]], "at": row["history__at"]} for row in events.values()]
    # Each topic's link through site_link(), not a {% url %} (a reverse()) per topic in the template.
    topic_url = site_link("site:topic")
    return {
        "claim": claim,
        "topics": [{"name": name, "slug": slug, "url": topic_url(slug)} for slug, name in topics.items()],
        "evidence": evidence.get(claim.pk, []),
        "sides": sides,
        "has_sides": any(sides.values()),
        "verdict": current,
        "earlier_reviews": [review for review in reviews if review is not current],
        "history": events,
        "graph_svg": svg,
        "rating_scale": RATING_SCALE,
        # Only a published review has a ClaimReview.
        "claimreview": (
            claim_reviews(claim, review_rows, cited_rows, [row for row in rows if row["claim_id"] == claim.pk])
            if current
            else []
        ),
        "last_modified": latest(
            claim.updated_at,
            evidence_changed,
            reviews_changed,
            *(relation["updated_at"] for relation in relations),
            *(event["at"] for event in events),
        ),
    }


# Speaker page -----------------------------------------------------------------------------------
#
# One statement reads the whole page: the speaker, with their aliases, their roles, the page's
# timeline and the claims they carry as four JSON columns (statements.JSONRows), decoded back to the
# rows their querysets give (statements.NestedRows). They were three statements (the speaker with aliases and roles, the
# timeline, the claims carried): three round trips (≈ 0.13 ms each here before any work), three
# executions through Django's cursor and the driver. PostgreSQL's own CPU is about what it was
# (building the JSON costs what the two statements' overhead did: ≈ 0.7 ms a page on the 100k corpus).

SPEAKER_CLAIMS_SHOWN = 100


def timeline_rows(speaker_id):
    """A speaker's published quotes in the order they were said (by the source's date when undated),
    with only what the timeline shows of each (each column read is decoded on every view)."""
    return (
        published_quotes()
        .filter(speaker_id=speaker_id)
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
            "source__published_precision",
        )
    )


def _verdict_of_claim(column):
    """`column` of the verdict ClaimQuerySet.with_verdict() names, for the row's `claim_id`."""
    return Subquery(standing_verdicts(OuterRef("claim_id")).values(column)[:1])


def carried_rows(speaker_id):
    """The claims a speaker carries, each with a stance (both when they assert it in one quote and
    deny it in another), newest claim first, with what their card shows. Grouped rather than
    DISTINCT, so that the verdict's subqueries run for each claim listed, not for each attribution
    behind it (a prolific speaker has many more), and no further than the LIMIT. `attributions` is
    not shown."""
    return (
        published_attributions()
        .filter(quote__speaker_id=speaker_id)
        .values("claim_id", "stance", "claim__slug", "claim__text")
        .annotate(attributions=Count("pk"))
        .annotate(verdict_rating=_verdict_of_claim("rating"), verdict_label=_verdict_of_claim("rating_label"))
        .order_by("-claim__created_at", "-claim_id", "stance")
    )


# Aliases in order; roles as they are listed (undated starts first), the key settling ties.
_aliases = NestedRows(
    SpeakerAlias, lambda speaker: SpeakerAlias.objects.filter(speaker_id=speaker).order_by("name").values("name")
)
_roles = NestedRows(
    Role,
    lambda speaker: (
        Role.objects.filter(speaker_id=speaker)
        .in_order()
        .values(*columns(Role))
    ),
)
_carried = NestedRows(Attribution, lambda speaker: carried_rows(speaker)[: SPEAKER_CLAIMS_SHOWN + 1])


def _timeline(number):
    """Page `number` of the timeline, as page_of() reads it: PAGE_SIZE + 1 rows."""
    offset = (number - 1) * PAGE_SIZE
    return NestedRows(Quote, lambda speaker: timeline_rows(speaker)[offset : offset + PAGE_SIZE + 1])


# A page's LIMIT and OFFSET are written into its SQL, not passed as parameters: each timeline page
# number is a statement of its own. The first pages are nearly every read and are kept; deeper ones
# are built and compiled for their request only (as every page was).
TIMELINE_PAGES_KEPT = 50
_speaker_pages = {}


def speaker_statement(number):
    """(the compiled statement reading page `number` of a speaker's page by their slug, its timeline's NestedRows)."""
    kept = _speaker_pages.get(number)
    if kept is not None:
        return kept
    timeline = _timeline(number)
    speaker = OuterRef("pk")
    statement = CompiledRows(
        Speaker,
        lambda viewer, slug: (
            Speaker.objects.visible_to(READER)
            .filter(slug=slug)
            .order_by()
            .values(
                *columns(Speaker),
                alias_rows=_aliases.column(speaker),
                role_rows=_roles.column(speaker),
                timeline_rows=timeline.column(speaker),
                carried_rows=_carried.column(speaker),
            )
        ),
    )
    if number <= TIMELINE_PAGES_KEPT:
        _speaker_pages[number] = statement, timeline
    return statement, timeline


def speaker_rows(slug, number):
    """What page `number` of the published speaker `slug`'s page shows, read in one statement:
    (speaker, alias names, roles, (timeline rows, has_next), carried claims' rows), or Http404."""
    statement, timeline = speaker_statement(number)
    found = statement(READER, slug=slug)
    if not found:
        raise Http404(f"No {Speaker._meta.verbose_name} at this address.")
    (row,) = found
    speaker = instance(Speaker, {column: row[column] for column in columns(Speaker)})
    aliases = [alias["name"] for alias in _aliases.decode(row["alias_rows"])]
    roles = [instance(Role, role) for role in _roles.decode(row["role_rows"])]
    rows = timeline.decode(row["timeline_rows"])
    if number > 1 and not rows:
        raise Http404(f"There is no page {number} of this list.")
    return speaker, aliases, roles, (rows[:PAGE_SIZE], len(rows) > PAGE_SIZE), _carried.decode(row["carried_rows"])


def speaker_page(slug, page):
    speaker, aliases, roles, (rows, has_next), carried = speaker_rows(slug, page)
    source_url, claim_url = site_link("site:source"), site_link("site:claim")
    for row in rows:
        precision = row["said_precision"] if row["said_on"] else row["source__published_precision"]
        row["day_precision"] = precision or "day"
        row["role"] = str(role_on(roles, row["day"]) or "")
        row["source_url"] = source_url(row["source__slug"])
        row["url"] = source_anchor(row["source_url"], row["id"])
    claims = [
        {
            "text": row["claim__text"],
            "stance": row["stance"],
            "url": claim_url(row["claim__slug"]),
            "verdict": verdict(row["verdict_rating"], row["verdict_label"]),
        }
        for row in carried[:SPEAKER_CLAIMS_SHOWN]
    ]
    return {
        "speaker": speaker,
        "aliases": aliases,
        "roles": roles,
        "timeline": rows,
        "page": page,
        "has_next": has_next,
        "claims": claims,
        "more_claims": len(carried) > SPEAKER_CLAIMS_SHOWN,
        "last_modified": latest(speaker.updated_at, *(row["updated_at"] for row in rows)),
    }


# Source page ------------------------------------------------------------------------------------

_source = CompiledRows(
    Source, lambda viewer, slug: Source.objects.filter(slug=slug).order_by().values(*columns(Source))
)
_printed = CompiledRows(
    Quote,
    lambda viewer, source_id: (
        published_quotes()
        .filter(source_id=source_id)
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
    ),
)
_originated = CompiledRows(
    Quote,
    lambda viewer, source_id: (
        published_quotes()
        .filter(origin_id=source_id)
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
    ),
)
_quoted_claims = CompiledRows(
    Attribution,
    lambda viewer, quote_ids: (
        published_attributions()
        .filter(quote_id__in=quote_ids)
        .order_by("pk")
        .values("quote_id", "stance", "claim__slug", "claim__text")
    ),
)


def source_page(slug):
    source = found_by_slug(_source, Source, slug)
    printed = _printed(READER, source_id=source.pk)
    originated = _originated(READER, source_id=source.pk)
    claims = defaultdict(list)
    quote_ids = [row["id"] for row in printed] + [row["id"] for row in originated]
    claim_url, speaker_url, source_url = site_link("site:claim"), site_link("site:speaker"), site_link("site:source")
    for row in _quoted_claims(READER, quote_ids=sorted(quote_ids)):
        claims[row["quote_id"]].append(
            {"stance": row["stance"], "text": row["claim__text"], "url": claim_url(row["claim__slug"])}
        )
    text = source.text
    spans = []
    for number, row in enumerate(printed, start=1):
        row["number"] = number
        row["claims"] = claims.get(row["id"], [])
        row["speaker_url"] = speaker_url(row["speaker__slug"])
        row["origin_url"] = source_url(row["origin__slug"]) if row["origin__slug"] else ""
        row["highlighted"] = row["start"] is not None and text[row["start"] : row["end"]] == row["text"]
        if row["highlighted"]:
            spans.append((row["start"], row["end"], row["id"]))
    for row in originated:
        row["claims"] = claims.get(row["id"], [])
        row["speaker_url"] = speaker_url(row["speaker__slug"])
        row["url"] = source_anchor(source_url(row["source__slug"]), row["id"])
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


def _search_claims(term, speakers):
    return card_rows(Claim.objects.visible_to(READER).matching(term, speakers=speakers).ranked(term))


# Unranked matches (more than RANK_AT_MOST) in the API's default order: by source key and offset, read
# from the (source, start) index. Quote's Meta.ordering ("source": its date, then title) joins and
# sorts the sources first: ≈ 40 ms for a common word at 300k quotes, against ≈ 3 ms.
QUOTE_SEARCH_ORDER = ("source_id", "start", "pk")


_QUOTE_RESULT_COLUMNS = [
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
]
_SPEAKER_RESULT_COLUMNS = ["slug", "name", "kind", "description"]
_SOURCE_RESULT_COLUMNS = ["slug", "title", "publisher", "published_on", "published_precision", "kind"]


def _search_quotes(term, speakers):
    return (
        published_quotes()
        .matching(term, speakers=speakers)
        .order_by(*QUOTE_SEARCH_ORDER)
        .ranked(term)
        .values(*_QUOTE_RESULT_COLUMNS)
    )


def _search_speakers(term, speakers):
    # The speakers a reader sees are among the keys listed (when listed): few enough to rank uncounted.
    known = len(speakers) if isinstance(speakers, list) else None
    return (
        Speaker.objects.visible_to(READER).matching(term).ranked(term, at_most=known).values(*_SPEAKER_RESULT_COLUMNS)
    )


def _search_sources(term, speakers):
    return Source.objects.visible_to(READER).matching(term, speakers=speakers).values(*_SOURCE_RESULT_COLUMNS)


# What each kind's search reads, as querysets: the definition the compiled statements are held to.
SEARCHES = {
    "claims": _search_claims,
    "quotes": _search_quotes,
    "speakers": _search_speakers,
    "sources": _search_sources,
}


def _present(kind, rows):
    if kind == "claims":
        return claim_cards(rows)
    speaker_url, source_url = site_link("site:speaker"), site_link("site:source")
    for row in rows:
        if kind == "quotes":
            row["url"] = source_anchor(source_url(row["source__slug"]), row["id"])
            row["speaker_url"] = speaker_url(row["speaker__slug"])
        elif kind == "speakers":
            row["url"] = speaker_url(row["slug"])
        else:
            row["url"] = source_url(row["slug"])
    return rows


# The search page's compiled statements -----------------------------------------------------------
#
# Built from the querysets above, keyed by the term's LIKE patterns (querysets.word_patterns(), one
# per word), the matching speakers' keys and, when ranked, the term's tsquery: a statement per
# number of words, of speakers, ranked or not, and page bounds. The page then builds no queryset
# and compiles no SQL, where building and compiling its eight statements was most of its Python.
# Claims when the term names speakers (their carried claims decide the statement's shape), and
# terms naming more than LISTED_AT_MOST speakers, still go through the querysets. None is prepared:
# a generic plan cannot see how common a word is (LIKE $1), and chose worse plans than a plan made
# for the term (a two-word term's PostgreSQL time doubled).


def _matches(name, patterns, speakers=()):
    """The rows of kind `name` the search's querysets (_search_<kind>) find, before ranking."""
    if name == "claims":
        return Claim.objects.visible_to(READER).matching_words(patterns)
    if name == "quotes":
        return published_quotes().matching_words(patterns, list(speakers)).order_by(*QUOTE_SEARCH_ORDER)
    if name == "speakers":
        return Speaker.objects.visible_to(READER).matching_words(patterns)
    return Source.objects.visible_to(READER).matching_words(patterns, list(speakers))


def _found(name, patterns, speakers=(), tsquery=None):
    """What _search_<kind>(term, speakers) reads, ranked by `tsquery` when it is given."""
    matches = _matches(name, patterns, speakers)
    if tsquery is not None:
        matches = matches.ranked_by(tsquery)
    if name == "claims":
        return card_rows(matches)
    columns = {"quotes": _QUOTE_RESULT_COLUMNS, "speakers": _SPEAKER_RESULT_COLUMNS, "sources": _SOURCE_RESULT_COLUMNS}
    return matches.values(*columns[name])


_FOUND_MODEL = {"claims": Claim, "quotes": Quote, "speakers": Speaker, "sources": Source}
_search_counts = {}  # by kind and cap: the cap is written into the count's LIMIT


def _search_count(name, cap, keys):
    """count_up_to(matches, cap) of kind `name`'s matches for `keys`."""
    statement = _search_counts.get((name, cap))
    if statement is None:
        statement = _search_counts[(name, cap)] = CompiledRows(
            _FOUND_MODEL[name],
            lambda viewer, **keys: _matches(name, **keys).order_by().values("pk")[: cap + 1],
            counting=True,
            prepare=False,
        )
    return statement(READER, **keys)[0]["count"]


# Page bounds are written into a statement's SQL, as the timeline's: the first pages are kept.
SEARCH_PAGES_KEPT = 20
_search_pages = {}


def _search_page_rows(name, number, size, keys):
    """(rows, has_next) of page `number` (of `size` rows) of kind `name`'s matches, as page_of() reads them."""
    offset = (number - 1) * size
    statement = _search_pages.get((name, offset, size))
    if statement is None:
        statement = CompiledRows(
            _FOUND_MODEL[name],
            lambda viewer, **keys: _found(name, **keys)[offset : offset + size + 1],
            prepare=False,
        )
        if number <= SEARCH_PAGES_KEPT:
            _search_pages[(name, offset, size)] = statement
    rows = statement(READER, **keys)
    if number > 1 and not rows:
        raise Http404(f"There is no page {number} of this list.")
    return rows[:size], len(rows) > size


def _compiled_search_page(name, term, patterns, speakers, number, size):
    """(rows, has_next) of a kind's page from the compiled statements: what page_of() reads from
    _search_<kind>(term, speakers), for `speakers` a list of keys (or anything for the speakers'
    section, which does not match through them)."""
    # Sources keep no folded document: their words are matched as typed.
    keys = {"patterns": source_patterns(term) if name == "sources" else patterns}
    if name in ("quotes", "sources") and speakers:  # a list here (a queryset goes through the querysets)
        keys["speakers"] = speakers
    rankable = name != "sources" and connections[router.db_for_read(Claim)].vendor == "postgresql"
    tsquery = prefix_tsquery(term)
    if rankable and tsquery:
        # ranked() ranks at most RANK_AT_MOST matches; the speakers' section knows it lists few
        # when the page has read the speakers (a list of at most LISTED_AT_MOST keys).
        cap = _FOUND_MODEL[name].objects.all().RANK_AT_MOST
        known_few = name == "speakers" and isinstance(speakers, list) and len(speakers) <= cap
        if known_few or _search_count(name, cap, keys) <= cap:
            keys["tsquery"] = tsquery
    return _search_page_rows(name, number, size, keys)


def search(term, kind, page):
    """Each kind's first SECTION_SIZE matches, or one kind's page of PAGE_SIZE: never a count (beyond
    ranked()'s, whether there are few enough to rank)."""
    kinds = [kind] if kind else list(SEARCH_KINDS)
    size, number = (PAGE_SIZE, page) if kind else (SECTION_SIZE, 1)
    patterns = word_patterns(term)
    # Claims, quotes and sources all match through the speakers named by the term: read them once.
    speakers = None
    if kinds != ["speakers"]:
        speakers = [row["pk"] for row in speakers_named(None, patterns=patterns)] if patterns else []
        if len(speakers) > LISTED_AT_MOST:
            # Many: named by a subquery, as matching_speakers() names them past its cap.
            speakers = Speaker.objects.matching_words(patterns).values_list("pk", flat=True)
    sections = []
    for name in kinds:
        if not patterns:  # no word to find: nothing matches (matching() is none())
            rows, has_next = page_of(Claim.objects.none(), number, size)
        elif name == "speakers" or (isinstance(speakers, list) and not (name == "claims" and speakers)):
            rows, has_next = _compiled_search_page(name, term, patterns, speakers, number, size)
        else:
            rows, has_next = page_of(SEARCHES[name](term, speakers), number, size)
        sections.append({"kind": name, "results": _present(name, rows), "has_next": has_next})
    return sections
