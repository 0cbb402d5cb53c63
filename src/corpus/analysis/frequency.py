"""Counting terms: raw and per 10,000 tokens per year, document, answer, role or origin, and type/token figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from corpus.tokens.units import TERMS_HINT, Unit, require, top_per_unit, with_unit

__all__ = ["PER", "moving_average_ttr", "term_counts", "type_token"]

PER = 10_000


def term_counts(terms: pd.DataFrame, *, by: Unit = "year", top: int | None = None) -> pd.DataFrame:
    """How often each term occurs in each unit.

    Columns: the unit (year, doc_id, answer, role or origin), term, count, total (terms in the unit), per_10k
    (count per 10,000 terms of the unit), rank (1 = most frequent, ties by term). `top` keeps the first `top` per unit.
    For n-grams, total and per_10k count n-grams of the same size.

    >>> terms = pd.DataFrame({"year": [2020, 2020, 2020, 2021], "term": ["疫情", "疫情", "合作", "合作"]})
    >>> term_counts(terms)
       year term  count  total       per_10k  rank
    0  2020   疫情      2      3   6666.666667     1
    1  2020   合作      1      3   3333.333333     2
    2  2021   合作      1      1  10000.000000     1
    """
    require(terms, ["term"], hint=TERMS_HINT)
    table, column = with_unit(terms, by)
    counts = table.groupby([column, "term"], sort=True).size().rename("count").reset_index()
    totals = table.groupby(column).size().rename("total")
    counts = counts.merge(totals, left_on=column, right_index=True)
    counts["per_10k"] = counts["count"] / counts["total"] * PER
    return top_per_unit(counts, column, "count", top)


def moving_average_ttr(terms: pd.Series, window: int) -> float:
    """Mean type/token ratio over every `window`-term stretch (MATTR, Covington & McFall 2010); plain TTR if shorter.

    O(n): a term counts as new in a window starting at s when its previous occurrence lies before s.

    >>> moving_average_ttr(pd.Series(["疫情", "合作", "疫情", "发展"]), window=2)
    1.0
    """
    n = len(terms)
    if n == 0:
        return float("nan")
    if n <= window:
        return terms.nunique() / n
    index = np.arange(n)
    previous = pd.Series(index).groupby(terms.to_numpy()).shift(1).fillna(-1).to_numpy(int)
    first = np.maximum(previous + 1, index - window + 1)
    last = np.minimum(index, n - window)
    windows_new = np.clip(last - first + 1, 0, None).sum()
    return float(windows_new / (window * (n - window + 1)))


def type_token(terms: pd.DataFrame, *, by: Unit = "year", window: int = 500) -> pd.DataFrame:
    """Vocabulary size and diversity per unit.

    Columns: the unit, tokens (terms counted), types (distinct terms), ttr (types / tokens), root_ttr
    (types / sqrt(tokens), Guiraud 1954), mattr (moving-average TTR over `window` terms, Covington & McFall 2010;
    comparable across units of different length, unlike ttr), hapax (terms seen once in the unit).

    >>> type_token(pd.DataFrame({"year": [2020, 2020, 2020, 2021], "term": ["疫情", "疫情", "合作", "合作"]}))
       year  tokens  types       ttr  root_ttr     mattr  hapax
    0  2020       3      2  0.666667  1.154701  0.666667      1
    1  2021       1      1  1.000000  1.000000  1.000000      1
    """
    require(terms, ["term"], hint=TERMS_HINT)
    table, column = with_unit(terms, by)
    rows = []
    for unit, group in table.groupby(column, sort=True):
        counts = group.term.value_counts()
        n, v = len(group), len(counts)
        rows.append(
            (unit, n, v, v / n, v / np.sqrt(n), moving_average_ttr(group.term, window), int((counts == 1).sum()))
        )
    columns = [column, "tokens", "types", "ttr", "root_ttr", "mattr", "hapax"]
    return pd.DataFrame(rows, columns=columns)
