"""PostgreSQL-only covering indexes for a claim's standing verdict and a speaker's carried claims (issue 17).

Like 0004 and 0012, created with SQL outside Django's model state; on SQLite this migration does
nothing (SQLite refuses NULLS LAST in an index, and has no INCLUDE).

- `claims_review_standing_verdict_idx`: a claim's published reviews, the standing verdict first,
  with the rating and the publisher's wording. Every read that shows a claim's verdict
  (`standing_verdicts()`: claim details and lists, a speaker page's claims) probed the claim's
  reviews of every status by claim_id, visited each in the heap and sorted them: now one index-only
  probe, no sort. On the 100k-claim corpus: 0.15 ms less PostgreSQL CPU per claim detail (of 0.5),
  0.2 ms per speaker page (of 1.4), whose up to 100 claims each probe it twice.
- `claims_attribution_quote_claim_idx` gains the stance and the key: a speaker page groups the
  attributions of the speaker's quotes by claim and stance, and read each from the heap (a bitmap
  scan per quote); now from the index alone. It still leads with (quote_id, claim_id), what 0004
  made it for: speakers' claim counts, index-only as before.
"""

from django.db import migrations

STANDING_VERDICT = "claims_review_standing_verdict_idx"
STANDING_VERDICT_ON = (
    "claims_review (claim_id, published_at DESC NULLS LAST, id DESC) INCLUDE (rating, rating_label) "
    "WHERE status = 'published'"
)
QUOTE_CLAIM = "claims_attribution_quote_claim_idx"
QUOTE_CLAIM_BEFORE = "claims_attribution (quote_id, claim_id)"
QUOTE_CLAIM_AFTER = "claims_attribution (quote_id, claim_id) INCLUDE (stance, id)"


def _replace_quote_claim_index(schema_editor, definition):
    schema_editor.execute(f"DROP INDEX IF EXISTS {QUOTE_CLAIM}")
    schema_editor.execute(f"CREATE INDEX {QUOTE_CLAIM} ON {definition}")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {STANDING_VERDICT} ON {STANDING_VERDICT_ON}")
    _replace_quote_claim_index(schema_editor, QUOTE_CLAIM_AFTER)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {STANDING_VERDICT}")
    _replace_quote_claim_index(schema_editor, QUOTE_CLAIM_BEFORE)


class Migration(migrations.Migration):
    dependencies = [("claims", "0016_cursor_pages_of_quotes_and_attributions")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
