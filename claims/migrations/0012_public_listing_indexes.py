"""PostgreSQL-only indexes for the public site's listings and search at scale (issue 17).

Like 0003, created with SQL outside Django's model state; on SQLite this migration does nothing
(SQLite refuses NULLS LAST in an index, and gin_trgm_ops is PostgreSQL's).

- `claims_review_published_latest_idx`: the published reviews, newest first. The home page's latest
  verdicts and /verdicts/ list `Review.objects.current_verdicts().latest_first()`: walking this
  index and probing each review's claim for a newer one stops at the page (0.2 ms at 100k claims),
  where reading the claims with their verdicts sorted every claim that has one (≈ 100 ms). NULLS
  LAST as latest_first() orders: undated imported reviews last.
- Trigram GIN indexes on the upper-cased title, publisher and author of sources: the expressions
  `SourceQuerySet.matching()`'s icontains filters compare (UPPER(col) LIKE UPPER('%word%')). Without
  them a source search read all 20k sources (≈ 65 ms at 100k claims) and PostgreSQL, with no
  statistics on those expressions, could not tell a rare word from a common one; with them a rare
  word is a bitmap scan and a common one walks the default order's index (≈ 1 ms).
"""

from django.db import migrations

INDEXES = {
    "claims_review_published_latest_idx": (
        "claims_review (published_at DESC NULLS LAST, id DESC) WHERE status = 'published'"
    ),
    **{
        f"claims_source_{column}_upper_trgm": f"claims_source USING gin (upper({column}::text) gin_trgm_ops)"
        for column in ("title", "publisher", "author")
    },
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0011_quote_is_truncated")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
