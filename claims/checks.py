"""System checks (`manage.py check`): settings that would only fail later, at the first import, fail at deploy."""

from django.conf import settings
from django.core import checks

from . import claimreview


@checks.register()
def claimreview_rating_labels(app_configs, **kwargs):
    try:
        claimreview.rating_table(getattr(settings, "CLAIMREVIEW_RATING_LABELS", {}))
    except ValueError as error:
        return [checks.Error(f"CLAIMREVIEW_RATING_LABELS: {error}", id="claims.E001")]
    return []
