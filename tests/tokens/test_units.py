"""Annotated tokens, term tables (words and n-grams) and analysis units."""

from __future__ import annotations

import pandas as pd
import pytest

from corpus.errors import CorpusError
from corpus.tokens import units
from tests.conftest import token_table


def test_answers_take_the_asking_outlet(seed_tokens: pd.DataFrame) -> None:
    answer = seed_tokens[seed_tokens.role.eq("answer") & seed_tokens.year.eq(2021) & seed_tokens.question.eq(15)]
    question = seed_tokens[seed_tokens.role.eq("question") & seed_tokens.year.eq(2021) & seed_tokens.question.eq(15)]
    assert set(answer.outlet) == set(question.outlet) == {"澎湃新闻"}
    assert set(answer.origin) == {"mainland"}
    opening = seed_tokens[seed_tokens.role.eq("opening")]
    assert opening.origin.isna().all() and opening.outlet.isna().all()


def test_annotated_tokens_are_in_text_order(seed_tokens: pd.DataFrame) -> None:
    keys = seed_tokens[["date", "doc_id", "turn", "position"]]
    assert keys.equals(keys.sort_values(list(keys.columns), kind="stable"))
    assert len(seed_tokens) == seed_tokens[["doc_id", "turn", "position"]].drop_duplicates().shape[0]


@pytest.mark.parametrize(
    ("text", "ngram", "expected"),
    [
        ("中国 的_ 外交 ，_ 中国 人民", 1, ["中国", "外交", "中国", "人民"]),
        ("中国 的_ 外交 ，_ 中国 人民", 2, ["中国 人民"]),  # never across a stopword or punctuation
        ("推动 中美 关系 健康 发展", 3, ["推动 中美 关系", "中美 关系 健康", "关系 健康 发展"]),
        ("多边主义", 2, []),
    ],
)
def test_terms(text: str, ngram: int, expected: list[str]) -> None:
    assert units.terms(token_table(text), ngram=ngram).term.tolist() == expected


def test_ngrams_stay_within_a_turn() -> None:
    assert units.terms(token_table("维护 和平", "促进 发展"), ngram=2).term.tolist() == ["维护 和平", "促进 发展"]


def test_terms_keep_stopwords_on_request() -> None:
    table = token_table("中国 的_ 外交")
    assert units.terms(table, ngram=2, keep_stopwords=True).term.tolist() == ["中国 的", "的 外交"]


def test_terms_by_role(seed_tokens: pd.DataFrame) -> None:
    answers = units.terms(seed_tokens)
    everything = units.terms(seed_tokens, roles=None)
    assert set(answers.role) == {"answer"}
    assert set(everything.role) == {"narration", "opening", "question", "answer", "closing"}
    assert len(everything) == int((~seed_tokens.is_stopword).sum())


def test_answer_units_sort_in_question_order(seed_tokens: pd.DataFrame) -> None:
    table, column = units.with_unit(units.terms(seed_tokens), "answer")
    labels = sorted(table[column].unique())
    assert column == "answer" and len(labels) == 30
    first = table[table.year.eq(2020)].doc_id.iloc[0]
    assert labels[:3] == [f"{first} Q01", f"{first} Q02", f"{first} Q03"]


@pytest.mark.parametrize(("values", "expected"), [("2021", [2021]), (2020, [2020]), (["2020", 2021], [2020, 2021])])
def test_resolve_matches_as_text(values, expected) -> None:
    assert units.resolve(values, [2020, 2021]) == expected


def test_resolve_names_the_unknown_and_the_known() -> None:
    with pytest.raises(CorpusError, match=r"year 2019 not in the corpus \(it has: 2020, 2021\)"):
        units.resolve(["2019"], [2020, 2021])


def test_unknown_unit_and_wrong_table() -> None:
    with pytest.raises(CorpusError, match="unknown unit 'decade'"):
        units.with_unit(token_table("中国"), "decade")  # type: ignore[arg-type]
    with pytest.raises(CorpusError, match="lacks column"):
        units.require(token_table("中国"), ["term"], hint="pass terms")
