"""Form helpers shared by the admin's forms."""

from django import forms


def label_widgets_for_assistive_technology(form):
    """Give every control a name a screen reader can announce.

    Tabular inlines show labels as column headers, not <label for=…>, and split date/time
    widgets label only their first box; an aria-label names each control explicitly.
    """
    for field in form.fields.values():
        label = str(field.label or "")
        widget = field.widget
        # The admin wraps relation widgets (add/change links); the control is the inner widget.
        widget = getattr(widget, "widget", widget)
        if isinstance(widget, forms.MultiWidget):
            for index, subwidget in enumerate(widget.widgets):
                subwidget.attrs.setdefault("aria-label", f"{label} ({index + 1} of {len(widget.widgets)})")
        else:
            widget.attrs.setdefault("aria-label", label)


class AccessibleInlineForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_widgets_for_assistive_technology(self)
