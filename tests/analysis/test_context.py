"""Concordances (KWIC) with their turn, and collocation scores (PMI, logDice) against hand computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corpus.analysis import context
from corpus.tokens import units
from tests.conftest import token_table


def test_kwic_every_occurrence_with_its_turn(seed_tokens: pd.DataFrame, parsed_2021) -> None:
    table = context.kwic(seed_tokens, "缅甸", width=8)
    assert len(table) == "".join(parsed_2021[1].text).count("缅甸") == 11
    assert set(table.year) == {2021} and set(table.question) == {15} and set(table.outlet) == {"澎湃新闻"}
    assert table.role.tolist()[0] == "question" and set(table.role[1:]) == {"answer"}
    first = table.iloc[0]
    assert (first.left, first.keyword, first.right) == ("中方对", "缅甸", "局势持何立场？")  # stops at the turn's end


def test_kwic_context_is_the_text_around(seed_tokens: pd.DataFrame, parsed_2020) -> None:
    turns = parsed_2020[1]
    for row in context.kwic(seed_tokens[seed_tokens.year.eq(2020)], "世卫组织", width=15).itertuples():
        text = "".join(turns.loc[turns.turn.eq(row.turn), "text"].iloc[0].split())
        assert row.left + row.keyword + row.right in text


@pytest.mark.parametrize(
    ("term", "fits", "expected"),
    [
        ("中美", ("whole", "part"), ["中美"]),  # 其中/美国 is not 中美
        ("中美", ("whole", "part", "across"), ["中美", "中美"]),
        ("中美 关系", ("whole", "part"), ["中美关系"]),  # an n-gram from the term tables
        ("台湾", ("whole", "part"), ["台湾"]),  # inside 台湾当局
    ],
)
def test_kwic_matches_words_not_coincidences(term: str, fits: tuple[str, ...], expected: list[str]) -> None:
    table = token_table("中美 关系 其中 美国", "台湾当局 挑衅")
    assert context.kwic(table, term, fits=fits).keyword.tolist() == expected


def test_kwic_roles_and_absent_terms(seed_tokens: pd.DataFrame) -> None:
    assert set(context.kwic(seed_tokens, "疫苗", roles=["question"]).role) == {"question"}
    assert context.kwic(seed_tokens, "欧盟").empty


def test_collocation_scores_by_hand() -> None:
    terms = units.terms(token_table("甲 乙 丙 甲 乙 丁 戊 己 庚 辛"))
    table = context.collocations(terms, "甲", window=1, min_freq=1).set_index("collocate")
    # 甲 at 0 and 3; neighbours within 1: 乙 (twice) and 丙 (once).
    assert table["freq"].to_dict() == {"乙": 2, "丙": 1}
    n, f_node = 10, 2
    assert table.loc["乙", "pmi"] == pytest.approx(np.log2(2 * n / (f_node * 2 * 2)))
    assert table.loc["丙", "logdice"] == pytest.approx(14 + np.log2(2 * 1 / (2 + 1)))
    assert context.collocations(terms, "甲", window=1, min_freq=2).collocate.tolist() == ["乙"]


def test_collocation_window_stays_in_the_turn() -> None:
    terms = units.terms(token_table("甲 乙", "丙 丁"))
    assert context.collocations(terms, "乙", window=3, min_freq=1).collocate.tolist() == ["甲"]


def test_collocates_of_the_epidemic(seed_tokens: pd.DataFrame) -> None:
    table = context.collocations(units.terms(seed_tokens), "疫情", window=5, min_freq=3)
    assert {"战胜", "新冠肺炎", "抗击"} <= set(table.collocate.head(10))
    assert (table.logdice <= 14).all() and (table["freq"] >= 3).all()
    assert table.logdice.is_monotonic_decreasing
