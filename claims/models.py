"""The record: speakers, sources, quotes, claims, the links between them, and reviews.

Each model carries its own invariants: field validators and `clean()` for what a person should be
told, `Meta.constraints` for what the database must never hold whatever code writes it.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from simple_history.models import HistoricalRecords

from . import anchoring
from .querysets import (
    ROLE_ORDER,
    AttributionQuerySet,
    ClaimQuerySet,
    ClaimRelationQuerySet,
    QuoteQuerySet,
    ReviewQuerySet,
    RoleQuerySet,
    SlugKeyedQuerySet,
    SourceQuerySet,
    SpeakerQuerySet,
)
from .text import search_document
from .validators import validate_http_url, validate_no_control_characters, validate_not_in_future


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Status(models.TextChoices):
    """Curation status: drafts come from the importer and stay hidden until approved."""

    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


def validate_date_precision(date_value, precision, field, precision_field):
    """A date given to the month or year is stored on the 1st: anything else is invented."""
    errors = {}
    if date_value is None:
        if precision:
            errors[precision_field] = ValidationError("A precision needs a date.", code="precision_without_date")
        return errors
    if not precision:
        errors[precision_field] = ValidationError(
            "Say how precise the date is (day, month or year).", code="precision_required"
        )
    elif precision == DatePrecision.MONTH and date_value.day != 1:
        errors[field] = ValidationError(
            "A date known only to the month is stored as the 1st of that month.",
            code="month_precision_day",
        )
    elif precision == DatePrecision.YEAR and (date_value.month, date_value.day) != (1, 1):
        errors[field] = ValidationError(
            "A date known only to the year is stored as 1 January.", code="year_precision_day"
        )
    return errors


def format_partial_date(date_value, precision):
    if date_value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{date_value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{date_value.year:04d}-{date_value.month:02d}"
    return date_value.isoformat()


class RecordConflict(ValidationError):
    """Refused for what the record already says, not for the input: a published verdict changes, and
    the claim wording it judges changes, only by reopening the review. The API answers 409 with a link
    to reopen (`claim`); forms show it beside the field, as any other ValidationError."""

    def __init__(self, message, code=None, *, claim=None):
        super().__init__(message, code=code)
        self.claim = claim


def frozen_message(claim_id, what):
    """Why `what` (of claim `claim_id`) may not change while a published verdict stands, and the way out."""
    return (
        f"A published verdict judges {what}: it is frozen while the verdict stands. Reopen the review first "
        f"(the claim's review page, or POST /api/claims/{claim_id}/reopen/), then change it."
    )


def judged_claim(claim_ids):
    """The first of `claim_ids` that a published verdict judges (its wording and evidence are frozen), or None."""
    wanted = [pk for pk in claim_ids if pk is not None]
    if not wanted:
        return None
    return (
        Review.objects.published().filter(claim_id__in=wanted).order_by("claim_id").values_list("claim_id", flat=True)
    ).first()


class Versioned(models.Model):
    """Creation and change times, and a version number that every save increments.

    The version is the optimistic-concurrency token: an edit based on version N is refused
    once somebody else has saved version N+1 (API ETags, the admin's version check).
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)


class Speaker(Versioned):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        GOVERNMENT = "government", "Government"
        MINISTRY = "ministry", "Ministry or agency"
        ARMED_FORCES = "armed_forces", "Armed forces"
        ARMED_GROUP = "armed_group", "Armed group"
        MEDIA = "media", "Media outlet"
        INTERNATIONAL_BODY = "international_body", "International body"
        THINK_TANK = "think_tank", "Think tank"
        PROTESTERS = "protesters", "Protesters"
        ORGANISATION = "organisation", "Other organisation"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, db_index=True)
    description = models.TextField(blank=True, max_length=2000)
    wikidata_id = models.CharField(
        "Wikidata id",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id is Q followed by digits.", "invalid_wikidata_id")],
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED, db_index=True)
    search_document = models.TextField(blank=True, editable=False)

    objects = SpeakerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"),
                name="speaker_wikidata_id_format",
            ),
        ]
        indexes = [
            # Readers who may not see drafts are kept from quotes by the few speakers not approved
            # (QuoteQuerySet.hide_drafts_from): this finds them without reading every speaker.
            models.Index(fields=["id"], condition=~Q(status="approved"), name="speaker_not_approved_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("site:speaker", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def build_search_document(self, alias_names=None):
        if alias_names is None:
            alias_names = list(self.aliases.values_list("name", flat=True)) if self.pk else []
        return search_document(self.name, *alias_names)

    def refresh_search_document(self):
        """Aliases are searched with the name: re-fold them after an alias changes."""
        document = self.build_search_document()
        Speaker.objects.filter(pk=self.pk).update(search_document=document)
        self.search_document = document


class SpeakerAlias(models.Model):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    note = models.CharField(max_length=200, blank=True)
    folded_name = models.CharField(max_length=200, editable=False, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "speaker aliases"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["speaker", "name"], name="speakeralias_unique_per_speaker"),
        ]

    def __str__(self):
        return self.name


class Role(models.Model):
    """A title a speaker held, over the dates it was held (open-ended when unknown)."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    end_date = models.DateField(null=True, blank=True)
    end_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = RoleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["speaker", *ROLE_ORDER]  # a speaker's roles as RoleQuerySet.in_order() gives them
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="role_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.title}, {self.organisation}" if self.organisation else self.title

    def clean(self):
        errors = validate_date_precision(self.start_date, self.start_precision, "start_date", "start_precision")
        errors |= validate_date_precision(self.end_date, self.end_precision, "end_date", "end_precision")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ValidationError("A role cannot end before it starts.", code="end_before_start")
        if errors:
            raise ValidationError(errors)


class Source(Versioned):
    """A document: archived (its full text held here, with a checksum) or referenced only."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        INTERVIEW = "interview", "Interview"
        PRESS_CONFERENCE = "press_conference", "Press conference"
        COMMUNIQUE = "communique", "Communiqué"
        TRAVEL_ADVISORY = "travel_advisory", "Travel advisory"
        BROADCAST = "broadcast", "Radio or TV broadcast"
        REPORT = "report", "Report"
        HEADLINE = "headline", "Headline"
        LETTER = "letter", "Letter"
        NOTICE = "notice", "Official notice"
        SOCIAL_MEDIA = "social_media", "Social media post"
        DEMONSTRATION = "demonstration", "Demonstration"
        OTHER = "other", "Other"

    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, db_index=True)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=1000, blank=True)
    language = models.CharField(max_length=16, default="en")
    published_on = models.DateField(null=True, blank=True, db_index=True)
    published_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    text = models.TextField(blank=True, help_text="The full archived text; empty for a source only referenced.")
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, editable=False, db_index=True)
    note = models.TextField(blank=True, max_length=2000)

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(text="") & Q(sha256="")) | (~Q(text="") & Q(sha256__regex=r"^[0-9a-f]{64}$")),
                name="source_checksum_matches_archive",
            ),
            models.CheckConstraint(condition=Q(url="") | Q(url__iregex=r"^https?://"), name="source_url_http"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("site:source", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    @property
    def is_archived(self):
        return bool(self.text)

    @property
    def published(self):
        return format_partial_date(self.published_on, self.published_precision)

    @staticmethod
    def checksum(text):
        return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""

    def clean(self):
        errors = validate_date_precision(
            self.published_on, self.published_precision, "published_on", "published_precision"
        )
        if self.pk and self.text != self._stored_text() and self.quotes.filter(start__isnull=False).exists():
            errors["text"] = ValidationError(
                "The archived text cannot change while quotes are anchored in it.", code="archive_in_use"
            )
        if errors:
            raise ValidationError(errors)

    def _stored_text(self):
        return Source.objects.filter(pk=self.pk).values_list("text", flat=True).first()


# Quote's columns derived from its source around it (anchoring.kept_context()), in that function's order.
KEPT_CONTEXT_FIELDS = ("context_prefix", "context_suffix", "context_fingerprint")


class Quote(Versioned):
    """One statement by one speaker, exactly as printed in a source and anchored there."""

    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct quotation"
        PARAPHRASE = "paraphrase", "Paraphrase"
        HEADLINE = "headline", "Headline"
        SLOGAN = "slogan", "Slogan"
        COMMUNIQUE = "communique", "Communiqué"

    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="quotes")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="quotes")
    text = models.TextField(max_length=10000)
    start = models.PositiveIntegerField(null=True, blank=True, help_text="Left empty, it is found in the source.")
    end = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DIRECT, db_index=True)
    said_venue = models.CharField("where it was said", max_length=300, blank=True)
    said_on = models.DateField("when it was said", null=True, blank=True, db_index=True)
    said_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    origin = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="originated_quotes",
        help_text="The referenced-only source where the words were first said (interview, communiqué…).",
    )
    language = models.CharField(max_length=16, default="en")
    is_translation = models.BooleanField(default=False, help_text="The printed text translates the original words.")
    has_editorial_marks = models.BooleanField(default=False, editable=False)
    is_truncated = models.BooleanField(
        "cut off by the end of the text",
        default=False,
        editable=False,
        help_text="The archived text ends before the quotation's closing mark: the words may go on beyond it.",
    )
    note = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED, db_index=True)
    extraction_confidence = models.FloatField(null=True, blank=True, editable=False)
    extraction_cue = models.CharField(max_length=300, blank=True, editable=False)
    search_document = models.TextField(blank=True, editable=False)
    # The selector's prefix and suffix, kept so that reads need not cut them out of the source, and
    # what they were cut for: see anchoring.kept_context(). Derived, so kept out of the history.
    context_prefix = models.CharField(max_length=anchoring.CONTEXT_WIDTH, blank=True, editable=False)
    context_suffix = models.CharField(max_length=anchoring.CONTEXT_WIDTH, blank=True, editable=False)
    context_fingerprint = models.CharField(max_length=32, blank=True, editable=False)

    objects = QuoteQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=list(KEPT_CONTEXT_FIELDS))

    class Meta:
        ordering = ["source", "start", "pk"]
        indexes = [
            models.Index(fields=["created_at", "id"]),  # the API's cursor pages, newest first
            models.Index(fields=["speaker", "said_on"]),
            models.Index(fields=["source", "start"]),
            # A speaker's published quotes, counted for readers (SpeakerQuerySet.with_counts) from the index alone.
            models.Index(
                fields=["speaker", "id"], condition=Q(status="approved"), name="quote_approved_by_speaker_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True)
                | Q(start__isnull=False, end__isnull=False, start__gte=0, end__gt=F("start")),
                name="quote_offsets_valid",
            ),
            models.UniqueConstraint(
                fields=["source", "start", "end"],
                condition=Q(start__isnull=False),
                name="quote_unique_span_per_source",
            ),
        ]

    def __str__(self):
        excerpt = self.text if len(self.text) <= 80 else self.text[:77] + "…"
        return f"{self.speaker}: “{excerpt}”"

    def save(self, *args, **kwargs):
        if self.source_id and self.text and (self.start is None or self.end is None):
            self.anchor()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The quote where it is printed: highlighted in its source's page."""
        return f"{reverse('site:source', args=[self.source.slug])}#quote-{self.pk}"

    @property
    def is_anchored(self):
        return self.start is not None

    @property
    def said(self):
        return format_partial_date(self.said_on, self.said_precision)

    def context(self, width=anchoring.CONTEXT_WIDTH):
        if not self.is_anchored:
            return None
        return anchoring.context(self.source.text, self.start, self.end, width)

    def clean(self):
        errors = validate_date_precision(self.said_on, self.said_precision, "said_on", "said_precision")
        if self.origin_id and self.origin_id == self.source_id:
            errors["origin"] = ValidationError(
                "The origin is the earlier venue the words come from, not the source they are printed in.",
                code="origin_is_source",
            )
        if self.text and self.source_id and "text" not in errors:
            try:
                self.anchor()
            except anchoring.AnchoringError as error:
                field = "start" if isinstance(error, (anchoring.OffsetMismatch, anchoring.InvalidOffsets)) else "text"
                errors[field] = ValidationError(str(error), code=error.code)
        if errors:
            raise ValidationError(errors)
        self.check_evidence_open()

    # What a published verdict publishes of a quote attributed to its claim (Attribution.EVIDENCE_FIELDS):
    # whether readers see it, who said it, where, when, and the words.
    EVIDENCE_FIELDS = ("status", "speaker", "source", "text", "said_on", "said_precision")

    def check_evidence_open(self):
        """Refuse a change of a published quote (or the approval of a draft one, or the withdrawal of a
        published one) that carries a claim a published verdict judges: reopen the review first.

        A draft quote no reader sees stays a draft's to edit (reassigned, corrected) under the verdict.
        """
        if self.pk is None or self._state.adding:
            return
        columns = [f"{field}_id" if field in ("speaker", "source") else field for field in self.EVIDENCE_FIELDS]
        stored = Quote.objects.filter(pk=self.pk).values(*columns).first()
        if stored is None:
            return
        changed = [
            field
            for field, column in zip(self.EVIDENCE_FIELDS, columns, strict=True)
            if getattr(self, column) != stored[column]
        ]
        if not changed:
            return
        was_shown = Quote.objects.published().filter(pk=self.pk).exists()
        shown = (
            self.status == Status.APPROVED
            and Speaker.objects.filter(pk=self.speaker_id, status=Status.APPROVED).exists()
        )
        if not (was_shown or shown):
            return
        claim_id = judged_claim(self.attributions.values_list("claim_id", flat=True))
        if claim_id is None:
            return
        message = frozen_message(claim_id, f"claim {claim_id} as this quote, attributed to it, carries it")
        raise RecordConflict(
            {field: ValidationError(message, code="evidence_frozen") for field in changed}, claim=claim_id
        )

    def derive_fields(self):
        """The columns derived from the text and the offsets (a pre_save signal calls this; bulk
        writers call it themselves)."""
        self.has_editorial_marks = anchoring.has_editorial_marks(self.text)
        self.search_document = search_document(self.text)
        if self.is_anchored:
            source = self.source
            kept = anchoring.kept_context(source.text, source.sha256, self.start, self.end, self.text)
        else:
            kept = ("", "", "")
        self.context_prefix, self.context_suffix, self.context_fingerprint = kept

    def anchor(self):
        """Set the offsets from the source text, or raise AnchoringError.

        Quotes in referenced-only sources stay unanchored: there is no text to anchor in.
        """
        if not self.source.is_archived:
            self.start = self.end = None
            return
        found = anchoring.anchor(self.source.text, self.text, self.start, self.end)
        self.start, self.end = found.start, found.end


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    objects = SlugKeyedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Claim(Versioned):
    """A checkable proposition in neutral wording, carried by the quotes attributed to it."""

    class ReviewStatus(models.TextChoices):
        UNREVIEWED = "unreviewed", "Unreviewed"
        IN_REVIEW = "in_review", "In review"
        REVIEWED = "reviewed", "Reviewed"

    slug = models.SlugField(max_length=200, unique=True)
    text = models.TextField("claim", max_length=1000, help_text="Neutral wording of the proposition.")
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    note = models.TextField(blank=True, max_length=2000)
    review_status = models.CharField(
        max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.UNREVIEWED, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
        help_text="The reviewer working on this claim.",
    )
    search_document = models.TextField(blank=True, editable=False)
    is_disputed = models.BooleanField(
        default=False,
        editable=False,
        help_text="Derived from the relations: some claim disputes this one, or it disputes another.",
    )
    has_verdict = models.BooleanField(
        default=False,
        editable=False,
        help_text="Derived from the reviews: a published review rates this claim on the scale.",
    )

    # Written only by ClaimQuerySet.refresh_disputed() and refresh_verdicts(), from the rows they derive from.
    DERIVED_FLAGS = ("is_disputed", "has_verdict")

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics], excluded_fields=list(DERIVED_FLAGS))  # derived, not edited

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_at", "id"]),
            models.Index(fields=["review_status", "created_at"]),
            # The review queue, oldest first: a fifth of the claims, read without touching the rest.
            models.Index(fields=["created_at", "id"], condition=Q(is_disputed=True), name="claim_disputed_by_age_idx"),
            # The review queue itself (ClaimQuerySet.review_queue): its page and its count read only this index.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(is_disputed=True, has_verdict=False) & ~Q(review_status="reviewed"),
                name="claim_review_queue_idx",
            ),
        ]
        permissions = [("review_claim", "Can assign, publish and reopen reviews of claims")]

    def __str__(self):
        return self.text if len(self.text) <= 100 else self.text[:97] + "…"

    def save(self, *args, **kwargs):
        # The derived flags are written only by their refresh, from the rows as they stand: an edit of a
        # claim read before a dispute or a verdict was recorded must not write back the old flag.
        if not self._state.adding and kwargs.get("update_fields") is None:
            written = [field for field in self._meta.concrete_fields if not field.primary_key]
            kwargs["update_fields"] = [field.name for field in written if field.name not in self.DERIVED_FLAGS]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("site:claim", args=[self.slug])

    # What a published verdict publishes of its claim (claimreview_io.claim_review_for): the wording
    # (`claimReviewed`) and the claim's page, whose address carries the slug (the ClaimReview's `url`).
    WORDING_FIELDS = ("text", "slug")

    def clean(self):
        super().clean()
        self.check_wording_open()

    def check_wording_open(self, changes=None):
        """Refuse a new wording while a published verdict judges the stored one: reopen the review first.

        `changes` are the values a write is about to give (an API write); by default the instance's own.
        """
        if self.pk is None or self._state.adding:
            return
        stored = Claim.objects.filter(pk=self.pk).values(*self.WORDING_FIELDS).first()
        if stored is None:
            return
        wanted = {field: getattr(self, field) for field in self.WORDING_FIELDS}
        wanted |= {field: value for field, value in (changes or {}).items() if field in self.WORDING_FIELDS}
        changed = [field for field in self.WORDING_FIELDS if wanted[field] != stored[field]]
        if changed and self.reviews.published().exists():
            what = {"text": "wording", "slug": "address (slug)"}
            raise RecordConflict(
                {
                    field: ValidationError(
                        frozen_message(self.pk, f"this claim's {what[field]}"), code="wording_frozen"
                    )
                    for field in changed
                },
                claim=self.pk,
            )

    def natural_key(self):
        return (self.slug,)


class Attribution(Versioned):
    """Quote Q asserts, denies or questions claim C."""

    class Stance(models.TextChoices):
        ASSERTS = "asserts", "Asserts"
        DENIES = "denies", "Denies"
        # "Is Mali about to fall?": the quote raises the claim, or casts doubt on it, without stating
        # it either way. Only an asserting quote makes its speaker a claimant (ClaimReview export).
        QUESTIONS = "questions", "Questions"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="attributions")
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="attributions")
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.ASSERTS)
    note = models.TextField(blank=True, max_length=2000)

    objects = AttributionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "quote"], name="attribution_unique_claim_quote"),
        ]
        indexes = [
            models.Index(fields=["created_at", "id"]),  # the API's cursor pages, newest first
        ]

    def __str__(self):
        return f"{self.quote.speaker} {self.get_stance_display().lower()}: {self.claim}"

    # What a published verdict publishes of the attributions of its claim: who said it, where and when
    # (the ClaimReview's claimants, appearances and date; the verdict page's evidence). The note is a
    # curator's remark beside the evidence, like the claim's own note, and stays editable.
    EVIDENCE_FIELDS = ("claim", "quote", "stance")

    def clean(self):
        super().clean()
        self.check_evidence_open()

    def check_evidence_open(self, changes=None):
        """Refuse to add, move or change a published attribution of a claim that a published verdict
        judges: reopen the review first. `changes` are the values an API write is about to give.

        An attribution through a draft quote (or a draft speaker's) is a proposal no reader sees and no
        ClaimReview names: it may be added, edited or removed under the verdict, but not published into
        it (Quote.check_evidence_open refuses approving its quote).
        """
        wanted = {field: getattr(self, f"{field}_id" if field != "stance" else field) for field in self.EVIDENCE_FIELDS}
        for field, value in (changes or {}).items():
            if field in self.EVIDENCE_FIELDS:
                wanted[field] = value.pk if isinstance(value, models.Model) else value
        stored = None
        if self.pk is not None and not self._state.adding:
            stored = Attribution.objects.filter(pk=self.pk).values("claim_id", "quote_id", "stance").first()
            stored = stored and {"claim": stored["claim_id"], "quote": stored["quote_id"], "stance": stored["stance"]}
        if stored == wanted:
            return
        shown = []  # the claims whose published evidence this write changes
        if stored is not None and Attribution.objects.published().filter(pk=self.pk).exists():
            shown.append(stored["claim"])
        if wanted["quote"] is not None and Quote.objects.published().filter(pk=wanted["quote"]).exists():
            shown.append(wanted["claim"])
        claim_id = judged_claim(shown)
        if claim_id is None:
            return
        message = frozen_message(
            claim_id, f"claim {claim_id} as the quotes attributed to it carry it (who said it, where and when)"
        )
        if stored is None:
            raise RecordConflict(message, code="evidence_frozen", claim=claim_id)
        changed = [field for field in self.EVIDENCE_FIELDS if stored[field] != wanted[field]]
        raise RecordConflict(
            {field: ValidationError(message, code="evidence_frozen") for field in changed}, claim=claim_id
        )

    def check_removable(self):
        """Refuse to remove a published attribution of a claim that a published verdict judges."""
        if not Attribution.objects.published().filter(pk=self.pk).exists():
            return
        claim_id = judged_claim([self.claim_id])
        if claim_id is not None:
            raise RecordConflict(
                frozen_message(
                    claim_id, f"claim {claim_id} as the quotes attributed to it carry it (who said it, where and when)"
                ),
                code="evidence_frozen",
                claim=claim_id,
            )


class ClaimRelation(Versioned):
    """Claim `from_claim` disputes (is a counter-claim of) or supports claim `to_claim`."""

    class Kind(models.TextChoices):
        DISPUTES = "disputes", "Disputes"
        SUPPORTS = "supports", "Supports"

    from_claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="relations_from")
    to_claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="relations_to")
    kind = models.CharField(max_length=8, choices=Kind.choices, db_index=True)
    note = models.TextField(blank=True, max_length=2000)

    history = HistoricalRecords()

    objects = ClaimRelationQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["from_claim", "to_claim", "kind"], name="claimrelation_unique_triple"),
            models.CheckConstraint(condition=~Q(from_claim=F("to_claim")), name="claimrelation_not_self"),
            # Two claims are related once: A disputes B beside B disputes A says the same thing twice,
            # and A disputes B beside A (or B) supports the other says two contradictory things.
            models.UniqueConstraint(
                Least("from_claim", "to_claim"), Greatest("from_claim", "to_claim"), name="claimrelation_one_per_pair"
            ),
        ]

    def __str__(self):
        return f"{self.from_claim} — {self.get_kind_display().lower()} → {self.to_claim}"

    def clean(self):
        if self.from_claim_id and self.from_claim_id == self.to_claim_id:
            raise ValidationError(
                {"to_claim": ValidationError("A claim cannot relate to itself.", code="self_relation")}
            )
        existing = ClaimRelation.objects.between(self.from_claim_id, self.to_claim_id).exclude(pk=self.pk).first()
        if existing is not None:
            raise ValidationError({"to_claim": self._clash(existing)})

    def _clash(self, existing):
        """Why `existing` (another relation between the same two claims) leaves no room for this one."""
        said = (
            f"claim {existing.from_claim_id} already {existing.kind} claim {existing.to_claim_id} "
            f"(relation {existing.pk})"
        )
        if existing.kind != self.kind:
            return ValidationError(
                f"Contradiction: {said}; one claim cannot both dispute and support another. "
                f"Change or delete relation {existing.pk} instead.",
                code="contradictory_relation",
            )
        if existing.from_claim_id != self.from_claim_id:
            return ValidationError(
                f"Mirror duplicate: {said}, which already relates these two claims; record it once.",
                code="mirror_relation",
            )
        return ValidationError(f"Duplicate: {said}.", code="duplicate_relation")


class Rating(models.TextChoices):
    """The fixed verdict scale; see `claims.claimreview.RATING_VALUES` for schema.org values."""

    FALSE = "false", "False"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    MIXED = "mixed", "Mixed"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    TRUE = "true", "True"
    UNVERIFIABLE = "unverifiable", "Unverifiable"


class Review(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded (claim reopened)"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    rating = models.CharField(max_length=16, choices=Rating.choices, blank=True)
    rating_label = models.CharField(
        max_length=200, blank=True, help_text="The verdict as its publisher worded it (imported reviews)."
    )
    rationale = models.TextField(blank=True, max_length=20000)
    evidence_sources = models.ManyToManyField(Source, blank=True, related_name="cited_by_reviews")
    evidence_quotes = models.ManyToManyField(Quote, blank=True, related_name="cited_by_reviews")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    publisher_name = models.CharField(
        max_length=200, blank=True, help_text="Empty for this site's own verdicts; the fact-checker for imported ones."
    )
    publisher_url = models.URLField(max_length=1000, blank=True)
    url = models.URLField("URL", max_length=1000, blank=True, help_text="Where an imported review is published.")
    import_key = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text="Finds again an imported review whose feed gave no URL (a digest of claim, publisher and date).",
    )
    sd_license = models.CharField(
        "licence",
        max_length=1000,
        blank=True,
        help_text="The licence its feed states for an imported review (schema.org sdLicense), as given.",
    )

    objects = ReviewQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[evidence_sources, evidence_quotes])

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            # This site's verdicts are dated when published; an imported one has the date its feed gives,
            # or none (an import's own time would be an invented publication date).
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False) | ~Q(publisher_name=""),
                name="review_published_has_date",
            ),
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="review_unique_url"),
            models.CheckConstraint(condition=Q(url="") | Q(url__iregex=r"^https?://"), name="review_url_http"),
            models.CheckConstraint(
                condition=Q(publisher_url="") | Q(publisher_url__iregex=r"^https?://"), name="review_publisher_url_http"
            ),
            models.UniqueConstraint(
                fields=["import_key"], condition=~Q(import_key=""), name="review_unique_import_key"
            ),
        ]

    def __str__(self):
        return f"{self.get_rating_display() or self.rating_label or 'No verdict'} — {self.claim}"


class ReviewEvent(models.Model):
    """One step of a claim's review workflow: who moved it, from where to where, and when."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="review_events")
    review = models.ForeignKey(Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    # Empty only for the seed record's verdicts, which the site publishes as itself: no person is invented.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="review_events"
    )
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=12, choices=Claim.ReviewStatus.choices)
    to_status = models.CharField(max_length=12, choices=Claim.ReviewStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.actor or 'the site'} {self.action} {self.claim} ({self.from_status} → {self.to_status})"


def _check_input_fields(*record_models):
    """Every text field refuses control characters, every URL field non-http(s) schemes, every date the future.

    Set here for every field of the record (present and future) rather than field by field, so a
    field added later cannot be forgotten. Field validators run in the admin's forms, in DRF's
    ModelSerializers and in `full_clean()` (the importers): the same rule everywhere.
    """
    for model in record_models:
        for field in model._meta.concrete_fields:
            if not field.editable or field.choices or isinstance(field, models.SlugField):
                continue  # derived, or already held to a closed set of values
            wanted = []
            if isinstance(field, models.URLField):
                wanted.append(validate_http_url)
            if isinstance(field, (models.CharField, models.TextField)):
                wanted.append(validate_no_control_characters)
            if isinstance(field, models.DateField) and not (field.auto_now or field.auto_now_add):
                wanted.append(validate_not_in_future)
            field._validators = [*field._validators, *(v for v in wanted if v not in field._validators)]
            field.__dict__.pop("validators", None)  # the cached_property, should anything have read it


_check_input_fields(
    Speaker, SpeakerAlias, Role, Source, Quote, Topic, Claim, Attribution, ClaimRelation, Review, ReviewEvent
)
