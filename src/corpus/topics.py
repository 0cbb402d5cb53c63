"""Topic models of the answers (NMF or LDA, fixed random state): topic terms, labels and topic share per answer/year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from corpus.errors import CorpusError
from corpus.frequency import TERMS_HINT
from corpus.units import require, with_unit

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
    if method == "nmf":  # Lee & Seung 1999 on TF-IDF, NNDSVDa start (Boutsidis & Gallopoulos 2008)
        model = NMF(n_components=n_topics, init="nndsvda", random_state=seed, max_iter=1000)
        answer_weights = model.fit_transform(TfidfTransformer().fit_transform(counts))
    elif method == "lda":  # Blei, Ng & Jordan 2003 on raw counts, variational Bayes in batch mode
        model = LatentDirichletAllocation(n_components=n_topics, random_state=seed, learning_method="batch")
        answer_weights = model.fit_transform(counts)
    else:
        raise CorpusError(f"unknown topic method {method!r}; choose nmf or lda")
    return answer_weights, model.components_, vectorizer.get_feature_names_out()


def fit_topics(
    terms: pd.DataFrame, *, n_topics: int = 6, method: Method = "nmf", seed: int = 0, n_terms: int = 10
) -> TopicModel:
    """Topics of the answers in `terms`; the same input and seed give the same topics, numbered by overall share.

    A topic's label joins its three heaviest terms (e.g. 疫情·病毒·溯源). `n_terms` terms are kept per topic.
    """
    info, documents = answer_matrix(terms)
    if not 1 <= n_topics <= len(documents):
        raise CorpusError(f"cannot fit {n_topics} topics to {len(documents)} answers")
    answer_weights, topic_weights, vocabulary = _decompose(documents, n_topics, method, seed)
    totals = answer_weights.sum(axis=1, keepdims=True)
    shares = np.divide(answer_weights, totals, out=np.zeros_like(answer_weights), where=totals > 0)
    order = np.argsort(-(shares * info.tokens.to_numpy()[:, None]).sum(axis=0), kind="stable")
    shares, topic_weights = shares[:, order], topic_weights[order]
    top = [np.lexsort((vocabulary, -row))[:n_terms] for row in topic_weights]
    labels = ["·".join(vocabulary[i[:LABEL_TERMS]]) for i in top]
    term_rows = [
        (k + 1, labels[k], rank + 1, vocabulary[i], topic_weights[k, i])
        for k, idx in enumerate(top)
        for rank, i in enumerate(idx)
    ]
    term_table = pd.DataFrame(term_rows, columns=["topic", "label", "rank", "term", "weight"])
    answer_table = info.loc[info.index.repeat(n_topics)].reset_index(drop=True)
    answer_table["topic"] = np.tile(np.arange(1, n_topics + 1), len(info))
    answer_table["label"] = np.array(labels)[answer_table.topic - 1]
    answer_table["share"] = shares.ravel()
    return TopicModel(method, term_table, answer_table)


def topic_share(model: TopicModel, *, by: Literal["year", "doc_id", "origin"] = "year") -> pd.DataFrame:
    """Each topic's share of a year's (document's, origin's) answers, weighting answers by their length.

    Columns: the unit, topic, label, share (sums to 1 over topics within each unit), answers.
    """
    table = model.answers.assign(weighted=model.answers.share * model.answers.tokens)
    grouped = table.groupby([by, "topic", "label"], sort=True)
    result = grouped.agg(weighted=("weighted", "sum"), tokens=("tokens", "sum"), answers=("answer", "nunique"))
    result = result.reset_index()
    result["share"] = result.weighted / result.tokens
    return result[[by, "topic", "label", "share", "answers"]]
