"""Keyness statistics against scipy and hand computation, and real findings on the seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from corpus.analysis import keyness
from corpus.errors import CorpusError
from corpus.tokens import units
from tests.conftest import token_table

# (a, b, n1, n2): a term seen a times in n1 target tokens and b times in n2 reference tokens.
TABLES = [(50, 4, 3435, 2556), (0, 31, 3435, 2556), (10, 10, 1000, 1000), (3, 1, 120, 800), (7, 0, 5000, 40)]


@pytest.mark.parametrize(("a", "b", "n1", "n2"), TABLES)
def test_log_likelihood_against_scipy(a: int, b: int, n1: int, n2: int) -> None:
    expected = np.array([n1, n2]) * (a + b) / (n1 + n2)
    g2, _ = stats.power_divergence([a, b], expected, lambda_="log-likelihood")
    assert keyness.log_likelihood(np.array([a]), np.array([b]), n1, n2)[0] == pytest.approx(g2)


def test_log_likelihood_by_hand() -> None:
    # Rayson & Garside 2000: E1 = E2 = 10 here; G2 = 2 (15 ln 1.5 + 5 ln 0.5).
    assert keyness.log_likelihood(np.array([15]), np.array([5]), 1000, 1000)[0] == pytest.approx(
        2 * (15 * np.log(1.5) + 5 * np.log(0.5))
    )


@pytest.mark.parametrize(("a", "b", "n1", "n2"), TABLES)
def test_chi_square_against_scipy(a: int, b: int, n1: int, n2: int) -> None:
    chi2, p, _, _ = stats.chi2_contingency([[a, b], [n1 - a, n2 - b]], correction=False)
    assert keyness.chi_square(np.array([a]), np.array([b]), n1, n2)[0] == pytest.approx(chi2)
    assert stats.chi2.sf(chi2, 1) == pytest.approx(p)


@pytest.mark.parametrize(
    ("a", "b", "n1", "n2", "expected"),
    [(20, 10, 1000, 1000, 1.0), (10, 40, 1000, 1000, -2.0), (8, 0, 1000, 1000, 4.0), (0, 2, 500, 1000, -1.0)],
)
def test_log_ratio_by_hand(a: int, b: int, n1: int, n2: int, expected: float) -> None:
    # Hardie 2014: log2 of the ratio of relative frequencies, a zero count taken as 0.5.
    assert keyness.log_ratio(np.array([a]), np.array([b]), n1, n2)[0] == pytest.approx(expected)


def test_adjustments_by_hand() -> None:
    p = np.array([0.01, 0.04, 0.03, 0.20])
    # Benjamini-Hochberg: sorted p * m / rank, made monotone from the top.
    assert keyness.adjust(p, "bh") == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.20])
    assert keyness.adjust(p, "bonferroni") == pytest.approx([0.04, 0.16, 0.12, 0.80])


@pytest.mark.parametrize("size", [0, 1, 7, 500])
def test_benjamini_hochberg_against_scipy(size: int) -> None:
    p = np.random.default_rng(size).uniform(0, 0.2, size) ** 2
    assert keyness.adjust(p, "bh") == pytest.approx(stats.false_discovery_control(p, method="bh") if size else [])


def small_corpus() -> pd.DataFrame:
    return units.terms(
        pd.concat(
            [
                token_table("疫情 疫情 疫情 疫情 合作 合作 发展", year=2020),
                token_table("疫苗 疫苗 合作 发展", doc_id="e", year=2021),
            ]
        )
    )


def test_table_is_signed_and_sorted() -> None:
    table = keyness.keyness(small_corpus(), 2020, min_freq=1)
    # 合作 2/7 > 1/4 (over), 发展 1/7 < 1/4 (under): over-used first, the strongest under-use last.
    assert table.term.tolist() == ["疫情", "合作", "发展", "疫苗"]
    assert table.direction.tolist() == ["over", "over", "under", "under"]
    assert table.signed_g2.is_monotonic_decreasing and (table.signed_g2.abs() == table.g2).all()
    row = table.set_index("term").loc["疫情"]
    assert (row.freq_target, row.freq_reference, row.n_target, row.n_reference) == (4, 0, 7, 4)
    assert row.g2 == pytest.approx(keyness.log_likelihood(np.array([4]), np.array([0]), 7, 4)[0])
    assert row.p == pytest.approx(stats.chi2.sf(row.g2, 1))
    assert set(table.correction) == {"Benjamini-Hochberg over 4 terms"}


def test_min_freq_filters_before_adjusting() -> None:
    table = keyness.keyness(small_corpus(), 2020, 2021, min_freq=3, correction="bonferroni")
    assert sorted(table.term) == ["合作", "疫情"]
    assert table.p_adjusted.tolist() == pytest.approx(np.minimum(table.p * 2, 1).tolist())


def test_2020_answers_are_about_the_epidemic(seed_tokens: pd.DataFrame) -> None:
    table = keyness.keyness(units.terms(seed_tokens), target=2020, reference=2021).set_index("term")
    assert table.index[0] == "疫情"  # the strongest over-use of all
    row = table.loc["疫情"]
    assert row.direction == "over" and row.significant and row.log_ratio > 2 and row.p_adjusted < 1e-4


def test_2021_brings_terms_absent_in_2020(seed_tokens: pd.DataFrame) -> None:
    table = keyness.keyness(units.terms(seed_tokens), target="2021", reference="2020")
    new = table[table.direction.eq("over") & table.significant & table.freq_reference.eq(0)]
    assert {"疫苗", "缅甸", "新疆"} <= set(new.term)
    assert table.term.iloc[0] == "疫苗"


def test_default_reference_is_every_other_year(three_years: pd.DataFrame) -> None:
    terms = units.terms(three_years)
    table = keyness.keyness(terms, 2020)
    sizes = terms.groupby("year").size()
    assert table.n_target.iloc[0] == sizes[2020] and table.n_reference.iloc[0] == sizes[2021] + sizes[2022]
    same = keyness.keyness(terms, 2022, 2021, min_freq=1)
    assert (same.g2.abs() < 1e-9).all()  # a copied document has nothing of its own


def test_compare_by_role(seed_tokens: pd.DataFrame) -> None:
    table = keyness.keyness(units.terms(seed_tokens, roles=["question", "answer"]), "question", by="role")
    assert table.n_reference.iloc[0] > table.n_target.iloc[0]


@pytest.mark.parametrize(
    ("target", "reference", "message"),
    [
        (2019, None, r"year 2019 not in the corpus \(it has: 2020, 2021\)"),
        (2020, 2020, "2020 is in both the target and the reference"),
        (2021, [2020, 2018], "year 2018 not in the corpus"),
    ],
)
def test_bad_years(seed_tokens: pd.DataFrame, target, reference, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        keyness.keyness(units.terms(seed_tokens), target, reference)


def test_one_year_is_a_clear_error(seed_tokens: pd.DataFrame) -> None:
    with pytest.raises(CorpusError, match="nothing to compare year 2020 with"):
        keyness.keyness(units.terms(seed_tokens[seed_tokens.year.eq(2020)]), 2020)


# quanteda.textstats' own test (tests/testthat/test-textstat_keyness.R): d1 = "b b b b b b b a a a" (target),
# d2 = "a a a a a a a b b"; its first feature b is 7 of 10 in the target, 2 of 9 in the reference. quanteda checks
# chi2 (correction "default": Yates) against stats::chisq.test(correct = TRUE) and lr with Williams' correction
# against Deducer's likelihood.test(conservative = TRUE); scipy and that function, written out, are the peers here.
QUANTEDA = (7, 2, 10, 9)


def deducer_likelihood_test(x: np.ndarray, *, conservative: bool) -> float:
    """Deducer's likelihood.test, as quanteda's test file copies it: G = 2 sum x ln(x/E), divided by q."""
    n, rows, cols = x.sum(), x.sum(axis=1), x.sum(axis=0)
    expected = np.outer(rows, cols) / n
    g = sum(x[i, j] * np.log(x[i, j] / expected[i, j]) for i in range(2) for j in range(2) if x[i, j])
    q = 1 + (n * (1 / rows).sum() - 1) * (n * (1 / cols).sum() - 1) / (6 * n) if conservative else 1
    return 2 * g / q


def test_g2_with_williams_as_quanteda() -> None:
    a, b, n1, n2 = QUANTEDA
    table = np.array([[a, n1 - a], [b, n2 - b]], float)
    expected = deducer_likelihood_test(table, conservative=True)
    assert keyness.log_likelihood_williams(np.array([a]), np.array([b]), n1, n2)[0] == pytest.approx(expected)
    uncorrected, *_ = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
    assert deducer_likelihood_test(table, conservative=False) == pytest.approx(uncorrected)
    assert expected < uncorrected  # Williams' q > 1 shrinks G2 on small tables


def test_chi2_with_yates_as_quanteda() -> None:
    a, b, n1, n2 = QUANTEDA
    chi2, *_ = stats.chi2_contingency([[a, n1 - a], [b, n2 - b]], correction=True)  # = R chisq.test(correct = TRUE)
    assert keyness.chi_square_yates(np.array([a]), np.array([b]), n1, n2)[0] == pytest.approx(chi2)
    # quanteda corrects only where an expected count is below 5: a large table keeps Pearson's value.
    big = (400, 300, 10_000, 9_000)
    assert keyness.chi_square_yates(*(np.array([v]) for v in big[:2]), *big[2:])[0] == pytest.approx(
        keyness.chi_square(np.array([400]), np.array([300]), 10_000, 9_000)[0]
    )


@pytest.mark.parametrize("measure", ["g2", "g2_williams", "chi2_yates"])
def test_measure_sets_p_and_order(seed_tokens: pd.DataFrame, measure: str) -> None:
    table = keyness.keyness(units.terms(seed_tokens), 2021, 2020, measure=measure)
    assert table.measure.iloc[0] == keyness.MEASURES[measure]
    assert table.p.to_numpy() == pytest.approx(stats.chi2.sf(table.statistic, 1))
    if measure == "g2":
        assert (table.statistic == table.g2).all()
    signed = np.where(table.direction.eq("over"), table.statistic, -table.statistic)
    assert (np.diff(signed) <= 1e-12).all() and table.term.iloc[0] == "疫苗"


def test_ties_are_broken_by_frequency_then_term() -> None:
    # Equal sides, every term as frequent in both: G2 = 0 for all; more frequent first, then by term.
    terms = units.terms(
        pd.concat(
            [token_table("乙 甲 合作 合作 丙", year=2020), token_table("丙 合作 甲 合作 乙", doc_id="e", year=2021)]
        )
    )
    table = keyness.keyness(terms, 2020, min_freq=1)
    assert (table.g2.abs() < 1e-12).all()
    assert table.term.tolist() == ["合作", *sorted(["甲", "乙", "丙"])]


def test_unknown_measure() -> None:
    with pytest.raises(CorpusError, match="unknown measure 'pmi'"):
        keyness.keyness(small_corpus(), 2020, measure="pmi")
