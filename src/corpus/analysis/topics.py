"""Topic models of the answers (NMF or LDA, fixed random state): topic terms, labels and topic share per answer/year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from threadpoolctl import threadpool_limits

from corpus.errors import CorpusError
from corpus.tokens.units import TERMS_HINT, UNIT_COLUMN, require, with_unit

Method = Literal["nmf", "lda"]
ANSWER_INFO = ["answer", "doc_id", "date", "year", "question", "outlet", "origin"]
# Terms in fewer than 2 answers say nothing about co-occurrence; terms in over half are the whole corpus's vocabulary.
MIN_DF, MAX_DF = 2, 0.5
LABEL_TERMS = 3


@dataclass(frozen=True)
class TopicModel:
    """A fitted topic model as two tables.

    terms: topic, label, rank, term, weight (the term's weight in the topic, highest first).
    answers: answer, doc_id, date, year, question, outlet, origin, tokens, topic, label, share (the answer's
    weights normalised to sum to 1 over topics).
    """

    method: str
    terms: pd.DataFrame
    answers: pd.DataFrame


def _as_given(document: list[str]) -> list[str]:
    return document


def answer_matrix(terms: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Each answer's metadata and token count (one row per answer, in text order) and its list of terms."""
    require(terms, ["term"], hint=TERMS_HINT)
    table, _ = with_unit(terms, "answer")
    grouped = table.groupby("answer", sort=False)
    info = grouped[ANSWER_INFO[1:]].first().assign(tokens=grouped.size()).reset_index()
    return info, grouped.term.agg(list).reindex(info.answer)


def _decompose(documents: pd.Series, n_topics: int, method: Method, seed: int) -> tuple[np.ndarray, np.ndarray, list]:
    """Answer x topic and topic x term weights and the vocabulary."""
    try:
        vectorizer = CountVectorizer(analyzer=_as_given, min_df=min(MIN_DF, len(documents)), max_df=MAX_DF)
        counts = vectorizer.fit_transform(documents.tolist())
    except ValueError:
        raise CorpusError(f"too few answers ({len(documents)}) or shared terms to fit topics") from None
    if method == "nmf":
        # Lee & Seung 1999 multiplicative updates on TF-IDF from an NNDSVDa start (Boutsidis & Gallopoulos 2008).
        model = NMF(n_components=n_topics, init="nndsvda", solver="mu", random_state=seed, max_iter=1000)
        answer_weights = model.fit_transform(TfidfTransformer().fit_transform(counts))
    elif method == "lda":
        # Blei, Ng & Jordan 2003 on raw counts, variational Bayes in batch mode (Hoffman et al. 2010).
        model = LatentDirichletAllocation(n_components=n_topics, random_state=seed, learning_method="batch")
        answer_weights = model.fit_transform(counts)
    else:
        raise CorpusError(f"unknown topic method {method!r}; choose nmf or lda")
    return answer_weights, model.components_, vectorizer.get_feature_names_out()


def topic_terms(topic_weights: np.ndarray, vocabulary: np.ndarray, n_terms: int) -> pd.DataFrame:
    """topic (from 1), label (its three heaviest terms), rank, term, weight: the `n_terms` heaviest per topic."""
    rows = []
    for k, weights in enumerate(topic_weights, start=1):
        top = np.lexsort((vocabulary, -weights))[:n_terms]  # ties by term, for stable output
        label = "·".join(vocabulary[top[:LABEL_TERMS]])
        rows += [(k, label, rank, vocabulary[i], weights[i]) for rank, i in enumerate(top, start=1)]
    return pd.DataFrame(rows, columns=["topic", "label", "rank", "term", "weight"])


def fit_topics(
    terms: pd.DataFrame, *, n_topics: int = 6, method: Method = "nmf", seed: int = 0, n_terms: int = 10
) -> TopicModel:
    """Topics of the answers in `terms`; the same input and seed give the same topics, numbered by overall share.

    A topic's label joins its three heaviest terms (e.g. 疫情·病毒·溯源). `n_terms` terms are kept per topic.
    """
    info, documents = answer_matrix(terms)
    if not 1 <= n_topics <= len(documents):
        raise CorpusError(f"cannot fit {n_topics} topics to {len(documents)} answers")
    with threadpool_limits(limits=1):  # one BLAS thread: same numbers on any machine, and faster on small matrices
        answer_weights, topic_weights, vocabulary = _decompose(documents, n_topics, method, seed)
    totals = answer_weights.sum(axis=1, keepdims=True)
    shares = np.divide(answer_weights, totals, out=np.zeros_like(answer_weights), where=totals > 0)
    order = np.argsort(-(shares * info.tokens.to_numpy()[:, None]).sum(axis=0), kind="stable")
    shares, topic_weights = shares[:, order], topic_weights[order]
    term_table = topic_terms(topic_weights, vocabulary, n_terms)
    labels = term_table.groupby("topic").label.first().to_numpy()
    answer_table = info.loc[info.index.repeat(n_topics)].reset_index(drop=True)
    answer_table["topic"] = np.tile(np.arange(1, n_topics + 1), len(info))
    answer_table["label"] = labels[answer_table.topic - 1]
    answer_table["share"] = shares.ravel()
    return TopicModel(method, term_table, answer_table)


def topic_share(model: TopicModel, *, by: Literal["year", "document", "origin"] = "year") -> pd.DataFrame:
    """Each topic's share of a year's (document's, origin's) answers, weighting answers by their length.

    Columns: the unit (year, doc_id or origin), topic, label, share (sums to 1 over topics within each unit),
    answers. Shares per answer, i.e. per question, are in `model.answers`.
    """
    if by not in ("year", "document", "origin"):
        raise CorpusError(f"unknown unit {by!r}; choose year, document or origin")
    column = UNIT_COLUMN[by]
    table = model.answers.assign(weighted=model.answers.share * model.answers.tokens)
    grouped = table.groupby([column, "topic", "label"], sort=True)
    result = grouped.agg(weighted=("weighted", "sum"), tokens=("tokens", "sum"), answers=("answer", "nunique"))
    result = result.reset_index()
    result["share"] = result.weighted / result.tokens
    return result[[column, "topic", "label", "share", "answers"]]
