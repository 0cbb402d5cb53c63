"""Topic models: deterministic, well-formed shares, and answers on one subject sharing a topic across years."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from corpus.analysis import topics
from corpus.errors import CorpusError
from corpus.tokens import units
from tests.conftest import REPO


@pytest.fixture(scope="module")
def answer_terms(seed_tokens: pd.DataFrame) -> pd.DataFrame:
    return units.terms(seed_tokens)


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_same_input_same_topics(answer_terms: pd.DataFrame, method: str) -> None:
    first = topics.fit_topics(answer_terms, method=method, n_topics=5)
    second = topics.fit_topics(answer_terms.copy(), method=method, n_topics=5)
    pd.testing.assert_frame_equal(first.terms, second.terms)
    pd.testing.assert_frame_equal(first.answers, second.answers)


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_tables_are_well_formed(answer_terms: pd.DataFrame, method: str) -> None:
    model = topics.fit_topics(answer_terms, method=method, n_topics=4, top=8)
    assert model.terms.groupby("topic").size().tolist() == [8] * 4
    assert np.allclose(model.answers.groupby("answer").share.sum(), 1)
    assert model.answers.answer.nunique() == 30
    for topic, label in model.terms.groupby("topic").label.first().items():
        top = model.terms[model.terms.topic.eq(topic)].sort_values("rank").term.head(3)
        assert label == "·".join(top)
    by_year = topics.topic_share(model)
    assert np.allclose(by_year.groupby("year").share.sum(), 1)
    assert by_year.groupby("year").answers.first().to_dict() == {2020: 14, 2021: 16}
    by_document = topics.topic_share(model, by="document")
    assert np.allclose(by_document.groupby("doc_id").share.sum(), 1)
    weights = model.answers.groupby("topic").apply(lambda t: (t.share * t.tokens).sum(), include_groups=False)
    assert weights.is_monotonic_decreasing  # topics numbered by overall share


def test_n_terms_is_a_deprecated_alias_of_top(answer_terms: pd.DataFrame) -> None:
    with pytest.warns(DeprecationWarning, match="n_terms= is deprecated; use top="):
        old = topics.fit_topics(answer_terms, n_topics=3, n_terms=5)
    pd.testing.assert_frame_equal(old.terms, topics.fit_topics(answer_terms, n_topics=3, top=5).terms)


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_fitted_model_keeps_estimator_and_vocabulary(answer_terms: pd.DataFrame, method: str) -> None:
    model = topics.fit_topics(answer_terms, method=method, n_topics=4)
    assert model.estimator_.components_.shape == (4, len(model.vocabulary_))
    assert set(model.terms.term) <= set(model.vocabulary_)
    assert "疫情" in model.vocabulary_ and "中国" not in model.vocabulary_, "terms in over half the answers left out"
    again = model.transform(answer_terms)
    columns = ["answer", "year", "question", "tokens", "topic", "label"]
    pd.testing.assert_frame_equal(again[columns], model.answers[columns])
    assert np.allclose(again.groupby("answer").share.sum(), 1)
    if method == "lda":  # scikit-learn's LDA fit_transform is fit, then transform: the same shares
        assert np.allclose(again.share, model.answers.share)
    else:  # NMF solves the answers' weights again against the fitted topics: the same dominant topic nearly always
        top_new = again.loc[again.groupby("answer").share.idxmax(), "topic"].to_numpy()
        top_fit = model.answers.loc[model.answers.groupby("answer").share.idxmax(), "topic"].to_numpy()
        assert (top_new == top_fit).mean() >= 0.9


def test_new_answers_are_placed_in_the_fitted_topics(answer_terms: pd.DataFrame) -> None:
    model = topics.fit_topics(answer_terms[answer_terms.year.eq(2020)], n_topics=6)
    placed = model.transform(answer_terms[answer_terms.year.eq(2021)])
    assert placed.answer.nunique() == 16 and set(placed.year) == {2021}
    # the 2021 South China Sea answer (Q14) falls in the topic of 2020's (Q13)
    fitted = model.answers[model.answers.question.eq(13)]
    new = placed[placed.question.eq(14)]
    assert new.loc[new.share.idxmax(), "topic"] == fitted.loc[fitted.share.idxmax(), "topic"]


def dominant(model: topics.TopicModel, year: int, question: int) -> int:
    rows = model.answers[model.answers.year.eq(year) & model.answers.question.eq(question)]
    return int(rows.loc[rows.share.idxmax(), "topic"])


def test_the_same_subject_shares_a_topic_across_years(answer_terms: pd.DataFrame) -> None:
    model = topics.fit_topics(answer_terms, method="nmf", n_topics=6)
    # South China Sea code of conduct (Straits Times) and help for Chinese abroad (China News Service), both years.
    assert dominant(model, 2020, 13) == dominant(model, 2021, 14)
    assert dominant(model, 2020, 14) == dominant(model, 2021, 13)
    assert dominant(model, 2020, 13) != dominant(model, 2020, 14)


def test_three_years(three_years: pd.DataFrame) -> None:
    model = topics.fit_topics(units.terms(three_years), n_topics=5)
    shares = topics.topic_share(model).pivot(index="topic", columns="year", values="share")
    assert list(shares.columns) == [2020, 2021, 2022]


@pytest.mark.parametrize(
    ("n_topics", "method", "message"),
    [(31, "nmf", "cannot fit 31 topics to 30"), (0, "nmf", "cannot fit 0"), (3, "svd", "unknown topic method")],
)
def test_bad_requests(answer_terms: pd.DataFrame, n_topics: int, method: str, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        topics.fit_topics(answer_terms, n_topics=n_topics, method=method)  # type: ignore[arg-type]


SCRIPT = """
import pandas as pd
from corpus.analysis import topics
from corpus.tokens import units
from corpus.dataset.build import load_document
from corpus.transcripts.parse import document_record
from corpus.tokens.segment import tokenize_turns
from tests.conftest import SEED_2020, SEED_2021
parsed = [load_document(SEED_2020), load_document(SEED_2021)]
turns = pd.concat([t for _, t in parsed], ignore_index=True)
documents = pd.DataFrame([document_record(d) for d, _ in parsed])
terms = units.terms(units.annotate(tokenize_turns(turns), turns, documents))
for method in ("nmf", "lda"):
    print(topics.fit_topics(terms, method=method).terms.to_csv(index=False, float_format="%.10g"), end="")
"""


def test_same_topics_in_another_process(answer_terms: pd.DataFrame) -> None:
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # a different hash seed from this process's
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, cwd=REPO, check=True)
    here = [
        topics.fit_topics(answer_terms, method=m).terms.to_csv(index=False, float_format="%.10g")
        for m in ("nmf", "lda")
    ]
    assert run.stdout == "".join(here)
