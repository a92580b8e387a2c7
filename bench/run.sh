#!/usr/bin/env bash
# Benchmark the API against Datasette and the raw-SQL floor on the synthetic corpus (run by hand, not in CI).
#
#   bench/run.sh               # reuse the corpus already in $BENCH_DB (generate it when missing)
#   bench/run.sh --regenerate  # rebuild it: PostgreSQL and SQLite load times are recorded
#
#   PGOPTIONS="-c jit=off" bench/run.sh  # libpq options for the API's and the floor's connections
#
# Results go to bench/out/run-<UTC time>/ (wrk outputs, floor.json, machine.txt, table.md).
# Only 127.0.0.1 is ever targeted; the benchmark database is never the default `postgres` one.
set -euo pipefail
cd "$(dirname "$0")/.."

CLAIMS="${CLAIMS:-100000}"
BENCH_DB="${BENCH_DB:-sahel_bench}"
PG="-h 127.0.0.1 -U postgres"
PG_URL="postgres://postgres@127.0.0.1:5432/${BENCH_DB}"
API_PORT="${API_PORT:-8801}"
DATASETTE_PORT="${DATASETTE_PORT:-8802}"
DURATION="${DURATION:-10s}"
# The server model (README, "Serving"): granian, one WSGI worker process per core, each with two threads
# (bench/servers.py compares it with gunicorn's and with other numbers of workers and threads).
SERVER_ARGS="${SERVER_ARGS:---workers 2 --blocking-threads 2}"
CONNECTIONS=8
PY=.venv/bin/python
DATASETTE_VENV=bench/.venv-datasette
DATASETTE_VERSION=0.65.5
SQLITE_FILE=bench/out/corpus.sqlite3
OUT="bench/out/run-$(date -u +%Y%m%dT%H%M%SZ)"

case "$BENCH_DB" in
    postgres|template*|test*) echo "Refusing to benchmark in database '$BENCH_DB': use a database of its own." >&2; exit 2 ;;
esac
mkdir -p "$OUT"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
if [ ! -x "$DATASETTE_VENV/bin/datasette" ]; then
    python3 -m venv "$DATASETTE_VENV"
    "$DATASETTE_VENV/bin/pip" install --quiet "datasette==$DATASETTE_VERSION"
fi
# sqlite-utils: how Datasette users add indexes and full-text search (bench/datasette_setup.sh).
[ -x "$DATASETTE_VENV/bin/sqlite-utils" ] || "$DATASETTE_VENV/bin/pip" install --quiet "sqlite-utils==4.2.1"

claims_in_db() {
    psql $PG -d "$BENCH_DB" -Atc "SELECT count(*) FROM claims_claim" 2>/dev/null || echo 0
}

if [ "${1:-}" = "--regenerate" ] || [ "$(claims_in_db)" != "$CLAIMS" ]; then
    echo "=== Generating $CLAIMS claims on PostgreSQL ($BENCH_DB) ==="
    dropdb $PG --if-exists "$BENCH_DB"
    createdb $PG "$BENCH_DB"
    DEBUG=1 DATABASE_URL="$PG_URL" $PY manage.py migrate --no-input -v0
    DEBUG=1 DATABASE_URL="$PG_URL" $PY manage.py generate_corpus --claims "$CLAIMS" | tee "$OUT/load-postgresql.txt"
    # What autovacuum does on a running server (it is off on some machines): the visibility map lets
    # the count indexes answer with index-only scans.
    psql $PG -d "$BENCH_DB" -qc "VACUUM ANALYZE"
    echo "=== Generating $CLAIMS claims on SQLite (load time only) ==="
    rm -f bench/out/generated.sqlite3
    DEBUG=1 DATABASE_URL="sqlite:///$PWD/bench/out/generated.sqlite3" $PY manage.py migrate --no-input -v0
    DEBUG=1 DATABASE_URL="sqlite:///$PWD/bench/out/generated.sqlite3" $PY manage.py generate_corpus --claims "$CLAIMS" \
        | tee "$OUT/load-sqlite.txt"
    rm -f "$SQLITE_FILE"
fi
if [ ! -f "$SQLITE_FILE" ]; then
    echo "=== Exporting to $SQLITE_FILE for Datasette ==="
    DATABASE_URL="$PG_URL" $PY bench/export_sqlite.py "$SQLITE_FILE" | tee "$OUT/export.txt"
fi
bench/datasette_setup.sh "$SQLITE_FILE"
$PY bench/workloads.py metadata > "$OUT/datasette-metadata.json"
CLAIM_ID="$(psql $PG -d "$BENCH_DB" -Atc "SELECT max(to_claim_id) FROM claims_claimrelation WHERE kind = 'disputes'")"
export W4_CLAIM_ID="$CLAIM_ID"
# Random paths for W6 (claims), W7 (speakers) and W8 (the mix), the same claims and speakers on both sides.
for W in W6 W7; do
    DATABASE_URL="$PG_URL" $PY bench/workloads.py paths api "$W" 20000 > "$OUT/paths-api-$W.txt"
    DATABASE_URL="$PG_URL" $PY bench/workloads.py paths tuned "$W" 20000 > "$OUT/paths-datasette-$W.txt"
done
DATABASE_URL="$PG_URL" $PY bench/workloads.py paths api W8 20000 > "$OUT/paths-api-W8.txt"
for PAGE in claim speaker source; do
    DATABASE_URL="$PG_URL" $PY bench/workloads.py paths site "$PAGE" 20000 > "$OUT/paths-site-$PAGE.txt"
done
# W8's writer: a curator's token in the benchmark database.
WRITER_TOKEN="$(DEBUG=1 DATABASE_URL="$PG_URL" $PY manage.py shell -c "
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user, _ = User.objects.get_or_create(username='bench-writer')
user.groups.add(Group.objects.get(name='curators'))
print(Token.objects.get_or_create(user=user)[0].key)" | tail -1)"  # the last line: Django's shell may print a banner first

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    free -h | sed -n 1,2p
    echo "python: $($PY --version 2>&1 | cut -d' ' -f2)"
    $PY -c "import django, rest_framework, granian, psycopg2; print('django:', django.__version__); \
print('djangorestframework:', rest_framework.VERSION); print('granian:', granian.__version__); \
print('psycopg2:', psycopg2.__version__)"
    echo "postgresql: $(psql $PG -d "$BENCH_DB" -Atc 'SHOW server_version')"
    echo "datasette: $("$DATASETTE_VENV/bin/datasette" --version | cut -d' ' -f3)"
    echo "sqlite: $("$DATASETTE_VENV/bin/python" -c 'import sqlite3; print(sqlite3.sqlite_version)')"
    echo "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
    echo "claims: $(claims_in_db); W4 claim id: $CLAIM_ID"
    echo "PGOPTIONS (API and floor connections): ${PGOPTIONS:-none}"
    echo "granian: $SERVER_ARGS"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt"

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_for() {
    for _ in $(seq 1 50); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done
    echo "Nothing answers at $1" >&2; return 1
}

measure() {  # measure NAME URL [CONNECTIONS]: after an unmeasured warm-up of the same read
    local code connections="${3:-$CONNECTIONS}"
    code="$(curl -s -o "$OUT/$1.body" -w '%{http_code}' "$2")"
    echo "$1 $code $(wc -c < "$OUT/$1.body") bytes  $2"
    # The first workload after a server starts met workers and connections that had not yet read
    # anything (run 17: the built W0 at 125 req/s in one run, 258 in the next, its floor unchanged).
    wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${WARM_UP_FIXED:-2s}" --timeout 10s "$2" > /dev/null
    wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"$DURATION" --timeout 10s --latency "$2" > "$OUT/$1.txt"
}

warm_up() {  # warm_up BASE_URL PATHS_FILE: the same random reads, unmeasured
    # Whichever column reads these rows first would otherwise pay for bringing them into
    # PostgreSQL's buffers (run 10: the replay column, measured first, 198 req/s on W6 against 299).
    PATHS="$2" wrk -t2 -c"$CONNECTIONS" -d"${WARM_UP:-4s}" --timeout 10s -s bench/paths.lua "$1" > /dev/null
}

measure_random() {  # measure_random NAME BASE_URL PATHS_FILE [warmed]: each request a random line of the file, after a warm-up unless warmed
    curl -s -o "$OUT/$1.body" "$2$(head -1 "$3")"
    echo "$1 (random paths from $(basename "$3"))"
    [ "${4:-warm}" = warm ] && warm_up "$2" "$3"
    PATHS="$3" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s bench/paths.lua "$2" > "$OUT/$1.txt"
}

measure_site() {  # measure_site PREFIX: the public pages (claims/site), random claims/speakers/sources and a search
    for PAGE in claim speaker source; do
        measure_random "$1-$PAGE" "http://127.0.0.1:$API_PORT" "$OUT/paths-site-$PAGE.txt"
    done
    measure "$1-search" "http://127.0.0.1:$API_PORT$($PY -c 'import sys; sys.path.insert(0, "bench"); import workloads; print(workloads.SITE_SEARCH)')"
}

measure_mixed() {  # measure_mixed NAME BASE_URL: W8's readers, with the writer committing edits meanwhile
    warm_up "$2" "$OUT/paths-api-W8.txt"  # before the writer starts: it writes while readers are measured
    $PY bench/writer.py "$2" "$WRITER_TOKEN" "${DURATION%s}" 5 > "$OUT/$1-writer.json" &
    local writer=$!
    measure_random "$1" "$2" "$OUT/paths-api-W8.txt" warmed
    wait "$writer"
    echo "  writer: $(cat "$OUT/$1-writer.json")"
}

measure_w8() {  # measure_w8 PREFIX: W8's readers without and with the writer, in two alternated rounds
    # One 10-s window holds only 50 edits, and one slow window (a checkpoint, autovacuum) moved
    # run 14's ratio from the usual 85-95 % to 65 %: two rounds show whether a ratio holds.
    for ROUND in "" "-2"; do
        measure_random "$1-W8-no-writes$ROUND" "http://127.0.0.1:$API_PORT" "$OUT/paths-api-W8.txt"
        measure_mixed "$1-W8$ROUND" "http://127.0.0.1:$API_PORT"
    done
}

start_api() {  # start_api [VAR=value…]: the API with production settings (DEBUG off), plain HTTP on the loopback
    env DATABASE_URL="$PG_URL" SECRET_KEY=bench-only-not-secret DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 \
        THROTTLE_ANON=100000000/second THROTTLE_USER=100000000/second "$@" .venv/bin/granian --interface wsgi \
        $SERVER_ARGS --host 127.0.0.1 --port "$API_PORT" sahel.wsgi:application > "$OUT/server.log" 2>&1 &
    PIDS+=($!)
    wait_for "http://127.0.0.1:$API_PORT/api/"
}
stop_api() { kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true; PIDS=(); }

# As a deployment does: with DEBUG off the pages name their CSS and scripts through the manifest.
DATABASE_URL="$PG_URL" SECRET_KEY=bench-only-not-secret DEBUG=0 $PY manage.py collectstatic --no-input -v0
start_api
API_STATUS="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/api/")"
if [ "$API_STATUS" = 200 ]; then
    echo "=== API (granian $SERVER_ARGS; anonymous reads replayed while the data is unchanged) ==="
    # W5: page 500 reached the way a client reads deep, by following `next` from the first cursor page.
    W5_PATH="$($PY bench/workloads.py follow "http://127.0.0.1:$API_PORT" "/api/claims/?cursor=&page_size=50" 500)"
    export W5_PATH
    echo "W5 cursor path: $W5_PATH" | tee -a "$OUT/machine.txt"
    for W in W0 W1 W2 W3 W4 W5; do
        measure "api-$W" "http://127.0.0.1:$API_PORT$($PY bench/workloads.py api $W "$CLAIM_ID")"
    done
    for W in W6 W7; do
        measure_random "api-$W" "http://127.0.0.1:$API_PORT" "$OUT/paths-api-$W.txt"
    done
    measure_w8 "api"
    measure_site "site"
    stop_api

    # The same reads, each built afresh: what a request costs when its answer is not stored yet
    # (a first read, or the first after a write).
    start_api API_READ_CACHE_SECONDS=0
    echo "=== API, every read built (API_READ_CACHE_SECONDS=0) ==="
    for W in W0 W1 W2 W3 W4 W5; do
        measure "api-built-$W" "http://127.0.0.1:$API_PORT$($PY bench/workloads.py api $W "$CLAIM_ID")"
    done
    for W in W6 W7; do
        measure_random "api-built-$W" "http://127.0.0.1:$API_PORT" "$OUT/paths-api-$W.txt"
    done
    measure_w8 "api-built"
    measure_site "site-built"
    # A search's latency as one reader sees it, without the queue in front of 2 busy workers.
    measure "api-W2-one-client" "http://127.0.0.1:$API_PORT$($PY bench/workloads.py api W2 "$CLAIM_ID")" 1
    # The ceiling of the stack itself (granian, Django, DRF, one tiny query): no built read can beat it.
    measure "api-stack" "http://127.0.0.1:$API_PORT/api/relations/?page_size=1"
else
    echo "/api/ answers $API_STATUS: no API to measure yet." | tee "$OUT/api-missing.txt"
fi
stop_api

echo "=== Datasette $DATASETTE_VERSION on SQLite ==="
"$DATASETTE_VENV/bin/datasette" serve --immutable "$SQLITE_FILE" --metadata "$OUT/datasette-metadata.json" \
    --setting sql_time_limit_ms 10000 --host 127.0.0.1 --port "$DATASETTE_PORT" > "$OUT/datasette.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$DATASETTE_PORT/"
for W in W0 W1 W2 W3 W4 W5; do
    measure "datasette-$W" "http://127.0.0.1:$DATASETTE_PORT$($PY bench/workloads.py datasette $W "$CLAIM_ID")"
done
# As its users set it up: indexes, FTS5, keyset pages (bench/datasette_setup.sh, TUNED_SQL).
for W in W0 W1 W2 W3 W4 W5; do
    measure "datasette-tuned-$W" \
        "http://127.0.0.1:$DATASETTE_PORT$(DATABASE_URL="$PG_URL" $PY bench/workloads.py tuned $W "$CLAIM_ID")"
done
for W in W6 W7; do
    measure_random "datasette-tuned-$W" "http://127.0.0.1:$DATASETTE_PORT" "$OUT/paths-datasette-$W.txt"
done
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true; PIDS=()

if [ "$API_STATUS" = 200 ]; then
    echo "=== Floor: the API's SQL through psycopg2 ==="
    DATABASE_URL="$PG_URL" $PY bench/floor.py --claim-id "$CLAIM_ID" --seconds 5 > "$OUT/floor.json"
fi

$PY bench/report.py "$OUT" | tee "$OUT/table.md"
echo "Results in $OUT"
