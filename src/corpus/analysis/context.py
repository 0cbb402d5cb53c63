"""Words in context: keyword-in-context concordances and collocations within a window (PMI, logDice)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from corpus.tokens.match import TURN_BREAK, WORDS, find_phrases, stream
from corpus.tokens.units import TERMS_HINT, TOKENS_HINT, require, turn_ids

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


def collocations(terms: pd.DataFrame, node: str, *, window: int = 5, min_freq: int = 3) -> pd.DataFrame:
    """Terms occurring within `window` terms either side of `node` (same turn), with association scores.

    Columns: node, collocate, freq (co-occurrences in the window), freq_node, freq_collocate, n (terms in the
    table), pmi (log2 of observed over expected co-occurrence, expected = freq_node * freq_collocate * 2 * window / n;
    Church & Hanks 1990, Evert 2008), logdice (14 + log2(2 freq / (freq_node + freq_collocate)); Rychlý 2008; at most
    14, independent of corpus size). Only collocates seen at least `min_freq` times in the window. Windows count
    content terms, stopwords already removed (units.terms). Sorted by logDice, then term.
    """
    require(terms, ["term"], hint=TERMS_HINT)
    term = terms.term.astype(str).to_numpy()
    turn = turn_ids(terms)
    at = np.flatnonzero(term == node)
    neighbours = [at + d for d in range(-window, window + 1) if d]
    found = np.concatenate([j[(j >= 0) & (j < len(term))] for j in neighbours] or [np.zeros(0, int)])
    origin = np.concatenate([at[(j >= 0) & (j < len(term))] for j in neighbours] or [np.zeros(0, int)])
    found = found[turn[found] == turn[origin]]
    table = pd.Series(term[found]).value_counts().rename_axis("collocate").reset_index(name="freq")
    table = table[table["freq"] >= min_freq]
    totals = pd.Series(term).value_counts()
    n, f_node = len(term), len(at)
    f_coll = totals.reindex(table.collocate).to_numpy()
    table = table.assign(node=node, freq_node=f_node, freq_collocate=f_coll, n=n)
    table["pmi"] = np.log2(table["freq"] * n / (f_node * f_coll * 2 * window))
    table["logdice"] = 14 + np.log2(2 * table["freq"] / (f_node + f_coll))
    order = np.lexsort((table.collocate.to_numpy(), -table.logdice.to_numpy()))
    return table.iloc[order][COLLOCATION_COLUMNS].reset_index(drop=True)
