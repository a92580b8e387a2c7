"""Changelist filters the counts link to, and filter titles a curator can tell apart.

The "chosen" filters show only when a link has chosen them ("12 quotes" on a speaker's page opens
the quotes list with ?speaker=<slug>): listing every speaker or source in the sidebar would make
the page as long as the table, and a choice made by a link must still show, and be clearable.
"""

from django.contrib import admin

from .models import Claim, Source, Speaker


class ChosenFilter(admin.SimpleListFilter):
    """A filter on one related record named in the URL; it shows that record, or nothing."""

    related_model = None

    def lookups(self, request, model_admin):
        value = self.value()
        if not value:
            return []
        record = self.find(value)
        return [(value, str(record) if record is not None else f"{value} (not found)")]

    def find(self, value):
        return self.related_model._default_manager.filter(slug=value).first()


class SpeakerChosenFilter(ChosenFilter):
    title = "speaker"
    parameter_name = "speaker"
    related_model = Speaker

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if queryset.model is Claim:
            return queryset.visible_to(request.user).by_speaker(self.value())
        return queryset.filter(speaker__slug=self.value())


class SourceChosenFilter(ChosenFilter):
    title = "source"
    parameter_name = "source"
    related_model = Source

    def queryset(self, request, queryset):
        return queryset.filter(source__slug=self.value()) if self.value() else queryset


class ClaimChosenFilter(ChosenFilter):
    """A claim by its primary key: the attributions carrying it, or the relations on either side of it."""

    title = "claim"
    parameter_name = "claim"
    related_model = Claim

    def find(self, value):
        return Claim.objects.filter(pk=value).first() if str(value).isdigit() else None

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not str(value).isdigit():
            return queryset.none()
        if hasattr(queryset, "touching"):
            return queryset.touching(int(value))
        return queryset.filter(claim=int(value))


class QuoteChosenFilter(ChosenFilter):
    """The attributions of one quote (which claims it supports), by the quote's primary key."""

    title = "quote"
    parameter_name = "quote"

    def find(self, value):
        from .models import Quote

        return Quote.objects.select_related("speaker").filter(pk=value).first() if str(value).isdigit() else None

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(quote=int(value)) if str(value).isdigit() else queryset.none()


def titled(title):
    """A choices field's filter under another title: two "By kind" in one sidebar cannot be told apart."""

    class Titled(admin.ChoicesFieldListFilter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class TopicFilter(admin.RelatedFieldListFilter):
    """Topics, with the claims that have none called so (Django shows them as "-")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = "No topic"
