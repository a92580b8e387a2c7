"""Every list's pages, and every resource's detail, built from plain rows.

The ModelSerializers in serializers.py state the contract: the OpenAPI schema, the writes, the
other details. Building a page of 50 nested quotes or claims through them cost 10–20 ms of Python
per request on the 100k-claim corpus (field objects per row, model instances for every related
row), more than the page's SQL; a page of 50 relations, whose two claim links each built a nested
serializer, 72 ms. These functions produce the same JSON from `.values()` rows and a
fixed number of queries; tests/test_api_fast_reads.py holds them equal to the serializers for
every record of the seed and of a generated corpus, so the contract cannot drift.

Each function takes the querysets of what the reader may see (drafts hidden, reviews filtered):
visibility stays decided in the views.
"""

import datetime
from collections import defaultdict
from types import SimpleNamespace

from django.db.models import BigIntegerField, Case, CharField, F, Q, TextField, Value, When
from django.db.models.functions import MD5, Concat, Greatest, Substr
from django.utils import timezone

from .. import anchoring
from ..models import (
    Attribution,
    Claim,
    ClaimRelation,
    Quote,
    Review,
    Role,
    Source,
    Speaker,
    SpeakerAlias,
    format_partial_date,
)
from ..querysets import ROLE_ORDER
from .serializers import excerpt, href_parts, href_template, publisher, role_on, scale_label
from .statements import CompiledRows, KeysIn, NestedRows


def datetime_text():
    """DateTimeField's text for datetimes (ISO 8601 in the current time zone, UTC written "Z"), as a
    function for one response: the zone is looked up once, where DateTimeField looks it up for
    every value (a page of claims has a hundred: 1 ms of a 5 ms request)."""
    zone = timezone.get_current_timezone()
    in_utc = getattr(zone, "key", None) == "UTC"  # settings.TIME_ZONE, unless a request activated another

    def text(value):
        if value is None:
            return None
        if in_utc and value.tzinfo is datetime.UTC:  # as the database drivers read them: no conversion
            return f"{value.isoformat()[:-6]}Z"
        text = value.astimezone(zone).isoformat()
        return f"{text[:-6]}Z" if text.endswith("+00:00") else text

    return text


def _date(value):
    return value.isoformat() if value is not None else None


class Links:
    """Absolute URLs of API resources for one request, each view's URL reversed once."""

    def __init__(self, request):
        self.request = request
        self._templates = {}

    def __call__(self, view_name, key, lookup="pk"):
        return self.template(view_name, lookup)(key)

    def template(self, view_name, lookup="pk"):
        """The function of a key giving the view's URLs (for a page's many links to one view)."""
        template = self._templates.get(view_name)
        if template is None:
            template = self._templates[view_name] = href_template(self.request, view_name, lookup)
        return template

    def around_integer_keys(self, view_name):
        """(before, after): the view's URL for an integer primary key is f"{before}{key}{after}" (an
        integer needs no quoting), without a call per link."""
        return href_parts(self.request, view_name, "pk")


def speaker_ref(row, links, prefix):
    slug = row[f"{prefix}slug"]
    return {
        "slug": slug,
        "name": row[f"{prefix}name"],
        "kind": row[f"{prefix}kind"],
        "href": links("api:speaker-detail", slug, "slug"),
    }


def source_ref(row, links, prefix):
    slug = row[f"{prefix}slug"]
    return {
        "slug": slug,
        "title": row[f"{prefix}title"],
        "kind": row[f"{prefix}kind"],
        "publisher": row[f"{prefix}publisher"],
        "published": format_partial_date(row[f"{prefix}published_on"], row[f"{prefix}published_precision"]),
        "href": links("api:source-detail", slug, "slug"),
    }


def quote_ref(row, links, prefix):
    return {
        "id": row[f"{prefix}id"],
        "href": links("api:quote-detail", row[f"{prefix}id"]),
        "excerpt": excerpt(row[f"{prefix}text"]),
    }


def _fields(prefix, names):
    return [f"{prefix}{name}" for name in names]


SPEAKER_REF = ["id", "slug", "name", "kind"]
SOURCE_REF = ["slug", "title", "kind", "publisher", "published_on", "published_precision"]


_roles = CompiledRows(
    Role,
    lambda viewer, speaker_ids: (
        Role.objects.filter(speaker_id__in=speaker_ids)
        .order_by()
        .values("pk", "speaker_id", "title", "organisation", "start_date", "end_date")
    ),
)


def roles_by_speaker(speaker_ids):
    """Each speaker's roles, for `role_on`; one query for the whole page."""
    return roles_grouped(_roles(None, speaker_ids=sorted(set(speaker_ids))))


def roles_grouped(rows):
    """{speaker's key: their roles, for `role_on`} of role rows (`speaker_id` and the role's columns)."""
    roles = defaultdict(list)
    for row in rows:
        roles[row["speaker_id"]].append(SimpleNamespace(**row))
    return roles


def speaker_on_date(row, links, prefix, roles, day):
    """A quote's speaker with the role held on the day the words were said (see SpeakerOnDateSerializer)."""
    speaker = speaker_ref(row, links, prefix)
    role = role_on(roles.get(row[f"{prefix}id"], ()), day)
    speaker["role"] = (
        None
        if role is None
        else {
            "title": role.title,
            "organisation": role.organisation,
            "start_date": _date(role.start_date),
            "end_date": _date(role.end_date),
        }
    )
    return speaker


# Quotes ----------------------------------------------------------------------------------------

QUOTE_COLUMNS = [
    "id",
    "text",
    "kind",
    "start",
    "end",
    "said_venue",
    "said_on",
    "said_precision",
    *_fields("origin__", SOURCE_REF),
    "language",
    "is_translation",
    "has_editorial_marks",
    "is_truncated",
    "note",
    "status",
    "created_at",
    "updated_at",
    "version",
    *_fields("speaker__", SPEAKER_REF),
    *_fields("source__", SOURCE_REF),
]


def quote_rows(quotes):
    """The page's quotes as rows, each with its kept context (anchoring.kept_context()) or, where
    that is not for the quote's current source, offsets and text, the passage of its source around
    it, cut by the database (`passage`, NULL when the kept context is current).

    Only the quote and the CONTEXT_WIDTH characters on each side of it leave the database, not the
    source texts; and it is one cut per quote, as each cut decompresses the whole text.
    """
    window_start = Greatest(F("start") - anchoring.CONTEXT_WIDTH, 0)
    cut = Substr("source__text", window_start + 1, F("end") + anchoring.CONTEXT_WIDTH - window_start)
    return quotes.values(*QUOTE_COLUMNS, "context_prefix", "context_suffix").annotate(
        passage_start=window_start,
        # CASE evaluates its ELSE only for the rows that reach it: current rows cut nothing.
        passage=Case(When(kept_context_is_current(), then=None), default=cut),
    )


def kept_context_is_current():
    """The quote's kept context was cut for its current source text, offsets and text: the
    fingerprint anchoring.context_fingerprint() computes, computed alike in SQL."""
    current = MD5(
        Concat(
            Value(f"{anchoring.CONTEXT_WIDTH}:"),
            "source__sha256",
            Value(":"),
            "start",
            Value(":"),
            "end",
            Value(":"),
            "text",
            output_field=TextField(),
        )
    )
    return Q(context_fingerprint=current)


_quote_rows = CompiledRows(Quote, lambda viewer, keys: quote_rows(Quote.objects.filter(pk__in=keys)))


def _selector_parts(row):
    """(prefix, exact, suffix) as anchoring.context() cuts them from the whole source text."""
    if row["passage"] is None:  # the kept context is current: the text stands at the offsets
        return row["context_prefix"], row["text"], row["context_suffix"]
    offset = row["passage_start"]
    return anchoring.context(row["passage"], row["start"] - offset, row["end"] - offset, anchoring.CONTEXT_WIDTH)


def quotes(keys, links):
    """QuoteSerializer's representation of the quotes with primary keys `keys`, in that order.

    Pages are chosen on keys alone, then only their rows are read: a ranked search sorts all its
    matches, and cutting the context out of the sources for each of them first cost ≈ 30 ms for 400.
    """
    rows = {row["id"]: row for row in _quote_rows(None, keys=list(keys))}
    roles = roles_by_speaker(row["speaker__id"] for row in rows.values())
    when = datetime_text()
    return [_quote(rows[key], links, roles, when) for key in keys]


def _quote(row, links, roles, when):
    anchored = row["start"] is not None
    prefix, exact, suffix = _selector_parts(row) if anchored else (None, None, None)
    return {
        "id": row["id"],
        "href": links("api:quote-detail", row["id"]),
        "speaker": speaker_on_date(row, links, "speaker__", roles, row["said_on"] or row["source__published_on"]),
        "source": source_ref(row, links, "source__"),
        "text": row["text"],
        "kind": row["kind"],
        "anchoring": ("anchored" if exact == row["text"] else "mismatch") if anchored else "unanchored",
        "selector": {"type": "TextQuoteSelector", "prefix": prefix, "exact": exact, "suffix": suffix}
        if anchored
        else None,
        "position": {"type": "TextPositionSelector", "start": row["start"], "end": row["end"]} if anchored else None,
        "start": row["start"],
        "end": row["end"],
        "said_venue": row["said_venue"],
        "said_on": _date(row["said_on"]),
        "said_precision": row["said_precision"],
        "said": format_partial_date(row["said_on"], row["said_precision"]),
        "origin": source_ref(row, links, "origin__") if row["origin__slug"] is not None else None,
        "language": row["language"],
        "is_translation": row["is_translation"],
        "has_editorial_marks": row["has_editorial_marks"],
        "is_truncated": row["is_truncated"],
        "note": row["note"],
        "status": row["status"],
        "created_at": when(row["created_at"]),
        "updated_at": when(row["updated_at"]),
        "version": row["version"],
    }


# Claims ----------------------------------------------------------------------------------------

CLAIM_LIST_COLUMNS = [
    "id",
    "slug",
    "text",
    "review_status",
    "is_disputed",
    "disputed_by_count",
    "created_at",
    "updated_at",
]


# A page's evidence and its claims' topics, read by one statement (a round trip fewer for every page
# of claims: 0.3 ms of 3.3 on the 100k-claim corpus): UNION ALL of the evidence the reader may see
# and the claims' topics, unpacked in this order by claim_list(). A topic's row has no attribution
# (NULL where the attribution's key is), and its topic's key, slug and name where the quote's key,
# the quote's text and the speaker's name are. Ordered by the attribution's key first, the evidence
# comes in the attributions' order; the topics, tied there, in their names' order, then by key, then
# by claim (rows of one topic otherwise come in whichever order the plan reads them).
_PAGE_EVIDENCE_COLUMNS = [
    "claim_id",
    "id",
    "quote__id",
    "quote__text",
    "stance",
    "quote__speaker__slug",
    "quote__speaker__name",
    "quote__speaker__kind",
]
_page_evidence_and_topics = CompiledRows(
    Attribution,
    lambda viewer, claim_ids: (
        Attribution.objects.visible_to(viewer)
        .filter(KeysIn("claim_id", claim_ids))
        .order_by()
        .values(*_PAGE_EVIDENCE_COLUMNS)
        .union(
            Claim.topics.through.objects.filter(KeysIn("claim_id", claim_ids))
            .annotate(
                no_attribution=Value(None, output_field=BigIntegerField()),
                no_stance=Value(None, output_field=CharField()),
                no_speaker=Value(None, output_field=CharField()),
                no_kind=Value(None, output_field=CharField()),
            )
            .order_by()
            .values(
                "claim_id",
                "no_attribution",
                "topic_id",
                "topic__slug",
                "no_stance",
                "no_speaker",
                "topic__name",
                "no_kind",
            ),
            all=True,
        )
        .order_by("id", "quote__speaker__name", "quote__id", "claim_id")
    ),
)


def claim_list(rows, links, viewer):
    """ClaimListSerializer's representation of rows with CLAIM_LIST_COLUMNS, with the evidence
    `viewer` may see (the page's evidence and its claims' topics read in one query).

    The busiest list read (a page of 50 claims holds some 250 links and 100 dates): each
    attribution's row is unpacked rather than read as a dict, and the links to claims and quotes
    written around their keys, not through a call per link (same JSON as quote_ref() and
    speaker_ref() write: tests/test_api_fast_reads.py).
    """
    ids = [row["id"] for row in rows]
    when = datetime_text()
    quote_before, quote_after = links.around_integer_keys("api:quote-detail")
    speaker_href = links.template("api:speaker-detail", "slug")
    topics, evidence = defaultdict(list), defaultdict(list)
    page_rows = _page_evidence_and_topics.values_list(viewer, claim_ids=ids)
    for claim_id, attribution_id, quote_id, quote_text, stance, slug, name, kind in page_rows:
        if attribution_id is None:  # a topic's row: its slug where the quote's text is
            topics[claim_id].append(quote_text)
            continue
        evidence[claim_id].append(
            {
                "id": attribution_id,
                "quote": {
                    "id": quote_id,
                    "href": f"{quote_before}{quote_id}{quote_after}",
                    "excerpt": excerpt(quote_text),
                },
                "stance": stance,
                "speaker": {"slug": slug, "name": name, "kind": kind, "href": speaker_href(slug)},
            }
        )
    claim_before, claim_after = links.around_integer_keys("api:claim-detail")
    return [
        {
            "id": row["id"],
            "href": f"{claim_before}{row['id']}{claim_after}",
            "slug": row["slug"],
            "text": row["text"],
            "topics": topics.get(row["id"], []),
            "review_status": row["review_status"],
            "is_disputed": row["is_disputed"],
            "disputed_by_count": row["disputed_by_count"],
            "attributions": evidence.get(row["id"], []),
            "created_at": when(row["created_at"]),
            "updated_at": when(row["updated_at"]),
        }
        for row in rows
    ]


_EVIDENCE_QUOTE = ["id", "text", "kind", "said_on", "said_precision", "said_venue", "start", "end"]

# Each side of a relation as ClaimSerializer names it: (field, kind, this claim's end, the other end).
_RELATED_SIDES = [
    ("disputed_by", ClaimRelation.Kind.DISPUTES, "to_claim", "from_claim"),
    ("disputes", ClaimRelation.Kind.DISPUTES, "from_claim", "to_claim"),
    ("supported_by", ClaimRelation.Kind.SUPPORTS, "to_claim", "from_claim"),
    ("supports", ClaimRelation.Kind.SUPPORTS, "from_claim", "to_claim"),
]


_REVIEW_COLUMNS = [
    "id",
    "status",
    "rating",
    "rating_label",
    "rationale",
    "reviewer__username",
    "published_at",
    "publisher_name",
    "publisher_url",
]


CLAIM_DETAIL_COLUMNS = [
    *["id", "slug", "text", "note", "review_status", "is_disputed"],
    *["created_at", "updated_at", "version"],
]

# A claim's detail in one statement: the claim, with its topics, the evidence the reader may see, the
# roles of that evidence's speakers, the relations touching it and the reviews the reader may see as
# JSON columns (statements.NestedRows), each the rows of its queryset below, in its order. They were
# six statements (the claim, then each kind of related rows): ≈ 0.1 ms of Python and a round trip
# each. Each nested queryset takes the statement's own key, `claim_id`, rather than an OuterRef to
# the claim's row: the roles' speakers are a subquery within theirs, where OuterRef("pk") would name
# the role, and the querysets then also read a claim's lists on their own (tests/test_api_statements.py).


def claim_topics(claim_id, viewer):
    """The claim's topic slugs, in the topics' order (by name, then key)."""
    return (
        Claim.topics.through.objects.filter(claim_id=claim_id).order_by("topic__name", "topic_id").values("topic__slug")
    )


def _visible_evidence(claim_id, viewer):
    return Attribution.objects.visible_to(viewer).filter(claim_id=claim_id)


def claim_evidence(claim_id, viewer):
    return (
        _visible_evidence(claim_id, viewer)
        .order_by("pk")
        .values(
            "id",
            "stance",
            "note",
            *_fields("quote__", _EVIDENCE_QUOTE),
            *_fields("quote__speaker__", SPEAKER_REF),
            *_fields("quote__source__", SOURCE_REF),
        )
    )


def claim_evidence_roles(claim_id, viewer):
    """Every role of the speakers of claim_evidence(), for `role_on` (which does not depend on their order)."""
    speakers = _visible_evidence(claim_id, viewer).values("quote__speaker_id")
    return (
        Role.objects.filter(speaker_id__in=speakers)
        .order_by("speaker_id", "pk")
        .values("pk", "speaker_id", "title", "organisation", "start_date", "end_date")
    )


def claim_relations(claim_id, viewer):
    return (
        ClaimRelation.objects.touching(claim_id)
        .order_by("pk")
        .values(
            "id",
            "kind",
            "note",
            "to_claim_id",
            "from_claim_id",
            *_fields("from_claim__", ["slug", "text"]),
            *_fields("to_claim__", ["slug", "text"]),
        )
    )


def claim_reviews(claim_id, viewer):
    return Review.objects.visible_to(viewer).filter(claim_id=claim_id).values(*_REVIEW_COLUMNS)


CLAIM_RELATED = {
    "topic_rows": NestedRows(Claim.topics.through, claim_topics),
    "evidence_rows": NestedRows(Attribution, claim_evidence),
    "role_rows": NestedRows(Role, claim_evidence_roles),
    "relation_rows": NestedRows(ClaimRelation, claim_relations),
    "review_rows": NestedRows(Review, claim_reviews),
}

claim_row = CompiledRows(
    Claim,
    lambda viewer, claim_id: (
        Claim.objects.visible_to(viewer)
        .filter(pk=claim_id)
        .values(
            *CLAIM_DETAIL_COLUMNS,
            **{name: nested.column(claim_id, viewer) for name, nested in CLAIM_RELATED.items()},
        )
    ),
)


def claim_related(claim):
    """{name: rows} of the lists claim_row() reads with `claim` (its row), as their querysets give them."""
    return {name: nested.decode(claim[name]) for name, nested in CLAIM_RELATED.items()}


def claim_detail(claim, links, viewer):
    """ClaimSerializer's representation of `claim` (a claim_row() row) as `viewer` sees it."""
    claim_id = claim["id"]
    when = datetime_text()
    related = claim_related(claim)
    roles = roles_grouped(related["role_rows"])
    relations = related["relation_rows"]
    detail = {
        "id": claim_id,
        "href": links("api:claim-detail", claim_id),
        "slug": claim["slug"],
        "text": claim["text"],
        "topics": [topic["topic__slug"] for topic in related["topic_rows"]],
        "note": claim["note"],
        "review_status": claim["review_status"],
        "is_disputed": claim["is_disputed"],
        "attributions": [_evidence(evidence, links, roles) for evidence in related["evidence_rows"]],
    }
    for field, kind, this_end, other_end in _RELATED_SIDES:
        detail[field] = [
            {
                "relation": {
                    "id": relation["id"],
                    "href": links("api:claimrelation-detail", relation["id"]),
                    "kind": relation["kind"],
                },
                "note": relation["note"],
                "claim": {
                    "id": relation[f"{other_end}_id"],
                    "slug": relation[f"{other_end}__slug"],
                    "text": relation[f"{other_end}__text"],
                    "href": links("api:claim-detail", relation[f"{other_end}_id"]),
                },
            }
            for relation in relations
            if relation["kind"] == kind and relation[f"{this_end}_id"] == claim_id
        ]
    detail["reviews"] = [
        {
            "id": review["id"],
            "status": review["status"],
            "rating": review["rating"],
            "rating_label": scale_label(review["rating_label"], review["rating"]),
            "rationale": review["rationale"],
            "reviewer": review["reviewer__username"],
            "published_at": when(review["published_at"]),
            "publisher_name": publisher(review["publisher_name"], review["publisher_url"])[0],
        }
        for review in related["review_rows"]
    ]
    detail["created_at"] = when(claim["created_at"])
    detail["updated_at"] = when(claim["updated_at"])
    detail["version"] = claim["version"]
    return detail


def _evidence(row, links, roles):
    said_on = row["quote__said_on"]
    return {
        "id": row["id"],
        "stance": row["stance"],
        "note": row["note"],
        "quote": {
            "id": row["quote__id"],
            "href": links("api:quote-detail", row["quote__id"]),
            "text": row["quote__text"],
            "kind": row["quote__kind"],
            "said_on": _date(said_on),
            "said": format_partial_date(said_on, row["quote__said_precision"]),
            "said_venue": row["quote__said_venue"],
            "start": row["quote__start"],
            "end": row["quote__end"],
        },
        "speaker": speaker_on_date(
            row, links, "quote__speaker__", roles, said_on or row["quote__source__published_on"]
        ),
        "source": source_ref(row, links, "quote__source__"),
    }


# Speakers --------------------------------------------------------------------------------------

SPEAKER_DETAIL_COLUMNS = [
    *["id", "slug", "name", "kind", "description", "wikidata_id", "status"],
    *["created_at", "updated_at", "version", "quote_count", "claim_count"],
]
_ROLE_COLUMNS = ["title", "organisation", "start_date", "start_precision", "end_date", "end_precision", "note"]

speaker_row = CompiledRows(
    Speaker,
    lambda viewer, slug: (
        Speaker.objects.visible_to(viewer).with_counts().filter(slug=slug).values(*SPEAKER_DETAIL_COLUMNS)
    ),
)
_speaker_aliases = CompiledRows(
    SpeakerAlias, lambda viewer, speaker_id: SpeakerAlias.objects.filter(speaker_id=speaker_id).values("name")
)
# In the serializer's order (its prefetch follows Role's Meta.ordering: the speaker, then in_order()).
_speaker_roles = CompiledRows(
    Role,
    lambda viewer, speaker_id: Role.objects.filter(speaker_id=speaker_id).in_order().values(*_ROLE_COLUMNS),
)


def _speaker(speaker, links, aliases, roles, when):
    return {
        "id": speaker["id"],
        "href": links("api:speaker-detail", speaker["slug"], "slug"),
        "slug": speaker["slug"],
        "name": speaker["name"],
        "kind": speaker["kind"],
        "description": speaker["description"],
        "wikidata_id": speaker["wikidata_id"],
        "aliases": aliases,
        "roles": [
            {**role, "start_date": _date(role["start_date"]), "end_date": _date(role["end_date"])} for role in roles
        ],
        "quote_count": speaker["quote_count"],
        "claim_count": speaker["claim_count"],
        "status": speaker["status"],
        "created_at": when(speaker["created_at"]),
        "updated_at": when(speaker["updated_at"]),
        "version": speaker["version"],
    }


# Relations and attributions ---------------------------------------------------------------------
#
# Pages are chosen on keys alone, then their rows read by key (as quotes are): selecting the claims'
# slugs and texts joins the claims, and the page's capped count would then join them for each of the
# 1,001 rows it counts (1.3 -> 4.6 ms of PostgreSQL per page on the 100k-claim corpus).


def claim_ref(row, links, prefix):
    claim_id = row[f"{prefix}id"]
    return {
        "id": claim_id,
        "slug": row[f"{prefix}slug"],
        "text": row[f"{prefix}text"],
        "href": links("api:claim-detail", claim_id),
    }


CLAIM_REF = ["id", "slug", "text"]
_VERSIONED = ["created_at", "updated_at", "version"]

RELATION_COLUMNS = [
    "id",
    *_fields("from_claim__", CLAIM_REF),
    *_fields("to_claim__", CLAIM_REF),
    *["kind", "note", *_VERSIONED],
]
relation_row = CompiledRows(
    ClaimRelation,
    lambda viewer, relation_id: (
        ClaimRelation.objects.visible_to(viewer).filter(pk=relation_id).values(*RELATION_COLUMNS)
    ),
)


def relations(rows, links):
    """ClaimRelationSerializer's representation of `rows` (a page's, with RELATION_COLUMNS)."""
    when = datetime_text()
    return [_relation(row, links, when) for row in rows]


def relation_detail(relation, links, viewer):
    """ClaimRelationSerializer's representation of `relation` (a row with RELATION_COLUMNS)."""
    return _relation(relation, links, datetime_text())


def _relation(row, links, when):
    return {
        "id": row["id"],
        "href": links("api:claimrelation-detail", row["id"]),
        "from_claim": claim_ref(row, links, "from_claim__"),
        "to_claim": claim_ref(row, links, "to_claim__"),
        "kind": row["kind"],
        "note": row["note"],
        "created_at": when(row["created_at"]),
        "updated_at": when(row["updated_at"]),
        "version": row["version"],
    }


ATTRIBUTION_COLUMNS = [
    "id",
    *_fields("claim__", CLAIM_REF),
    *_fields("quote__", ["id", "text"]),
    *["stance", "note"],
    *_fields("quote__speaker__", SPEAKER_REF),
    *_VERSIONED,
]
attribution_row = CompiledRows(
    Attribution,
    lambda viewer, attribution_id: (
        Attribution.objects.visible_to(viewer).filter(pk=attribution_id).values(*ATTRIBUTION_COLUMNS)
    ),
)


def attributions(rows, links):
    """AttributionSerializer's representation of `rows` (a page's, with ATTRIBUTION_COLUMNS)."""
    when = datetime_text()
    return [_attribution(row, links, when) for row in rows]


def attribution_detail(attribution, links, viewer):
    """AttributionSerializer's representation of `attribution` (a row with ATTRIBUTION_COLUMNS)."""
    return _attribution(attribution, links, datetime_text())


def _attribution(row, links, when):
    return {
        "id": row["id"],
        "href": links("api:attribution-detail", row["id"]),
        "claim": claim_ref(row, links, "claim__"),
        "quote": quote_ref(row, links, "quote__"),
        "stance": row["stance"],
        "note": row["note"],
        "speaker": speaker_ref(row, links, "quote__speaker__"),
        "created_at": when(row["created_at"]),
        "updated_at": when(row["updated_at"]),
        "version": row["version"],
    }


# Speaker and source pages ----------------------------------------------------------------------
#
# A speakers page: its keys first, then its rows by key with their aliases and roles; a sources
# page: its own rows, as relations'. The counts as the reader may see them.

_speaker_page_rows = CompiledRows(
    Speaker,
    lambda viewer, keys: (
        Speaker.objects.visible_to(viewer).with_counts().filter(pk__in=keys).values(*SPEAKER_DETAIL_COLUMNS)
    ),
)
_page_aliases = CompiledRows(
    SpeakerAlias,
    lambda viewer, speaker_ids: (
        SpeakerAlias.objects.filter(speaker_id__in=speaker_ids).order_by("name").values("speaker_id", "name")
    ),
)
# Each speaker's roles in the order speaker_detail() reads them (RoleQuerySet.in_order()).
_page_roles = CompiledRows(
    Role,
    lambda viewer, speaker_ids: (
        Role.objects.filter(speaker_id__in=speaker_ids)
        .order_by("speaker_id", *ROLE_ORDER)
        .values("speaker_id", *_ROLE_COLUMNS)
    ),
)


def speakers(keys, links, viewer):
    """SpeakerSerializer's representation of the speakers with primary keys `keys`, in that order,
    their counts as `viewer` may see them."""
    keys = list(keys)
    rows = {row["id"]: row for row in _speaker_page_rows(viewer, keys=keys)}
    aliases, roles = defaultdict(list), defaultdict(list)
    for alias in _page_aliases(None, speaker_ids=keys):
        aliases[alias["speaker_id"]].append(alias["name"])
    for role in _page_roles(None, speaker_ids=keys):
        roles[role.pop("speaker_id")].append(role)
    when = datetime_text()
    return [_speaker(rows[key], links, aliases[key], roles[key], when) for key in keys]


def speaker_detail(speaker, links, viewer):
    """SpeakerSerializer's representation of `speaker` (a row with SPEAKER_DETAIL_COLUMNS)."""
    speaker_id = speaker["id"]
    aliases = [alias["name"] for alias in _speaker_aliases(viewer, speaker_id=speaker_id)]
    return _speaker(speaker, links, aliases, _speaker_roles(viewer, speaker_id=speaker_id), datetime_text())


SOURCE_COLUMNS = [
    *["id", "slug", "title", "kind", "publisher", "author", "url", "language", "published_on"],
    *["published_precision", "sha256", "note", "quote_count", *_VERSIONED],
]


def _source_row(*columns):
    return CompiledRows(
        Source,
        lambda viewer, slug: (
            Source.objects.visible_to(viewer).with_quote_count().filter(slug=slug).values(*SOURCE_COLUMNS, *columns)
        ),
    )


source_row = _source_row()
# `?include=text`: the archived text too, which can be long, so only when asked for.
source_row_with_text = _source_row("text")
# The quotes the reader may see, in the order SourceViewSet's prefetch reads them.
_source_quotes = CompiledRows(
    Quote,
    lambda viewer, source_id: (
        Quote.objects.visible_to(viewer)
        .filter(source_id=source_id)
        .order_by("start", "pk")
        .values("id", *_fields("speaker__", SPEAKER_REF), "kind", "text", "start", "end")
    ),
)


def sources(rows, links):
    """SourceSerializer's representation (without the text) of `rows` (a page's, with SOURCE_COLUMNS:
    their quotes counted as the list's reader may see them)."""
    when = datetime_text()
    return [_source(row, links, when) for row in rows]


def source_detail(source, links, viewer):
    """SourceDetailSerializer's representation of `source` (a row with SOURCE_COLUMNS, and "text" if
    asked for): the list's, with the quotes `viewer` may see."""
    detail = _source(source, links, datetime_text())
    detail["quotes"] = [
        {
            "id": quote["id"],
            "href": links("api:quote-detail", quote["id"]),
            "speaker": speaker_ref(quote, links, "speaker__"),
            "kind": quote["kind"],
            "text": quote["text"],
            "start": quote["start"],
            "end": quote["end"],
        }
        for quote in _source_quotes(viewer, source_id=source["id"])
    ]
    return detail


def _source(row, links, when):
    """SourceSerializer's representation of `row`; with the archived text where the row has it (a
    detail read with `?include=text`), in the serializer's place for it."""
    slug = row["slug"]
    source = {
        "id": row["id"],
        "href": links("api:source-detail", slug, "slug"),
        "slug": slug,
        "title": row["title"],
        "kind": row["kind"],
        "publisher": row["publisher"],
        "author": row["author"],
        "url": row["url"],
        "language": row["language"],
        "published_on": _date(row["published_on"]),
        "published_precision": row["published_precision"],
        "published": format_partial_date(row["published_on"], row["published_precision"]),
        "is_archived": bool(row["sha256"]),
        "sha256": row["sha256"],
        "note": row["note"],
        "quote_count": row["quote_count"],
    }
    if "text" in row:
        source["text"] = row["text"]
    source["created_at"] = when(row["created_at"])
    source["updated_at"] = when(row["updated_at"])
    source["version"] = row["version"]
    return source


# Review pages ----------------------------------------------------------------------------------

REVIEW_COLUMNS = [
    "id",
    *_fields("claim__", CLAIM_REF),
    *["status", "rating", "rating_label", "rationale", "reviewer__username", "published_at"],
    *["publisher_name", "publisher_url", "url", *_VERSIONED],
]
_review_page_rows = CompiledRows(
    Review, lambda viewer, keys: Review.objects.filter(pk__in=keys).values(*REVIEW_COLUMNS)
)
review_row = CompiledRows(
    Review, lambda viewer, review_id: Review.objects.visible_to(viewer).filter(pk=review_id).values(*REVIEW_COLUMNS)
)
# The evidence in the order the serializer's prefetches read it: the models' own orderings.
_review_sources = CompiledRows(
    Source,
    lambda viewer, review_ids: Source.objects.filter(cited_by_reviews__in=review_ids).values(
        "cited_by_reviews", *SOURCE_REF
    ),
)
_review_quotes = CompiledRows(
    Quote,
    lambda viewer, review_ids: (
        Quote.objects.visible_to(viewer)
        .filter(cited_by_reviews__in=review_ids)
        .values("cited_by_reviews", "id", "text")
    ),
)


def reviews(keys, links, viewer):
    """ReviewSerializer's representation of the reviews with primary keys `keys`, in that order, citing
    the quotes `viewer` may see."""
    keys = list(keys)
    rows = {row["id"]: row for row in _review_page_rows(None, keys=keys)}
    sources, quotes = _cited_evidence(keys, links, viewer)
    when = datetime_text()
    return [_review(rows[key], links, sources[key], quotes[key], when) for key in keys]


def review_detail(review, links, viewer):
    """ReviewSerializer's representation of `review` (a row with REVIEW_COLUMNS), citing the quotes
    `viewer` may see."""
    sources, quotes = _cited_evidence([review["id"]], links, viewer)
    return _review(review, links, sources[review["id"]], quotes[review["id"]], datetime_text())


def _cited_evidence(review_ids, links, viewer):
    """({review id: the sources it cites}, {review id: the quotes it cites that `viewer` may see}), as references."""
    sources, quotes = defaultdict(list), defaultdict(list)
    for source in _review_sources(None, review_ids=review_ids):
        sources[source["cited_by_reviews"]].append(source_ref(source, links, ""))
    for quote in _review_quotes(viewer, review_ids=review_ids):
        quotes[quote["cited_by_reviews"]].append(quote_ref(quote, links, ""))
    return sources, quotes


def _review(row, links, sources, quotes, when):
    publisher_name, publisher_url = publisher(row["publisher_name"], row["publisher_url"])
    return {
        "id": row["id"],
        "href": links("api:review-detail", row["id"]),
        "claim": claim_ref(row, links, "claim__"),
        "status": row["status"],
        "rating": row["rating"],
        "rating_label": scale_label(row["rating_label"], row["rating"]),
        "rationale": row["rationale"],
        "evidence_sources": sources,
        "evidence_quotes": quotes,
        "reviewer": row["reviewer__username"],
        "published_at": when(row["published_at"]),
        "publisher_name": publisher_name,
        "publisher_url": publisher_url,
        "url": row["url"],
        "created_at": when(row["created_at"]),
        "updated_at": when(row["updated_at"]),
        "version": row["version"],
    }
