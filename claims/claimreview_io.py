"""Published reviews to schema.org ClaimReview JSON-LD and back, through `claims.claimreview`.

Export reads the record (claim, the speakers and sources of the quotes that assert it, the verdict);
import writes it: claims, claimants as speakers, appearances as referenced-only sources, reviews —
keyed so that importing the same feed twice changes nothing.
"""

import datetime
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils.text import slugify

from . import claimreview, claimreview_feeds
from .models import Attribution, Claim, DatePrecision, Quote, Review, Source, Speaker, Status
from .validators import find_control_character, validate_http_url, validate_not_in_future

IMPORT_NOTE = "Imported from a ClaimReview feed: the claim as the fact-checker worded it."


# Out --------------------------------------------------------------------------------------------


def our_publisher():
    return {"name": settings.CLAIMREVIEW_PUBLISHER["name"], "url": settings.CLAIMREVIEW_PUBLISHER["url"]}


def review_url(review):
    """An imported review keeps its address (none when its feed gave none); ours is its place on the
    claim's public page (claims/site)."""
    if review.url or review.publisher_name:
        return review.url
    return f"{settings.SITE_URL}{review.claim.get_absolute_url()}#review-{review.pk}"


def _work(source):
    return claimreview.creative_work(
        name=source.title, url=source.url, date_published=source.published, publisher=source.publisher
    )


def _sort_key(source):
    return (source.published_on or datetime.date.min, source.url, source.title)


def _published_attributions(claim):
    # A publication names published quotes and speakers only, whoever asks: a draft is a curator's
    # proposal, not part of the record (published_reviews() prefetches these).
    if hasattr(claim, "published_attributions"):
        return claim.published_attributions
    return list(Attribution.objects.published().filter(claim=claim).select_related("quote__speaker", "quote__source"))


def claim_review_for(review, evidence_sources=None):
    """The ClaimReview JSON-LD of one published review (prefetch with `published_reviews()`).

    `evidence_sources`: the sources the review cites, when read elsewhere (the claim page reads them,
    and the claim's published attributions, with its compiled statements), else its prefetched ones.
    """
    claim = review.claim
    quotes = [attribution.quote for attribution in _published_attributions(claim) if attribution.stance == "asserts"]
    speakers = sorted({quote.speaker for quote in quotes}, key=lambda speaker: (speaker.name, speaker.pk))
    url = review_url(review)
    # The fact-check itself prints the claim (imported claims are anchored there) but is no appearance.
    sources = sorted({quote.source for quote in quotes if quote.source.url != url}, key=_sort_key)
    dates = sorted(
        (quote.said_on, quote.said) if quote.said_on else (quote.source.published_on, quote.source.published)
        for quote in quotes
        if quote.said_on or quote.source.published_on
    )
    publisher = (
        {"name": review.publisher_name, "url": review.publisher_url} if review.publisher_name else our_publisher()
    )
    return claimreview.claim_review(
        claim_text=claim.text,
        url=url,
        date_published=review.published_at.date().isoformat() if review.published_at else "",
        publisher=publisher,
        rating=review.rating,
        rating_label=review.rating_label,
        claimants=[
            claimreview.person_or_organisation(
                name=speaker.name, is_person=speaker.kind == Speaker.Kind.PERSON, wikidata_id=speaker.wikidata_id
            )
            for speaker in speakers
        ],
        claim_date=dates[0][1] if dates else "",
        appearances=[_work(source) for source in sources],
        review_body=review.rationale,
        citations=[
            _work(source)
            for source in sorted(
                review.evidence_sources.all() if evidence_sources is None else evidence_sources, key=_sort_key
            )
        ],
        sd_license=review.sd_license,
    )


def published_reviews(claim=None):
    reviews = (
        Review.objects.published()
        .select_related("claim")
        .prefetch_related(
            "evidence_sources",
            Prefetch(
                "claim__attributions",
                queryset=Attribution.objects.published().select_related("quote__speaker", "quote__source"),
                to_attr="published_attributions",
            ),
        )
        .order_by(F("published_at").asc(nulls_last=True), "pk")  # undated imports last, on every database
    )
    return reviews.filter(claim=claim) if claim is not None else reviews


def export_feed():
    return claimreview.data_feed(
        [claim_review_for(review) for review in published_reviews()], publisher=our_publisher()
    )


# In ---------------------------------------------------------------------------------------------

# The @type a feed gives a claimant, as the speaker kind it says; any other type (Organization, NGO,
# none at all) is an organisation. A proposal only: new claimants arrive as drafts for a curator.
SPEAKER_KINDS = {
    "Person": Speaker.Kind.PERSON,
    "GovernmentOrganization": Speaker.Kind.GOVERNMENT,
    "NewsMediaOrganization": Speaker.Kind.MEDIA,
}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list = field(default_factory=list)  # (where, reason)
    warnings: list = field(default_factory=list)  # (where, warning)
    unmapped: Counter = field(default_factory=Counter)  # publisher's rating label → reviews imported with it
    speakers_created: int = 0
    sources_created: int = 0
    claims_created: int = 0

    def summary(self):
        lines = [
            f"{self.created} reviews created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped; {self.claims_created} claims, {self.speakers_created} speakers "
            f"(drafts, for a curator to approve) and {self.sources_created} sources created"
        ]
        if self.unmapped:
            labels = ", ".join(f"{label!r} ({count})" for label, count in sorted(self.unmapped.items()))
            lines.append(
                f"Ratings not on the scale, kept as the publisher's wording (claims not marked reviewed): {labels}. "
                "Map them in CLAIMREVIEW_RATING_LABELS to read them as verdicts."
            )
        return "\n".join(lines)


def _date(partial):
    """(date, precision) from "2025-11-04", "2025-11" or "2025"."""
    if not partial:
        return None, ""
    parts = [int(part) for part in partial.split("-")]
    precision = [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY][len(parts) - 1]
    try:
        return datetime.date(*(parts + [1] * (3 - len(parts)))), precision
    except ValueError:
        return None, ""


def _unique_slug(model, text, max_length=80):
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
    return slug


def import_key(claim_text, publisher_name, published_on):
    """What finds a review whose feed gives no URL again on the next import: its claim, its publisher
    (however spelled) and its date (a date, or None). The migration that added it derives the same
    key from reviews already stored."""
    day = published_on.isoformat() if published_on else ""
    text = "\n".join([claim_text, claimreview.publisher_key(publisher_name), day])
    return f"urn:claimreview:{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def _has_scheme(value):
    return bool(re.match(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:", value))


def refusal(parsed):
    """Why a parsed record must not be stored (a script for an address, a control character, a date
    that has not happened yet), naming the field; None when it may be."""
    addresses = [("url", parsed.url), ("author.url", parsed.publisher.url)]
    if _has_scheme(parsed.sd_license):  # a licence named in words is no address
        addresses.append(("sdLicense", parsed.sd_license))
    addresses += [(f"claimant {party.name!r} url", party.url) for party in parsed.claimants]
    addresses += [(f"appearance {work.name or work.url!r} url", work.url) for work in parsed.appearances]
    addresses += [(f"citation {work.name or work.url!r} url", work.url) for work in parsed.citations]
    for name, value in addresses:
        try:
            validate_http_url(value)
        except ValidationError:
            return f"{name} {value[:80]!r} is not an http(s) address"
    texts = [
        ("claimReviewed", parsed.claim_text),
        ("reviewRating", parsed.rating_label),
        ("reviewBody", parsed.review_body),
        ("author.name", parsed.publisher.name),
        ("sdLicense", parsed.sd_license),
    ]
    texts += [("claimant name", party.name) for party in parsed.claimants]
    texts += [("appearance", f"{work.name} {work.publisher}") for work in parsed.appearances + parsed.citations]
    for name, value in texts:
        found = find_control_character(value)
        if found is not None:
            return f"{name} holds a control character (U+{ord(found[1]):04X} at position {found[0]})"
    dates = [("datePublished", parsed.date_published), ("itemReviewed.datePublished", parsed.claim_date)]
    dates += [("appearance datePublished", work.date) for work in parsed.appearances + parsed.citations]
    for name, value in dates:
        day, _ = _date(value)
        try:
            validate_not_in_future(day)
        except ValidationError:
            return f"{name} {value} is in the future"
    return None


class Importer:
    """Writes parsed ClaimReviews; caches speakers, sources and publishers by their folded keys."""

    def __init__(self, report):
        self.report = report
        self.where = None
        self.publishers = {}
        for name, url in Review.objects.exclude(publisher_name="").values_list("publisher_name", "publisher_url"):
            self.publishers.setdefault(claimreview.publisher_key(name), (name, url))

    def publisher(self, party):
        key = claimreview.publisher_key(party.name)
        return self.publishers.setdefault(key, (party.name, party.url))

    def speaker(self, party):
        folded = claimreview.fold(party.name)
        if party.wikidata_id:
            found = Speaker.objects.filter(wikidata_id=party.wikidata_id).first()
            if found:
                return found
        for candidate in Speaker.objects.matching(party.name):
            if claimreview.fold(candidate.name) == folded or any(
                alias.folded_name == folded for alias in candidate.aliases.all()
            ):
                return candidate
        # A new claimant is the feed's proposal: typed as the feed types it, hidden until a curator
        # approves it and settles its kind (feeds type Donald Trump as an Organization).
        kind = SPEAKER_KINDS.get(party.schema_type, Speaker.Kind.ORGANISATION)
        self.report.speakers_created += 1
        self.report.warnings.append(
            (
                self.where,
                f"new speaker {party.name!r} ({f'typed {party.schema_type}' if party.schema_type else 'untyped'} "
                "in the feed) proposed as a draft for a curator",
            )
        )
        return Speaker.objects.create(
            name=party.name[:200],
            slug=_unique_slug(Speaker, party.name),
            kind=kind,
            wikidata_id=party.wikidata_id,
            status=Status.DRAFT,
        )

    def source(self, work, *, kind=Source.Kind.OTHER):
        existing = Source.objects.filter(url=work.url).first() if work.url else None
        if existing is None and not work.url:
            existing = Source.objects.filter(url="", title=work.name, text="").first()
        if existing:
            return existing
        published_on, precision = _date(work.date)
        self.report.sources_created += 1
        title = work.name or work.url
        return Source.objects.create(
            title=title[:500],
            slug=_unique_slug(Source, title),
            kind=kind,
            url=work.url,
            publisher=work.publisher[:200],
            published_on=published_on,
            published_precision=precision,
        )

    def claim(self, text):
        found = Claim.objects.filter(text=text).order_by("pk").first()
        if found:
            return found
        self.report.claims_created += 1
        return Claim.objects.create(text=text[:1000], slug=_unique_slug(Claim, text))

    def attribute(self, claim, speaker, source, parsed):
        if Attribution.objects.filter(claim=claim, quote__speaker=speaker, quote__source=source).exists():
            return
        if source.is_archived:
            # An archive holds exact words at exact offsets; the fact-checker's wording is not among them.
            self.report.warnings.append(
                (self.where, f"{speaker} not linked to archived source {source.title!r}: quote it there by hand")
            )
            return
        said_on, precision = _date(parsed.claim_date)
        quote = Quote.objects.create(
            speaker=speaker,
            source=source,
            text=parsed.claim_text,
            kind=Quote.Kind.PARAPHRASE,
            said_on=said_on,
            said_precision=precision,
            note=IMPORT_NOTE,
        )
        Attribution.objects.create(claim=claim, quote=quote)

    def attribute_all(self, claim, parsed, publisher_name):
        """Each claimant said it somewhere: in the appearances the feed names, else in the fact-check."""
        appearances = [self.source(work) for work in parsed.appearances]
        if not parsed.claimants:
            return
        if not appearances:
            appearances = [self.source(claimreview.Work(name=f"{publisher_name}: {parsed.claim_text}", url=parsed.url))]
        speakers = [self.speaker(party) for party in parsed.claimants]
        for index in range(max(len(speakers), len(appearances))):
            self.attribute(claim, speakers[index % len(speakers)], appearances[index % len(appearances)], parsed)

    def write(self, parsed):
        """Create or update one review; returns "created", "updated" or "unchanged"."""
        review_date, _ = _date(parsed.date_published)
        key = "" if parsed.url else import_key(parsed.claim_text, parsed.publisher.name, review_date)
        publisher_name, publisher_url = self.publisher(parsed.publisher)
        claim = self.claim(parsed.claim_text)
        found = Review.objects.filter(url=parsed.url) if parsed.url else Review.objects.filter(import_key=key)
        review = found.first()
        # A feed that gives no date gets none: the import is not the fact-check's publication.
        published_at = datetime.datetime.combine(review_date, datetime.time(), datetime.UTC) if review_date else None
        self.attribute_all(claim, parsed, publisher_name)
        citations = [self.source(work) for work in parsed.citations]
        wanted = {
            "claim": claim,
            "rating": parsed.rating,
            "rating_label": parsed.rating_label,
            "rationale": parsed.review_body,
            "publisher_name": publisher_name,
            "publisher_url": publisher_url,
            "published_at": published_at,
            "sd_license": parsed.sd_license,
            "status": Review.Status.PUBLISHED,
        }
        if review is None:
            review = Review.objects.create(url=parsed.url, import_key=key, **wanted)
            outcome = "created"
        elif all(getattr(review, name) == value for name, value in wanted.items()) and {
            source.pk for source in review.evidence_sources.all()
        } == {source.pk for source in citations}:
            return "unchanged"
        else:
            moved_from = review.claim if review.claim_id != claim.pk else None
            for name, value in wanted.items():
                setattr(review, name, value)
            review.save()
            outcome = "updated"
            if moved_from is not None:
                _settle_review_status(moved_from)
        review.evidence_sources.set(citations)
        _settle_review_status(claim)
        return outcome


def _settle_review_status(claim):
    """Reviewed once a published verdict on the scale stands; a publisher's label that maps onto nothing
    is kept with its review but is no verdict here, so it leaves the claim as it was (or, if an import
    had marked it reviewed, unreviewed again)."""
    rated = Review.objects.verdicts().filter(claim=claim).exists()
    if rated and claim.review_status != Claim.ReviewStatus.REVIEWED:
        claim.review_status = Claim.ReviewStatus.REVIEWED
        claim.save()
    elif not rated and claim.review_status == Claim.ReviewStatus.REVIEWED:
        claim.review_status = Claim.ReviewStatus.UNREVIEWED
        claim.save()


def rating_words():
    """The verdict words an import reads: the built-in ones and the deployment's CLAIMREVIEW_RATING_LABELS."""
    try:
        return claimreview.rating_table(settings.CLAIMREVIEW_RATING_LABELS)
    except ValueError as error:
        raise ImproperlyConfigured(f"CLAIMREVIEW_RATING_LABELS: {error}") from error


def import_records(records):
    """Import ClaimReview Records (claimreview_feeds); each record is its own transaction."""
    report = ImportReport()
    importer = Importer(report)
    words = rating_words()
    for record in records:
        if record.error:
            report.skipped.append((record.where, record.error))
            continue
        try:
            parsed = claimreview.parse_claim_review(record.node, words)
        except claimreview.Skip as reason:
            report.skipped.append((record.where, str(reason)))
            continue
        reason = refusal(parsed)
        if reason is not None:
            report.skipped.append((record.where, f"refused: {reason}"))
            continue
        report.warnings.extend((record.where, warning) for warning in parsed.warnings)
        importer.where = record.where
        try:
            with transaction.atomic():
                outcome = importer.write(parsed)
        except Exception as error:  # noqa: BLE001 — one bad record must not stop a feed; it is reported
            report.skipped.append((record.where, f"could not be written: {error}"))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
        if not parsed.rating:
            report.unmapped[parsed.rating_label] += 1
    return report


def import_feed(data):
    """Import every ClaimReview in `data` (parsed JSON: an array, a DataFeed, a Fact Check Tools response…)."""
    return import_records(claimreview_feeds.records(data))


def import_file(raw):
    """Import a feed file's bytes (JSON, DataCommons script lines, gzipped or not); FeedError if unreadable."""
    return import_records(claimreview_feeds.read_feed(raw))
