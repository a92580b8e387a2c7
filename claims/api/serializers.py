"""The API's contract: what each resource shows and what a write must satisfy.

Reads nest what a reader needs (a quote's speaker with the role held that day, a claim's evidence);
writes name related rows by their key (speakers, sources and topics by slug; claims and quotes by id).
Model invariants are checked by the models' own `clean()` (anchoring, date precision, self-relations)
and reported per field; uniqueness rules the database enforces are checked here first so the client
gets the field's name rather than an IntegrityError.
"""

import copy
import re
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.text import slugify
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..claimreview import RATING_LABELS
from ..display import cut_after
from ..models import (
    Attribution,
    Claim,
    ClaimRelation,
    Quote,
    RecordConflict,
    Review,
    Role,
    Source,
    Speaker,
    SpeakerAlias,
    Topic,
)
from ..paths import PLACEHOLDER, path_parts
from ..validators import validate_no_control_characters
from .exceptions import RecordConflictRaised


def role_on(roles, day):
    """The role among `roles` held on `day` (the latest started if several overlap), or None."""
    if day is None:
        return None
    held = [
        role
        for role in roles
        if (role.start_date is None or role.start_date <= day) and (role.end_date is None or role.end_date >= day)
    ]
    if not held:
        return None
    # The primary key settles ties (roles without dates), whatever order the roles came in.
    return max(held, key=lambda role: (role.start_date is not None, role.start_date or day, role.pk))


def quote_day(quote):
    """When the words were said: the date given, else the day the source printed them."""
    return quote.said_on or quote.source.published_on


def anchoring_status(quote):
    if quote.start is None:
        return "unanchored"
    return "anchored" if quote.source.text[quote.start : quote.end] == quote.text else "mismatch"


class ModelCleanMixin:
    """Run the model's `clean()` on the instance as the write would leave it; report per field."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        concrete = {field.name for field in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in concrete:
                setattr(instance, name, value)
        self.prepare_for_clean(instance, attrs)
        try:
            instance.clean()
        except RecordConflict as conflict:
            # The record forbids it (a published verdict): 409, not a 400 about the input. DRF would
            # turn any Django ValidationError raised here into a 400, so it travels wrapped.
            raise RecordConflictRaised(conflict) from conflict
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return self.after_clean(instance, attrs)

    def prepare_for_clean(self, instance, attrs):
        pass

    def after_clean(self, instance, attrs):
        return attrs


# Speakers ------------------------------------------------------------------------------------


_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")


# {(scheme and host, path): (before, after)}: href_parts() of every request, one per process.
ABSOLUTE_PARTS = {}
# No more than this many are kept: the Host header is the client's to write (ALLOWED_HOSTS may be "*").
ABSOLUTE_PARTS_KEPT = 256


def href_parts(request, view_name, lookup_kwarg):
    """(before, after): the resource's absolute URL is `before`, the lookup value quoted, `after`
    (an integer key as it is: it needs no quoting).

    Built once per scheme, host and path, not for every request (a build_absolute_uri() each, ≈ 5-8 µs):
    what build_absolute_uri() makes of an absolute path without "." or ".." segments (as reverse()
    writes them) depends on nothing else than the request's `_current_scheme_host`, which it reads
    itself. The path already follows the URLconf and the script prefix (claims/paths.py).
    """
    path = PLACEHOLDER.join(path_parts(view_name, lookup_kwarg))
    if not path.startswith("/") or path.startswith("//") or "/./" in path or "/../" in path:
        return tuple(request.build_absolute_uri(path).rsplit(PLACEHOLDER, 1))  # read against request.path
    key = (request._current_scheme_host, path)
    parts = ABSOLUTE_PARTS.get(key)
    if parts is None:
        parts = tuple(request.build_absolute_uri(path).rsplit(PLACEHOLDER, 1))
        if len(ABSOLUTE_PARTS) >= ABSOLUTE_PARTS_KEPT:
            ABSOLUTE_PARTS.clear()
        ABSOLUTE_PARTS[key] = parts
    return parts


def href_template(request, view_name, lookup_kwarg):
    """A function of the lookup value giving the resource's absolute URL.

    A page of 50 claims with their quotes and speakers has ~160 links; reverse() for each cost
    several ms of the request: the path is reversed once per view, URLconf and script prefix
    (claims/paths.py), the request's scheme and host put before it here. Django quotes path
    arguments the same way (RFC3986_SUBDELIMS). Django's reverse(), not DRF's: DRF's copies the
    request's `?format=` into the link, and a link read in a CSV export must lead to the resource,
    not to another CSV file.
    """
    before, after = href_parts(request, view_name, lookup_kwarg)

    def href(value):
        text = str(value)
        if type(value) is not int and not _UNRESERVED.fullmatch(text):  # slugs nearly always match: nothing to quote
            text = quote(text, safe=RFC3986_SUBDELIMS + "/~:@")
        return f"{before}{text}{after}"

    return href


class HrefField(serializers.HyperlinkedIdentityField):
    """The resource's URL, reversed once per request and view name, then filled in per row."""

    def get_url(self, obj, view_name, request, format):
        if format or getattr(obj, "pk", None) in (None, ""):
            return super().get_url(obj, view_name, request, format)
        templates = self.context.setdefault("_href_templates", {})
        key = (view_name, self.lookup_url_kwarg)
        if key not in templates:
            templates[key] = href_template(request, view_name, self.lookup_url_kwarg)
        return templates[key](getattr(obj, self.lookup_field))


class LinkedMixin:
    """A related row written by its key and read as a link to it with the few words a reader needs.

    `ref_serializer` gives the read side ({id, href, text…}); the write side is the parent field's
    (a primary key, a slug). The OpenAPI schema shows both (claims/api/schema.py).
    """

    def __init__(self, ref_serializer, **kwargs):
        self.ref_serializer = ref_serializer
        super().__init__(**kwargs)

    def use_pk_only_optimization(self):
        return False  # the reference shows more than the key

    def to_representation(self, value):
        return self.ref_serializer(value, context=self.context).data

    def get_choices(self, cutoff=None):
        # The browsable API's forms offer the keys a write accepts, not the read-side references.
        queryset = self.get_queryset()
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {self.key_of(item): self.display_value(item) for item in queryset}


class LinkedRelatedField(LinkedMixin, serializers.PrimaryKeyRelatedField):
    """Written as the related row's id, read as its reference (see LinkedMixin)."""

    def key_of(self, item):
        return item.pk


class LinkedSlugRelatedField(LinkedMixin, serializers.SlugRelatedField):
    """Written as the related row's slug, read as its reference (see LinkedMixin)."""

    def key_of(self, item):
        return getattr(item, self.slug_field)


class RoleSerializer(ModelCleanMixin, serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ["title", "organisation", "start_date", "start_precision", "end_date", "end_precision", "note"]


@extend_schema_field({"type": "array", "items": {"type": "string", "maxLength": 200}})
class AliasNamesField(serializers.ListField):
    """Aliases as a list of spellings; a write replaces the whole list."""

    child = serializers.CharField(max_length=200, validators=[validate_no_control_characters])

    def get_attribute(self, instance):
        return [alias.name for alias in instance.aliases.all()]


class SpeakerSerializer(serializers.ModelSerializer):
    href = HrefField(view_name="api:speaker-detail", lookup_field="slug")
    aliases = AliasNamesField(required=False)
    roles = RoleSerializer(many=True, required=False)
    quote_count = serializers.IntegerField(read_only=True, default=0)
    claim_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Speaker
        fields = [
            "id",
            "href",
            "slug",
            "name",
            "kind",
            "description",
            "wikidata_id",
            "aliases",
            "roles",
            "quote_count",
            "claim_count",
            "status",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["status", "created_at", "updated_at", "version"]

    def validate_aliases(self, names):
        folded = [name.strip() for name in names]
        duplicates = sorted({name for name in folded if folded.count(name) > 1})
        if duplicates:
            raise serializers.ValidationError(f"Listed more than once: {', '.join(duplicates)}.", code="duplicate")
        return folded

    def create(self, validated_data):
        aliases = validated_data.pop("aliases", [])
        roles = validated_data.pop("roles", [])
        speaker = Speaker.objects.create(**validated_data)
        self._replace_related(speaker, aliases, roles)
        return speaker

    def update(self, instance, validated_data):
        aliases = validated_data.pop("aliases", None)
        roles = validated_data.pop("roles", None)
        speaker = super().update(instance, validated_data)
        self._replace_related(speaker, aliases, roles)
        return speaker

    @staticmethod
    def _replace_related(speaker, aliases, roles):
        if aliases is not None:
            speaker.aliases.exclude(name__in=aliases).delete()
            kept = set(speaker.aliases.values_list("name", flat=True))
            for name in aliases:
                if name not in kept:
                    SpeakerAlias.objects.create(speaker=speaker, name=name)
        if roles is not None:
            speaker.roles.all().delete()
            for role in roles:
                Role.objects.create(speaker=speaker, **role)


class SpeakerRefSerializer(serializers.ModelSerializer):
    href = HrefField(view_name="api:speaker-detail", lookup_field="slug")

    class Meta:
        model = Speaker
        fields = ["slug", "name", "kind", "href"]


class HeldRoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ["title", "organisation", "start_date", "end_date"]


class SpeakerOnDateSerializer(serializers.Serializer):
    """A quote's speaker, with the role they held when the words were said (None if unknown)."""

    slug = serializers.CharField(source="speaker.slug")
    name = serializers.CharField(source="speaker.name")
    kind = serializers.CharField(source="speaker.kind")
    href = serializers.SerializerMethodField()
    role = serializers.SerializerMethodField()

    def get_href(self, quote) -> str:
        return SpeakerRefSerializer(quote.speaker, context=self.context).data["href"]

    @extend_schema_field(HeldRoleSerializer(allow_null=True))
    def get_role(self, quote):
        role = role_on(quote.speaker.roles.all(), quote_day(quote))
        return HeldRoleSerializer(role).data if role else None


# Sources -------------------------------------------------------------------------------------


PUBLISHED_HELP = "The publication date to its known precision: YYYY-MM-DD, YYYY-MM or YYYY."
SAID_HELP = "When it was said, to its known precision: YYYY-MM-DD, YYYY-MM or YYYY."


class SourceRefSerializer(serializers.ModelSerializer):
    href = HrefField(view_name="api:source-detail", lookup_field="slug")
    published = serializers.CharField(read_only=True, help_text=PUBLISHED_HELP)

    class Meta:
        model = Source
        fields = ["slug", "title", "kind", "publisher", "published", "href"]


EXCERPT_LENGTH = 160


def excerpt(text, length=EXCERPT_LENGTH):
    """The start of `text`, cut at a whole word with an ellipsis when longer than `length`."""
    if len(text) <= length:
        return text
    return cut_after(text[:length], truncated=True) + "…"


class QuoteRefSerializer(serializers.ModelSerializer):
    href = HrefField(view_name="api:quote-detail")
    excerpt = serializers.SerializerMethodField(help_text=f"The quote's first {EXCERPT_LENGTH} characters or so.")

    class Meta:
        model = Quote
        fields = ["id", "href", "excerpt"]

    def get_excerpt(self, quote) -> str:
        return excerpt(quote.text)


class SourceQuoteSerializer(serializers.ModelSerializer):
    href = HrefField(view_name="api:quote-detail")
    speaker = SpeakerRefSerializer(read_only=True)

    class Meta:
        model = Quote
        fields = ["id", "href", "speaker", "kind", "text", "start", "end"]


class SourceSerializer(ModelCleanMixin, serializers.ModelSerializer):
    href = HrefField(view_name="api:source-detail", lookup_field="slug")
    is_archived = serializers.SerializerMethodField()
    published = serializers.CharField(read_only=True, help_text=PUBLISHED_HELP)
    quote_count = serializers.IntegerField(read_only=True, default=0)
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        validators=[validate_no_control_characters],
        help_text="The archived text: written freely, shown only with ?include=text.",
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "href",
            "slug",
            "title",
            "kind",
            "publisher",
            "author",
            "url",
            "language",
            "published_on",
            "published_precision",
            "published",
            "is_archived",
            "sha256",
            "note",
            "quote_count",
            "text",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["sha256", "created_at", "updated_at", "version"]

    def get_is_archived(self, source) -> bool:
        return bool(source.sha256)

    def get_fields(self):
        fields = super().get_fields()
        if not self.context.get("include_text"):
            # Read back only on request: never even loaded (deferred) for lists and plain details.
            fields["text"].write_only = True
        return fields

    def prepare_for_clean(self, instance, attrs):
        instance.published_precision = attrs.get("published_precision", instance.published_precision)


class SourceDetailSerializer(SourceSerializer):
    quotes = SourceQuoteSerializer(many=True, read_only=True)

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "quotes"]


# Quotes --------------------------------------------------------------------------------------


class TextQuoteSelectorSerializer(serializers.Serializer):
    """The anchored context, like a W3C Web Annotation TextQuoteSelector."""

    type = serializers.CharField(default="TextQuoteSelector")
    prefix = serializers.CharField()
    exact = serializers.CharField()
    suffix = serializers.CharField()

    def to_representation(self, quote):
        prefix, exact, suffix = quote.context()
        return {"type": "TextQuoteSelector", "prefix": prefix, "exact": exact, "suffix": suffix}


class TextPositionSelectorSerializer(serializers.Serializer):
    type = serializers.CharField(default="TextPositionSelector")
    start = serializers.IntegerField()
    end = serializers.IntegerField()

    def to_representation(self, quote):
        return {"type": "TextPositionSelector", "start": quote.start, "end": quote.end}


class QuoteSerializer(serializers.ModelSerializer):
    href = HrefField(view_name="api:quote-detail")
    speaker = SpeakerOnDateSerializer(source="*", read_only=True)
    source = SourceRefSerializer(read_only=True)
    # Where the words were first said (a referenced-only source); most quotes have none.
    origin = LinkedSlugRelatedField(SourceRefSerializer, slug_field="slug", read_only=True, allow_null=True)
    said = serializers.CharField(read_only=True, help_text=SAID_HELP)
    anchoring = serializers.SerializerMethodField()
    selector = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = [
            "id",
            "href",
            "speaker",
            "source",
            "text",
            "kind",
            "anchoring",
            "selector",
            "position",
            "start",
            "end",
            "said_venue",
            "said_on",
            "said_precision",
            "said",
            "origin",
            "language",
            "is_translation",
            "has_editorial_marks",
            "is_truncated",
            "note",
            "status",
            "created_at",
            "updated_at",
            "version",
        ]

    @extend_schema_field({"type": "string", "enum": ["anchored", "unanchored", "mismatch"]})
    def get_anchoring(self, quote):
        return anchoring_status(quote)

    @extend_schema_field(TextQuoteSelectorSerializer(allow_null=True))
    def get_selector(self, quote):
        return TextQuoteSelectorSerializer(quote).data if quote.start is not None else None

    @extend_schema_field(TextPositionSelectorSerializer(allow_null=True))
    def get_position(self, quote):
        return TextPositionSelectorSerializer(quote).data if quote.start is not None else None


class QuoteWriteSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """Speaker, source and origin by slug; the text must stand verbatim in the source.

    Without offsets the text must occur exactly once (else 400 listing the occurrences); with a
    start offset it must stand exactly there. Not found: 400 with the closest passage.
    """

    speaker = serializers.SlugRelatedField(slug_field="slug", queryset=Speaker.objects.all())
    source = serializers.SlugRelatedField(slug_field="slug", queryset=Source.objects.all())
    origin = LinkedSlugRelatedField(
        SourceRefSerializer, slug_field="slug", queryset=Source.objects.all(), required=False, allow_null=True
    )
    text = serializers.CharField(max_length=10000, trim_whitespace=False, validators=[validate_no_control_characters])

    class Meta:
        model = Quote
        fields = [
            "speaker",
            "source",
            "text",
            "start",
            "end",
            "kind",
            "said_venue",
            "said_on",
            "said_precision",
            "origin",
            "language",
            "is_translation",
            "note",
        ]
        validators = []  # the span's uniqueness is checked in after_clean, naming the field

    def prepare_for_clean(self, instance, attrs):
        moved = {"text", "source"} & attrs.keys()
        if self.instance is not None and moved and "start" not in attrs:
            instance.start = instance.end = None  # re-anchor the new text rather than test the old offsets

    def after_clean(self, instance, attrs):
        attrs["start"], attrs["end"] = instance.start, instance.end
        if instance.start is not None:
            clash = Quote.objects.filter(source=instance.source, start=instance.start, end=instance.end)
            if self.instance is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise serializers.ValidationError(
                    {"start": [f"Quote {clash.first().pk} already holds this span of the source."]}, code="duplicate"
                )
        return attrs


# Claims and their links ------------------------------------------------------------------------


class ClaimRefSerializer(serializers.ModelSerializer):
    href = HrefField(view_name="api:claim-detail")

    class Meta:
        model = Claim
        fields = ["id", "slug", "text", "href"]


class AttributedQuoteSerializer(serializers.ModelSerializer):
    href = HrefField(view_name="api:quote-detail")
    said = serializers.CharField(read_only=True, help_text=SAID_HELP)

    class Meta:
        model = Quote
        fields = ["id", "href", "text", "kind", "said_on", "said", "said_venue", "start", "end"]


class RelationRefSerializer(serializers.ModelSerializer):
    href = HrefField(view_name="api:claimrelation-detail")

    class Meta:
        model = ClaimRelation
        fields = ["id", "href", "kind"]


class AttributionBriefSerializer(serializers.ModelSerializer):
    quote = QuoteRefSerializer(read_only=True)
    speaker = SpeakerRefSerializer(source="quote.speaker", read_only=True)

    class Meta:
        model = Attribution
        fields = ["id", "quote", "stance", "speaker"]


class AttributionDetailSerializer(serializers.ModelSerializer):
    """One piece of evidence for a claim: the quote, who said it (with their role then), where."""

    quote = AttributedQuoteSerializer(read_only=True)
    speaker = SpeakerOnDateSerializer(source="quote", read_only=True)
    source = SourceRefSerializer(source="quote.source", read_only=True)

    class Meta:
        model = Attribution
        fields = ["id", "stance", "note", "quote", "speaker", "source"]


class RelatedClaimSerializer(serializers.Serializer):
    relation = RelationRefSerializer(help_text="The claim relation itself.")
    note = serializers.CharField()
    claim = ClaimRefSerializer()


def scale_label(rating_label, rating):
    """The verdict's words: its publisher's own, else the label of its rating on our scale."""
    return rating_label or RATING_LABELS.get(rating, "")


def publisher(name, url):
    """(name, url) of a verdict's publisher: the fact-checker for imported ones, this site for its own."""
    if name:
        return name, url
    return settings.CLAIMREVIEW_PUBLISHER["name"], settings.CLAIMREVIEW_PUBLISHER["url"]


class ScaleLabelField(serializers.CharField):
    """Read: the publisher's wording, else our scale's label ("Mostly false"). Written: the wording kept."""

    def get_attribute(self, review):
        return scale_label(review.rating_label, review.rating)


class PublisherNameField(serializers.CharField):
    """Read: the fact-checker of an imported verdict, else this site (CLAIMREVIEW_PUBLISHER_NAME)."""

    def get_attribute(self, review):
        return publisher(review.publisher_name, review.publisher_url)[0]


class PublisherURLField(serializers.URLField):
    def get_attribute(self, review):
        return publisher(review.publisher_name, review.publisher_url)[1]


LABEL_HELP = "The verdict in words: the publisher's own wording, else the rating's label on this site's scale."
PUBLISHER_HELP = "Who published the verdict: the fact-checker for an imported one, this site for its own."


class ReviewBriefSerializer(serializers.ModelSerializer):
    # Empty for the site's own verdicts (the seed record) and for imported ones: the schema says so.
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    rating_label = ScaleLabelField(read_only=True, help_text=LABEL_HELP)
    publisher_name = PublisherNameField(read_only=True, help_text=PUBLISHER_HELP)

    class Meta:
        model = Review
        fields = ["id", "status", "rating", "rating_label", "rationale", "reviewer", "published_at", "publisher_name"]


class ClaimListSerializer(serializers.ModelSerializer):
    href = HrefField(view_name="api:claim-detail")
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    attributions = AttributionBriefSerializer(many=True, read_only=True)
    is_disputed = serializers.BooleanField(read_only=True)
    disputed_by_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "href",
            "slug",
            "text",
            "topics",
            "review_status",
            "is_disputed",
            "disputed_by_count",
            "attributions",
            "created_at",
            "updated_at",
        ]


def _related(relations, kind, side):
    return [
        {"relation": relation, "note": relation.note, "claim": getattr(relation, side)}
        for relation in relations
        if relation.kind == kind
    ]


class ClaimSerializer(serializers.ModelSerializer):
    """A claim with its evidence and its place in the argument. Writes: slug, text, topics, note."""

    href = HrefField(view_name="api:claim-detail")
    slug = serializers.SlugField(max_length=200, required=False, help_text="Made from the text when left out.")
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, queryset=Topic.objects.all(), required=False)
    attributions = AttributionDetailSerializer(many=True, read_only=True)
    is_disputed = serializers.BooleanField(read_only=True, default=False)
    disputed_by = serializers.SerializerMethodField(help_text="Claims that dispute this one (counter-claims).")
    disputes = serializers.SerializerMethodField(help_text="Claims this one disputes.")
    supported_by = serializers.SerializerMethodField(help_text="Claims that support this one.")
    supports = serializers.SerializerMethodField(help_text="Claims this one supports.")
    reviews = ReviewBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "href",
            "slug",
            "text",
            "topics",
            "note",
            "review_status",
            "is_disputed",
            "attributions",
            "disputed_by",
            "disputes",
            "supported_by",
            "supports",
            "reviews",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["review_status", "created_at", "updated_at", "version"]

    def _links(self, relations, kind, side):
        return RelatedClaimSerializer(_related(relations, kind, side), many=True, context=self.context).data

    @extend_schema_field(RelatedClaimSerializer(many=True))
    def get_disputed_by(self, claim):
        return self._links(claim.relations_to.all(), ClaimRelation.Kind.DISPUTES, "from_claim")

    @extend_schema_field(RelatedClaimSerializer(many=True))
    def get_disputes(self, claim):
        return self._links(claim.relations_from.all(), ClaimRelation.Kind.DISPUTES, "to_claim")

    @extend_schema_field(RelatedClaimSerializer(many=True))
    def get_supported_by(self, claim):
        return self._links(claim.relations_to.all(), ClaimRelation.Kind.SUPPORTS, "from_claim")

    @extend_schema_field(RelatedClaimSerializer(many=True))
    def get_supports(self, claim):
        return self._links(claim.relations_from.all(), ClaimRelation.Kind.SUPPORTS, "to_claim")

    def validate_slug(self, slug):
        taken = Claim.objects.filter(slug=slug)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("Another claim has this slug.", code="unique")
        return slug

    def create(self, validated_data):
        if validated_data.get("slug"):
            return super().create(validated_data)
        # The client left the slug to us: a concurrent write may take the free slug between the check
        # and the insert, so the insert runs in a savepoint and a clash on the slug tries the next one.
        for _attempt in range(SLUG_ATTEMPTS):
            validated_data["slug"] = _free_slug(validated_data["text"])
            try:
                with transaction.atomic():
                    return super().create(validated_data)
            except IntegrityError as error:
                if "slug" not in str(error):
                    raise
        raise serializers.ValidationError({"text": ["Too many claims are being made with this wording at once."]})


SLUG_ATTEMPTS = 50


def _free_slug(text):
    base = slugify(text)[:60].strip("-") or "claim"
    slug, n = base, 1
    while Claim.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class ClaimRelationSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """`from_claim` disputes or supports `to_claim`; never itself, and each (from, to, kind) once."""

    href = HrefField(view_name="api:claimrelation-detail")
    from_claim = LinkedRelatedField(ClaimRefSerializer, queryset=Claim.objects.all())
    to_claim = LinkedRelatedField(ClaimRefSerializer, queryset=Claim.objects.all())

    class Meta:
        model = ClaimRelation
        fields = ["id", "href", "from_claim", "to_claim", "kind", "note", "created_at", "updated_at", "version"]
        read_only_fields = ["created_at", "updated_at", "version"]
        validators = []  # checked in after_clean, naming the field

    def after_clean(self, instance, attrs):
        clash = ClaimRelation.objects.filter(
            from_claim=instance.from_claim_id, to_claim=instance.to_claim_id, kind=instance.kind
        )
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {"to_claim": [f"Claim {instance.from_claim_id} already {instance.kind} claim {instance.to_claim_id}."]},
                code="duplicate",
            )
        return attrs


class AttributionSerializer(serializers.ModelSerializer):
    """Quote `quote` asserts, denies or questions claim `claim`; each (claim, quote) once."""

    href = HrefField(view_name="api:attribution-detail")
    claim = LinkedRelatedField(ClaimRefSerializer, queryset=Claim.objects.all())
    quote = LinkedRelatedField(QuoteRefSerializer, queryset=Quote.objects.all())
    speaker = SpeakerRefSerializer(source="quote.speaker", read_only=True)

    class Meta:
        model = Attribution
        fields = ["id", "href", "claim", "quote", "stance", "note", "speaker", "created_at", "updated_at", "version"]
        read_only_fields = ["created_at", "updated_at", "version"]
        validators = []  # checked in validate, naming the field

    def validate(self, attrs):
        attrs = super().validate(attrs)
        claim = attrs.get("claim", getattr(self.instance, "claim", None))
        quote = attrs.get("quote", getattr(self.instance, "quote", None))
        clash = Attribution.objects.filter(claim=claim, quote=quote)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {"quote": [f"Quote {quote.pk} is already attributed to claim {claim.pk}."]}, code="duplicate"
            )
        return attrs


class ReviewSerializer(serializers.ModelSerializer):
    """A verdict. Created and edited here as a draft; publishing is the review workflow's step.

    A review stays on the claim it was written on, under the reviewer who wrote it; the publisher and
    its addresses describe imported verdicts (import_claimreview), never one written here.
    """

    href = HrefField(view_name="api:review-detail")
    claim = LinkedRelatedField(ClaimRefSerializer, queryset=Claim.objects.all())
    # Empty for the site's own verdicts (the seed record) and for imported ones: the schema says so.
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    evidence_sources = LinkedSlugRelatedField(
        SourceRefSerializer, slug_field="slug", many=True, queryset=Source.objects.all(), required=False
    )
    evidence_quotes = LinkedRelatedField(QuoteRefSerializer, many=True, queryset=Quote.objects.all(), required=False)
    rating_label = ScaleLabelField(max_length=200, required=False, allow_blank=True, help_text=LABEL_HELP)
    publisher_name = PublisherNameField(max_length=200, required=False, allow_blank=True, help_text=PUBLISHER_HELP)
    publisher_url = PublisherURLField(max_length=1000, required=False, allow_blank=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "href",
            "claim",
            "status",
            "rating",
            "rating_label",
            "rationale",
            "evidence_sources",
            "evidence_quotes",
            "reviewer",
            "published_at",
            "publisher_name",
            "publisher_url",
            "url",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["status", "published_at", "created_at", "updated_at", "version"]
        validators = []

    def validate_url(self, url):
        taken = Review.objects.filter(url=url) if url else Review.objects.none()
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("Another review is published at this URL.", code="unique")
        return url

    IMPORTED_ONLY = ("rating_label", "publisher_name", "publisher_url", "url")

    def validate(self, attrs):
        attrs = self.without_what_reads_fill_in(attrs)
        errors = {
            field: [
                serializers.ErrorDetail(
                    "Only imported verdicts carry this (import_claimreview): a verdict written here is "
                    "this site's own.",
                    code="imported_only",
                )
            ]
            for field in self.IMPORTED_ONLY
            if attrs.get(field)
        }
        if self.instance is not None and attrs.get("claim", self.instance.claim) != self.instance.claim:
            errors["claim"] = [
                serializers.ErrorDetail(
                    "A review stays on the claim it was written on: write a new one on the other claim.",
                    code="read_only",
                )
            ]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def without_what_reads_fill_in(self, attrs):
        """A read fills in the scale's label and this site as publisher where the row keeps neither;
        a client writing back what it read writes nothing there (not an imported verdict's fields)."""
        attrs = dict(attrs)
        rating = attrs.get("rating", getattr(self.instance, "rating", ""))
        if attrs.get("rating_label") and attrs["rating_label"] == RATING_LABELS.get(rating):
            attrs["rating_label"] = ""
        ours = publisher("", "")
        if attrs.get("publisher_name") == ours[0]:
            attrs["publisher_name"] = ""
        if attrs.get("publisher_url") == ours[1]:
            attrs["publisher_url"] = ""
        return attrs


class ErrorSerializer(serializers.Serializer):
    """The body of every 401, 403, 404, 405, 409, 412, 415 and 429 answer."""

    detail = serializers.CharField()
    code = serializers.CharField()


class ConflictErrorSerializer(ErrorSerializer):
    """A 409 answer: the record forbids the change (a deletion of a row still referenced; a change of a
    published verdict, or of the claim wording it judges, which only reopening the review allows)."""

    referenced_by = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        help_text="How many rows of each kind still reference the resource (code `protected`).",
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=(
            "The fields whose change is refused, each with the reason (codes `wording_frozen`, `evidence_frozen`)."
        ),
    )
    reopen = serializers.URLField(required=False, help_text="Where to reopen the claim's review (POST) first.")


class PreconditionFailedSerializer(ErrorSerializer):
    current_etag = serializers.CharField()
    last_change = serializers.CharField(help_text="Who changed it last, and when.")


class ValidationErrorSerializer(serializers.Serializer):
    """A 400 answer: each invalid field (or `non_field_errors`) with its messages."""

    field_name = serializers.ListField(
        child=serializers.CharField(),
        required=False,  # a placeholder for whichever fields are invalid, not a key every 400 carries
        help_text="Messages for the field named (one key per invalid field).",
    )
