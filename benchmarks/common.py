"""What the benchmarks share: timing a step by its best run, and the two seeds parsed into tables."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from corpus.dataset.build import load_document
from corpus.transcripts.parse import document_record

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def best_of(step: Callable[[], object], repeats: int) -> float:
    """The fastest of `repeats` runs, in seconds (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def seed_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The seeds' documents and turns tables, as the build makes them."""
    parsed = [load_document(path) for path in sorted(SEEDS.glob("*.txt"))]
    documents = pd.DataFrame([document_record(doc) for doc, _ in parsed])
    return documents, pd.concat([t for _, t in parsed], ignore_index=True)
