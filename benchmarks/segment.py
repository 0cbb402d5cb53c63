"""Segmentation speed: the project's tokenizer against jieba.lcut on ~5 MB of the seeds' sentences, in one run.

    .venv/bin/python benchmarks/segment.py [--mb 5]

Prints the dictionary load time (once per process), throughput in MB/s of UTF-8 text for jieba.lcut (baseline,
HMM on, jieba's default dictionary) and for the project (`tokenize_turns`, the path `corpus build` takes:
Traditional-to-Simplified, rjieba with the domain dictionary and POS tags, stopword flags, the token table),
their ratios in wall-clock time (what a user waits) and in CPU time (what the work costs, robust to other load on
a shared machine), the share of it that is rjieba's segmentation itself, the same text in Traditional characters
(converted by OpenCC first; Simplified text skips that), and token and POS agreement between the fast path and
the jieba reference with the same dictionaries.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import re
import sys
import time
from pathlib import Path

import jieba
import opencc
import pandas as pd

from corpus.dataset.build import load_document
from corpus.tokens.segment import load_segmenter, simplified, tokenize_turns

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")
TURNS_PER_DOCUMENT = 20  # of about 2.5 kB each: a press conference of about 50 kB


def corpus_turns(megabytes: float, seed: int = 0) -> pd.DataFrame:
    """Answers made of the seeds' sentences drawn at random (fixed seed), about `megabytes` MB in all."""
    sentences = [s for f in SEEDS for text in load_document(f)[1].text for s in SENTENCE.findall(text)]
    rng, rows, size = random.Random(seed), [], 0
    while size < megabytes * 1e6:
        text = "".join(rng.choice(sentences) for _ in range(40))
        size += len(text.encode())
        doc, turn = divmod(len(rows), TURNS_PER_DOCUMENT)
        rows.append({"doc_id": f"doc{doc:04d}", "turn": turn, "role": "answer", "text": text})
    return pd.DataFrame(rows)


def measure(function, *args) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of this process, all threads) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    function(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def race(turns: pd.DataFrame, contenders: dict, rounds: int = 5) -> dict[str, tuple[float, float]]:
    """Total (wall, CPU) seconds of each contender over the turns, taken in interleaved rounds of documents, each
    contender going first in turn, so that other load on the machine weighs on all of them alike."""
    documents = sorted(turns.doc_id.unique())
    totals = dict.fromkeys(contenders, (0.0, 0.0))
    names = list(contenders)
    for r in range(rounds):
        part = turns[turns.doc_id.isin(documents[r::rounds])]
        for name in names[r % len(names) :] + names[: r % len(names)]:  # each goes first in turn
            function = contenders[name]
            wall, cpu = measure(function, part)
            totals[name] = (totals[name][0] + wall, totals[name][1] + cpu)
    return totals


def spans(tokens: list[tuple[str, str]]) -> dict[tuple[int, int], str]:
    """Each token's (start, end) character offsets mapped to its POS tag."""
    out, at = {}, 0
    for token, pos in tokens:
        out[(at, at + len(token))] = pos
        at += len(token)
    return out


def agreement(turns: pd.DataFrame) -> tuple[float, float]:
    """Share of the jieba reference's tokens that the fast path gives too, and of those, with the same POS."""
    fast, reference = load_segmenter(), load_segmenter(backend="jieba")
    same_tokens = same_pos = total = 0
    for text in turns.text:
        a, b = spans(fast.pairs(text, keep_all=True)), spans(reference.pairs(text, keep_all=True))
        common = a.keys() & b.keys()
        same_tokens, total = same_tokens + len(common), total + len(b)
        same_pos += sum(a[k] == b[k] for k in common)
    return same_tokens / total, same_pos / max(same_tokens, 1)


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--mb", type=float, default=5.0)
    megabytes = options.parse_args(argv).mb
    jieba.setLogLevel(logging.WARNING)
    turns = corpus_turns(megabytes)
    size = turns.text.str.encode("utf-8").str.len().sum() / 1e6
    load_fast, _ = measure(lambda: (load_segmenter(), simplified("")))
    load_jieba, _ = measure(jieba.initialize)
    load = os.getloadavg()[0]
    print(f"text: {size:.2f} MB, {turns.doc_id.nunique()} documents, {len(turns)} turns; load average {load:.1f}")
    print(f"load once per process: project (rjieba + dictionaries) {load_fast:.2f} s, jieba {load_jieba:.2f} s")
    cut = load_segmenter().tokenizer.cut
    traditional = turns.assign(text=turns.text.map(opencc.OpenCC("s2t").convert))
    contenders = {
        "jieba.lcut (baseline)": lambda part: [jieba.lcut(text) for text in part.text],
        "project tokenize_turns (token table)": tokenize_turns,
        "  of which rjieba's cut alone": lambda part: [cut(text) for text in part.text],
        "  the same text in Traditional": lambda part: tokenize_turns(traditional.loc[part.index]),
    }
    tokenize_turns(turns[turns.doc_id.eq(turns.doc_id.iloc[0])])  # warm up: tags are looked up once per type
    totals = race(turns, contenders)
    base_wall, base_cpu = totals["jieba.lcut (baseline)"]
    print(f"{'':38} {'MB/s':>6} {'wall ratio':>10} {'CPU ratio':>10}")
    for name, (wall, cpu) in totals.items():
        print(f"{name:38} {size / wall:6.2f} {base_wall / wall:9.1f}x {base_cpu / cpu:9.1f}x")
    same_tokens, same_pos = agreement(turns)
    print(f"agreement with the jieba reference (same dictionaries): tokens {same_tokens:.4%}, POS {same_pos:.4%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
