"""Theme rates and rate ratios from GLMs of per-answer counts: hand formulas, exact tests, and the seeds' findings."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from corpus.analysis import themes
from corpus.errors import CorpusError

HITS = np.array([0.0, 3, 0, 12, 1, 0, 5, 2])
TOKENS = np.array([120.0, 210, 90, 330, 150, 80, 260, 140])


def test_quasi_poisson_rate_by_hand() -> None:
    # Rate Y/T; phi = Pearson X2 / (n-1); se(log rate) = sqrt(phi / Y) (McCullagh & Nelder 1989).
    total, size = HITS.sum(), TOKENS.sum()
    mu = TOKENS * total / size
    phi = ((HITS - mu) ** 2 / mu).sum() / (len(HITS) - 1)
    assert phi > 1
    half = stats.t.ppf(0.975, (HITS > 0).sum() - 1) * np.sqrt(phi / total)  # df: answers with hits - 1
    rate, low, high, method, _ = themes.glm_rate(HITS, TOKENS, "quasi")
    assert method == "quasi-Poisson GLM"
    assert rate == pytest.approx(total / size * 10_000)
    assert (low, high) == pytest.approx((rate * np.exp(-half), rate * np.exp(half)))


@pytest.mark.parametrize("two_sides", [False, True])
def test_quasi_poisson_against_statsmodels(two_sides: bool) -> None:
    import statsmodels.api as sm

    design = np.c_[np.ones(8), np.r_[np.ones(4), np.zeros(4)]] if two_sides else np.ones((8, 1))
    fit = sm.GLM(HITS, design, family=sm.families.Poisson(), offset=np.log(TOKENS)).fit(scale="X2")
    coef, se, phi, df = themes.quasi_poisson(HITS, TOKENS, design)
    assert fit.scale > 1 and phi == pytest.approx(fit.scale) and df == fit.df_resid
    assert coef == pytest.approx(fit.params) and se == pytest.approx(fit.bse)


def test_quasi_poisson_never_claims_less_than_poisson_spread() -> None:
    flat = TOKENS * 0.02  # counts exactly proportional to length: Pearson X2 = 0, phi floored at 1
    _, low, high, _, _ = themes.glm_rate(flat, TOKENS, "quasi")
    half = stats.t.ppf(0.975, len(TOKENS) - 1) / np.sqrt(flat.sum())
    assert (low, high) == pytest.approx((200 * np.exp(-half), 200 * np.exp(half)))


def test_negative_binomial_recovers_a_known_dispersion() -> None:
    rng = np.random.default_rng(3)
    tokens = rng.integers(60, 400, 3000).astype(float)
    mu = tokens * 0.01
    hits = rng.negative_binomial(0.5, 0.5 / (0.5 + mu)).astype(float)
    _, low, high, method, theta = themes.glm_rate(hits, tokens)
    assert method == "negative binomial GLM"
    assert theta == pytest.approx(0.5, rel=0.15)
    assert low < 100 < high and high / low < 1.3


@pytest.mark.parametrize(("count", "low", "high"), [(0, 0.0, 3.689), (1, 0.0253, 5.572), (10, 4.795, 18.390)])
def test_garwood_against_published_values(count: int, low: float, high: float) -> None:
    # Exact 95% Poisson limits as tabulated by Ulm (1990, Am J Epidemiol 131:373) and Garwood (1936).
    assert themes.garwood(count) == pytest.approx((low, high), abs=6e-4)


def test_a_zero_count_gets_a_finite_upper_bound() -> None:
    rate, low, high, method, _ = themes.glm_rate(np.zeros(5), np.full(5, 200.0))
    assert (rate, low, method) == (0, 0, "exact Poisson")
    assert high == pytest.approx(3.6889 / 1000 * 10_000, abs=1e-3)


@pytest.mark.parametrize(("a", "b"), [(5, 0), (0, 7), (3, 9), (12, 1)])
def test_conditional_ratio_without_dispersion_is_the_exact_binomial_test(a: int, b: int) -> None:
    # Counts spread in proportion to length (phi = 1): the textbook exact test of two Poisson rates.
    ta, tb = np.array([100.0, 300]), np.array([150.0, 50])
    low, high, p = themes.conditional_ratio(ta / ta.sum() * a, ta, tb / tb.sum() * b, tb)
    share = 400 / 600  # the target's share of the tokens
    ci = stats.binomtest(a, a + b, share).proportion_ci(0.95, method="exact")  # Clopper-Pearson
    central = 2 * min(stats.binom.cdf(a, a + b, share), stats.binom.sf(a - 1, a + b, share))  # twice the smaller tail
    assert p == pytest.approx(min(central, 1.0))
    assert low == pytest.approx(ci.low / (1 - ci.low) / 2)  # odds of the target, times T_reference / T_target
    assert high == pytest.approx(ci.high / (1 - ci.high) / 2 if ci.high < 1 else np.inf)


def test_conditional_ratio_widens_with_dispersion() -> None:
    ta, tb = np.full(10, 200.0), np.full(10, 200.0)
    even, clustered = np.full(10, 2.0), np.r_[20.0, np.zeros(9)]
    assert themes.conditional_ratio(even, ta, np.zeros(10), tb)[2] < 0.001
    low, _, p = themes.conditional_ratio(clustered, ta, np.zeros(10), tb)
    assert p > 0.05 and low < 1  # twenty mentions in one answer are one event, not twenty


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 400)), min_size=2, max_size=20))
def test_intervals_hold_the_estimate_and_stay_finite(rows: list[tuple[int, int]]) -> None:
    hits, tokens = np.array(rows, float).T
    for model in ("nb", "quasi"):
        rate, low, high, _, _ = themes.glm_rate(hits, tokens, model)
        assert 0 <= low <= high < np.inf
        if model == "quasi" or hits.sum() == 0:
            assert low <= rate * (1 + 1e-9) and rate <= high * (1 + 1e-9)


@pytest.fixture(scope="module")
def shares(seed_tokens: pd.DataFrame) -> pd.DataFrame:
    return themes.theme_shares(seed_tokens).set_index(["year", "theme"])


def test_the_seeds_dispersions(shares: pd.DataFrame) -> None:
    # The pandemic runs through most 2020 answers; China-US sits in four of them (one answer holds 29 of 39 hits).
    pandemic, china_us = shares.loc[(2020, "pandemic")], shares.loc[(2020, "china_us")]
    assert 1.5 < pandemic.dispersion < 2.5 and not pandemic.low_dispersion
    assert china_us.dispersion < 0.3 and china_us.low_dispersion
    one_answer = shares[shares.turns_with_theme.eq(1) & shares.hits.gt(1)]
    assert len(one_answer) and one_answer.low_dispersion.all() and one_answer.dispersion.isna().all()


def test_zero_counts_on_the_seeds(shares: pd.DataFrame) -> None:
    row = shares.loc[(2020, "vaccines")]
    assert (row.hits, row.ci_low, row.method) == (0, 0, "exact Poisson")
    assert row.ci_high == pytest.approx(3.6889 / row.tokens * 10_000, abs=1e-3)


def test_bootstrap_option(seed_tokens: pd.DataFrame, shares: pd.DataFrame) -> None:
    boot = themes.theme_shares(seed_tokens, method="bootstrap", n_boot=400).set_index(["year", "theme"])
    assert list(boot.columns) == list(shares.columns)
    pooled = themes.theme_shares(seed_tokens, method="quasi").set_index(["year", "theme"])
    assert np.allclose(boot.per_10k, pooled.per_10k) and (boot.ci_low <= boot.per_10k + 1e-9).all()  # hits / tokens
    assert set(boot.method) == {"BCa bootstrap over turns", "exact Poisson"}
    again = themes.theme_shares(seed_tokens, method="bootstrap", n_boot=400).set_index(["year", "theme"])
    pd.testing.assert_frame_equal(boot, again)
    with pytest.raises(CorpusError, match="unknown method 'wald'"):
        themes.theme_shares(seed_tokens, method="wald")


@pytest.fixture(scope="module")
def ratios(seed_tokens: pd.DataFrame) -> pd.DataFrame:
    return themes.theme_rate_ratios(seed_tokens, 2021, 2020).set_index("theme")


def test_the_pandemic_fell_to_a_fraction_of_its_2020_rate(ratios: pd.DataFrame) -> None:
    row = ratios.loc["pandemic"]
    assert (row.target, row.reference, row.method) == ("2021", "2020", "negative binomial GLM")
    assert row.ci_low < row.rate_ratio < row.ci_high < 0.5 and row.p_adjusted < 0.01
    assert row.rate_ratio == pytest.approx(row.per_10k_target / row.per_10k_reference, rel=0.15)


def test_a_theme_new_in_2021_is_not_sure_when_two_answers_carry_it(ratios: pd.DataFrame) -> None:
    row = ratios.loc["vaccines"]  # 41 mentions in 2021, all in two answers; none in 2020
    assert row.hits_reference == 0 and row.rate_ratio == np.inf and row.ci_high == np.inf
    assert row.method == "exact conditional, counts / phi" and 0 < row.ci_low < 1 and row.p > 0.05
    assert list(ratios.reset_index().columns) == themes.RATIO_COLUMNS


def test_rate_ratios_default_reference_and_errors(three_years: pd.DataFrame) -> None:
    table = themes.theme_rate_ratios(three_years, 2022)
    assert set(table.reference) == {"2020, 2021"}
    same = themes.theme_rate_ratios(three_years, 2022, 2021).set_index("theme")
    shared = same[same.hits_target.gt(0)]
    assert np.allclose(shared.rate_ratio, 1, atol=3e-3)  # NB2's optimiser tolerance and (shared.p > 0.9).all()
    with pytest.raises(CorpusError, match="year 2019 not in the corpus"):
        themes.theme_rate_ratios(three_years, 2019)


def readme_statistics() -> str:
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    return " ".join(text.split("## Statistics", 1)[1].split("\n## ", 1)[0].split())  # one line, single spaces


def test_the_readme_quotes_the_build(ratios: pd.DataFrame, shares: pd.DataFrame) -> None:
    # Every seed figure the README's Statistics section states, recomputed here.
    text = readme_statistics()
    number = r"(\d+(?:\.\d+)?)"
    pattern = rf"pandemic theme fell to {number} \[{number}, {number}\] of its 2020 rate \(adjusted p {number}\)"
    found = re.search(pattern, text)
    assert found, "the README no longer states the pandemic's rate ratio"
    row = ratios.loc["pandemic"]
    assert [float(v) for v in found.groups()] == [round(v, n) for v, n in zip(
        [row.rate_ratio, row.ci_low, row.ci_high, row.p_adjusted], [2, 2, 2, 3], strict=True)]  # fmt: skip
    theta = re.search(r"pandemic theme has θ near (\d+(?:\.\d+)?) and China-US near (\d+(?:\.\d+)?)", text)
    assert theta and float(theta[1]) == round(shares.loc[(2020, "pandemic"), "dispersion"], 0)
    assert float(theta[2]) == round(shares.loc[(2020, "china_us"), "dispersion"], 2)
