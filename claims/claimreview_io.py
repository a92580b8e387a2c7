"""Published reviews to schema.org ClaimReview JSON-LD and back, through `claims.claimreview`.

Export reads the record (claim, the speakers and sources of the quotes that assert it, the verdict);
import writes it: claims, claimants as speakers, appearances as referenced-only sources, reviews —
keyed so that importing the same feed twice changes nothing.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import slugify

from . import claimreview
from .models import Attribution, Claim, DatePrecision, Quote, Review, Source, Speaker

IMPORT_NOTE = "Imported from a ClaimReview feed: the claim as the fact-checker worded it."


# Out --------------------------------------------------------------------------------------------


def our_publisher():
    return {"name": settings.CLAIMREVIEW_PUBLISHER["name"], "url": settings.CLAIMREVIEW_PUBLISHER["url"]}


def review_url(review):
    """An imported review keeps its address; ours is named by its claim's slug and publication time."""
    if review.url:
        return review.url
    base = our_publisher()["url"].rstrip("/")
    return f"{base}/claims/{review.claim.slug}/#review-{review.published_at:%Y%m%dT%H%M%SZ}"


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


def claim_review_for(review):
    """The ClaimReview JSON-LD of one published review (prefetch with `published_reviews()`)."""
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
        citations=[_work(source) for source in sorted(review.evidence_sources.all(), key=_sort_key)],
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
        .order_by("published_at", "pk")
    )
    return reviews.filter(claim=claim) if claim is not None else reviews


def export_feed():
    return claimreview.data_feed(
        [claim_review_for(review) for review in published_reviews()], publisher=our_publisher()
    )


# In ---------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list = field(default_factory=list)  # (index, reason)
    warnings: list = field(default_factory=list)  # (index, warning)
    speakers_created: int = 0
    sources_created: int = 0
    claims_created: int = 0

    def summary(self):
        return (
            f"{self.created} reviews created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped; {self.claims_created} claims, {self.speakers_created} speakers and "
            f"{self.sources_created} sources created"
        )


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


def _key(parsed):
    if parsed.url:
        return parsed.url
    digest = hashlib.sha256(
        "\n".join(
            [parsed.claim_text, parsed.publisher.name if parsed.publisher else "", parsed.date_published]
        ).encode()
    ).hexdigest()[:16]
    return f"urn:claimreview:{digest}"


class Importer:
    """Writes parsed ClaimReviews; caches speakers, sources and publishers by their folded keys."""

    def __init__(self, report):
        self.report = report
        self.index = None
        self.publishers = {}
        for name, url in Review.objects.exclude(publisher_name="").values_list("publisher_name", "publisher_url"):
            self.publishers.setdefault(claimreview.publisher_key(name), (name, url))

    def publisher(self, party):
        if party is None:
            return "", ""
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
        kind = Speaker.Kind.PERSON if party.is_person else Speaker.Kind.ORGANISATION
        self.report.speakers_created += 1
        return Speaker.objects.create(
            name=party.name[:200], slug=_unique_slug(Speaker, party.name), kind=kind, wikidata_id=party.wikidata_id
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
                (self.index, f"{speaker} not linked to archived source {source.title!r}: quote it there by hand")
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

    def attribute_all(self, claim, parsed, key, publisher_name):
        """Each claimant said it somewhere: in the appearances the feed names, else in the fact-check."""
        appearances = [self.source(work) for work in parsed.appearances]
        if not parsed.claimants:
            return
        if not appearances:
            fact_check = claimreview.Work(name=f"{publisher_name or 'Fact check'}: {parsed.claim_text}", url=key)
            appearances = [self.source(fact_check if key.startswith("http") else claimreview.Work(name=key))]
        speakers = [self.speaker(party) for party in parsed.claimants]
        for index in range(max(len(speakers), len(appearances))):
            self.attribute(claim, speakers[index % len(speakers)], appearances[index % len(appearances)], parsed)

    def write(self, parsed):
        """Create or update one review; returns "created", "updated" or "unchanged"."""
        key = _key(parsed)
        publisher_name, publisher_url = self.publisher(parsed.publisher)
        claim = self.claim(parsed.claim_text)
        review = Review.objects.filter(url=key).first()
        review_date, _ = _date(parsed.date_published)
        if review_date is not None:
            published_at = datetime.datetime.combine(review_date, datetime.time(), datetime.UTC)
        else:  # a published verdict needs a date: the day it reached us, kept on later imports
            published_at = review.published_at if review else datetime.datetime.now(datetime.UTC)
        self.attribute_all(claim, parsed, key, publisher_name)
        citations = [self.source(work) for work in parsed.citations]
        wanted = {
            "claim": claim,
            "rating": parsed.rating,
            "rating_label": parsed.rating_label,
            "rationale": parsed.review_body,
            "publisher_name": publisher_name,
            "publisher_url": publisher_url,
            "published_at": published_at,
            "status": Review.Status.PUBLISHED,
        }
        if review is None:
            review = Review.objects.create(url=key, **wanted)
            outcome = "created"
        elif all(getattr(review, name) == value for name, value in wanted.items()) and {
            source.pk for source in review.evidence_sources.all()
        } == {source.pk for source in citations}:
            return "unchanged"
        else:
            for name, value in wanted.items():
                setattr(review, name, value)
            review.save()
            outcome = "updated"
        review.evidence_sources.set(citations)
        if claim.review_status != Claim.ReviewStatus.REVIEWED:
            claim.review_status = Claim.ReviewStatus.REVIEWED
            claim.save()
        return outcome


def import_feed(data):
    """Import every ClaimReview in `data` (parsed JSON); each record is its own transaction."""
    report = ImportReport()
    importer = Importer(report)
    for index, node in enumerate(claimreview.records(data)):
        try:
            parsed = claimreview.parse_claim_review(node)
        except claimreview.Skip as reason:
            report.skipped.append((index, str(reason)))
            continue
        report.warnings.extend((index, warning) for warning in parsed.warnings)
        importer.index = index
        try:
            with transaction.atomic():
                outcome = importer.write(parsed)
        except Exception as error:  # noqa: BLE001 — one bad record must not stop a feed; it is reported
            report.skipped.append((index, f"could not be written: {error}"))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report
