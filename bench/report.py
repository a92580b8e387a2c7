"""Turn one run's wrk outputs and floor.json into the Markdown table of RESULTS.md.

python bench/report.py bench/out/run-<stamp>
"""

import json
import re
import sys
from pathlib import Path

from workloads import DESCRIPTIONS

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(text):
    """req/s, p50 and p99 in ms, and the count of non-2xx answers, from `wrk --latency` output."""

    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        return float(match.group(1)) * UNITS_MS[match.group(2)] if match else None

    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    socket_errors = re.search(r"Socket errors: (.*)", text)
    return {
        "rps": float(rate.group(1)) if rate else None,
        "p50": latency(50),
        "p99": latency(99),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


def cell(figures):
    if not figures or figures.get("rps") is None:
        return "—"
    text = f"{figures['rps']:.0f} req/s, p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms"
    if figures.get("non_2xx"):
        text += f" (**{figures['non_2xx']} non-2xx**)"
    return text


def floor_cell(figures):
    return f"{figures['requests_per_second']:.0f} req/s, p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms"


def measured_in(run_dir, name):
    measured = run_dir / f"{name}.txt"
    return parse_wrk(measured.read_text()) if measured.exists() else None


def main(run_dir):
    run_dir = Path(run_dir)
    floor_file = run_dir / "floor.json"
    floor = json.loads(floor_file.read_text()) if floor_file.exists() and floor_file.stat().st_size else {}
    rows = [
        "| workload | API (gunicorn, 2 workers, PostgreSQL) | API, every read built (no replay) | Datasette (SQLite) "
        "| floor: SQL via psycopg2 | floor + json.dumps | API queries (built) |",
        "|---|---|---|---|---|---|---|",
    ]
    for workload, description in DESCRIPTIONS.items():
        api, built, datasette = (
            measured_in(run_dir, f"{name}-{workload}") for name in ("api", "api-built", "datasette")
        )
        measured = floor.get(workload)
        raw, encoded = (floor_cell(measured["raw"]), floor_cell(measured["json"])) if measured else ("—", "—")
        queries = measured["queries"] if measured else "—"
        rows.append(
            f"| {workload} {description} | {cell(api)} | {cell(built)} | {cell(datasette)} | {raw} | {encoded} "
            f"| {queries} |"
        )
    extras = {
        "api-W2-one-client": "W2 built afresh, one connection (`-c1`): a search's latency as one reader sees it",
        "api-stack": "The stack's ceiling: `/api/relations/?page_size=1` (gunicorn, Django, DRF, one tiny query)",
    }
    for name, description in extras.items():
        figures = measured_in(run_dir, name)
        if figures:
            rows.append(f"\n{description}: {cell(figures)}.")
    print("\n".join(rows))


if __name__ == "__main__":
    main(sys.argv[1])
