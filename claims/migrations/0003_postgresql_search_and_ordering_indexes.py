"""PostgreSQL-only indexes for the API's search and default orderings.

Search (`?q=`) filters on the folded `search_document` with `LIKE '% word%'` (querysets.matching),
the same query on every database, so SQLite and PostgreSQL find the same rows. On PostgreSQL a GIN
trigram index (pg_trgm, gin_trgm_ops) serves that LIKE. The unaccent extension is not needed: the
documents and the search terms are both folded (accents, case, apostrophes) in Python, text.fold.

These indexes are created with SQL, outside Django's model state, because they only exist on
PostgreSQL; on SQLite this migration does nothing.
"""

from django.db import migrations

SEARCHED_TABLES = ["claims_speaker", "claims_quote", "claims_claim"]

# Default orderings without an index of their own (Speaker: name; Source: -published_on, title;
# Review: -published_at, -created_at), so a first page is read from an index, not sorted whole.
ORDERING_INDEXES = {
    "claims_speaker_name_slug_idx": "claims_speaker (name, slug)",
    "claims_source_published_title_idx": "claims_source (published_on DESC, title)",
    "claims_review_published_created_idx": "claims_review (published_at DESC, created_at DESC)",
    "claims_claimrelation_to_kind_idx": "claims_claimrelation (to_claim_id, kind)",
    "claims_claimrelation_from_kind_idx": "claims_claimrelation (from_claim_id, kind)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in SEARCHED_TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} USING gin (search_document gin_trgm_ops)"
        )
    for name, definition in ORDERING_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [f"{table}_search_trgm" for table in SEARCHED_TABLES] + list(ORDERING_INDEXES):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_curators_and_reviewers_groups")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
