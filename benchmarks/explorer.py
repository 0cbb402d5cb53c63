"""The explorer page at scale: size, build time and answer times in headless Chromium, against the seeds' page.

Builds the seeds, then a corpus of N transcripts (default 1,000: the seeds' processed tables copied under new
document ids, ten years of N/10 each), writes both pages and times in Chromium what a reader does: open a term's
concordance, run a regular expression, change a filter (keyness recomputed, map redrawn), sort by left context.
Each figure is printed with its ratio to the seeds' page measured in the same run.

    .venv/bin/python benchmarks/explorer.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from playwright.sync_api import sync_playwright

from corpus.dataset.build import build
from corpus.paths import get_paths
from corpus.report.explorer import write_explorer
from corpus.store import read_table, write_table

REPO = Path(__file__).resolve().parents[1]
SEEDS = {"2020-05-24_王毅.txt": "000_90f7afa787323508.txt", "2021-03-07_王毅.txt": "004_2549616181697210.txt"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ACTIONS = {
    "term concordance (疫苗)": "explorer.openQuery('疫苗', 'term')",
    "regex (中美.{0,4}关系)": "explorer.openQuery('中美.{0,4}关系', 'regex')",
    "filter (origin foreign off, on)": "explorer.state.origin.delete('foreign'); explorer.update();"
    " explorer.state.origin.add('foreign'); explorer.update()",
    "sort by left context": "document.getElementById('sort-left').click()",
}
# Milliseconds from the action to the next frame after it (so layout and painting count too).
TIMED = """(async () => { const t = performance.now(); SCRIPT;
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))); return performance.now() - t; })()"""


def seeds_project(root: Path) -> Path:
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    for name, seed in SEEDS.items():
        (raw / name).write_bytes((REPO / "seeds" / seed).read_bytes())
    build(get_paths(root))
    return root


def scaled_project(seeds: Path, root: Path, n: int) -> Path:
    """N transcripts: the seeds' tables copied under new ids, spread over ten years."""
    source, target = get_paths(seeds).processed, get_paths(root).processed
    tables = {name: read_table(source, name) for name in ("documents", "turns", "tokens")}
    copies = {name: [] for name in tables}
    for i in range(n // len(tables["documents"])):
        year = 2012 + i * 10 // (n // len(tables["documents"]))
        ids = {d: f"{year}-{i:04d}_{d}" for d in tables["documents"].doc_id}.get
        documents = tables["documents"].assign(doc_id=tables["documents"].doc_id.map(ids), year=year)
        documents["date"] = [f"{year}{d[4:]}" for d in tables["documents"].date]
        copies["documents"].append(documents)
        copies["turns"].append(tables["turns"].assign(doc_id=tables["turns"].doc_id.map(ids)))
        copies["tokens"].append(tables["tokens"].assign(doc_id=tables["tokens"].doc_id.map(ids)))
    for name, parts in copies.items():
        write_table(pd.concat(parts, ignore_index=True), target, name)
    return root


def timed_page(root: Path) -> tuple[Path, float]:
    start = time.perf_counter()
    page = write_explorer(get_paths(root))
    return page, time.perf_counter() - start


def browser_times(pages: dict[str, Path], profile: Path, repeat: int = 5) -> dict[str, dict[str, float]]:
    """Median milliseconds of each action (and of loading the page) per page, in headless Chromium."""
    times: dict[str, dict[str, float]] = {}
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        page = context.new_page()
        for label, path in pages.items():
            start = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_selector("body[data-ready='1']", timeout=600_000)
            times[label] = {"load (until the map is drawn)": (time.perf_counter() - start) * 1000}
            for action, script in ACTIONS.items():
                runs = [page.evaluate(TIMED.replace("SCRIPT", script)) for _ in range(repeat)]
                times[label][action] = statistics.median(runs)
        context.close()
    return times


def main(n: int = 1000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seeds = seeds_project(tmp / "seeds")
        scaled = scaled_project(seeds, tmp / "scaled", n)
        (seeds_page, seeds_s), (scaled_page, scaled_s) = timed_page(seeds), timed_page(scaled)
        sizes = {"seeds": seeds_page.stat().st_size, "scaled": scaled_page.stat().st_size}
        print(
            f"page size: seeds {sizes['seeds'] / 1e6:.2f} MB; {n} transcripts {sizes['scaled'] / 1e6:.2f} MB"
            f" ({sizes['scaled'] / sizes['seeds']:.1f}x; target < 25 MB)"
        )
        print(
            f"corpus explore (write the page): seeds {seeds_s:.1f} s; {n} transcripts {scaled_s:.1f} s"
            f" ({scaled_s / seeds_s:.1f}x)"
        )
        times = browser_times({"seeds": seeds_page, "scaled": scaled_page}, tmp / "profile")
        for action in times["seeds"]:
            base, big = times["seeds"][action], times["scaled"][action]
            print(f"{action}: seeds {base:.0f} ms; {n} transcripts {big:.0f} ms ({big / max(base, 0.1):.1f}x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
