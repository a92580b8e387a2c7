"""CPU time per built API request, in-process: Python's and the PostgreSQL backend's.

Wall-clock timings swing with whatever else the machine runs; CPU time per request much less.
Each path is requested through Django's test client (DEBUG off, replay off, throttles out of the
way) on the corpus in DATABASE_URL: `{r}` in a path becomes a random claim id per request, and
`{claim}`, `{speaker}`, `{source}` a random slug of that kind, picked among the pages
bench/workloads.py's site paths read (every claim, approved speaker and source).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sahel_bench .venv/bin/python bench/cpu_per_request.py \
        "/api/claims/{r}/" "/api/claims/?page_size=50" "/claims/{claim}/" "/speakers/{speaker}/"
"""

import gc
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sahel.settings")
os.environ.update(
    API_READ_CACHE_SECONDS="0",
    THROTTLE_ANON="100000000/second",
    THROTTLE_USER="100000000/second",  # DRF counts anonymous clients against the user rate too
    ALLOWED_HOSTS="*",
    SECURE_SSL_REDIRECT="0",
    DEBUG="0",
)
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

REQUESTS = int(os.environ.get("REQUESTS", "200"))


def backend_cpu_seconds():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def slugs_of(paths):
    """{kind: every slug of it} for the `{claim}`, `{speaker}`, `{source}` the paths name."""
    from workloads import SITE_PAGES

    slugs = {}
    for kind, (query, _) in SITE_PAGES.items():
        if any(f"{{{kind}}}" in path for path in paths):
            with connection.cursor() as cursor:
                cursor.execute(query)
                slugs[kind] = [row[0] for row in cursor.fetchall()]
    return slugs


def run(client, path, count, claims, slugs):
    for _ in range(count):
        requested = path.replace("{r}", str(random.randint(1, claims)))
        for kind, choices in slugs.items():
            requested = requested.replace(f"{{{kind}}}", random.choice(choices))
        response = client.get(requested)
        assert response.status_code == 200, (requested, response.status_code)


def main(paths):
    client = Client()
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM claims_claim")
        claims = cursor.fetchone()[0]
    slugs = slugs_of(paths)
    # As a worker freezes what it loaded at start (sahel.serving.prepare_worker()): otherwise the
    # full collections that traverse the ≈ 100k slugs land in one path's window and not another's.
    gc.collect()
    gc.freeze()
    for path in paths:
        run(client, path, 20, claims, slugs)  # warm: connections, compiled and prepared statements
        server, python, wall = backend_cpu_seconds(), time.process_time(), time.perf_counter()
        run(client, path, REQUESTS, claims, slugs)
        wall, python = time.perf_counter() - wall, time.process_time() - python
        server = backend_cpu_seconds() - server
        print(
            f"{path}: CPU {python / REQUESTS * 1000:.2f} ms Python + {server / REQUESTS * 1000:.2f} ms PostgreSQL, "
            f"wall {wall / REQUESTS * 1000:.2f} ms per request"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
