"""EXPLAIN ANALYZE every statement the API issues for each workload (from floor.py's JSON output).

python bench/explain.py bench/out/run-…/floor.json [W2 …]
"""

import json
import os
import sys
from pathlib import Path

import psycopg2


def main(floor_file, workloads):
    captured = json.loads(Path(floor_file).read_text())
    database = psycopg2.connect(os.environ["DATABASE_URL"])
    database.autocommit = True
    with database.cursor() as cursor:
        for workload, result in captured.items():
            if workloads and workload not in workloads:
                continue
            print(f"##### {workload} {result['path']}: {result['queries']} queries")
            for sql in result["sql"]:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
                print(f"--- {sql}\n" + "\n".join(plan) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
