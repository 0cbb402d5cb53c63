"""Topic models of the answers (NMF or LDA, fixed random state): topic terms, labels and topic share per answer/year."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from threadpoolctl import threadpool_limits

from corpus.errors import CorpusError
from corpus.tokens.units import TERMS_HINT, UNIT_COLUMN, require, with_unit

__all__ = ["TopicModel", "answer_matrix", "fit_topics", "topic_share", "topic_terms"]

Method = Literal["nmf", "lda"]
ANSWER_INFO = ["answer", "doc_id", "date", "year", "question", "outlet", "origin"]
# Terms in fewer than 2 answers say nothing about co-occurrence; terms in over half are the whole corpus's vocabulary.
MIN_DF, MAX_DF = 2, 0.5
LABEL_TERMS = 3


@dataclass(frozen=True)
class TopicModel:
    """A fitted topic model as two tables, with the fitted estimator to place new answers in its topics.

    terms: topic, label, rank, term, weight (the term's weight in the topic, highest first).
    answers: answer, doc_id, date, year, question, outlet, origin, tokens, topic, label, share (the answer's
    weights normalised to sum to 1 over topics).
    estimator_: the fitted scikit-learn NMF or LatentDirichletAllocation; vocabulary_: its terms, in column order.
    """

    method: str
    terms: pd.DataFrame
    answers: pd.DataFrame
    estimator_: NMF | LatentDirichletAllocation | None = field(default=None, repr=False, compare=False)
    vocabulary_: np.ndarray | None = field(default=None, repr=False, compare=False)
    weighting_: TfidfTransformer | None = field(default=None, repr=False, compare=False)  # NMF's fitted idf
    order_: np.ndarray | None = field(default=None, repr=False, compare=False)  # estimator component per topic

    def transform(self, new_terms: pd.DataFrame) -> pd.DataFrame:
        """Topic shares of the answers in `new_terms` (a units.terms table), by the fitted model; terms the model
        never saw are ignored. Columns as `answers`.

        >>> import pandas as pd
        >>> def answers(*texts):  # a terms table of one conference's answers, as units.terms gives
        ...     rows = [(q, w) for q, text in enumerate(texts, start=1) for w in text.split()]
        ...     return pd.DataFrame(rows, columns=["question", "term"]).assign(
        ...         doc_id="d", date="2021-03-07", year=2021, role="answer", outlet="", origin="mainland")
        >>> terms = answers("疫情 病毒 疫苗", "疫情 病毒 合作", "合作 发展 伙伴", "发展 伙伴 疫苗")
        >>> model = fit_topics(terms, n_topics=2)
        >>> model.transform(answers("病毒 疫情 新词", "伙伴 发展"))[["question", "topic", "label", "share"]].round(2)
           question  topic     label  share
        0         1      1  伙伴·发展·合作    0.0
        1         1      2  疫情·病毒·合作    1.0
        2         2      1  伙伴·发展·合作    1.0
        3         2      2  疫情·病毒·合作    0.0
        """
        if self.estimator_ is None or self.vocabulary_ is None:
            raise CorpusError("this topic model keeps no estimator: fit it with fit_topics")
        info, documents = answer_matrix(new_terms)
        vectorizer = CountVectorizer(analyzer=_as_given, vocabulary=list(self.vocabulary_))
        matrix = vectorizer.transform(documents.tolist())
        if self.weighting_ is not None:
            matrix = self.weighting_.transform(matrix)
        with threadpool_limits(limits=1):
            weights = self.estimator_.transform(matrix)
        labels = self.terms.groupby("topic").label.first().to_numpy()
        return _answer_table(info, _shares(weights)[:, self.order_], labels)


def _as_given(document: list[str]) -> list[str]:
    return document


def answer_matrix(terms: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Each answer's metadata and token count (one row per answer, in text order) and its list of terms.

    >>> terms = pd.DataFrame({"doc_id": "d", "date": "2021-03-07", "year": 2021, "role": "answer",
    ...     "question": [1, 1, 2], "outlet": "", "origin": "mainland", "term": ["疫情", "病毒", "合作"]})
    >>> info, documents = answer_matrix(terms)
    >>> info[["answer", "question", "tokens"]], documents.tolist()
    (  answer  question  tokens
    0  d Q01         1       2
    1  d Q02         2       1, [['疫情', '病毒'], ['合作']])
    """
    require(terms, ["term"], hint=TERMS_HINT)
    table, _ = with_unit(terms, "answer")
    grouped = table.groupby("answer", sort=False)
    info = grouped[ANSWER_INFO[1:]].first().assign(tokens=grouped.size()).reset_index()
    return info, grouped.term.agg(list).reindex(info.answer)


def _decompose(
    documents: pd.Series, n_topics: int, method: Method, seed: int
) -> tuple[np.ndarray, NMF | LatentDirichletAllocation, CountVectorizer, TfidfTransformer | None]:
    """Answer x topic weights, the fitted estimator, vectorizer and (NMF) TF-IDF weighting."""
    try:
        vectorizer = CountVectorizer(analyzer=_as_given, min_df=min(MIN_DF, len(documents)), max_df=MAX_DF)
        counts = vectorizer.fit_transform(documents.tolist())
    except ValueError:
        raise CorpusError(f"too few answers ({len(documents)}) or shared terms to fit topics") from None
    weighting = None
    if method == "nmf":
        # Lee & Seung 1999 multiplicative updates on TF-IDF from an NNDSVDa start (Boutsidis & Gallopoulos 2008).
        model = NMF(n_components=n_topics, init="nndsvda", solver="mu", random_state=seed, max_iter=1000)
        weighting = TfidfTransformer().fit(counts)
        answer_weights = model.fit_transform(weighting.transform(counts))
    elif method == "lda":
        # Blei, Ng & Jordan 2003 on raw counts, variational Bayes in batch mode (Hoffman et al. 2010).
        model = LatentDirichletAllocation(n_components=n_topics, random_state=seed, learning_method="batch")
        answer_weights = model.fit_transform(counts)
    else:
        raise CorpusError(f"unknown topic method {method!r}; choose nmf or lda")
    return answer_weights, model, vectorizer, weighting


def _shares(weights: np.ndarray) -> np.ndarray:
    totals = weights.sum(axis=1, keepdims=True)
    return np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)


def _answer_table(info: pd.DataFrame, shares: np.ndarray, labels: np.ndarray) -> pd.DataFrame:
    n_topics = shares.shape[1]
    table = info.loc[info.index.repeat(n_topics)].reset_index(drop=True)
    table["topic"] = np.tile(np.arange(1, n_topics + 1), len(info))
    table["label"] = labels[table.topic - 1]
    table["share"] = shares.ravel()
    return table


def _renamed(old: str, new: str, value: object) -> object:
    warnings.warn(f"{old}= is deprecated; use {new}=", DeprecationWarning, stacklevel=3)
    return value


def topic_terms(topic_weights: np.ndarray, vocabulary: np.ndarray, top: int = 10) -> pd.DataFrame:
    """topic (from 1), label (its three heaviest terms), rank, term, weight: the `top` heaviest terms per topic.

    >>> topic_terms(np.array([[0.1, 0.9, 0.5]]), np.array(["合作", "疫情", "病毒"]), top=2)
       topic  label  rank term  weight
    0      1  疫情·病毒     1   疫情     0.9
    1      1  疫情·病毒     2   病毒     0.5
    """
    rows = []
    for k, weights in enumerate(topic_weights, start=1):
        heaviest = np.lexsort((vocabulary, -weights))[:top]  # ties by term, for stable output
        label = "·".join(vocabulary[heaviest[:LABEL_TERMS]])
        rows += [(k, label, rank, vocabulary[i], weights[i]) for rank, i in enumerate(heaviest, start=1)]
    return pd.DataFrame(rows, columns=["topic", "label", "rank", "term", "weight"])


def fit_topics(
    terms: pd.DataFrame,
    *,
    n_topics: int = 6,
    method: Method = "nmf",
    seed: int = 0,
    top: int = 10,
    n_terms: int | None = None,
) -> TopicModel:
    """Topics of the answers in `terms`; the same input and seed give the same topics, numbered by overall share.

    A topic's label joins its three heaviest terms (e.g. 疫情·病毒·溯源). `top` terms are kept per topic
    (`n_terms`, its old name, still works but is deprecated). The model's tables are described in TopicModel;
    `model.transform(new_terms)` places other answers in the fitted topics.

    >>> import pandas as pd
    >>> def answers(*texts):  # a terms table of one conference's answers, as units.terms gives
    ...     rows = [(q, w) for q, text in enumerate(texts, start=1) for w in text.split()]
    ...     return pd.DataFrame(rows, columns=["question", "term"]).assign(
    ...         doc_id="d", date="2021-03-07", year=2021, role="answer", outlet="", origin="mainland")
    >>> terms = answers("疫情 病毒 疫苗", "疫情 病毒 合作", "合作 发展 伙伴", "发展 伙伴 疫苗")
    >>> model = fit_topics(terms, n_topics=2, top=2)
    >>> model.terms.groupby("topic").term.apply(list).tolist()
    [['伙伴', '发展'], ['疫情', '病毒']]
    >>> model.vocabulary_.tolist()
    ['伙伴', '发展', '合作', '疫情', '疫苗', '病毒']
    """
    if n_terms is not None:
        top = _renamed("n_terms", "top", n_terms)
    info, documents = answer_matrix(terms)
    if not 1 <= n_topics <= len(documents):
        raise CorpusError(f"cannot fit {n_topics} topics to {len(documents)} answers")
    with threadpool_limits(limits=1):  # one BLAS thread: same numbers on any machine, and faster on small matrices
        answer_weights, estimator, vectorizer, weighting = _decompose(documents, n_topics, method, seed)
    vocabulary = vectorizer.get_feature_names_out()
    shares = _shares(answer_weights)
    order = np.argsort(-(shares * info.tokens.to_numpy()[:, None]).sum(axis=0), kind="stable")
    term_table = topic_terms(estimator.components_[order], vocabulary, top)
    labels = term_table.groupby("topic").label.first().to_numpy()
    answer_table = _answer_table(info, shares[:, order], labels)
    return TopicModel(method, term_table, answer_table, estimator, vocabulary, weighting, order)


def topic_share(model: TopicModel, *, by: Literal["year", "document", "origin"] = "year") -> pd.DataFrame:
    """Each topic's share of a year's (document's, origin's) answers, weighting answers by their length.

    Columns: the unit (year, doc_id or origin), topic, label, share (sums to 1 over topics within each unit),
    answers. Shares per answer, i.e. per question, are in `model.answers`.

    >>> model = TopicModel("nmf", pd.DataFrame(), pd.DataFrame({"answer": ["a", "a", "b", "b"], "year": 2021,
    ...     "tokens": [10, 10, 30, 30], "topic": [1, 2, 1, 2], "label": ["x", "y", "x", "y"],
    ...     "share": [1.0, 0.0, 0.5, 0.5]}))
    >>> topic_share(model)
       year  topic label  share  answers
    0  2021      1     x  0.625        2
    1  2021      2     y  0.375        2
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
