"""TF-IDF weights of terms per year, document or answer, their top terms, and cosine similarity between units."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.metrics.pairwise import cosine_similarity

from corpus.errors import CorpusError
from corpus.tokens.units import TERMS_HINT, Unit, require, top_per_unit, with_unit

__all__ = ["Weights", "similarity", "tfidf_terms", "unit_documents", "weights"]


@dataclass(frozen=True)
class Weights:
    """A unit x term matrix of raw counts and TF-IDF weights, with the units' and terms' names."""

    column: str
    units: np.ndarray
    terms: np.ndarray
    counts: sparse.csr_matrix
    tfidf: sparse.csr_matrix


def _as_given(document: list[str]) -> list[str]:
    """The analyzer: terms pass through untouched, so no one-character word is lost to a token_pattern."""
    return document


def _by(by: Unit, unit: Unit | None) -> Unit:
    """`by`, or the deprecated `unit=` where a caller still gives it."""
    if unit is None:
        return by
    warnings.warn("unit= is deprecated; use by=", DeprecationWarning, stacklevel=3)
    return unit


def unit_documents(terms: pd.DataFrame, *, by: Unit = "year", unit: Unit | None = None) -> tuple[str, pd.Series]:
    """The unit column's name and a Series of term lists, one per unit, in sorted unit order.

    >>> terms = pd.DataFrame({"year": [2021, 2020, 2021], "term": ["疫苗", "疫情", "合作"]})
    >>> column, documents = unit_documents(terms)
    >>> column, documents.to_dict()
    ('year', {2020: ['疫情'], 2021: ['疫苗', '合作']})
    """
    require(terms, ["term"], hint=TERMS_HINT)
    table, column = with_unit(terms, _by(by, unit))
    return column, table.groupby(column, sort=True).term.agg(list)


def weights(terms: pd.DataFrame, *, by: Unit = "year", sublinear_tf: bool = False, unit: Unit | None = None) -> Weights:
    """Counts and TF-IDF per unit: scikit-learn's smoothed idf, ln((1 + n) / (1 + df)) + 1, and L2-normalised rows.

    >>> w = weights(pd.DataFrame({"year": [2020, 2020, 2021], "term": ["疫情", "合作", "合作"]}))
    >>> w.units.tolist(), w.terms.tolist(), w.counts.toarray().tolist()
    ([2020, 2021], ['合作', '疫情'], [[1, 1], [1, 0]])
    >>> w.tfidf.toarray().round(3).tolist()
    [[0.58, 0.815], [1.0, 0.0]]
    """
    column, documents = unit_documents(terms, by=_by(by, unit))
    if documents.empty:
        raise CorpusError(f"no terms to weigh: no {column} has any")
    vectorizer = CountVectorizer(analyzer=_as_given)
    counts = vectorizer.fit_transform(documents.tolist()).tocsr()
    counts.sort_indices()
    tfidf = TfidfTransformer(sublinear_tf=sublinear_tf).fit_transform(counts).tocsr()
    tfidf.sort_indices()
    return Weights(column, documents.index.to_numpy(), vectorizer.get_feature_names_out(), counts, tfidf)


def tfidf_terms(
    terms: pd.DataFrame,
    *,
    by: Unit = "year",
    top: int | None = 20,
    sublinear_tf: bool = False,
    unit: Unit | None = None,
) -> pd.DataFrame:
    """Terms ranked by TF-IDF within each unit (`by`: year, document or answer; `unit=` is its deprecated name).

    Columns: the unit (year, doc_id or answer), term, count, tfidf, rank (1 = highest weight, ties by term).
    With one unit every idf is equal and the ranking is plain frequency.

    >>> terms = pd.DataFrame({"year": [2020, 2020, 2020, 2021], "term": ["疫情", "疫情", "合作", "合作"]})
    >>> tfidf_terms(terms, top=1).round(3)
       year term  count  tfidf  rank
    0  2020   疫情      2  0.942     1
    1  2021   合作      1  1.000     1
    """
    w = weights(terms, by=_by(by, unit), sublinear_tf=sublinear_tf)
    counts, weighted = w.counts.tocoo(), w.tfidf.tocoo()  # same sparsity pattern, same order
    table = pd.DataFrame(
        {
            w.column: w.units[counts.row],
            "term": w.terms[counts.col],
            "count": counts.data.astype(int),
            "tfidf": weighted.data,
        }
    )
    return top_per_unit(table, w.column, "tfidf", top)


def similarity(
    terms: pd.DataFrame, *, by: Unit = "year", sublinear_tf: bool = False, unit: Unit | None = None
) -> pd.DataFrame:
    """Cosine similarity of the units' TF-IDF vectors, every ordered pair (1 on the diagonal).

    Columns: <unit>_a, <unit>_b (e.g. year_a, year_b), cosine.

    >>> similarity(pd.DataFrame({"year": [2020, 2020, 2021], "term": ["疫情", "合作", "合作"]})).round(3)
       year_a  year_b  cosine
    0    2020    2020    1.00
    1    2020    2021    0.58
    2    2021    2020    0.58
    3    2021    2021    1.00
    """
    w = weights(terms, by=_by(by, unit), sublinear_tf=sublinear_tf)
    matrix = cosine_similarity(w.tfidf)
    a, b = np.meshgrid(np.arange(len(w.units)), np.arange(len(w.units)), indexing="ij")
    return pd.DataFrame(
        {f"{w.column}_a": w.units[a.ravel()], f"{w.column}_b": w.units[b.ravel()], "cosine": matrix.ravel()}
    )
