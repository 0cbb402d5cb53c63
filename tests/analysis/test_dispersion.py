"""Keyness at the level of answers: Gries' DP, concentration, the permutation test and bootstrap of the log ratio."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.analysis import keyness
from corpus.tokens import units
from tests.conftest import token_table

# Gries' worked example (Gries 2008; Gries 2020, "Analyzing dispersion", p. 3): 50 words in five parts.
GRIES_PARTS = [
    "b a m n i b e u p",
    "b a s a t b e w q n",
    "b c a g a b e s t a",
    "b a g h a b e a a t",
    "b a h a a b e a x a t",
]


def test_gries_dp_on_his_worked_example() -> None:
    parts = [p.split() for p in GRIES_PARTS]
    sizes = np.array([len(p) for p in parts])
    assert sizes.tolist() == [9, 10, 10, 10, 11]
    counts = np.array([[p.count("a") for p in parts], [p.count("b") for p in parts]])
    assert counts.tolist() == [[1, 2, 3, 4, 5], [2, 2, 2, 2, 2]]
    dp = keyness.gries_dp(counts, sizes)
    assert dp[0] == pytest.approx(0.18)  # Gries: DP(a) = 0.18 (s = 0.18, 0.2, 0.2, 0.2, 0.22; v/f = 1/15 .. 5/15)
    assert dp[1] == pytest.approx(0.02)  # b: twice in every part, off only by the parts' unequal sizes


def test_gries_dp_three_equal_parts() -> None:
    # Gries 2008, p. 416 / Lijffijt & Gries 2012, p. 148: 2/3 of the uses in one of three equal parts, 1/3 in
    # another: DP = 1/3, normalised by 1 - min(s) = 2/3 to 0.5; an even spread gives 0.
    dp = keyness.gries_dp(np.array([[2, 1, 0], [3, 3, 3], [0, 0, 0]]), np.array([100, 100, 100]))
    assert dp[0] == pytest.approx(1 / 3) and dp[0] / (1 - 1 / 3) == pytest.approx(0.5)
    assert dp[1] == pytest.approx(0) and np.isnan(dp[2])


def answers_corpus() -> pd.DataFrame:
    """Two years of answers: 重复 fills one 2021 answer, 合作 runs through every answer of both years."""
    rows = [
        token_table(
            "重复 重复 重复 重复 重复 重复 合作 发展", "合作 发展 安全", "合作 安全 稳定", doc_id="b", year=2021
        ),
        token_table("合作 发展 稳定 安全", "合作 发展 安全 重复", "合作 稳定 发展", doc_id="a", year=2020),
    ]
    return units.terms(pd.concat(rows, ignore_index=True))


def test_dispersion_columns_by_hand() -> None:
    table = keyness.keyness(answers_corpus(), 2021, 2020, min_freq=1).set_index("term")
    repeated, together = table.loc["重复"], table.loc["合作"]
    assert (repeated.docs_target, repeated.docs_reference) == (1, 1)
    assert repeated.top_share == 1.0 and repeated.concentrated  # all six 2021 uses in one answer
    assert (together.docs_target, together.docs_reference, together.concentrated) == (3, 3, False)
    assert together.top_share == pytest.approx(1 / 3)
    # DP over the 2021 answers (8, 3, 3 terms): 重复 all in the first, 合作 once in each.
    assert repeated.dp_target == pytest.approx(0.5 * (abs(1 - 8 / 14) + 3 / 14 + 3 / 14))
    assert together.dp_target == pytest.approx(0.5 * (abs(1 / 3 - 8 / 14) + 2 * abs(1 / 3 - 3 / 14)))


def test_permutation_p_against_every_split() -> None:
    # Four answers, two a side: six splits. With many random splits the p-value nears the exact one.
    matrix = np.array([[6.0, 1, 0, 1], [1, 1, 1, 1]])
    sizes = np.array([20.0, 10, 12, 9])
    side = np.array([True, True, False, False])

    def lr(s: np.ndarray) -> np.ndarray:
        return keyness.log_ratio(matrix[:, s].sum(1), matrix[:, ~s].sum(1), sizes[s].sum(), sizes[~s].sum())

    splits = [np.isin(np.arange(4), pair) for pair in itertools.combinations(range(4), 2)]
    exact = np.mean([np.abs(lr(s)) >= np.abs(lr(side)) - 1e-12 for s in splits], axis=0)
    table = keyness.answer_level(matrix, sizes, side, n_resamples=20_000, seed=1)
    assert table.p_answers.to_numpy() == pytest.approx(exact, abs=0.01)
    assert (table.lr_low <= lr(side)).all() and (lr(side) <= table.lr_high).all()


def test_answer_level_is_seeded() -> None:
    terms = answers_corpus()
    first = keyness.keyness(terms, 2021, 2020, min_freq=1, seed=3)
    pd.testing.assert_frame_equal(first, keyness.keyness(terms, 2021, 2020, min_freq=1, seed=3))
    assert not first.p_answers.equals(keyness.keyness(terms, 2021, 2020, min_freq=1, seed=4).p_answers)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), min_size=3, max_size=3), min_size=4, max_size=8))
def test_dispersion_counts_stay_within_the_counts(columns: list[list[int]]) -> None:
    matrix = np.array(columns, float).T  # 3 terms x answers
    sizes = matrix.sum(axis=0) + 5  # other terms fill every answer
    side = np.arange(matrix.shape[1]) % 2 == 0
    over = np.array([True, False, True])
    table = keyness.dispersion(matrix, sizes, side, over)
    assert (table.docs_target <= matrix[:, side].sum(1)).all()
    assert (table.docs_reference <= matrix[:, ~side].sum(1)).all()
    dp = table[["dp_target", "dp_reference"]].to_numpy()
    assert ((dp >= -1e-12) & (dp <= 1) | np.isnan(dp)).all()
    share = table.top_share.dropna()
    assert ((share > 0) & (share <= 1)).all()
    p = keyness.answer_level(matrix, sizes, side, n_resamples=50).p_answers
    assert ((p > 0) & (p <= 1)).all()


@pytest.fixture(scope="module")
def seed_keyness(seed_tokens: pd.DataFrame) -> pd.DataFrame:
    return keyness.keyness(units.terms(seed_tokens), 2021, 2020).set_index("term")


def test_pooled_g2_and_answers_disagree_on_the_seeds(seed_keyness: pd.DataFrame) -> None:
    # The statement in keyness's docstring and the README: 非洲 is 2020's, but mostly one answer's.
    africa = seed_keyness.loc["非洲"]
    assert (africa.freq_reference, africa.docs_reference, africa.direction) == (21, 2, "under")
    assert africa.top_share == pytest.approx(17 / 21) and africa.concentrated
    assert africa.p_adjusted < 0.01 and africa.p_answers > 0.3 and africa.lr_high > 0
    assert seed_keyness.significant.sum() > 0 and not (seed_keyness.p_answers_adjusted < 0.05).any()


def test_a_term_spread_over_answers_holds_at_answer_level(seed_keyness: pd.DataFrame) -> None:
    epidemic = seed_keyness.loc["疫情"]  # in 12 of the 14 answers of 2020
    assert epidemic.docs_reference >= 10 and not epidemic.concentrated
    assert epidemic.p_answers < 0.01 and epidemic.lr_high < -1


def test_without_turns_the_answer_columns_are_missing() -> None:
    terms = pd.DataFrame({"year": [2020] * 4 + [2021] * 4, "term": list("aabbabbb")})
    table = keyness.keyness(terms, 2021, min_freq=1)
    assert list(table.columns) == keyness.KEYNESS_COLUMNS
    assert table.p_answers.isna().all() and table.docs_target.isna().all() and table.g2.notna().all()


def test_the_readme_quotes_the_build(seed_keyness: pd.DataFrame) -> None:
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    text = text.split("## Statistics", 1)[1].split("\n## ", 1)[0]
    found = re.search(
        r"非洲 has (\d+) uses in 2020, (\d+) of them in one answer: pooled G2 gives adjusted p (\d+(?:\.\d+)?), the "
        r"answer-level test p (\d+(?:\.\d+)?) \(`concentrated`\); (\d+) terms are significant by pooled G2",
        " ".join(text.split()),
    )
    assert found, "the README no longer states the 非洲 example"
    africa = seed_keyness.loc["非洲"]
    assert int(found[1]) == africa.freq_reference and int(found[2]) == round(africa.top_share * africa.freq_reference)
    assert float(found[3]) == round(africa.p_adjusted, 3) and float(found[4]) == round(africa.p_answers, 2)
    assert int(found[5]) == seed_keyness.significant.sum()
