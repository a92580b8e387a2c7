"""bench/report.py: how a run's wrk outputs become the table RESULTS.md quotes."""

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture
def report(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))  # report.py imports its sibling workloads.py
    monkeypatch.delitem(sys.modules, "report", raising=False)
    import report

    return report


def wrk_output(requests_per_second):
    return (
        "Latency Distribution\n     50%    7.20ms\n     75%   9.00ms\n     90%   12.00ms\n     99%   30.50ms\n"
        f"Requests/sec: {requests_per_second}\n"
    )


def test_w8_is_reported_round_by_round_as_the_share_of_its_no_write_throughput_it_kept(report, tmp_path, capsys):
    for name, rate in {
        "api-built-W8-no-writes": 500,
        "api-built-W8": 425,
        "api-built-W8-no-writes-2": 480,
        "api-built-W8-2": 312,
    }.items():
        (tmp_path / f"{name}.txt").write_text(wrk_output(rate))
    writer = {"per_second": 5.02, "statuses": {"200": 50}, "p50_ms": 41.0}
    (tmp_path / "api-built-W8-writer.json").write_text(json.dumps(writer))

    report.main(tmp_path)
    table = capsys.readouterr().out

    assert "W8, built: with the writer / without: 425 / 500 = 85%, 312 / 480 = 65%, round 2;" in table
    assert "writer: 5.02 edits/s committed ({'200': 50}), p50 41.0 ms; writer, round 2: —." in table
    assert "| W8 the same readers, no writer, round 2 | — | 480 req/s, p50 7.2 ms, p99 30.5 ms |" in table
    assert "W8, as deployed: with the writer / without: —;" in table
