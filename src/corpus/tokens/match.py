"""Finding words and phrases in the token stream as written, whether the segmenter kept them whole or not."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from corpus.tokens.units import turn_ids

__all__ = ["MATCH_COLUMNS", "Stream", "find_phrases", "longest_first", "normalise", "stream"]

MATCH_COLUMNS = ["row", "start", "end", "phrase", "fit"]
WORDS = ("whole", "part")  # fits that are the word itself, not a coincidence of characters
TURN_BREAK = "\n"  # never inside a token or a phrase, so no match spans two turns


@dataclass(frozen=True)
class Stream:
    """The tokens of a table joined into one text, turns separated by TURN_BREAK, with each token's offsets."""

    text: str
    starts: np.ndarray
    ends: np.ndarray


def normalise(phrase: str) -> str:
    """A phrase as matched: whitespace removed, so the n-gram '中美 关系' finds 中美关系.

    >>> normalise("中美 关系")
    '中美关系'
    """
    return "".join(phrase.split())


def stream(tokens: pd.DataFrame) -> Stream:
    """The tokens (in text order within each turn) as one text with each token's start and end offset.

    >>> tokens = pd.DataFrame({"doc_id": "a", "turn": [1, 1, 1, 2], "token": ["其中", "美国", "中美关系", "台湾当局"]})
    >>> s = stream(tokens)
    >>> s.text.split(TURN_BREAK), s.starts.tolist(), s.ends.tolist()
    (['其中美国中美关系', '台湾当局'], [0, 2, 4, 9], [2, 4, 8, 13])
    """
    text = tokens.token.astype(str).to_numpy()
    new_turn = np.diff(turn_ids(tokens), prepend=0) > 0
    lengths = np.fromiter((len(t) for t in text), int, len(text))
    starts = np.cumsum(np.r_[0, lengths[:-1] + new_turn[1:]]) if len(text) else np.zeros(0, int)
    joined = "".join(TURN_BREAK + t if brk else t for t, brk in zip(text, new_turn, strict=True))
    return Stream(joined, starts, starts + lengths)


def find_phrases(tokens: pd.DataFrame, phrases: Iterable[str]) -> pd.DataFrame:
    """Every occurrence of each phrase in the tokens' text, overlapping ones included, sorted by place.

    Columns: row (position in `tokens` of the token holding the first character), start and end (offsets in the
    joined text), phrase (as given), fit: "whole" (covers whole tokens: 中美关系 as 中美/关系 or as one token),
    "part" (inside one token: 台湾 in 台湾当局, a compound the segmenter kept whole) or "across" (cuts into
    neighbouring words: 中美 in 其中/美国, a coincidence of characters). Matching the text rather than tokens keeps
    the counts the same whichever way the segmenter splits a term.

    >>> tokens = pd.DataFrame({"doc_id": "a", "turn": [1, 1, 1, 2], "token": ["其中", "美国", "中美关系", "台湾当局"]})
    >>> find_phrases(tokens, ["中美", "台湾", "中美关系"])
       row  start  end phrase     fit
    0    0      1    3     中美  across
    1    2      4    6     中美    part
    2    2      4    8   中美关系   whole
    3    3      9   11     台湾    part
    """
    s = stream(tokens)
    rows: list[tuple[int, int, str]] = []
    for phrase in dict.fromkeys(phrases):
        needle = normalise(phrase)
        at = s.text.find(needle) if needle else -1
        while at >= 0:
            rows.append((at, at + len(needle), phrase))
            at = s.text.find(needle, at + 1)
    table = pd.DataFrame(rows, columns=["start", "end", "phrase"]).astype({"start": "int64", "end": "int64"})
    start, end = table.start.to_numpy(), table.end.to_numpy()
    first = np.searchsorted(s.starts, start, side="right") - 1
    last = np.searchsorted(s.starts, end - 1, side="right") - 1
    whole = (s.starts[first] == start) & (s.ends[last] == end)
    table["row"] = first
    table["fit"] = np.where(whole, "whole", np.where(first == last, "part", "across"))
    return table[MATCH_COLUMNS].sort_values(["start", "end"], kind="stable").reset_index(drop=True)


def longest_first(hits: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Hits that do not overlap within each `by` group, preferring at each place the earliest, then longest, match.

    >>> tokens = pd.DataFrame({"doc_id": "a", "turn": [1, 1, 1, 2], "token": ["其中", "美国", "中美关系", "台湾当局"]})
    >>> longest_first(find_phrases(tokens, ["中美", "中美关系"]).assign(doc_id="a"), by="doc_id")
       row  start  end phrase     fit doc_id
    0    0      1    3     中美  across      a
    2    2      4    8   中美关系   whole      a
    """
    hits = hits.assign(length=hits.end - hits.start).sort_values([by, "start", "length"], ascending=[True, True, False])
    keep, group, reached = [], None, -1
    for index, key, start, end in zip(hits.index, hits[by], hits.start, hits.end, strict=True):
        if key != group:
            group, reached = key, -1
        if start >= reached:
            keep.append(index)
            reached = end
    return hits.loc[keep].drop(columns="length")
