"""TF-IDF against scikit-learn on the same tokens, one-character words kept, cosine similarity between units."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from corpus.analysis import tfidf
from corpus.tokens import units


@pytest.mark.parametrize(("unit", "sublinear"), [("year", False), ("answer", False), ("answer", True)])
def test_weights_match_scikit_learn(seed_tokens: pd.DataFrame, unit: str, sublinear: bool) -> None:
    terms = units.terms(seed_tokens)
    _, documents = tfidf.unit_documents(terms, by=unit)
    reference = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False, sublinear_tf=sublinear)
    expected = reference.fit_transform([" ".join(d) for d in documents])
    weights = tfidf.weights(terms, by=unit, sublinear_tf=sublinear)
    assert weights.terms.tolist() == reference.get_feature_names_out().tolist()
    assert np.allclose(weights.tfidf.toarray(), expected.toarray())


def test_default_token_pattern_would_lose_one_character_words(seed_tokens: pd.DataFrame) -> None:
    terms = units.terms(seed_tokens)
    kept = set(tfidf.weights(terms).terms)
    lost = kept - set(TfidfVectorizer(lowercase=False).fit([" ".join(terms.term)]).get_feature_names_out())
    assert {"党", "新", "搞"} <= lost and all(len(t) == 1 for t in lost)


def test_top_terms_by_hand() -> None:
    terms = pd.DataFrame({"year": [1, 1, 1, 2, 2], "term": ["甲", "甲", "乙", "乙", "丙"]})
    table = tfidf.tfidf_terms(terms, top=None)
    idf = {"甲": np.log(3 / 2) + 1, "乙": 1.0, "丙": np.log(3 / 2) + 1}
    first = np.array([2 * idf["甲"], idf["乙"]])
    assert table[table.year.eq(1)].term.tolist() == ["甲", "乙"]
    assert table[table.year.eq(1)].tfidf.to_numpy() == pytest.approx(first / np.linalg.norm(first))
    assert table[table.year.eq(2)].term.tolist() == ["丙", "乙"]
    assert table["count"].tolist() == [2, 1, 1, 1]


def test_top_terms_per_year_on_the_seeds(seed_tokens: pd.DataFrame) -> None:
    table = tfidf.tfidf_terms(units.terms(seed_tokens), top=10)
    assert table.groupby("year").size().to_dict() == {2020: 10, 2021: 10}
    assert "疫情" in set(table[table.year.eq(2020)].term) and "疫苗" in set(table[table.year.eq(2021)].term)


def test_similarity_between_years(three_years: pd.DataFrame) -> None:
    table = tfidf.similarity(units.terms(three_years))
    matrix = table.pivot(index="year_a", columns="year_b", values="cosine")
    assert matrix.shape == (3, 3) and np.allclose(np.diag(matrix), 1) and np.allclose(matrix, matrix.T)
    assert matrix.loc[2021, 2022] == pytest.approx(1.0)  # the same transcript twice
    assert 0.3 < matrix.loc[2020, 2021] < 0.95


def test_similar_answers_answer_the_same_question(seed_tokens: pd.DataFrame) -> None:
    table = tfidf.similarity(units.terms(seed_tokens), by="answer")
    assert len(table) == 30 * 30
    pairs = table[table.answer_a < table.answer_b].sort_values("cosine", ascending=False)
    best = pairs.iloc[0]
    # South China Sea code of conduct, asked by the Straits Times in both years (2020 Q13, 2021 Q14).
    assert (best.answer_a.endswith("Q13"), best.answer_b.endswith("Q14")) == (True, True)


def test_unit_is_a_deprecated_alias_of_by(seed_tokens: pd.DataFrame) -> None:
    terms = units.terms(seed_tokens)
    with pytest.warns(DeprecationWarning, match="unit= is deprecated; use by="):
        old = tfidf.tfidf_terms(terms, unit="document", top=5)
    pd.testing.assert_frame_equal(old, tfidf.tfidf_terms(terms, by="document", top=5))
    assert old.columns[0] == "doc_id" and old.groupby("doc_id").size().tolist() == [5, 5]
    with pytest.warns(DeprecationWarning):
        assert len(tfidf.similarity(terms, unit="document")) == 4
