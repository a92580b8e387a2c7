"""Curation in the Django admin: configuration first, a few read-only helpers where it cannot do."""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import display, draft_admin
from .forms import AccessibleInlineForm
from .models import (
    Attribution,
    Claim,
    ClaimRelation,
    Quote,
    Review,
    ReviewEvent,
    Role,
    Source,
    Speaker,
    SpeakerAlias,
    Topic,
)
from .versioning import VersionCheckedForm

# The admin home leads reviewers to their queue (claims/templates/admin/claims/index.html).
admin.site.index_template = "admin/claims/index.html"


class FoldedSearchMixin:
    """Admin search that also matches folded text and aliases: "maiga" finds Maïga, any JNIM spelling finds JNIM."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            # OR-ing querysets drops their ordering; autocomplete paginates, so restate it.
            ordering = self.get_ordering(request) or queryset.model._meta.ordering
            results = (results | queryset.matching(search_term)).order_by(*ordering)
            may_have_duplicates = True
        return results, may_have_duplicates


class VersionCheckedAdmin(SimpleHistoryAdmin):
    """Refuse a save based on a version somebody else has changed since the form was opened."""

    form = VersionCheckedForm

    def get_form(self, request, obj=None, **kwargs):
        # Restoring an earlier version (django-simple-history's revert page) edits the current row:
        # the version check and the next version number count from the current version, not the old one.
        if obj is not None and obj.pk is not None:
            from .versioning import current_version

            obj.version = current_version(obj) or obj.version
        return super().get_form(request, obj, **kwargs)


# Speakers ------------------------------------------------------------------------------------


class SpeakerAliasInline(admin.TabularInline):
    form = AccessibleInlineForm
    model = SpeakerAlias
    extra = 1
    fields = ["name", "note"]


class RoleInline(admin.TabularInline):
    form = AccessibleInlineForm
    model = Role
    extra = 1
    fields = ["title", "organisation", "start_date", "start_precision", "end_date", "end_precision", "note"]


@admin.register(Speaker)
class SpeakerAdmin(FoldedSearchMixin, VersionCheckedAdmin):
    list_display = ["name", "kind", "alias_list", "quote_count", "wikidata_id", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "slug", "aliases__name", "search_document"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpeakerAliasInline, RoleInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(quote_total=Count("quotes", distinct=True))
            .prefetch_related("aliases")
            # Aggregates drop Meta.ordering (GROUP BY); autocomplete paginates, so restate it.
            .order_by(*Speaker._meta.ordering)
        )

    @admin.display(description="aliases")
    def alias_list(self, speaker):
        return ", ".join(alias.name for alias in speaker.aliases.all())

    @admin.display(description="quotes", ordering="quote_total")
    def quote_count(self, speaker):
        return speaker.quote_total


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(SimpleHistoryAdmin):
    list_display = ["name", "speaker", "note"]
    search_fields = ["name", "speaker__name"]
    autocomplete_fields = ["speaker"]
    list_select_related = ["speaker"]


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["speaker", "title", "organisation", "start_date", "end_date"]
    search_fields = ["title", "organisation", "speaker__name"]
    list_filter = ["organisation"]
    autocomplete_fields = ["speaker"]
    list_select_related = ["speaker"]


# Sources ------------------------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(VersionCheckedAdmin):
    list_display = ["title", "kind", "publisher", "published_on", "published_precision", "archived", "quote_count"]
    list_filter = ["kind", "published_precision", "language"]
    search_fields = ["title", "publisher", "author", "url", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["sha256"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "publisher", "author", "url", "language"]}),
        ("Publication date", {"fields": ["published_on", "published_precision"]}),
        ("Archive", {"fields": ["text", "sha256"]}),
        (None, {"fields": ["note", "seen_version"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(quote_total=Count("quotes", distinct=True))
            .order_by(*Source._meta.ordering)
        )

    @admin.display(boolean=True)
    def archived(self, source):
        return source.is_archived

    @admin.display(description="quotes", ordering="quote_total")
    def quote_count(self, source):
        return source.quote_total


# Quotes -------------------------------------------------------------------------------------


def highlighted_context(quote, width=300):
    """The quote marked inside a few hundred characters of its source text, or why it cannot be.

    The surroundings are shown as a reader sees the article (no markdown), cut at whole words.
    """
    if not quote.pk or not quote.is_anchored:
        return "Not anchored: its source is referenced only." if quote.pk else "—"
    text = quote.source.text
    before, exact, after = display.excerpt(text, quote.start, quote.end, width)
    return format_html(
        '<div class="quote-context">{}{}<mark>{}</mark>{}{}</div>',
        "…" if quote.start > width else "",
        before,
        exact,
        after,
        "…" if quote.end + width < len(text) else "",
    )


@admin.register(Quote)
class QuoteAdmin(FoldedSearchMixin, VersionCheckedAdmin):
    list_display = ["short_text", "speaker", "source", "kind", "said_on", "anchored", "status"]
    list_filter = ["kind", "status", "is_translation", "has_editorial_marks", "source__kind"]
    # The draft list is this list filtered on status Draft; the importer's drafts are reviewed in bulk.
    actions = draft_admin.ACTIONS
    action_form = draft_admin.DraftActionForm
    search_fields = ["text", "speaker__name", "speaker__aliases__name", "source__title"]
    autocomplete_fields = ["speaker", "source", "origin"]
    list_select_related = ["speaker", "source"]
    readonly_fields = [
        "anchoring_status",
        "in_context",
        "has_editorial_marks",
        "extraction_confidence",
        "extraction_cue",
    ]
    fieldsets = [
        (None, {"fields": ["speaker", "source", "text", "kind", "status"]}),
        ("Anchor", {"fields": ["start", "end", "anchoring_status", "in_context", "has_editorial_marks"]}),
        (
            "Originally said",
            {"fields": ["said_venue", "said_on", "said_precision", "origin", "language", "is_translation"]},
        ),
        (None, {"fields": ["note", "extraction_confidence", "extraction_cue", "seen_version"]}),
    ]

    @admin.display(description="quote")
    def short_text(self, quote):
        return quote.text if len(quote.text) <= 90 else quote.text[:87] + "…"

    @admin.display(boolean=True)
    def anchored(self, quote):
        return quote.is_anchored

    @admin.display(description="anchoring status")
    def anchoring_status(self, quote):
        if not quote.pk:
            return "—"
        if quote.is_anchored:
            return f"Anchored at {quote.start}–{quote.end}"
        return "Unanchored (referenced-only source)"

    @admin.display(description="in its source")
    def in_context(self, quote):
        return highlighted_context(quote)


# Claims -------------------------------------------------------------------------------------


class AttributionInline(admin.TabularInline):
    form = AccessibleInlineForm
    model = Attribution
    extra = 1
    autocomplete_fields = ["quote"]
    fields = ["quote", "stance", "note"]


class DisputesInline(admin.TabularInline):
    """Relations where this claim is the counter-claim (it disputes or supports another)."""

    form = AccessibleInlineForm
    model = ClaimRelation
    fk_name = "from_claim"
    extra = 1
    autocomplete_fields = ["to_claim"]
    fields = ["kind", "to_claim", "note"]
    verbose_name = "relation from this claim (it disputes / supports…)"
    verbose_name_plural = "relations from this claim (it disputes / supports…)"


class DisputedByInline(admin.TabularInline):
    form = AccessibleInlineForm
    model = ClaimRelation
    fk_name = "to_claim"
    extra = 1
    autocomplete_fields = ["from_claim"]
    fields = ["from_claim", "kind", "note"]
    verbose_name = "relation to this claim (disputed / supported by…)"
    verbose_name_plural = "relations to this claim (disputed / supported by…)"


@admin.register(Claim)
class ClaimAdmin(FoldedSearchMixin, VersionCheckedAdmin):
    list_display = ["__str__", "review_status", "attribution_count", "counter_claim_count", "created_at"]
    list_filter = ["review_status", "topics"]
    search_fields = [
        "text",
        "slug",
        "attributions__quote__speaker__name",
        "attributions__quote__speaker__aliases__name",
    ]
    prepopulated_fields = {"slug": ["text"]}
    filter_horizontal = ["topics"]
    # Review status and assignee move only through the review workflow (claims.reviews), which records each step.
    readonly_fields = ["review_status", "assigned_to", "review_page"]
    inlines = [AttributionInline, DisputesInline, DisputedByInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                attribution_total=Count("attributions", distinct=True),
                counter_claim_total=Count("relations_to", distinct=True),
            )
            .order_by(*Claim._meta.ordering)
        )

    @admin.display(description="attributions", ordering="attribution_total")
    def attribution_count(self, claim):
        return claim.attribution_total

    @admin.display(description="related claims", ordering="counter_claim_total")
    def counter_claim_count(self, claim):
        return claim.counter_claim_total

    @admin.display(description="review")
    def review_page(self, claim):
        if not claim.pk:
            return "—"
        from django.urls import reverse

        url = reverse("admin:claims_claim_review", args=[claim.pk])
        return format_html('<a href="{}">Open the review page</a>', url)

    def get_urls(self):
        from django.urls import path

        from . import review_admin

        wrap = self.admin_site.admin_view
        return [
            path(
                "review-queue/",
                wrap(lambda request: review_admin.queue_view(self, request)),
                name="claims_claim_review_queue",
            ),
            path(
                "my-assignments/",
                wrap(lambda request: review_admin.queue_view(self, request, mine=True)),
                name="claims_claim_my_assignments",
            ),
            path(
                "<int:pk>/review/",
                wrap(lambda request, pk: review_admin.review_view(self, request, pk)),
                name="claims_claim_review",
            ),
        ] + super().get_urls()


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Attribution)
class AttributionAdmin(VersionCheckedAdmin):
    list_display = ["claim", "quote", "stance"]
    list_filter = ["stance"]
    search_fields = ["claim__text", "quote__text", "quote__speaker__name"]
    autocomplete_fields = ["claim", "quote"]
    list_select_related = ["claim", "quote__speaker"]


@admin.register(ClaimRelation)
class ClaimRelationAdmin(VersionCheckedAdmin):
    list_display = ["from_claim", "kind", "to_claim", "note"]
    list_filter = ["kind"]
    search_fields = ["from_claim__text", "to_claim__text", "note"]
    autocomplete_fields = ["from_claim", "to_claim"]
    list_select_related = ["from_claim", "to_claim"]


# Reviews ------------------------------------------------------------------------------------


@admin.register(Review)
class ReviewAdmin(VersionCheckedAdmin):
    list_display = ["claim", "rating", "status", "reviewer", "published_at"]
    list_filter = ["status", "rating"]
    search_fields = ["claim__text", "rationale", "rating_label", "publisher_name"]
    autocomplete_fields = ["claim", "reviewer", "evidence_sources", "evidence_quotes"]
    list_select_related = ["claim", "reviewer"]
    # Publishing and reopening are workflow steps (the claim's review page), never a field edit.
    readonly_fields = ["status", "published_at"]

    def has_change_permission(self, request, obj=None):
        from .reviews import can_edit_review

        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit_review(request.user, obj))


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    list_display = ["claim", "action", "from_status", "to_status", "actor", "at"]
    list_filter = ["action", "to_status"]
    search_fields = ["claim__text", "actor__username"]
    list_select_related = ["claim", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
