"""Claim.is_disputed: stored, derived from the relations, with a partial index for the review queue."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q


def derive_is_disputed(apps, schema_editor):
    """The flag for the claims already recorded (later changes go through claims.signals)."""
    Claim = apps.get_model("claims", "Claim")
    disputes = apps.get_model("claims", "ClaimRelation").objects.filter(kind="disputes")
    disputed = Q(Exists(disputes.filter(to_claim=OuterRef("pk")))) | Q(
        Exists(disputes.filter(from_claim=OuterRef("pk")))
    )
    Claim.objects.update(is_disputed=ExpressionWrapper(disputed, output_field=models.BooleanField()))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_postgresql_covering_indexes_for_counts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="is_disputed",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Derived from the relations: some claim disputes this one, or it disputes another.",
            ),
        ),
        migrations.RunPython(derive_is_disputed, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("is_disputed", True)), fields=["created_at", "id"], name="claim_disputed_by_age_idx"
            ),
        ),
    ]
