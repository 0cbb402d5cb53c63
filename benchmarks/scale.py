"""Time and measure the CLI on a synthetic archive of N transcripts against the same steps on the two seeds.

Run: PYTHONPATH=src .venv/bin/python benchmarks/scale.py [--n 1000] (--n 50 for a quick look). Each step is one
`corpus` process; its wall time and peak memory (ru_maxrss from os.wait4) are printed beside the seeds' figures
measured in the same run, and the ratio. Targets (issue 12) at 1,000 transcripts on 2 cores: add or remove one
< 2 s; keyness, themes, kwic < 1 s and < 500 MB each; cold build < 20 s.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from corpus.dataset.engine import query  # noqa: E402
from tests.synthetic import SEEDS, make_corpus, read_seed, transcript  # noqa: E402

SEED_FILES = {"2020-05-24_王毅.txt": "000_90f7afa787323508.txt", "2021-03-07_王毅.txt": "004_2549616181697210.txt"}


@dataclass(frozen=True)
class Measure:
    """One step: wall seconds and peak resident memory in MB of its process."""

    seconds: float
    megabytes: float


def run(root: Path, *args: str) -> Measure:
    """`corpus ARGS` in a fresh process on the project at `root`; an error if it fails."""
    env = {**os.environ, "CORPUS_ROOT": str(root), "PYTHONPATH": str(REPO / "src")}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "corpus", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"corpus {' '.join(args)} failed: {process.stderr.read().decode()}")  # type: ignore[union-attr]
    return Measure(seconds, usage.ru_maxrss / 1024)


def extra_transcript(folder: Path) -> Path:
    """One more synthetic transcript, unlike any in the corpus, to add and remove."""
    seeds = [read_seed(path) for path in sorted(SEEDS.glob("*.txt"))]
    path = folder / "extra.txt"
    path.write_text(transcript(seeds, random.Random(-1), "毛宁"), encoding="utf-8")
    return path


def steps(root: Path, extra: Path) -> dict[str, Measure]:
    """Every step on the project at `root`, in order (the add is undone by the remove)."""
    out = {"cold build": run(root, "build"), "no-op build": run(root, "build")}
    out["add one"] = run(
        root, "add", str(extra), "--date", "2019-06-01", "--speaker", "毛宁", "--event", "例行记者会", "--allow-overlap"
    )
    out["remove one"] = run(root, "remove", "2019-06-01_毛宁")
    out["keyness"] = run(root, "keyness", "--target", "2021")
    out["themes"] = run(root, "themes")
    out["kwic"] = run(root, "kwic", "多边主义")  # about 2 occurrences a transcript
    out["kwic common"] = run(root, "kwic", "合作")  # about 20 a transcript: the worst case (first 500 printed)
    out["kwic all"] = run(root, "kwic", "合作", "--limit", "all")  # every occurrence, as --csv exports them
    out["info"] = run(root, "info")
    return out


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--n", type=int, default=1000, help="synthetic transcripts (default 1000)")
    options.add_argument("--seed", type=int, default=0)
    n = options.parse_args().n
    with tempfile.TemporaryDirectory() as folder:
        base, big = Path(folder, "seeds"), Path(folder, "archive")
        (base / "data" / "raw").mkdir(parents=True)
        for name, source in SEED_FILES.items():
            shutil.copy(SEEDS / source, base / "data" / "raw" / name)
        files = make_corpus(big, n, options.parse_args().seed)
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        extra = extra_transcript(Path(folder))
        baseline, scaled = steps(base, extra), steps(big, extra)
        tokens = query("SELECT count(*) AS n FROM tokens", root=big).n[0]
        lines = query("SELECT count(*) AS n FROM turns WHERE role = 'question'", root=big).n[0]
    print(
        f"{n} synthetic transcripts ({megabytes:.1f} MB of text, {tokens:,} tokens, {lines:,} questions) against"
        f" the 2 seeds, {os.cpu_count()} cores"
    )
    print(f"{'step':<12} {'seeds s':>8} {'N s':>8} {'ratio':>7} {'seeds MB':>9} {'N MB':>8} {'ratio':>7}")
    for step, small in baseline.items():
        large = scaled[step]
        print(
            f"{step:<12} {small.seconds:>8.2f} {large.seconds:>8.2f} {large.seconds / small.seconds:>7.1f}"
            f" {small.megabytes:>9.0f} {large.megabytes:>8.0f} {large.megabytes / small.megabytes:>7.1f}"
        )


if __name__ == "__main__":
    main()
