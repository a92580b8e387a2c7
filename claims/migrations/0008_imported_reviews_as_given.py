import datetime
import hashlib

from django.conf import settings
from django.db import migrations, models

import claims.validators
from claims.claimreview import publisher_key


def keep_imported_reviews_as_given(apps, schema_editor):
    """Undo what earlier imports made up, so that the stored record says what the feeds said.

    - A feed's review without a date was given the import's own time. Dates taken from a feed are
      stored at midnight UTC, so an imported review (a publisher named, no reviewer of this site)
      dated at any other time carries the invented one: it becomes undated.
    - A review whose feed gave no URL was keyed by a `urn:` in its URL, which the http(s)-only rule
      emptied: its import key is derived again, as the importer derives it, so the next import of
      its feed finds it instead of adding it twice.
    - A claim marked reviewed by an imported label that maps onto no verdict ("Full Flop") goes
      back to unreviewed unless a verdict on the scale stands.
    """
    Review = apps.get_model("claims", "Review")
    Claim = apps.get_model("claims", "Claim")
    imported = Review.objects.exclude(publisher_name="").filter(reviewer__isnull=True)
    for review in imported.filter(published_at__isnull=False).only("pk", "published_at"):
        at = review.published_at.astimezone(datetime.UTC)
        if (at.hour, at.minute, at.second, at.microsecond) != (0, 0, 0, 0):
            Review.objects.filter(pk=review.pk).update(published_at=None)
    for review in imported.filter(url="", import_key="").select_related("claim"):
        day = review.published_at.astimezone(datetime.UTC).date().isoformat() if review.published_at else ""
        text = "\n".join([review.claim.text, publisher_key(review.publisher_name), day])
        key = f"urn:claimreview:{hashlib.sha256(text.encode()).hexdigest()[:16]}"
        if not Review.objects.filter(import_key=key).exists():
            Review.objects.filter(pk=review.pk).update(import_key=key)
    rated = Review.objects.filter(status="published").exclude(rating="")
    unrated = imported.filter(status="published", rating="")
    Claim.objects.filter(review_status="reviewed", pk__in=unrated.values("claim")).exclude(
        pk__in=rated.values("claim")
    ).update(review_status="unreviewed")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_attribution_questions_stance_reviewevent_actor_optional"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="review",
            name="review_published_has_date",
        ),
        migrations.AddField(
            model_name="historicalreview",
            name="import_key",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Finds again an imported review whose feed gave no URL (a digest of claim, publisher and date).",
                max_length=40,
            ),
        ),
        migrations.AddField(
            model_name="historicalreview",
            name="sd_license",
            field=models.CharField(
                blank=True,
                help_text="The licence its feed states for an imported review (schema.org sdLicense), as given.",
                max_length=1000,
                verbose_name="licence",
            ),
        ),
        migrations.AddField(
            model_name="review",
            name="import_key",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Finds again an imported review whose feed gave no URL (a digest of claim, publisher and date).",
                max_length=40,
            ),
        ),
        migrations.AddField(
            model_name="review",
            name="sd_license",
            field=models.CharField(
                blank=True,
                help_text="The licence its feed states for an imported review (schema.org sdLicense), as given.",
                max_length=1000,
                validators=[claims.validators.validate_no_control_characters],
                verbose_name="licence",
            ),
        ),
        migrations.AddConstraint(
            model_name="review",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "draft"),
                    ("published_at__isnull", False),
                    models.Q(("publisher_name", ""), _negated=True),
                    _connector="OR",
                ),
                name="review_published_has_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="review",
            constraint=models.UniqueConstraint(
                condition=models.Q(("import_key", ""), _negated=True),
                fields=("import_key",),
                name="review_unique_import_key",
            ),
        ),
        migrations.RunPython(keep_imported_reviews_as_given, migrations.RunPython.noop),
    ]
