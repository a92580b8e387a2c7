"""Copy the benchmark corpus from PostgreSQL into a SQLite file for Datasette.

The SQLite schema is the one Django's migrations create (same tables, same indexes), then every
row of the claims tables and the users is copied as is, primary keys included, so Datasette and
the API answer from the same data. Values are written the way Django's SQLite backend stores them.

    DATABASE_URL=postgres://…/sahel_bench python bench/export_sqlite.py bench/out/corpus.sqlite3
"""

import datetime
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent


def sqlite_value(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def main(target):
    source_url = os.environ["DATABASE_URL"]
    target = Path(target).resolve()
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{target}", "DEBUG": "1"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)

    lite = sqlite3.connect(target)
    # The CHECK constraints use REGEXP, which Django's SQLite backend defines on its connections.
    lite.create_function("REGEXP", 2, lambda pattern, value: value is not None and bool(re.search(pattern, value)))
    tables = [
        name
        for (name,) in lite.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if (name.startswith("claims_") and not name.startswith("claims_historical")) or name == "auth_user"
    ]
    pg = psycopg2.connect(source_url)
    for table in tables:
        lite.execute(f'DELETE FROM "{table}"')  # the migrations' own rows (groups' links, none here)
        columns = [row[1] for row in lite.execute(f'PRAGMA table_info("{table}")')]
        quoted = ", ".join(f'"{column}"' for column in columns)
        placeholders = ", ".join("?" for _ in columns)
        with pg.cursor(name=f"export_{table}") as cursor:
            cursor.itersize = 5000
            cursor.execute(f'SELECT {quoted} FROM "{table}" ORDER BY 1')
            count = 0
            while rows := cursor.fetchmany(5000):
                lite.executemany(
                    f'INSERT INTO "{table}" ({quoted}) VALUES ({placeholders})',
                    [tuple(sqlite_value(value) for value in row) for row in rows],
                )
                count += len(rows)
        print(f"  {table}: {count} rows", flush=True)
    lite.commit()
    lite.execute("ANALYZE")  # as generate_corpus does on PostgreSQL: statistics for the planner
    lite.commit()
    lite.close()
    pg.close()
    print(f"Exported to {target} in {time.perf_counter() - started:.1f} s ({target.stat().st_size / 2**20:.0f} MiB).")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ROOT / "bench" / "out" / "corpus.sqlite3")
