"""W8's writer: commits edits through the API at a steady rate while wrk reads, then reports.

    python bench/writer.py BASE_URL TOKEN SECONDS [RATE]  > writer.json

Each edit is a PATCH of a random claim's note (a new version, a history row, a commit), sent by a
curator's token every 1/RATE seconds (5 per second by default) for SECONDS, from one thread, as
an editor at work would. Only BASE_URL (127.0.0.1) is contacted; the loop ends by itself.
"""

import json
import random
import statistics
import sys
import time
from urllib.error import HTTPError
from urllib.request import Request, urlopen


def main(base_url, token, seconds, rate=5.0, claims=100_000):
    rng = random.Random(8)
    interval = 1 / rate
    started = time.monotonic()
    statuses, took = {}, []
    sent = 0
    while time.monotonic() - started < seconds:
        due = started + sent * interval
        time.sleep(max(0.0, due - time.monotonic()))
        claim = rng.randint(1, claims)
        body = json.dumps({"note": f"Edited during the W8 benchmark ({sent})."}).encode()
        request = Request(
            f"{base_url}/api/claims/{claim}/",
            data=body,
            method="PATCH",
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        began = time.monotonic()
        try:
            with urlopen(request, timeout=10) as response:
                status = response.status
        except HTTPError as error:
            status = error.code
        took.append((time.monotonic() - began) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
        sent += 1
    elapsed = time.monotonic() - started
    took.sort()
    print(
        json.dumps(
            {
                "sent": sent,
                "per_second": round(sent / elapsed, 2),
                "statuses": statuses,
                "p50_ms": round(statistics.median(took), 1) if took else None,
                "p99_ms": round(took[min(len(took) - 1, int(len(took) * 0.99))], 1) if took else None,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), *(float(arg) for arg in sys.argv[4:5]))
