from django.db import migrations, models

from claims import anchoring

KEPT = ["context_prefix", "context_suffix", "context_fingerprint"]  # as the model names them at 0018


def keep_contexts(apps, schema_editor):
    """Each anchored quote's kept context (anchoring.kept_context()), as Quote.derive_fields() keeps it."""
    Quote = apps.get_model("claims", "Quote")
    Source = apps.get_model("claims", "Source")
    anchored = Quote.objects.filter(start__isnull=False).order_by("source_id", "pk")
    batch, source = [], None
    for quote in anchored.only("pk", "source_id", "start", "end", "text").iterator(chunk_size=2000):
        if source is None or source.pk != quote.source_id:
            source = Source.objects.only("text", "sha256").get(pk=quote.source_id)  # one text in memory at a time
        quote.context_prefix, quote.context_suffix, quote.context_fingerprint = anchoring.kept_context(
            source.text, source.sha256, quote.start, quote.end, quote.text
        )
        batch.append(quote)
        if len(batch) == 2000:
            Quote.objects.bulk_update(batch, KEPT)
            batch = []
    Quote.objects.bulk_update(batch, KEPT)


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0017_postgresql_standing_verdict_and_carried_claims_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='quote',
            name='context_fingerprint',
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name='quote',
            name='context_prefix',
            field=models.CharField(blank=True, editable=False, max_length=60),
        ),
        migrations.AddField(
            model_name='quote',
            name='context_suffix',
            field=models.CharField(blank=True, editable=False, max_length=60),
        ),
        migrations.RunPython(keep_contexts, migrations.RunPython.noop),
    ]
