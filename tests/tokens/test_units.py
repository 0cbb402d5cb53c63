"""Annotated tokens, term tables (words and n-grams) and analysis units."""

from __future__ import annotations

from pathlib import Path

import numpy as np
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


@pytest.fixture(scope="module")
def built_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from corpus.dataset.build import build
    from corpus.paths import get_paths
    from tests.conftest import make_project

    root = make_project(tmp_path_factory.mktemp("units"))
    build(get_paths(root))
    return get_paths(root).processed


@pytest.mark.parametrize(("term", "width"), [("合作", 20), ("中美", 5), ("多边 主义", 12), ("病毒", 40), ("。", 3)])
def test_windows_around_a_term_give_the_full_concordance(built_seeds: Path, term: str, width: int) -> None:
    from corpus.analysis.context import kwic

    full = kwic(units.load_tokens(built_seeds), term, width=width)
    windows = units.load_tokens(built_seeds, containing=term, around=width)
    assert len(windows) < len(units.load_tokens(built_seeds, containing=term))  # less was loaded
    table = kwic(windows.assign(turn=windows.segment), term, width=width)
    table["turn"] = windows.turn.to_numpy()[np.searchsorted(windows.segment.to_numpy(), table.turn.to_numpy())]
    assert len(full) > 0
    pd.testing.assert_frame_equal(table, full)


def test_load_tokens_filters_in_sql(built_seeds: Path) -> None:
    everything = units.load_tokens(built_seeds)
    answers = units.load_tokens(built_seeds, roles=["answer"], where={"year": 2021})
    expected = everything[everything.role.eq("answer") & everything.year.eq(2021)].reset_index(drop=True)
    pd.testing.assert_frame_equal(answers, expected)
    sql = units.load_tokens(built_seeds, where="origin = 'foreign' AND NOT is_stopword", columns=["doc_id", "token"])
    assert list(sql.columns) == ["doc_id", "token"]
    assert len(sql) == (everything.origin.eq("foreign") & ~everything.is_stopword).sum()
    with pytest.raises(CorpusError, match="cannot filter on 'colour'"):
        units.load_tokens(built_seeds, where={"colour": "red"})
    with pytest.raises(CorpusError, match="cannot be applied"):
        units.load_tokens(built_seeds, where="no_such_column = 1")


def test_load_terms_is_terms_of_load_tokens(built_seeds: Path) -> None:
    expected = units.terms(units.load_tokens(built_seeds))
    pd.testing.assert_frame_equal(units.load_terms(built_seeds), expected)


@pytest.mark.parametrize("by", ["speaker", "event", "month", "quarter", "doc_id"])
def test_with_unit_by_any_document_column(seed_tokens: pd.DataFrame, by: str) -> None:
    table, column = units.with_unit(seed_tokens, by)
    assert column == by and len(table) == len(seed_tokens)
    assert table[column].nunique() == (1 if by in ("speaker",) else 2)
    if by in ("month", "quarter"):
        assert sorted(table[column].unique()) == (["2020-05", "2021-03"] if by == "month" else ["2020-Q2", "2021-Q1"])


def test_periods_bin_dates_and_label_in_time_order(seed_tokens: pd.DataFrame) -> None:
    bins = units.periods(["2021-01-01", "2020-06-01"])
    assert bins.labels == ["..2020-05-31", "2020-06-01..2020-12-31", "2021-01-01.."]
    table, column = units.with_unit(seed_tokens, bins)
    assert column == "period"
    assert table.groupby("period").year.unique().map(list).to_dict() == {"..2020-05-31": [2020], "2021-01-01..": [2021]}
    assert units.with_unit(seed_tokens, "period:2021-01-01")[0].period.nunique() == 2
    with pytest.raises(CorpusError, match="not a date"):
        units.periods(["2021-13-01"])


def test_old_unit_keyword_still_works(seed_tokens: pd.DataFrame) -> None:
    by_unit = units.with_unit(units.terms(seed_tokens), unit="document")
    by_by = units.with_unit(units.terms(seed_tokens), by="document")
    assert by_unit[1] == by_by[1] == "doc_id" and by_unit[0].equals(by_by[0])
