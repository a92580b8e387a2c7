"""Curation in the Django admin: configuration first, a few read-only helpers where it cannot do."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Func, OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from . import display, draft_admin, source_text
from .admin_filters import (
    ClaimChosenFilter,
    QuoteChosenFilter,
    SourceChosenFilter,
    SpeakerChosenFilter,
    TopicFilter,
    titled,
)
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
    Status,
    Topic,
)
from .versioning import VersionCheckedForm

# The admin home leads reviewers to their queue (claims/templates/admin/claims/index.html).
admin.site.index_template = "admin/claims/index.html"


CSS = {"all": ["claims/admin/admin.css"]}


def changelist_link(model, count, noun, **filters):
    """ "12 quotes", linked to the list of those 12: every count leads to what it counts."""
    label = f"{count} {noun if count == 1 else noun + 's'}"
    url = reverse(f"admin:claims_{model}_changelist") + "?" + urlencode(filters)
    return format_html('<a href="{}">{}</a>', url, label)


def short(text, length=80):
    return Truncator(text).chars(length)


def partial_date_column(field, precision_field, description):
    """A changelist column showing a date no more precisely than it is known ("November 2025")."""

    @admin.display(description=description, ordering=field)
    def column(self, obj):
        return display.partial_date(getattr(obj, field), getattr(obj, precision_field)) or "—"

    return column


class FoldedSearchMixin:
    """Admin search that also matches folded text and aliases: "maiga" finds Maïga, any JNIM spelling finds JNIM."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            # OR-ing querysets drops their ordering; autocomplete paginates, so restate it.
            ordering = self.get_ordering(request) or queryset.model._meta.ordering
            results = (results | queryset.visible_to(request.user).matching(search_term)).order_by(*ordering)
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


class RoleInline(admin.StackedInline):
    """Stacked, not tabular: seven columns with two date pickers made the add-speaker page 1,747 px wide."""

    form = AccessibleInlineForm
    model = Role
    extra = 1
    fields = [("title", "organisation"), ("start_date", "start_precision"), ("end_date", "end_precision"), "note"]


@admin.register(Speaker)
class SpeakerAdmin(FoldedSearchMixin, VersionCheckedAdmin):
    list_display = ["name", "kind", "alias_list", "quotes_link", "claims_link", "wikidata_id", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "slug", "aliases__name", "search_document"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["quotes_link", "claims_link"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "description", "wikidata_id", "status", "seen_version"]}),
        ("In the record", {"fields": ["quotes_link", "claims_link"]}),
    ]
    inlines = [SpeakerAliasInline, RoleInline]

    class Media:
        css = CSS

    def get_queryset(self, request):
        speakers = super().get_queryset(request).visible_to(request.user)
        return speakers.with_counts().prefetch_related("aliases").order_by(*Speaker._meta.ordering)

    @admin.display(description="aliases")
    def alias_list(self, speaker):
        return ", ".join(alias.name for alias in speaker.aliases.all())

    @admin.display(description="quotes", ordering="quote_count")
    def quotes_link(self, speaker):
        if not speaker.pk:
            return "—"
        return changelist_link("quote", speaker.quote_count, "quote", speaker=speaker.slug)

    @admin.display(description="claims", ordering="claim_count")
    def claims_link(self, speaker):
        if not speaker.pk:
            return "—"
        return changelist_link("claim", speaker.claim_count, "claim", speaker=speaker.slug)


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(SimpleHistoryAdmin):
    list_display = ["name", "speaker", "note"]
    search_fields = ["name", "speaker__name"]
    autocomplete_fields = ["speaker"]
    list_select_related = ["speaker"]


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["speaker", "title", "organisation", "starts", "ends"]
    starts = partial_date_column("start_date", "start_precision", "from")
    ends = partial_date_column("end_date", "end_precision", "until")
    search_fields = ["title", "organisation", "speaker__name"]
    list_filter = ["organisation"]
    autocomplete_fields = ["speaker"]
    list_select_related = ["speaker"]


# Sources ------------------------------------------------------------------------------------


class ArchiveFilter(admin.SimpleListFilter):
    title = "archive"
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("yes", "Archived (full text held)"), ("no", "Referenced only")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.archived()
        if self.value() == "no":
            return queryset.referenced_only()
        return queryset


@admin.register(Source)
class SourceAdmin(VersionCheckedAdmin):
    list_display = ["title", "kind", "publisher", "published", "archive", "quotes_link"]
    list_filter = ["kind", ArchiveFilter, "published_precision", "language"]
    search_fields = ["title", "publisher", "author", "url", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["sha256", "text_with_quotes", "quotes_link"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "publisher", "author", "url", "language"]}),
        ("Publication date", {"fields": ["published_on", "published_precision"]}),
        (
            "Archived text and its quotes",
            {
                "fields": ["text_with_quotes", "quotes_link"],
                "description": "Select a passage of the text to quote it: “Quote this…” opens a new quote "
                "with the text, the source and the offsets filled in.",
            },
        ),
        ("Archive", {"fields": ["text", "sha256"], "classes": ["collapse"]}),
        (None, {"fields": ["note", "seen_version"]}),
    ]
    published = partial_date_column("published_on", "published_precision", "published")

    class Media:
        css = CSS
        js = ["claims/admin/quote-by-selection.js"]

    def get_queryset(self, request):
        sources = super().get_queryset(request).visible_to(request.user)
        return sources.with_quote_count().order_by(*Source._meta.ordering)

    def get_fieldsets(self, request, obj=None):
        # A new source has no text to select in yet: the text box is the first thing to fill.
        if obj is None or not obj.is_archived:
            return [
                (name, {**options, "classes": []} if name == "Archive" else options)
                for name, options in self.fieldsets
                if name != "Archived text and its quotes"
            ]
        return self.fieldsets

    @admin.display(description="archive", ordering="text")
    def archive(self, source):
        return "archived" if source.is_archived else "referenced only"

    @admin.display(description="quotes", ordering="quote_count")
    def quotes_link(self, source):
        if not source.pk:
            return "—"
        count = getattr(source, "quote_count", None)
        count = source.quotes.count() if count is None else count
        return changelist_link("quote", count, "quote", source=source.slug)

    @admin.display(description="archived text")
    def text_with_quotes(self, source):
        if not source.pk or not source.is_archived:
            return "—"
        quotes = source.quotes.select_related("speaker").filter(start__isnull=False)
        return source_text.render(source, quotes, add_url=reverse("admin:claims_quote_add"))


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
    # Six columns, not eight: at 1400 px beside the menu and the filters, the source title must not be cut.
    list_display = ["short_text", "speaker", "source_title", "kind", "said", "state"]
    list_filter = [
        SpeakerChosenFilter,
        SourceChosenFilter,
        ("kind", titled("quote kind")),
        "status",
        "is_translation",
        "has_editorial_marks",
        "is_truncated",
        ("source__kind", titled("source kind")),
    ]
    # The draft list is this list filtered on status Draft; the importer's drafts are reviewed in bulk.
    actions = draft_admin.ACTIONS
    action_form = draft_admin.DraftActionForm
    search_fields = ["text", "speaker__name", "speaker__aliases__name", "source__title"]
    autocomplete_fields = ["speaker", "source", "origin"]
    list_select_related = ["speaker", "source"]
    readonly_fields = [
        "anchoring_status",
        "in_context",
        "supports",
        "has_editorial_marks",
        "is_truncated",
        "extraction_confidence",
        "extraction_cue",
    ]
    fieldsets = [
        (None, {"fields": ["speaker", "source", "text", "kind", "status"]}),
        (
            "Anchor",
            {"fields": ["start", "end", "anchoring_status", "in_context", "has_editorial_marks", "is_truncated"]},
        ),
        ("Claims it carries", {"fields": ["supports"]}),
        (
            "Originally said",
            {"fields": ["said_venue", "said_on", "said_precision", "origin", "language", "is_translation"]},
        ),
        (None, {"fields": ["note", "extraction_confidence", "extraction_cue", "seen_version"]}),
    ]
    said = partial_date_column("said_on", "said_precision", "said")

    class Media:
        css = CSS

    def get_list_display(self, request):
        # The draft review (this list filtered on Draft) also shows what the importer read; the
        # everyday list keeps its six columns.
        columns = list(super().get_list_display(request))
        if request.GET.get("status__exact") == Status.DRAFT:
            columns[columns.index("speaker") + 1 : columns.index("speaker") + 1] = [
                draft_admin.proposal,
                draft_admin.cut_off,
            ]
        return columns

    @admin.display(description="quote")
    def short_text(self, quote):
        return short(quote.text, 70)

    @admin.display(description="source", ordering="source__title")
    def source_title(self, quote):
        return quote.source.title

    @admin.display(description="status", ordering="status")
    def state(self, quote):
        status = quote.get_status_display()
        return status if quote.is_anchored else f"{status}, unanchored"

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

    @admin.display(description="claims")
    def supports(self, quote):
        """The claims this quote asserts or denies, each linked, and the count linked to its attributions."""
        if not quote.pk:
            return "—"
        attributions = list(quote.attributions.select_related("claim").order_by("claim__text"))
        if not attributions:
            return "No claim cites this quote yet."
        items = format_html_join(
            "",
            '<li>{}: <a href="{}">{}</a></li>',
            (
                (
                    attribution.get_stance_display(),
                    reverse("admin:claims_claim_change", args=[attribution.claim_id]),
                    attribution.claim.text,
                )
                for attribution in attributions
            ),
        )
        count = changelist_link("attribution", len(attributions), "attribution", quote=quote.pk)
        return format_html('<ul class="supported-claims">{}</ul><p>{}</p>', items, count)


# Claims -------------------------------------------------------------------------------------


class AttributionInlineFormSet(BaseInlineFormSet):
    """Removing a quote from a claim under a published verdict is refused, as changing or adding one is
    (Attribution.clean): the formset says why above the inline instead of deleting it."""

    def clean(self):
        super().clean()
        refusals = []
        for form in self.forms:
            if form.instance.pk is not None and self.can_delete and self._should_delete_form(form):
                try:
                    form.instance.check_removable()
                except ValidationError as refusal:
                    refusals.extend(refusal.messages)
        if refusals:
            raise ValidationError(sorted(set(refusals)), code="evidence_frozen")


class AttributionInline(admin.TabularInline):
    form = AccessibleInlineForm
    formset = AttributionInlineFormSet
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
    list_display = ["__str__", "review_status", "attributions_link", "relations_link", "created_at"]
    list_filter = [SpeakerChosenFilter, "review_status", ("topics", TopicFilter)]
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

    class Media:
        css = CSS

    def get_queryset(self, request):
        either_side = (
            ClaimRelation.objects.touching(OuterRef("pk"))
            .order_by()
            .annotate(n=Func("pk", function="COUNT"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(attribution_total=Count("attributions", distinct=True), relation_total=Subquery(either_side))
            .order_by(*Claim._meta.ordering)
        )

    @admin.display(description="attributions", ordering="attribution_total")
    def attributions_link(self, claim):
        return changelist_link("attribution", claim.attribution_total, "attribution", claim=claim.pk)

    @admin.display(description="related claims", ordering="relation_total")
    def relations_link(self, claim):
        return changelist_link("claimrelation", claim.relation_total or 0, "relation", claim=claim.pk)

    @admin.display(description="review")
    def review_page(self, claim):
        if not claim.pk:
            return "—"
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
    list_display = ["name", "slug", "claims_link"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_total=Count("claims"))

    @admin.display(description="claims", ordering="claim_total")
    def claims_link(self, topic):
        return changelist_link("claim", topic.claim_total, "claim", topics__id__exact=topic.pk)


@admin.register(Attribution)
class AttributionAdmin(VersionCheckedAdmin):
    list_display = ["claim_short", "speaker", "quote_short", "stance"]
    list_filter = [ClaimChosenFilter, QuoteChosenFilter, "stance"]
    search_fields = ["claim__text", "quote__text", "quote__speaker__name"]
    autocomplete_fields = ["claim", "quote"]
    list_select_related = ["claim", "quote__speaker"]

    class Media:
        css = CSS

    @admin.display(description="claim", ordering="claim__text")
    def claim_short(self, attribution):
        return short(attribution.claim.text)

    def get_deleted_objects(self, objs, request):
        """An attribution under a published verdict is listed as protected: the delete page (and the bulk
        action) refuses it with the reason, as it refuses deleting a quote that claims still cite."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for attribution in objs:
            try:
                attribution.check_removable()
            except ValidationError as refusal:
                protected.append(f"{attribution} — {' '.join(refusal.messages)}")
        return deleted, counts, perms_needed, protected

    @admin.display(description="speaker", ordering="quote__speaker__name")
    def speaker(self, attribution):
        return attribution.quote.speaker

    @admin.display(description="quote", ordering="quote__text")
    def quote_short(self, attribution):
        return short(attribution.quote.text, 70)


@admin.register(ClaimRelation)
class ClaimRelationAdmin(VersionCheckedAdmin):
    list_display = ["from_claim_short", "kind", "to_claim_short", "note_short"]
    list_filter = [ClaimChosenFilter, "kind"]
    search_fields = ["from_claim__text", "to_claim__text", "note"]
    autocomplete_fields = ["from_claim", "to_claim"]
    list_select_related = ["from_claim", "to_claim"]

    class Media:
        css = CSS

    @admin.display(description="claim", ordering="from_claim__text")
    def from_claim_short(self, relation):
        return short(relation.from_claim.text)

    @admin.display(description="to claim", ordering="to_claim__text")
    def to_claim_short(self, relation):
        return short(relation.to_claim.text)

    @admin.display(description="note")
    def note_short(self, relation):
        return short(relation.note, 60)


# Reviews ------------------------------------------------------------------------------------


@admin.register(Review)
class ReviewAdmin(VersionCheckedAdmin):
    list_display = ["claim_short", "rating", "status", "reviewer", "published_at"]
    list_filter = ["status", "rating"]
    search_fields = ["claim__text", "rationale", "rating_label", "publisher_name"]
    autocomplete_fields = ["claim", "reviewer", "evidence_sources", "evidence_quotes"]
    list_select_related = ["claim", "reviewer"]
    readonly_fields = ["review_page"]

    class Media:
        css = CSS

    @admin.display(description="claim", ordering="claim__text")
    def claim_short(self, review):
        return short(review.claim.text)

    @admin.display(description="written on")
    def review_page(self, review):
        url = reverse("admin:claims_claim_review", args=[review.claim_id])
        return format_html('<a href="{}">the claim\'s review page</a>', url)

    # Verdicts are written, published, reopened and discarded on the claim's review page (claims.reviews),
    # which checks whose draft it is and records each step: here they are read, never edited.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "claim_short", "change"]
    list_filter = [ClaimChosenFilter, "action", "to_status"]
    search_fields = ["claim__text", "actor__username"]
    list_select_related = ["claim", "actor"]

    class Media:
        css = CSS

    @admin.display(description="claim", ordering="claim__text")
    def claim_short(self, event):
        return short(event.claim.text)

    @admin.display(description="status")
    def change(self, event):
        return f"{event.get_from_status_display()} → {event.get_to_status_display()}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
