"""Time the formulation analysis on the seeds and on 24 years (the seeds copied), relative to reading the tokens."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
from common import best_of, seed_tables  # benchmarks/common.py, beside this script

from corpus import store
from corpus.analysis import formulations as F
from corpus.charts.formulations import plot_formulation_timeline
from corpus.charts.style import publication_style
from corpus.tokens import units
from corpus.tokens.segment import tokenize_turns

REPEATS = 3
COPIES = 12  # 12 copies of the two seeds: 24 years, the scale the timeline chart is meant for


def years_of(tokens: pd.DataFrame, copies: int) -> pd.DataFrame:
    """The seeds' annotated tokens repeated as `copies` x 2 years (2000, 2001, ...), each copy its own documents."""
    parts = []
    for k in range(copies):
        year = tokens.year - 2020 + 2000 + 2 * k
        parts.append(tokens.assign(doc_id=tokens.doc_id + f"-{k}", year=year, date=year.astype(str) + "-03-07"))
    return pd.concat(parts, ignore_index=True)


def draw(timeline: pd.DataFrame) -> None:
    with publication_style():
        ax = plot_formulation_timeline(timeline)
        ax.figure.canvas.draw()
        plt.close(ax.figure)


def main() -> None:
    documents, turns = seed_tables()
    tokens = tokenize_turns(turns)  # segmentation: not timed here (benchmarks/segment.py)
    with tempfile.TemporaryDirectory() as folder:
        store.write_table(tokens, Path(folder), "tokens")
        baseline = best_of(lambda: store.read_table(Path(folder), "tokens"), REPEATS)
    print(f"baseline: read the seeds' token table (Parquet) {baseline * 1000:8.1f} ms; best of {REPEATS} runs")
    seeds = units.annotate(tokens, turns, documents)
    corpora = {"seeds, 2 years": seeds, f"seeds x {COPIES}, {2 * COPIES} years": years_of(seeds, COPIES)}
    for label, corpus in corpora.items():
        table = F.formulation_table(corpus)
        hits = F.formulation_hits(corpus, table)
        timeline = F.formulation_timeline(corpus, table, hits=hits)
        latest = int(corpus.year.max())
        steps: dict[str, Callable[[], object]] = {
            "candidates (answers)": lambda c=corpus: F.candidates(c),
            "formulation table (list+dict+found)": lambda c=corpus: F.formulation_table(c),
            "hits with sentences": lambda c=corpus, t=table: F.formulation_hits(c, t),
            "timeline per year": lambda c=corpus, t=table, h=hits: F.formulation_timeline(c, t, hits=h),
            "changes, latest vs the rest": lambda tl=timeline, y=latest: F.formulation_changes(tl, y),
            "timeline chart (30 rows), drawn": lambda tl=timeline: draw(tl),
        }
        print(f"{label}: {len(corpus)} tokens, {len(table)} forms, {len(hits)} uses")
        total = 0.0
        for name, step in steps.items():
            seconds = best_of(step, REPEATS)
            total += seconds
            print(f"  {name:<38} {seconds * 1000:8.1f} ms  {seconds / baseline:7.1f} x baseline")
        print(f"  {'total':<38} {total * 1000:8.1f} ms  {total / baseline:7.1f} x baseline")


if __name__ == "__main__":
    main()
