"""Words in context: keyword-in-context concordances and collocations within a window (PMI, logDice)."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from corpus.tokens.match import TURN_BREAK, WORDS, find_phrases, stream
from corpus.tokens.units import TERMS_HINT, TOKENS_HINT, require, turn_ids

__all__ = ["COLLOCATION_COLUMNS", "collocations", "kwic", "pmi"]

KWIC_COLUMNS = ["doc_id", "date", "year", "turn", "role", "question", "outlet", "origin", "position"]
KWIC_COLUMNS += ["left", "keyword", "right", "fit"]
COLLOCATION_COLUMNS = ["node", "collocate", "freq", "freq_node", "freq_collocate", "n", "pmi", "logdice"]


def kwic(
    tokens: pd.DataFrame, term: str, *, width: int = 20, roles: Sequence[str] | None = None, fits: Sequence[str] = WORDS
) -> pd.DataFrame:
    """Every occurrence of `term` (a word or phrase, matched in the text) with `width` characters of context.

    Columns: doc_id, date, year, turn, role, question, outlet (the asking outlet, for questions and answers),
    origin, position (of the token where the match starts), left, keyword, right, fit (see match.find_phrases;
    `fits` picks which: by default whole words and parts of compounds, not 中美 cut from 其中/美国). Context stops
    at the turn's edge; whitespace between tokens is not kept. Takes the annotated token table (units.annotate or
    units.load_tokens); empty when the term does not occur.
    """
    require(tokens, ["token", "year"], hint=TOKENS_HINT)
    table = tokens if roles is None else tokens[tokens.role.isin(list(roles))]
    table = table.reset_index(drop=True)
    text = stream(table).text
    hits = find_phrases(table, [term])
    hits = hits[hits.fit.isin(list(fits))]
    context = pd.DataFrame(
        {
            "left": [text[max(a - width, 0) : a].rpartition(TURN_BREAK)[2] for a in hits.start],
            "keyword": [text[a:b] for a, b in zip(hits.start, hits.end, strict=True)],
            "right": [text[b : b + width].partition(TURN_BREAK)[0] for b in hits.end],
            "fit": hits.fit.to_numpy(),
        },
        dtype=str,
    )
    return pd.concat([table.iloc[hits.row].reset_index(drop=True), context], axis=1)[KWIC_COLUMNS]


def pmi(
    freq: ArrayLike, freq_node: ArrayLike, freq_collocate: ArrayLike, n: int, *, window: int, convention: str = "span"
) -> np.ndarray:
    """Pointwise mutual information, log2(freq / expected), for co-occurrences within `window` terms of the node.

    convention="span" (the default): expected = freq_node * freq_collocate * 2 * window / n, the window's 2 * window
    slots (both sides of the node) each filled by chance (Church & Hanks 1990, Evert 2008).

    convention="nltk": expected = freq_node * freq_collocate * window / n, the score NLTK gives with
    BigramCollocationFinder.from_words(words, window_size=window + 1) and BigramAssocMeasures.pmi. NLTK counts
    ordered pairs only (w1 first, w2 among the next window_size - 1 words), divides that count by window_size - 1
    and scores log2(n_ii * N / (n_ix * n_xi)): its window is `window` slots on ONE side. The span convention's
    window is twice as wide, so its expected count is twice as large and, for a collocate seen on one side of the
    node only (where both count the same pairs), its PMI is exactly one bit lower. For a collocate seen on both
    sides NLTK scores (node, collocate) and (collocate, node) apart; freq here adds the two, so the nltk value is
    then log2 of the sum of NLTK's two 2**pmi values. NLTK also counts every pair of occurrences and crosses turns.
    """
    spans = {"span": 2 * window, "nltk": window}
    if convention not in spans:
        raise ValueError(f"pmi convention must be one of {sorted(spans)}, not {convention!r}")
    freq, f_node, f_coll = (np.asarray(x, dtype=float) for x in (freq, freq_node, freq_collocate))
    return np.log2(freq * n / (f_node * f_coll * spans[convention]))


def _matched_pairs(node_at: np.ndarray, coll_at: np.ndarray, turn: np.ndarray, window: int) -> int:
    """The most (node, collocate) occurrence pairs within `window` of each other in one turn, no occurrence in two.

    Greedy over positions in text order, each occurrence paired with the oldest unpaired one of the other kind still
    in reach; on a line with a fixed reach this is a maximum matching (tests check it against brute force).
    """
    events = sorted([(int(p), 0) for p in node_at] + [(int(p), 1) for p in coll_at])
    waiting: tuple[deque[int], deque[int]] = (deque(), deque())
    pairs = 0
    for position, kind in events:
        other = waiting[1 - kind]
        while other and (position - other[0] > window or turn[other[0]] != turn[position]):
            other.popleft()
        if other:
            other.popleft()
            pairs += 1
        else:
            waiting[kind].append(position)
    return pairs


def collocations(
    terms: pd.DataFrame, node: str, *, window: int = 5, min_freq: int = 3, pmi_convention: str = "span"
) -> pd.DataFrame:
    """Terms occurring within `window` terms either side of `node` (same turn), with association scores.

    Columns: node, collocate, freq, freq_node, freq_collocate, n (terms in the table), pmi (see `pmi`; by default
    log2 of observed over expected co-occurrence, expected = freq_node * freq_collocate * 2 * window / n; Church &
    Hanks 1990, Evert 2008; pmi_convention="nltk" gives NLTK's one-sided window instead), logdice (14 + log2(2 freq /
    (freq_node + freq_collocate)); Rychlý 2008; at most 14, independent of corpus size).

    freq counts (node occurrence, collocate occurrence) pairs within the window, each occurrence in at most one
    pair: a collocate seen once near three occurrences of the node counts once, and so does a node seen once with
    a collocate three times beside it. So freq <= min(freq_node, freq_collocate) and logDice <= 14, reached when
    every occurrence of each is paired. The node is not its own collocate. Only collocates with freq >= `min_freq`.
    Windows count content terms, stopwords already removed (units.terms). Sorted by logDice, then term.
    """
    require(terms, ["term"], hint=TERMS_HINT)
    term = terms.term.astype(str).to_numpy()
    turn = turn_ids(terms)
    at = np.flatnonzero(term == node)
    near = np.unique(np.concatenate([at + d for d in range(-window, window + 1) if d] or [np.zeros(0, int)]))
    near = near[(near >= 0) & (near < len(term))]
    near = near[term[near] != node]
    candidates = pd.Series(near).groupby(term[near]).agg(list) if len(near) else pd.Series(dtype=object)
    freq = {}
    for collocate, coll_at in candidates.items():
        coll_at = np.asarray(coll_at)
        lo, hi = np.searchsorted(at, coll_at - window), np.searchsorted(at, coll_at + window, side="right")
        node_at = at[np.unique(np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True)]))]
        freq[collocate] = _matched_pairs(node_at, coll_at, turn, window)
    table = pd.Series(freq, dtype=int).rename_axis("collocate").reset_index(name="freq")
    table = table[table["freq"] >= max(min_freq, 1)]
    totals = pd.Series(term).value_counts()
    n, f_node = len(term), len(at)
    f_coll = totals.reindex(table.collocate).to_numpy()
    table = table.assign(node=node, freq_node=f_node, freq_collocate=f_coll, n=n)
    table["pmi"] = pmi(table["freq"], f_node, f_coll, n, window=window, convention=pmi_convention)
    table["logdice"] = 14 + np.log2(2 * table["freq"] / (f_node + f_coll))
    order = np.lexsort((table.collocate.to_numpy(), -table.logdice.to_numpy()))
    return table.iloc[order][COLLOCATION_COLUMNS].reset_index(drop=True)
