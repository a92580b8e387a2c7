"""Replay never serves a stale read: with readers hammering a claim, every read after a commit shows it.

Against a running API on the benchmark database (run by hand, not in CI):

    python bench/freshness.py --api http://127.0.0.1:8801 --database sahel_bench --claim-id 99178

Each round commits a new text for the claim through its own psycopg2 connection (not through the
API, so no application code knows of the write), then reads the claim once through the API. Four
threads keep reading the same claim meanwhile, so its answer is stored and replayed between writes.
The claim's text is restored at the end. Exit status 1 when any read was stale.
"""

import argparse
import json
import sys
import threading
import time
import urllib.request

import psycopg2


def read_text(url):
    with urllib.request.urlopen(url) as response:
        return json.loads(response.read())["text"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", default="http://127.0.0.1:8801")
    parser.add_argument("--database", default="sahel_bench")
    parser.add_argument("--claim-id", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    url = f"{args.api}/api/claims/{args.claim_id}/"

    writer = psycopg2.connect(dbname=args.database, user="postgres", host="127.0.0.1")
    with writer.cursor() as cursor:
        cursor.execute("SELECT text FROM claims_claim WHERE id = %s", [args.claim_id])
        original = cursor.fetchone()[0]

    def set_text(text):
        with writer, writer.cursor() as cursor:  # commits on leaving
            cursor.execute("UPDATE claims_claim SET text = %s WHERE id = %s", [text, args.claim_id])

    done = threading.Event()

    def keep_reading():
        while not done.is_set():
            read_text(url)

    readers = [threading.Thread(target=keep_reading) for _ in range(4)]
    for reader in readers:
        reader.start()
    stale = 0
    try:
        for round_number in range(args.rounds):
            text = f"{original} [round {round_number}]"
            set_text(text)
            stale += read_text(url) != text
            time.sleep(0.02)
    finally:
        done.set()
        for reader in readers:
            reader.join()
        set_text(original)
    print(f"{args.rounds} commits outside the API; reads after a commit that did not show it: {stale}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
