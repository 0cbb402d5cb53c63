"""A synthetic archive made from the two seeds: N transcripts over 25 years, several speakers, sampled Q&A pairs."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from corpus.dataset.manifest import MANIFEST_COLUMNS, write_manifest

__all__ = ["SEEDS", "Seed", "make_corpus", "read_seed", "transcript"]

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_SPEAKER = "王毅"
SPEAKERS = ("王毅", "李克强", "杨洁篪", "华春莹", "赵立坚", "汪文斌", "毛宁")
EVENTS = ("全国人大记者会", "外交部例行记者会", "国务院新闻办公室发布会")
FIRST_YEAR, YEARS = 2000, 25
_QUESTION_LABEL = re.compile(r"^[^：\n]{1,24}记者：")


@dataclass(frozen=True)
class Seed:
    """One seed transcript cut into its opening lines, its question-and-answer pairs and its closing lines."""

    opening: list[str]
    pairs: list[list[str]]
    closing: list[str]


def read_seed(path: Path) -> Seed:
    """The seed's lines cut at each question label; the closing starts at the last blank-line block after the
    last answer that is not part of it (the report's end: duration, dateline, caption)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if _QUESTION_LABEL.match(line)]
    ends = [*starts[1:], len(lines)]
    pairs = [lines[start:end] for start, end in zip(starts, ends, strict=True)]
    last = pairs[-1]
    cut = next((i for i, line in enumerate(last) if line.startswith(("记者会历时", "（据"))), len(last))
    pairs[-1], closing = last[:cut], last[cut:]
    return Seed(lines[: starts[0]], pairs, closing)


def _vary(pair: list[str], rng: random.Random) -> list[str]:
    """A pair with, at random, its answer's last paragraph left out (paragraphs are separated by blank lines)."""
    blanks = [i for i, line in enumerate(pair) if not line.strip()]
    inner = [i for i in blanks if 0 < i < len(pair) - 1]
    if len(inner) >= 2 and rng.random() < 0.5:
        return [*pair[: inner[-1]], ""]
    return pair


def transcript(seeds: list[Seed], rng: random.Random, speaker: str) -> str:
    """One transcript: a seed's opening and closing around 6-20 distinct pairs sampled from both seeds
    (a repeated line would be dropped as a running header), in random order."""
    frame = rng.choice(seeds)
    pool = [pair for seed in seeds for pair in seed.pairs]
    chosen = [_vary(pair, rng) for pair in rng.sample(pool, rng.randint(6, 20))]
    lines = [*frame.opening, *(line for pair in chosen for line in pair), "", *frame.closing]
    return "\n".join(lines).replace(SEED_SPEAKER, speaker) + "\n"


def make_corpus(root: Path, n: int, seed: int = 0) -> list[Path]:
    """A project at `root` whose data/raw holds `n` synthetic transcripts (same `seed`, same bytes) and a manifest
    with their date, speaker and event; returns the files in data/raw. Dates are spread evenly over 2000-2024, so
    at 25 or more transcripts every year has one."""
    rng = random.Random(seed)
    seeds = [read_seed(path) for path in sorted(SEEDS.glob("*.txt"))]
    raw = root / "data" / "raw"
    if raw.exists():
        shutil.rmtree(raw)
    raw.mkdir(parents=True)
    rows, files = [], []
    for number in range(n):
        speaker = rng.choice(SPEAKERS)
        year = FIRST_YEAR + number * YEARS // n  # in order, every year taking its share
        date = (dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))).isoformat()
        event = rng.choice(EVENTS)
        text = transcript(seeds, rng, speaker)
        path = raw / f"{date}_{speaker}_{number:05d}.txt"
        data = text.encode("utf-8")
        path.write_bytes(data)
        files.append(path)
        digest = hashlib.sha256(data).hexdigest()
        rows.append(
            {
                "file": path.name,
                "source": f"synthetic_{number:05d}.txt",
                "sha256": digest,
                "text_sha256": digest,
                "date": date,
                "speaker": speaker,
                "event": event,
                "added_at": "2026-01-01T00:00:00+00:00",
            }
        )
    write_manifest(pd.DataFrame(rows, columns=MANIFEST_COLUMNS), root / "data" / "manifest.csv")
    return sorted(files)
