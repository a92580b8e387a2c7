#!/usr/bin/env bash
# Datasette as its users set it up: the export gets PostgreSQL's own extra indexes and FTS5 tables.
#   bench/datasette_setup.sh FILE.sqlite3   (idempotent; uses sqlite-utils from bench/.venv-datasette)
set -euo pipefail
FILE="$1"
UTILS="$(dirname "$0")/.venv-datasette/bin/sqlite-utils"
# The indexes PostgreSQL has beyond Django's models (migrations 0003 and 0004), as SQLite indexes.
"$UTILS" create-index --if-not-exists "$FILE" claims_speaker name slug
"$UTILS" create-index --if-not-exists "$FILE" claims_source -- -published_on title
"$UTILS" create-index --if-not-exists "$FILE" claims_review -- -published_at -created_at
"$UTILS" create-index --if-not-exists "$FILE" claims_claimrelation to_claim_id kind
"$UTILS" create-index --if-not-exists "$FILE" claims_claimrelation from_claim_id kind
"$UTILS" create-index --if-not-exists "$FILE" claims_quote speaker_id id
"$UTILS" create-index --if-not-exists "$FILE" claims_attribution quote_id claim_id
# Full-text search (FTS5) where PostgreSQL has its trigram indexes: quote text, claim text, speaker names.
TABLES="$("$UTILS" tables "$FILE")"
for spec in "claims_quote text" "claims_claim text" "claims_speaker name"; do
    set -- $spec
    case "$TABLES" in
        *"\"${1}_fts\""*) ;;
        *) "$UTILS" enable-fts "$FILE" "$1" "$2" --fts5 ;;
    esac
done
"$UTILS" query "$FILE" "ANALYZE" >/dev/null
