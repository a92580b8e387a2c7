#!/usr/bin/env bash
# Fault test, by hand: restart PostgreSQL under a wrk load plus a stream of writes, and measure
# what the API answers while it is down, how long it takes to recover (no app-server restart),
# and that every write is whole or absent. Figures go to bench/RESULTS.md (## Fault test).
#
# Uses its own database (sahel_fault) and only 127.0.0.1. It RESTARTS the local PostgreSQL
# cluster: run it when nobody else is using PostgreSQL on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."

PG="-h 127.0.0.1 -U postgres"
DB=sahel_fault
PORT="${FAULT_PORT:-8765}"
DOWN_SECONDS="${DOWN_SECONDS:-5}"
PG_VERSION="$(ls /etc/postgresql | head -1)"
OUT="bench/out/fault-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
PY=.venv/bin/python
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export SECRET_KEY=fault-test-only-not-secret DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0
export THROTTLE_ANON=100000000/second THROTTLE_USER=100000000/second

dropdb $PG --if-exists "$DB"
createdb $PG "$DB"
$PY manage.py migrate --no-input -v0
$PY manage.py load_seed -v0
TOKEN="$($PY manage.py shell -v0 -c "
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
user = get_user_model().objects.create_superuser('fault', 'fault@example.org', 'x' * 20)
print(Token.objects.create(user=user).key)" | tail -1)"

.venv/bin/granian --interface wsgi --workers 2 --host 127.0.0.1 --port "$PORT" sahel.wsgi:application \
    > "$OUT/server.log" 2>&1 &
SERVER=$!
cleanup() {
    kill "$SERVER" 2>/dev/null || true
    pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/api/claims/" >/dev/null && break; sleep 0.2; done

# Writes and probes in one Python loop: every 50 ms, POST a claim (with a unique text) and GET the
# claims list; each answer is logged with its time, status and whether a 5xx body was JSON.
$PY bench/fault_client.py "http://127.0.0.1:$PORT" "$TOKEN" 30 > "$OUT/client.jsonl" &
CLIENT=$!
wrk -t2 -c8 -d30s --timeout 10s "http://127.0.0.1:$PORT/api/claims/" > "$OUT/wrk.txt" &
WRK=$!

sleep 10
date -u +%s.%N > "$OUT/stop_at"
pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main stop -m fast
sleep "$DOWN_SECONDS"
pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 0.2; done
date -u +%s.%N > "$OUT/start_at"

wait "$WRK" "$CLIENT"
$PY bench/fault_report.py "$OUT" "$DATABASE_URL" | tee "$OUT/report.md"
