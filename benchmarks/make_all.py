"""Time `make all`'s steps on the seeds in a scratch folder, each relative to starting one notebook kernel.

Run: .venv/bin/python benchmarks/make_all.py. Targets (issue 6): the whole job under 60 s on a 2-core machine.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import papermill

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import run_notebooks  # noqa: E402  (a script, not a package module)

from corpus.dataset.build import build  # noqa: E402
from corpus.paths import get_paths  # noqa: E402
from corpus.report.page import write_report  # noqa: E402

SEEDS = {"2020-05-24_王毅.txt": "000_90f7afa787323508.txt", "2021-03-07_王毅.txt": "004_2549616181697210.txt"}
EMPTY = {
    "cells": [{"cell_type": "code", "id": "c1", "metadata": {}, "source": "1", "outputs": [], "execution_count": None}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def timed(step) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "data" / "raw").mkdir(parents=True)
        for name, seed in SEEDS.items():
            shutil.copy(REPO / "seeds" / seed, root / "data" / "raw" / name)
        os.environ["CORPUS_ROOT"] = str(root)
        empty = root / "empty.ipynb"
        empty.write_text(json.dumps(EMPTY), encoding="utf-8")
        baseline = timed(lambda: papermill.execute_notebook(str(empty), str(root / "out.ipynb"), progress_bar=False))
        notebooks = [str(p) for p in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
        steps = {
            "build": timed(lambda: build(get_paths(root))),
            "notebooks (2 at a time)": timed(lambda: run_notebooks.main(notebooks)),
            "report": timed(lambda: write_report(get_paths(root))),
        }
    print(f"baseline: one kernel running one empty cell {baseline:.2f} s")
    for name, seconds in steps.items():
        print(f"{name:<24} {seconds:6.2f} s  {seconds / baseline:5.1f} x baseline")
    total = sum(steps.values())
    print(f"{'total (make all)':<24} {total:6.2f} s  {total / baseline:5.1f} x baseline  (target < 60 s)")


if __name__ == "__main__":
    main()
