"""Turn one run's wrk outputs and floor.json into the Markdown table of RESULTS.md.

python bench/report.py bench/out/run-<stamp>
"""

import json
import re
import sys
from pathlib import Path

from workloads import DESCRIPTIONS, MIXED, MIXED_DESCRIPTION, SITE_DESCRIPTIONS

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


def writer_cell(run_dir, name):
    report = run_dir / f"{name}-writer.json"
    if not report.exists() or not report.stat().st_size:
        return "—"
    writer = json.loads(report.read_text())
    return f"{writer['per_second']} edits/s committed ({writer['statuses']}), p50 {writer['p50_ms']} ms"


# bench/run.sh measures W8 without and with the writer twice, alternated (measure_w8).
W8_ROUNDS = (("", ""), (", round 2", "-2"))


def kept_under_writes(run_dir, prefix):
    """How much of its no-write throughput W8 kept with the writer, round by round."""
    kept = []
    for round_name, suffix in W8_ROUNDS:
        mixed = measured_in(run_dir, f"{prefix}-{MIXED}{suffix}")
        alone = measured_in(run_dir, f"{prefix}-{MIXED}-no-writes{suffix}")
        if mixed and alone and mixed["rps"] and alone["rps"]:
            kept.append(f"{mixed['rps']:.0f} / {alone['rps']:.0f} = {mixed['rps'] / alone['rps']:.0%}{round_name}")
    return "with the writer / without: " + (", ".join(kept) if kept else "—")


def main(run_dir):
    run_dir = Path(run_dir)
    floor_file = run_dir / "floor.json"
    floor = json.loads(floor_file.read_text()) if floor_file.exists() and floor_file.stat().st_size else {}
    rows = [
        "| workload | API as deployed (replay) | API, every read built (no replay) "
        "| Datasette as its users set it up (indexes, FTS5) | Datasette, bench's canned SQL "
        "| floor: SQL via psycopg2 | floor + json.dumps | API queries (built) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for workload, description in DESCRIPTIONS.items():
        api, built, tuned, canned = (
            measured_in(run_dir, f"{name}-{workload}") for name in ("api", "api-built", "datasette-tuned", "datasette")
        )
        measured = floor.get(workload)
        raw, encoded = (floor_cell(measured["raw"]), floor_cell(measured["json"])) if measured else ("—", "—")
        queries = measured["queries"] if measured else "—"
        rows.append(
            f"| {workload} {description} | {cell(api)} | {cell(built)} | {cell(tuned)} | {cell(canned)} "
            f"| {raw} | {encoded} | {queries} |"
        )
    for round_name, suffix in W8_ROUNDS:
        rows.append(
            f"| {MIXED} {MIXED_DESCRIPTION}{round_name} | {cell(measured_in(run_dir, f'api-{MIXED}{suffix}'))} "
            f"| {cell(measured_in(run_dir, f'api-built-{MIXED}{suffix}'))} | — | — | — | — | — |"
        )
        rows.append(
            f"| {MIXED} the same readers, no writer{round_name} "
            f"| {cell(measured_in(run_dir, f'api-{MIXED}-no-writes{suffix}'))} "
            f"| {cell(measured_in(run_dir, f'api-built-{MIXED}-no-writes{suffix}'))} | — | — | — | — | — |"
        )
    for column, prefix in (("as deployed", "api"), ("built", "api-built")):
        writers = "; ".join(
            f"writer{round_name}: {writer_cell(run_dir, f'{prefix}-{MIXED}{suffix}')}"
            for round_name, suffix in W8_ROUNDS
        )
        rows.append(f"\nW8, {column}: {kept_under_writes(run_dir, prefix)}; {writers}.")
    rows.append(
        "\nThe public pages (claims/site, HTML), beside the Datasette workload each answers to:\n\n"
        "| page | as deployed (replay) | every page built | Datasette as its users set it up (its workload) |\n"
        "|---|---|---|---|"
    )
    for page, (description, workload) in SITE_DESCRIPTIONS.items():
        tuned = f"{cell(measured_in(run_dir, f'datasette-tuned-{workload}'))} ({workload})" if workload else "—"
        rows.append(
            f"| {description} | {cell(measured_in(run_dir, f'site-{page}'))} "
            f"| {cell(measured_in(run_dir, f'site-built-{page}'))} | {tuned} |"
        )
    extras = {
        "api-W2-one-client": "W2 built afresh, one connection (`-c1`): a search's latency as one reader sees it",
        "api-stack": "The stack's ceiling: `/api/relations/?page_size=1` (the server, Django, DRF, one tiny query)",
    }
    for name, description in extras.items():
        figures = measured_in(run_dir, name)
        if figures:
            rows.append(f"\n{description}: {cell(figures)}.")
    print("\n".join(rows))


if __name__ == "__main__":
    main(sys.argv[1])
