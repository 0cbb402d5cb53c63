"""Review dictionary entries against the corpus: where an entry does not come out whole, and what else it changed.

    .venv/bin/python scripts/review_dictionary.py [--root ROOT] [DICTIONARY ...]

Reads every transcript in data/raw (the seeds when data/raw is empty) and segments it with jieba's dictionary
alone and with the dictionaries in force (the shipped one, the researcher's folder, and any given). Prints
  1. occurrences of an entry that are cut inside (often right: 中非 in 中/非常), with the context;
  2. every stretch of text whose tokens the dictionaries changed into something that is not an entry (a neighbour
     broken or swallowed), with how often;
  3. entries that never occur (a list to keep short: check them in sentences of your own).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path

from corpus.dataset.build import load_document, raw_files
from corpus.ingest.clean import to_simplified
from corpus.paths import get_paths
from corpus.tokens.dictionaries import dictionary_files, read_dictionary
from corpus.tokens.tokenizers import rjieba_tokenizer

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def corpus_paragraphs(root: str | None) -> list[str]:
    files = raw_files(get_paths(root).raw) or sorted(SEEDS.glob("*.txt"))
    return [to_simplified(p) for f in files for text in load_document(f)[1].text for p in text.split("\n")]


def boundaries(tokens: list[str]) -> set[int]:
    ends, at = set(), 0
    for token in tokens:
        at += len(token)
        ends.add(at)
    return ends


def changed_stretches(text: str, before: list[str], after: list[str]) -> list[tuple[str, str]]:
    """(tokens before, tokens after) of each stretch whose segmentation differs, joined with '/'."""
    old, new = boundaries(before), boundaries(after)
    common = sorted(old & new | {0})
    stretches = []
    for start, end in pairwise(common):
        cut_old = [b for b in sorted(old) if start < b <= end]
        cut_new = [b for b in sorted(new) if start < b <= end]
        if cut_old != cut_new:
            stretches.append((_split(text, start, cut_old), _split(text, start, cut_new)))
    return stretches


def _window(tokens: list[str], start: int, end: int, margin: int = 8) -> str:
    """The tokens around text[start:end], separated by '/'."""
    shown, at = [], 0
    for token in tokens:
        if at + len(token) > start - margin and at < end + margin:
            shown.append(token)
        at += len(token)
    return "/".join(shown)


def _split(text: str, start: int, cuts: list[int]) -> str:
    return "/".join(text[a:b] for a, b in zip([start, *cuts], cuts, strict=False))


def cut_inside(text: str, tokens: list[str], words: set[str]) -> list[str]:
    """'word<TAB>context' for each occurrence of an entry with a token boundary inside it."""
    ends, found = boundaries(tokens), []
    for word in words:
        at = text.find(word)
        while at >= 0:
            if any(b in ends for b in range(at + 1, at + len(word))):  # inside a longer token is fine
                found.append(f"{word}\t{_window(tokens, at, at + len(word))}")
            at = text.find(word, at + 1)
    return found


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--root")
    args.add_argument("dictionaries", nargs="*", type=Path, help="more dictionaries to try (default: none)")
    options = args.parse_args(argv)
    files = [*dictionary_files(get_paths(options.root).dictionaries), *options.dictionaries]
    entries = [e for f in files for e in read_dictionary(f)]
    words = {e.word for e in entries}
    plain, domain = rjieba_tokenizer([]).cut, rjieba_tokenizer(entries).cut
    paragraphs = corpus_paragraphs(options.root)
    broken: list[str] = []
    changes: Counter = Counter()
    examples: dict[tuple[str, str], str] = {}
    for text in paragraphs:
        before, after = plain(text), domain(text)
        broken += cut_inside(text, after, words)
        for old, new in changed_stretches(text, before, after):
            if not set(new.split("/")) <= words:
                changes[(old, new)] += 1
                at = text.find(old.replace("/", ""))
                examples.setdefault((old, new), _window(after, at, at + len(old.replace("/", ""))))
    absent = sorted(w for w in words if not any(w in p for p in paragraphs))
    print(f"# {len(entries)} entries from {', '.join(map(str, files))}; {len(paragraphs)} paragraphs")
    print(f"\n## 1. entries cut inside ({len(broken)})", *sorted(broken), sep="\n")
    print(f"\n## 2. other changes ({len(changes)})")
    for (old, new), n in sorted(changes.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{n:3d}  {old}  ->  {new}\t{examples[(old, new)]}")
    print(f"\n## 3. entries absent from the corpus ({len(absent)})", " ".join(absent), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
