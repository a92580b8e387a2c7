"""Fault-test client: a write and a read every 50 ms for N seconds, each answer logged as JSON."""

import json
import sys
import time
import urllib.error
import urllib.request

base, token, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])


def send(method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=body)
    request.add_header("Authorization", f"Token {token}")
    request.add_header("Content-Type", "application/json")
    started = time.time()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, content, ctype = response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        status, content, ctype = error.code, error.read(), error.headers.get("Content-Type", "")
    except Exception as error:  # noqa: BLE001 - a refused or timed-out connection is a result here
        status, content, ctype = 0, str(error).encode(), ""
    return {
        "t": started, "took": time.time() - started, "method": method, "status": status,
        "json": ctype.startswith("application/json"), "traceback": b"Traceback" in content,
        "body": content[:200].decode("utf-8", "replace"),
    }  # fmt: skip


end = time.time() + seconds
n = 0
while time.time() < end:
    n += 1
    text = f"Fault-test claim {n} written at {time.time():.3f}."
    record = send("POST", "/api/claims/", json.dumps({"text": text}).encode())
    record["text"] = text
    print(json.dumps(record), flush=True)
    print(json.dumps(send("GET", "/api/claims/?page_size=5")), flush=True)
    time.sleep(0.05)
