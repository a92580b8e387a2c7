"""Query parameters of the list endpoints (django-filter); an invalid value is a 400 naming it.

`?q=` is the folded, alias-aware search of the QuerySets' `matching()`; on PostgreSQL the matches
come best first unless `?ordering=` says otherwise.

Filters see what the requesting account may see: they narrow a queryset that the view started from
`visible_to(request.user)`, and a filter naming a row (a speaker, a quote) chooses among the rows
that account may see, so a draft is answered exactly as something that does not exist.
"""

import django_filters
from django import forms
from django.db.models import F, Q
from django.db.models.functions import Substr
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ..models import Attribution, Claim, ClaimRelation, Quote, Review, Source, Speaker, Topic
from ..validators import validate_no_control_characters

SEARCH_HELP = (
    "Search, ignoring case, accents and apostrophe style; each word must begin a word of the text "
    "(or of the speaker's name or aliases). Best matches first on PostgreSQL when there are at most "
    "1000; past that, the list's default order."
)


class YesNoField(forms.NullBooleanField):
    """`true`/`false` (or `1`/`0`); anything else is an error naming the parameter, never ignored."""

    widget = forms.TextInput

    def to_python(self, value):
        text = str(value).strip().lower() if value is not None else ""
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        if text:
            raise forms.ValidationError(f"“{value}” is neither true nor false.", code="invalid")
        return None


class YesNoFilter(django_filters.BooleanFilter):
    """django-filter's BooleanFilter drops a value it cannot read (`?disputed=perhaps` filtered nothing)."""

    field_class = YesNoField


class ChoicesField(django_filters.fields.MultipleChoiceField):
    """Choices named by repeating the parameter (`?kind=quote&kind=paraphrase`). An empty value names
    none and filters nothing, as a single choice's does (`?stance=`): django-filter's refused `?kind=`
    as an invalid choice. A value that is not a choice is still refused, naming it."""

    def clean(self, value):
        return super().clean([choice for choice in value or () if choice != ""])


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    field_class = ChoicesField


def visible(model):
    """A filter's choices: the rows of `model` the requesting account may see."""
    return lambda request: model.objects.visible_to(getattr(request, "user", None))


class SpeakerNamesField(django_filters.fields.ModelChoiceField):
    """A speaker by slug, or by name or alias as the search reads them (accents and case ignored):
    every speaker so named, as a queryset."""

    default_error_messages = {"invalid_choice": "No speaker is named “%(value)s” (by slug, name or alias)."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        # A NUL byte would reach PostgreSQL, which refuses it in a string literal (a 500, not a 400).
        validate_no_control_characters(str(value))
        speakers = self.queryset.named(str(value))
        if not speakers.exists():
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return speakers


@extend_schema_field(OpenApiTypes.STR)
class SpeakerNamedFilter(django_filters.ModelChoiceFilter):
    """`?speaker=`: a slug, a name or an alias; several speakers so named are all taken."""

    field_class = SpeakerNamesField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", visible(Speaker))
        kwargs.setdefault("lookup_expr", "in")
        kwargs.setdefault(
            "help_text",
            "Speaker: a slug, or a name or alias (case and accents ignored, each word beginning a word of "
            "it, as in the search); every speaker so named is taken.",
        )
        super().__init__(*args, **kwargs)


SEARCH_MAX_LENGTH = 200


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", help_text=SEARCH_HELP, max_length=SEARCH_MAX_LENGTH)

    def search(self, queryset, name, value):
        return queryset.matching(value).ranked(value) if value.strip() else queryset


class SpeakerFilter(SearchFilterSet):
    kind = ChoicesFilter(choices=Speaker.Kind.choices)

    class Meta:
        model = Speaker
        fields = ["kind", "q"]


class SourceFilter(django_filters.FilterSet):
    kind = ChoicesFilter(choices=Source.Kind.choices)
    published_after = django_filters.DateFilter(field_name="published_on", lookup_expr="gte")
    published_before = django_filters.DateFilter(field_name="published_on", lookup_expr="lte")
    archived = YesNoFilter(method="filter_archived", help_text="Only sources whose text is held here.")

    class Meta:
        model = Source
        fields = ["kind", "language", "published_after", "published_before", "archived"]

    def filter_archived(self, queryset, name, value):
        return queryset.exclude(sha256="") if value else queryset.filter(sha256="")


class QuoteFilter(SearchFilterSet):
    speaker = SpeakerNamedFilter(field_name="speaker")
    source = django_filters.ModelChoiceFilter(
        queryset=Source.objects.all(), to_field_name="slug", help_text="Source slug."
    )
    kind = ChoicesFilter(choices=Quote.Kind.choices)
    said_after = django_filters.DateFilter(field_name="said_on", lookup_expr="gte", help_text="Said on or after.")
    said_before = django_filters.DateFilter(field_name="said_on", lookup_expr="lte", help_text="Said on or before.")
    anchoring = django_filters.ChoiceFilter(
        choices=[("anchored", "anchored"), ("unanchored", "unanchored"), ("mismatch", "mismatch")],
        method="filter_anchoring",
        help_text="anchored: the text stands at its offsets; unanchored: no offsets (referenced-only source); "
        "mismatch: the source text at the offsets differs (verify_quotes reports these).",
    )

    class Meta:
        model = Quote
        fields = ["speaker", "source", "kind", "said_after", "said_before", "anchoring", "language", "q"]

    def filter_anchoring(self, queryset, name, value):
        if value == "unanchored":
            return queryset.filter(start__isnull=True)
        at_offsets = Substr("source__text", F("start") + 1, F("end") - F("start"))
        queryset = queryset.filter(start__isnull=False).annotate(text_at_offsets=at_offsets)
        if value == "anchored":
            return queryset.filter(text_at_offsets=F("text"))
        return queryset.exclude(text_at_offsets=F("text"))


class ClaimFilter(SearchFilterSet):
    speaker = SpeakerNamedFilter(method="filter_speaker")
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(), to_field_name="slug", field_name="topics", help_text="Topic slug."
    )
    source = django_filters.ModelChoiceFilter(
        queryset=Source.objects.all(),
        to_field_name="slug",
        method="filter_source",
        help_text="Source slug: claims carried by a quote printed in it.",
    )
    disputed = YesNoFilter(method="filter_disputed", help_text="Some claim disputes it, or it disputes one.")
    review_status = ChoicesFilter(choices=Claim.ReviewStatus.choices)
    said_after = django_filters.DateFilter(
        method="filter_said_after", help_text="Carried by a quote said (or, without a date, printed) on or after."
    )
    said_before = django_filters.DateFilter(
        method="filter_said_before", help_text="Carried by a quote said (or, without a date, printed) on or before."
    )
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lte")

    class Meta:
        model = Claim
        fields = [
            "speaker",
            "topic",
            "source",
            "disputed",
            "review_status",
            "said_after",
            "said_before",
            "created_after",
            "created_before",
            "q",
        ]

    def filter_speaker(self, queryset, name, value):
        return queryset.by_speaker(value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_source(self, queryset, name, value):
        return queryset.carried_by(quote__source=value)

    def filter_disputed(self, queryset, name, value):
        return queryset.filter(is_disputed=value)

    def _said(self, queryset, lookup, day):
        said = Q(**{f"quote__said_on__{lookup}": day}) | Q(
            quote__said_on__isnull=True, **{f"quote__source__published_on__{lookup}": day}
        )
        return queryset.carried_by(said)

    def filter_said_after(self, queryset, name, value):
        return self._said(queryset, "gte", value)

    def filter_said_before(self, queryset, name, value):
        return self._said(queryset, "lte", value)


class ClaimRelationFilter(django_filters.FilterSet):
    claim = django_filters.ModelChoiceFilter(
        queryset=Claim.objects.all(), method="filter_claim", help_text="Claim id, on either side of the relation."
    )

    class Meta:
        model = ClaimRelation
        fields = ["kind", "from_claim", "to_claim", "claim"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_claim(self, queryset, name, value):
        return queryset.filter(Q(from_claim=value) | Q(to_claim=value))


class AttributionFilter(django_filters.FilterSet):
    speaker = SpeakerNamedFilter(field_name="quote__speaker")
    quote = django_filters.ModelChoiceFilter(queryset=visible(Quote))

    class Meta:
        model = Attribution
        fields = ["claim", "quote", "stance", "speaker"]


class ReviewFilter(django_filters.FilterSet):
    class Meta:
        model = Review
        fields = ["claim", "status", "rating"]
