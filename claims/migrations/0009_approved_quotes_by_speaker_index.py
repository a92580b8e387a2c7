"""A partial index of the approved quotes by speaker, for the counts readers are shown.

Anonymous readers' speaker counts (`SpeakerQuerySet.with_counts()` under `visible_to`) count approved
quotes only. 0004's (speaker_id, id) index holds no status, so each counted quote cost a heap visit;
this one holds only approved quotes, so the count walks the index alone again, as curators' counts
(all quotes) do through 0004's.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_imported_reviews_as_given")]

    operations = [
        migrations.AddIndex(
            model_name="quote",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["speaker", "id"],
                name="quote_approved_by_speaker_idx",
            ),
        ),
    ]
