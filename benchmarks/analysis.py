"""Time every analysis on the two seeds after segmentation, each step relative to reading the token table."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from common import best_of, seed_tables  # benchmarks/common.py, beside this script

from corpus import store
from corpus.analysis import context, frequency, keyness, tfidf, themes, topics
from corpus.tokens import units
from corpus.tokens.segment import tokenize_turns

REPEATS = 5


def main() -> None:
    documents, turns = seed_tables()
    tokens = tokenize_turns(turns)  # segmentation: not timed here (benchmarks/segment.py)
    with tempfile.TemporaryDirectory() as folder:
        store.write_table(tokens, Path(folder), "tokens")
        baseline = best_of(lambda: store.read_table(Path(folder), "tokens"), REPEATS)
    annotated = units.annotate(tokens, turns, documents)
    words = units.terms(annotated)
    lexicon = themes.load_themes()
    steps: dict[str, Callable[[], object]] = {
        "annotate tokens (year, outlet)": lambda: units.annotate(tokens, turns, documents),
        "term table: words": lambda: units.terms(annotated),
        "term table: bigrams": lambda: units.terms(annotated, ngram=2),
        "frequencies per year": lambda: frequency.term_counts(words),
        "frequencies per answer": lambda: frequency.term_counts(words, by="answer"),
        "type/token per year (MATTR)": lambda: frequency.type_token(words),
        "TF-IDF top terms per year": lambda: tfidf.tfidf_terms(words),
        "TF-IDF similarity of answers": lambda: tfidf.similarity(words, by="answer"),
        "keyness 2021 vs 2020": lambda: keyness.keyness(words, 2021, 2020),
        "KWIC 疫情": lambda: context.kwic(annotated, "疫情"),
        "collocations 疫情": lambda: context.collocations(words, "疫情"),
        "topics NMF (6)": lambda: topics.fit_topics(words, method="nmf"),
        "topics LDA (6)": lambda: topics.fit_topics(words, method="lda"),
        "theme shares, negative binomial per theme and year": lambda: themes.theme_shares(annotated, lexicon),
        "themes by outlet origin": lambda: themes.themes_by_origin(annotated, lexicon),
    }
    timings = {name: best_of(step, REPEATS) for name, step in steps.items()}
    print(f"{len(documents)} documents, {len(tokens)} tokens, {len(words)} answer terms; best of {REPEATS} runs")
    print(f"baseline: read the token table (Parquet) {baseline * 1000:8.1f} ms")
    for name, seconds in timings.items():
        print(f"  {name:<40} {seconds * 1000:8.1f} ms  {seconds / baseline:6.1f} x baseline")
    total = sum(timings.values())
    print(f"total, all analyses: {total:.3f} s = {total / baseline:.0f} x baseline (target: well under 1 s)")


if __name__ == "__main__":
    main()
