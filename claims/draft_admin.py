"""The admin's draft review: bulk approve, reassign speaker and reject on the Quote list.

The draft list is the Quote list filtered on status "Draft"; these actions call the services in
claims.ingest, so the admin, the API and the importer share one set of rules.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError

from .ingest import drafts_approve, drafts_reassign, drafts_reject
from .models import Speaker


class DraftActionForm(ActionForm):
    # A slug typed in, not a select of every speaker: the list page stays light however many there are.
    speaker = forms.CharField(
        required=False,
        label="Speaker (slug, for “reassign”)",
        widget=forms.TextInput(attrs={"placeholder": "speaker slug", "size": 24}),
    )


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


@admin.action(description="Reassign selected quotes to the speaker given (slug)", permissions=["change"])
def reassign_speaker(modeladmin, request, queryset):
    slug = request.POST.get("speaker", "").strip()
    speaker = Speaker.objects.filter(slug=slug).first() if slug else None
    if speaker is None:
        modeladmin.message_user(
            request, f"No speaker with the slug “{slug}”: type an existing speaker's slug.", messages.ERROR
        )
        return
    count = drafts_reassign(quotes=queryset, speaker=speaker, user=request.user)
    modeladmin.message_user(request, f"{count} quote(s) reassigned to {speaker.name}.", messages.SUCCESS)


ACTIONS = [approve_drafts, reassign_speaker, reject_drafts]
