"""The extractor against the curated seed fixtures: the issue's targets, kept as a regression test."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "seed.json"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_extraction", ROOT / "bench" / "extraction.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not FIXTURE.exists(), reason="needs the curated seed fixture (fixtures/seed.json)")
def test_seed_articles_meet_the_recall_and_speaker_accuracy_targets():
    bench = load_bench()
    figures, misses = bench.score(*bench.load(FIXTURE))
    assert figures["quotations"] > 40
    assert figures["recall"] >= 0.95, misses
    assert figures["speaker_accuracy"] >= 0.85, misses
