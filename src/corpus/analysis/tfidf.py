"""TF-IDF weights of terms per year, document or answer, their top terms, and cosine similarity between units."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.metrics.pairwise import cosine_similarity

from corpus.errors import CorpusError
from corpus.tokens.units import TERMS_HINT, Unit, require, top_per_unit, with_unit


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


def unit_documents(terms: pd.DataFrame, *, unit: Unit = "year") -> tuple[str, pd.Series]:
    """The unit column's name and a Series of term lists, one per unit, in sorted unit order."""
    require(terms, ["term"], hint=TERMS_HINT)
    table, column = with_unit(terms, unit)
    return column, table.groupby(column, sort=True).term.agg(list)


def weights(terms: pd.DataFrame, *, unit: Unit = "year", sublinear_tf: bool = False) -> Weights:
    """Counts and TF-IDF per unit: scikit-learn's smoothed idf, ln((1 + n) / (1 + df)) + 1, and L2-normalised rows."""
    column, documents = unit_documents(terms, unit=unit)
    if documents.empty:
        raise CorpusError(f"no terms to weigh: no {column} has any")
    vectorizer = CountVectorizer(analyzer=_as_given)
    counts = vectorizer.fit_transform(documents.tolist()).tocsr()
    counts.sort_indices()
    tfidf = TfidfTransformer(sublinear_tf=sublinear_tf).fit_transform(counts).tocsr()
    tfidf.sort_indices()
    return Weights(column, documents.index.to_numpy(), vectorizer.get_feature_names_out(), counts, tfidf)


def tfidf_terms(
    terms: pd.DataFrame, *, unit: Unit = "year", top: int | None = 20, sublinear_tf: bool = False
) -> pd.DataFrame:
    """Terms ranked by TF-IDF within each unit.

    Columns: the unit (year, doc_id or answer), term, count, tfidf, rank (1 = highest weight, ties by term).
    With one unit every idf is equal and the ranking is plain frequency.
    """
    w = weights(terms, unit=unit, sublinear_tf=sublinear_tf)
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


def similarity(terms: pd.DataFrame, *, unit: Unit = "year", sublinear_tf: bool = False) -> pd.DataFrame:
    """Cosine similarity of the units' TF-IDF vectors, every ordered pair (1 on the diagonal).

    Columns: <unit>_a, <unit>_b (e.g. year_a, year_b), cosine.
    """
    w = weights(terms, unit=unit, sublinear_tf=sublinear_tf)
    matrix = cosine_similarity(w.tfidf)
    a, b = np.meshgrid(np.arange(len(w.units)), np.arange(len(w.units)), indexing="ij")
    return pd.DataFrame(
        {f"{w.column}_a": w.units[a.ravel()], f"{w.column}_b": w.units[b.ravel()], "cosine": matrix.ravel()}
    )
