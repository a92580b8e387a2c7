"""Optimistic concurrency: nobody overwrites a change they have not seen.

Every Versioned row carries a version number that each save increments. An edit states the
version it started from (the admin form's hidden `seen_version`, the API's If-Match ETag); if the
row has moved on since, the edit is refused with who changed it and when.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .forms import label_widgets_for_assistive_technology


def etag_for(instance):
    return etag_of(instance.pk, instance.version)


def etag_of(pk, version):
    return f'"{pk}-{version}"'


def last_change_by(instance):
    """'changed by NAME at TIME' for the newest recorded change of `instance`, as far as known."""
    history = getattr(instance, "history", None)
    record = history.select_related("history_user").first() if history is not None else None
    if record is None:
        return "changed by someone else"
    who = record.history_user.get_username() if record.history_user else "an unknown user"
    when = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M:%S %Z")
    return f"changed by {who} at {when}"


def stale_edit_error(instance):
    current = type(instance)._default_manager.get(pk=instance.pk)
    return ValidationError(
        f"This {instance._meta.verbose_name} was {last_change_by(current)} — reload the page and apply "
        "your edit again.",
        code="stale_version",
    )


def current_version(instance, lock=False):
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if lock:
        rows = rows.select_for_update()
    return rows.values_list("version", flat=True).first()


class VersionCheckedForm(forms.ModelForm):
    """A model form that refuses to save over a version newer than the one it was opened on."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self.instance.version
        label_widgets_for_assistive_technology(self)

    def clean(self):
        cleaned_data = super().clean()
        seen = cleaned_data.get("seen_version")
        # The row stays locked until the request's transaction ends, so two saves cannot both pass.
        if self.instance.pk is not None and seen is not None and current_version(self.instance, lock=True) != seen:
            raise stale_edit_error(self.instance)
        return cleaned_data
