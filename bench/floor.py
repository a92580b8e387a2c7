"""The floor: the SQL the API issues for each workload, run directly through psycopg2 in a loop.

For each workload the API is called once in-process (Django test client) while its queries are
captured; those exact statements are then replayed on one psycopg2 connection for a few seconds,
fetching every row, once without and once with `json.dumps` of the rows. Nothing but the database
round trips (and the encoding) is left, so no HTTP server can beat these figures.

    DATABASE_URL=postgres://…/sahel_bench python bench/floor.py --claim-id 123 --seconds 5 > bench/out/floor.json
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sahel.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("THROTTLE_ANON", "1000000/second")
# The SQL that builds each page: no replay, and so no snapshot query (claims/api/read_cache.py).
os.environ.setdefault("API_READ_CACHE_SECONDS", "0")
# The statements as SQL, not EXECUTEs of statements prepared on the capturing connection only.
os.environ.setdefault("DATABASE_PREPARED_STATEMENTS", "0")

import django  # noqa: E402

django.setup()

import psycopg2  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from workloads import DESCRIPTIONS, api_path  # noqa: E402

# Transaction bookkeeping is not the query's work; psycopg2 opens its own transaction anyway.
SKIPPED_PREFIXES = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT")


def capture(path):
    client = Client(HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_ACCEPT="application/json")
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}: {response.content[:300]!r}")
    return [query["sql"] for query in captured.captured_queries if not query["sql"].startswith(SKIPPED_PREFIXES)]


def replay(cursor, statements, seconds, encode):
    timings, deadline = [], time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        results = []
        for sql in statements:
            cursor.execute(sql)
            rows = cursor.fetchall()
            if encode:
                columns = [column.name for column in cursor.description]
                results.append([dict(zip(columns, row, strict=True)) for row in rows])
        if encode:
            json.dumps(results, default=str)
        timings.append(time.perf_counter() - started)
    timings.sort()
    return {
        "requests_per_second": round(len(timings) / sum(timings), 1),
        "p50_ms": round(statistics.median(timings) * 1000, 2),
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000, 2),
        "iterations": len(timings),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claim-id", required=True)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--workloads", default="W0,W1,W2,W3,W4,W5")
    parser.add_argument("--show-sql", action="store_true", help="Print the captured SQL to stderr.")
    args = parser.parse_args()

    results = {}
    database = psycopg2.connect(os.environ["DATABASE_URL"])
    database.autocommit = True
    with database.cursor() as cursor:
        for workload in args.workloads.split(","):
            path = api_path(workload, args.claim_id)
            statements = capture(path)
            if args.show_sql:
                print(f"--- {workload} {path}: {len(statements)} queries", file=sys.stderr)
                for sql in statements:
                    print(sql + ";", file=sys.stderr)
            results[workload] = {
                "path": path,
                "description": DESCRIPTIONS[workload],
                "queries": len(statements),
                "sql": statements,
                "raw": replay(cursor, statements, args.seconds, encode=False),
                "json": replay(cursor, statements, args.seconds, encode=True),
            }
            print(
                f"{workload}: {results[workload]['queries']} queries, raw {results[workload]['raw']}, "
                f"json {results[workload]['json']}",
                file=sys.stderr,
            )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
