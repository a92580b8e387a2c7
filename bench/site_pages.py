"""The public site's pages built afresh, in-process: p50/p95 per page type and its query count.

Each page is requested N times through Django's test Client with DEBUG off and the page replay
(claims/api/read_cache.py) switched off, so every request renders the page from the database;
HTTP, a server and wrk are left out (bench/run.sh measures those). The query count and the time spent
in the database (median of 5) are taken on further requests, outside the timings (capturing queries
costs time of its own).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sahel_bench_site \
        .venv/bin/python bench/site_pages.py -n 50 [--json] [--pages home,search-common]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sahel.settings")
os.environ["DEBUG"] = "0"  # templates and Python as in production
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["API_READ_CACHE_SECONDS"] = "0"  # built afresh: no replay from memory

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from claims.models import Claim, Quote, Review, Source, Speaker, Topic  # noqa: E402

COMMON_WORD = "blockade"  # in about a third of the claims and quotes
SQL_SAMPLES = 5
RARE_WORD = "Tessit Kanouté"  # one place and one surname: a few hundred rows, speakers' quotes included


def _heaviest(model, related, **filters):
    """The slug of the `model` row with the most `related` rows: the page's worst case."""
    from django.db.models import Count

    return (
        model.objects.filter(**filters)
        .annotate(n=Count(related))
        .order_by("-n", "pk")
        .values_list("slug", flat=True)[0]
    )


def paths():
    reviewed = Review.objects.published().order_by("-published_at", "-pk").values_list("claim__slug", flat=True)[0]
    speaker = Speaker.objects.filter(status="approved").order_by("pk").values_list("slug", flat=True)[0]
    source = Quote.objects.order_by("source_id").values_list("source__slug", flat=True)[0]
    topic = _heaviest(Topic, "claims")
    return {
        "home": "/",
        "claim": f"/claims/{reviewed}/",
        "speaker": f"/speakers/{speaker}/",
        "source": f"/sources/{source}/",
        "search-common": f"/search/?q={COMMON_WORD}",
        "search-rare": f"/search/?q={RARE_WORD.replace(' ', '+')}",
        "topics": "/topics/",
        "topic": f"/topics/{topic}/",
        "verdicts": "/verdicts/",
        "sitemap-index": "/sitemap.xml",
        "sitemap-claims": "/sitemap-claims.xml",
    }


def measure(client, path, requests):
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    # Queries and their time in the database (as Django's debug cursor times them), on a few more
    # requests outside the timings: the share of a page the database takes, less noisy than the wall clock.
    database_ms = []
    for _ in range(SQL_SAMPLES):
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        database_ms.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
    timings.sort()
    return {
        "path": path,
        "p50_ms": round(statistics.median(timings) * 1000, 1),
        "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))] * 1000, 1),
        "queries": len(captured.captured_queries),
        "sql_ms": round(statistics.median(database_ms), 1),
        "requests": requests,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--requests", type=int, default=30)
    parser.add_argument("--pages", default="", help="Comma-separated page names (default: all).")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    # SECURE_SSL_REDIRECT is on with DEBUG off, and HTTPS is told by the proxy header.
    client = Client(secure=True, headers={"X-Forwarded-Proto": "https"})
    print(
        f"# {connection.vendor}: {Claim.objects.count()} claims, {Quote.objects.count()} quotes, "
        f"{Source.objects.count()} sources; {args.requests} requests per page",
        file=sys.stderr,
    )
    wanted = [name for name in args.pages.split(",") if name]
    results = {}
    # The static files' manifest is built by collectstatic at deployment, not here.
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        for name, path in paths().items():
            if wanted and name not in wanted:
                continue
            client.get(path)  # warm: templates compiled, connection open
            results[name] = measure(client, path, args.requests)
            if not args.json:
                row = results[name]
                print(
                    f"{name:15} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms"
                    f"  {row['queries']:3} queries  SQL {row['sql_ms']:6.1f} ms  {path}"
                )
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
