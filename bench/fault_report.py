"""Summarise a fault run: errors, 503 bodies, recovery time, and writes whole or absent."""

import json
import sys
from pathlib import Path

import psycopg2

out, url = Path(sys.argv[1]), sys.argv[2]
records = [json.loads(line) for line in (out / "client.jsonl").read_text().splitlines() if line.strip()]
stop_at = float((out / "stop_at").read_text())
start_at = float((out / "start_at").read_text())
errors = [r for r in records if not 200 <= r["status"] < 300]
after_start = [r for r in records if r["t"] >= start_at]
first_ok = next((r["t"] for r in after_start if r["method"] == "GET" and r["status"] == 200), None)
last_error = max((r["t"] for r in errors), default=None)
statuses = {}
for r in errors:
    statuses[r["status"]] = statuses.get(r["status"], 0) + 1

# Whole or absent: a claim written (201) must be in the database once with its text; a claim whose
# write failed must be absent or, if the answer was lost with the connection, complete.
connection = psycopg2.connect(url)
with connection.cursor() as cursor:
    cursor.execute("SELECT text, slug, version FROM claims_claim WHERE text LIKE 'Fault-test claim %%'")
    stored = {text: (slug, version) for text, slug, version in cursor.fetchall()}
written = [r for r in records if r["method"] == "POST"]
created = [r for r in written if r["status"] == 201]
missing = [r["text"] for r in created if r["text"] not in stored]
partial = [text for text, (slug, version) in stored.items() if not slug or version != 1]
wrk = (out / "wrk.txt").read_text()

print(f"- PostgreSQL down for {start_at - stop_at:.1f} s (stop → accepting connections again)")
print(f"- client requests: {len(records)}; non-2xx: {len(errors)} by status {statuses}")
print(
    f"- non-2xx answers that were JSON: {sum(r['json'] for r in errors if r['status'])}/"
    f"{sum(1 for r in errors if r['status'])}; with a traceback: {sum(r['traceback'] for r in records)}"
)
print(f"- slowest answer: {max(r['took'] for r in records):.2f} s")
if first_ok is not None:
    print(f"- recovery: first 200 {first_ok - start_at:.2f} s after PostgreSQL accepted connections again")
if last_error is not None:
    print(f"- last error {last_error - start_at:+.2f} s relative to PostgreSQL being back")
print(
    f"- writes: {len(written)} sent, {len(created)} answered 201, {len(stored)} stored; "
    f"201 but missing: {len(missing)}; partial rows: {len(partial)}"
)
print("- wrk:")
for line in wrk.splitlines():
    if "requests in" in line or "Non-2xx" in line or "Socket errors" in line or "Requests/sec" in line:
        print(f"    {line.strip()}")
