"""The admin's draft review: bulk approve, reassign speaker and reject on the Quote list.

The draft list is the Quote list filtered on status "Draft"; these actions call the services in
claims.ingest, so the admin, the API and the importer share one set of rules.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError

from .ingest import drafts_approve, drafts_reassign, drafts_reject
from .models import Quote, Speaker


class DraftActionForm(ActionForm):
    # An autocomplete (the speaker admin's search: names, aliases), not a select of every speaker:
    # the list page renders only the chosen one, however many speakers there are.
    speaker = forms.ModelChoiceField(
        queryset=Speaker.objects.all(),
        required=False,
        label="Speaker (for “reassign”)",
        widget=AutocompleteSelect(Quote._meta.get_field("speaker"), admin.site),
    )


@admin.display(description="proposed by the importer")
def proposal(quote):
    """The extractor's confidence and the cue it read: what a curator checks before approving."""
    if quote.extraction_confidence is None:
        return "—"
    return f"{quote.extraction_confidence:.2f} · {quote.extraction_cue}"


@admin.display(description="cut off", boolean=True, ordering="is_truncated")
def cut_off(quote):
    """The text ends before the quotation closes: a curator checks the rest of it elsewhere."""
    return quote.is_truncated


@admin.action(description="Approve selected drafts (and their draft speakers)", permissions=["change"])
def approve_drafts(modeladmin, request, queryset):
    try:
        count = drafts_approve(quotes=queryset, user=request.user)
    except ValidationError as error:
        modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        return
    modeladmin.message_user(request, f"{count} draft quote(s) approved.", messages.SUCCESS)


@admin.action(description="Reject selected drafts (delete them)", permissions=["delete"])
def reject_drafts(modeladmin, request, queryset):
    deleted, kept = drafts_reject(quotes=queryset, user=request.user)
    modeladmin.message_user(request, f"{deleted} draft quote(s) rejected and deleted.", messages.SUCCESS)
    if kept:
        modeladmin.message_user(
            request,
            f"{kept} draft quote(s) kept: claims already cite them; remove those links first.",
            messages.WARNING,
        )


@admin.action(description="Reassign selected quotes to the speaker chosen", permissions=["change"])
def reassign_speaker(modeladmin, request, queryset):
    form = DraftActionForm(request.POST)
    form.fields["action"].choices = [(request.POST.get("action", ""), "")]
    speaker = form.cleaned_data.get("speaker") if form.is_valid() else None
    if speaker is None:
        modeladmin.message_user(
            request, "Choose the speaker to reassign to (type a name in the speaker box).", messages.ERROR
        )
        return
    try:
        count = drafts_reassign(quotes=queryset, speaker=speaker, user=request.user)
    except ValidationError as error:  # a published quote carrying a claim under a published verdict
        modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        return
    modeladmin.message_user(request, f"{count} quote(s) reassigned to {speaker.name}.", messages.SUCCESS)


ACTIONS = [approve_drafts, reassign_speaker, reject_drafts]
