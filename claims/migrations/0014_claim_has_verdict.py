"""Claim.has_verdict: stored, derived from the reviews, with a partial index holding the review queue."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def derive_has_verdict(apps, schema_editor):
    """The flag for the claims already recorded (later changes go through claims.signals)."""
    Claim = apps.get_model("claims", "Claim")
    verdicts = apps.get_model("claims", "Review").objects.filter(status="published").exclude(rating="")
    Claim.objects.update(has_verdict=Exists(verdicts.filter(claim=OuterRef("pk"))))


class Migration(migrations.Migration):
    dependencies = [("claims", "0013_speaker_not_approved_idx")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="has_verdict",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Derived from the reviews: a published review rates this claim on the scale.",
            ),
        ),
        migrations.RunPython(derive_has_verdict, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("has_verdict", False), ("is_disputed", True))
                & ~models.Q(("review_status", "reviewed")),
                fields=["created_at", "id"],
                name="claim_review_queue_idx",
            ),
        ),
    ]
