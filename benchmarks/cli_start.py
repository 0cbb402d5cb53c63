"""Command-line start-up and `corpus segment` end to end, against `python -c pass` and jieba's own CLI, in one run.

    .venv/bin/python benchmarks/cli_start.py [--mb 4] [--runs 5]

Every command runs as a user runs it, in a fresh process (`python -m corpus`, this checkout's code), and each is
timed `--runs` times, the contenders interleaved so that other load on a shared machine weighs on all alike; the
median wall-clock time is printed. Start-up: `corpus --help` and `corpus info` (on the seeds, built beforehand)
against `python -c pass`, the interpreter's own start-up (#10's target: --help under 0.2 s). Segmentation: `corpus
segment` (rjieba, the domain dictionary, stopwords dropped) and `python -m jieba -d " "` (jieba's command line,
its default dictionary and HMM) on the same ~4 MB of text made of the seeds' lines, output to /dev/null, start-up
included (#10's target: at least 8x jieba's CLI). It also checks that `corpus info` and `corpus segment` do not
import matplotlib.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
ENV = {**os.environ, "PYTHONPATH": str(REPO / "src"), "PYTHONIOENCODING": "utf-8"}


def text_file(folder: Path, megabytes: float) -> Path:
    """The seeds' non-empty lines, repeated in order until about `megabytes` MB of UTF-8."""
    lines = [line for f in SEEDS for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    chunk = ("\n".join(lines) + "\n").encode("utf-8")
    path = folder / "input.txt"
    path.write_bytes(chunk * max(1, round(megabytes * 1e6 / len(chunk))))
    return path


def project(folder: Path) -> Path:
    """A project folder holding the seeds, built (not timed)."""
    raw = folder / "project" / "data" / "raw"
    raw.mkdir(parents=True)
    for seed, name in zip(SEEDS, ("2020-05-24_王毅.txt", "2021-03-07_王毅.txt"), strict=True):
        shutil.copy(seed, raw / name)
    subprocess.run([sys.executable, "-m", "corpus", "--root", str(raw.parents[1]), "build"], env=ENV, check=True,
                   capture_output=True)  # fmt: skip
    return raw.parents[1]


def timed(command: list[str], stdin: Path | None = None) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one run of `command`, output discarded; fails loudly on a non-zero exit.
    CPU is the child's user + system time: what the work costs, robust to other load on a shared machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(stdin or os.devnull, "rb") as given:
        start = time.perf_counter()
        subprocess.run(command, stdin=given, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV, check=True)
        wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def race(contenders: dict[str, tuple[list[str], Path | None]], runs: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each contender over `runs` interleaved rounds, each going first in turn."""
    names, times = list(contenders), {name: [] for name in contenders}
    for r in range(runs):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            times[name].append(timed(*contenders[name]))
    return {name: tuple(statistics.median(t[i] for t in values) for i in (0, 1)) for name, values in times.items()}


def imports_matplotlib(args: list[str], stdin: str = "") -> bool:
    """Whether running `corpus ARGS` in-process leaves matplotlib imported."""
    code = "import sys; from corpus.cli import main; main(sys.argv[1:]); print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, text=True, env=ENV)
    return out.stdout.strip().splitlines()[-1] == "True"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--mb", type=float, default=4.0, help="megabytes of text to segment (default 4)")
    options.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    given = options.parse_args()
    corpus = [sys.executable, "-m", "corpus"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        root, text = project(folder), text_file(folder, given.mb)
        size = text.stat().st_size / 1e6
        start = race(
            {
                "python -c pass": ([sys.executable, "-c", "pass"], None),
                "corpus --help": ([*corpus, "--help"], None),
                "corpus info": ([*corpus, "--root", str(root), "info"], None),
            },
            given.runs,
        )
        runs = max(1, given.runs // 2)
        segment = race(
            {
                "corpus segment": ([*corpus, "--root", str(root), "segment"], text),
                "python -m jieba": ([sys.executable, "-m", "jieba", "-d", " ", str(text)], None),
            },
            runs,
        )
        matplotlib = {
            "info": imports_matplotlib(["--root", str(root), "info"]),
            "segment": imports_matplotlib(["--root", str(root), "segment"], "坚持多边主义\n"),
        }
    base, base_cpu = start["python -c pass"]
    print(f"start-up, median of {given.runs} runs: wall clock (CPU)")
    for name, (wall, cpu) in start.items():
        print(f"  {name:<16} {wall:6.3f} s ({cpu:.3f} s)  {wall / base:5.2f}x python -c pass ({cpu / base_cpu:.2f}x)")
    help_wall, help_cpu = start["corpus --help"]
    print(f"  target corpus --help < 0.2 s: {'met' if help_wall < 0.2 else 'NOT met'} in wall clock, "
          f"{'met' if help_cpu < 0.2 else 'NOT met'} in CPU")  # fmt: skip
    print(f"segmenting {size:.1f} MB end to end (start-up included), median of {runs} runs: wall clock (CPU)")
    for name, (wall, cpu) in segment.items():
        print(f"  {name:<16} {wall:6.2f} s ({cpu:.2f} s)  {size / wall:5.2f} MB/s ({size / cpu:.2f} MB/s of CPU)")
    (ours, ours_cpu), (jieba, jieba_cpu) = segment["corpus segment"], segment["python -m jieba"]
    for label, ratio in (("wall clock", jieba / ours), ("CPU", jieba_cpu / ours_cpu)):
        verdict = "met" if ratio >= 8 else "NOT met"
        print(f"  corpus segment is {ratio:.1f}x jieba's CLI in {label} (target >= 8x: {verdict})")
    print(f"matplotlib imported by corpus info: {matplotlib['info']}, by corpus segment: {matplotlib['segment']}")


if __name__ == "__main__":
    main()
