"""Keyness: which terms a target (a year, a document, ...) uses more or less than a reference, and how surely."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import chdtrc, xlogy  # scipy.special, not scipy.stats: a second less to start the command line
from threadpoolctl import threadpool_limits

from corpus.analysis.frequency import PER
from corpus.errors import CorpusError
from corpus.tokens.units import TERMS_HINT, Unit, require, resolve, with_unit

__all__ = [
    "KEYNESS_COLUMNS", "MEASURES", "adjust", "answer_level", "chi_square", "chi_square_yates", "dispersion",
    "gries_dp", "keyness", "keyness_from_counts", "log_likelihood", "log_likelihood_williams", "log_ratio", "scores",
    "split_units",
]  # fmt: skip

Correction = Literal["bh", "bonferroni"]
Measure = Literal["g2", "g2_williams", "chi2_yates"]
ALPHA = 0.05
CONCENTRATED = 0.8  # a term is `concentrated` when one answer holds at least this share of its key side's uses
N_RESAMPLES = 999
CORRECTION_NAMES = {"bh": "Benjamini-Hochberg", "bonferroni": "Bonferroni"}
MEASURES = {
    "g2": "G2, two-cell (Rayson & Garside 2000; UCREL, Wmatrix)",
    "g2_williams": "G2, four-cell with Williams' correction (quanteda measure='lr', correction='williams')",
    "chi2_yates": "chi2 with Yates' correction (quanteda measure='chi2', correction='default')",
}
KEYNESS_COLUMNS = ["term", "freq_target", "freq_reference", "n_target", "n_reference", "per_10k_target"]
KEYNESS_COLUMNS += ["per_10k_reference", "g2", "p", "p_adjusted", "significant", "chi2", "p_chi2", "log_ratio"]
KEYNESS_COLUMNS += ["direction", "signed_g2", "correction", "measure", "statistic"]
KEYNESS_COLUMNS += ["docs_target", "docs_reference", "dp_target", "dp_reference", "top_share", "concentrated"]
KEYNESS_COLUMNS += ["p_answers", "p_answers_adjusted", "lr_low", "lr_high"]


def log_likelihood(a: np.ndarray, b: np.ndarray, n1: float, n2: float) -> np.ndarray:
    """Log-likelihood G2 of a term seen a times in n1 tokens and b times in n2 (Dunning 1993).

    The two-cell form of Rayson & Garside (2000), as UCREL's calculator and Wmatrix report it:
    G2 = 2 (a ln(a/E1) + b ln(b/E2)), E1 = n1 (a+b)/(n1+n2), E2 = n2 (a+b)/(n1+n2); 0 ln 0 = 0.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    e1, e2 = n1 * (a + b) / (n1 + n2), n2 * (a + b) / (n1 + n2)
    return 2 * (xlogy(a, a / e1) + xlogy(b, b / e2))


def chi_square(a: np.ndarray, b: np.ndarray, n1: float, n2: float) -> np.ndarray:
    """Pearson's chi-square of the 2x2 table [[a, b], [n1-a, n2-b]], without Yates' correction."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    c, d = n1 - a, n2 - b
    n = n1 + n2
    return n * (a * d - b * c) ** 2 / ((a + b) * (c + d) * n1 * n2)


def _four_cells(a: np.ndarray, b: np.ndarray, n1: float, n2: float) -> tuple[np.ndarray, ...]:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a, b, n1 - a, n2 - b


def log_likelihood_williams(a: np.ndarray, b: np.ndarray, n1: float, n2: float) -> np.ndarray:
    """Four-cell G2 of [[a, n1-a], [b, n2-b]] divided by Williams' (1976) q, as quanteda.textstats computes it.

    q = 1 + (N/(a+b) + N/(c+d) - 1) (N/n1 + N/n2 - 1) / 6N, and 1 when a cell is empty (quanteda's rule).
    """
    a, b, c, d = _four_cells(a, b, n1, n2)
    n = n1 + n2
    cells = [(a, (a + b) * n1 / n), (b, (a + b) * n2 / n), (c, (c + d) * n1 / n), (d, (c + d) * n2 / n)]
    g2 = 2 * sum(xlogy(o, np.divide(o, e, out=np.ones_like(o), where=e > 0)) for o, e in cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = 1 + (n / (a + b) + n / (c + d) - 1) * (n / n1 + n / n2 - 1) / (6 * n)
    return g2 / np.where(a * b * c * d == 0, 1.0, q)


def chi_square_yates(a: np.ndarray, b: np.ndarray, n1: float, n2: float) -> np.ndarray:
    """Pearson's chi-square of the 2x2 table with Yates' correction where quanteda.textstats applies it.

    |ad - bc| is reduced by N/2 when it is at least N/2 and an expected count is below 5 (else uncorrected).
    """
    a, b, c, d = _four_cells(a, b, n1, n2)
    n = n1 + n2
    expected = np.stack([(a + b) * n1, (a + b) * n2, (c + d) * n1, (c + d) * n2]) / n
    cross = np.abs(a * d - b * c)
    delta = np.where((cross >= n / 2) & (expected < 5).any(axis=0), 0.5, 0.0)
    return n * (cross - n * delta) ** 2 / ((a + b) * (c + d) * n1 * n2)


def log_ratio(a: np.ndarray, b: np.ndarray, n1: float, n2: float) -> np.ndarray:
    """Binary log of the ratio of relative frequencies, a zero count taken as 0.5 (Hardie 2014).

    1 means twice as frequent in the target, -1 half as frequent; an effect size, unlike G2.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.log2((np.where(a == 0, 0.5, a) / n1) / (np.where(b == 0, 0.5, b) / n2))


def adjust(p: np.ndarray, correction: Correction) -> np.ndarray:
    """p-values adjusted for testing every term at once: Benjamini & Hochberg (1995) or Bonferroni."""
    p = np.asarray(p, float)
    if correction == "bh":  # p * m / rank, made monotone from the largest p down
        order = np.argsort(p, kind="stable")
        scaled = p[order] * len(p) / np.arange(1, len(p) + 1)
        adjusted = np.empty_like(p)
        adjusted[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
        return adjusted
    if correction == "bonferroni":
        return np.minimum(p * len(p), 1.0)
    raise CorpusError(f"unknown correction {correction!r}; choose bh or bonferroni")


def split_units(table: pd.DataFrame, column: str, target: object, reference: object | None) -> tuple[list, list]:
    """Target and reference units named by the user; the reference defaults to every other unit."""
    available = sorted(table[column].unique().tolist())
    targets = resolve(target, available, by=column)
    references = (
        [u for u in available if u not in targets] if reference is None else resolve(reference, available, by=column)
    )
    if not references:
        raise CorpusError(f"nothing to compare {column} {', '.join(map(str, targets))} with: the corpus has no other")
    if overlap := sorted(set(targets) & set(references), key=str):
        raise CorpusError(f"{column} {', '.join(map(str, overlap))} is in both the target and the reference")
    return targets, references


def gries_dp(counts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Gries' (2008) deviation of proportions of each row's counts over parts of the given sizes (0 even, ~1 clumped).

    DP = 0.5 * sum_i |v_i / f - s_i|, v_i the term's count in part i, f its total, s_i part i's share of the corpus.
    `counts` is terms x parts; a term with no count gets NaN.
    """
    counts = np.asarray(counts, float)
    total = counts.sum(axis=1, keepdims=True)
    share = np.asarray(sizes, float) / np.sum(sizes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 0.5 * np.abs(counts / total - share).sum(axis=1) / np.where(total[:, 0] > 0, 1, np.nan)


def dispersion(matrix: np.ndarray, sizes: np.ndarray, in_target: np.ndarray, over: np.ndarray) -> pd.DataFrame:
    """Per term (rows of the terms x answers `matrix`; `sizes` the answers' lengths in terms): docs_target,
    docs_reference (answers it occurs in), dp_target, dp_reference (Gries' DP over each side's answers), top_share
    (share of its key side's uses, the target's when `over`, else the reference's, in its one busiest answer) and
    concentrated (top_share >= 0.8: one answer carries the term)."""
    target, reference = matrix[:, in_target], matrix[:, ~in_target]
    key_max = np.where(over, target.max(axis=1, initial=0), reference.max(axis=1, initial=0))
    key_total = np.where(over, target.sum(axis=1), reference.sum(axis=1))
    top_share = np.divide(key_max, key_total, out=np.full(len(matrix), np.nan), where=key_total > 0)
    return pd.DataFrame(
        {
            "docs_target": (target > 0).sum(axis=1),
            "docs_reference": (reference > 0).sum(axis=1),
            "dp_target": gries_dp(target, sizes[in_target]),
            "dp_reference": gries_dp(reference, sizes[~in_target]),
            "top_share": top_share,
            "concentrated": top_share >= CONCENTRATED,
        }
    )


def _log_ratios(a: np.ndarray, b: np.ndarray, n1: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """`log_ratio` of terms x resamples count arrays with one side size per resample (counts are whole: a zero
    becomes 0.5 as max(count, 0.5)); in place, as these arrays are the largest the module makes."""
    a, b = np.maximum(a, 0.5, out=a), np.maximum(b, 0.5, out=b)
    a /= b
    np.log2(a, out=a)
    a += np.log2(n2 / n1)
    return a


def answer_level(
    matrix: np.ndarray, sizes: np.ndarray, in_target: np.ndarray, *, n_resamples: int = N_RESAMPLES, seed: int = 0
) -> pd.DataFrame:
    """How sure each term's log ratio is when the unit of sampling is the answer, not the token.

    p_answers: two-sided permutation test, `n_resamples` random reassignments of whole answers (columns of the
    terms x answers `matrix`; `sizes` their lengths in terms, all terms counted) to the sides, keeping each side's
    number of answers; p = (1 + #{|LR*| >= |LR|}) / (1 + n_resamples). lr_low, lr_high: 95% percentile interval
    of the log ratio resampling answers within each side (a stratified bootstrap). Seeded by `seed`; vectorised
    (counts as matrix products with draw weights). The log ratio's 0.5 for a zero count makes |LR| of a term one
    side lacks grow with the sides' length ratio, which the permutations vary: read p_answers with docs_target.
    """
    rng = np.random.default_rng(seed)
    m, sizes = np.asarray(matrix, float), np.asarray(sizes, float)
    n_answers, n_target = m.shape[1], int(in_target.sum())
    n1, n2 = sizes[in_target].sum(), sizes[~in_target].sum()
    observed = log_ratio(m[:, in_target].sum(axis=1), m[:, ~in_target].sum(axis=1), n1, n2)
    sides = np.argsort(rng.random((n_resamples, n_answers)), axis=1) < n_target  # each row: a random split
    weights = sides.T.astype(float)  # answers x permutations
    a, n1 = m @ weights, sizes @ weights
    b, n2 = m.sum(axis=1, keepdims=True) - a, sizes.sum() - n1
    permuted = _log_ratios(a, b, n1, n2)
    extreme = (np.abs(permuted) >= np.abs(observed)[:, None] - 1e-12).sum(axis=1)
    draws = np.zeros((n_answers, n_resamples))
    for side in (in_target, ~in_target):  # bootstrap weights: how often each answer of a side is drawn
        columns = np.flatnonzero(side)
        picks = columns[rng.integers(0, len(columns), (n_resamples, len(columns)))]
        np.add.at(draws, (picks, np.arange(n_resamples)[:, None]), 1.0)
    target_draws, reference_draws = draws * in_target[:, None], draws * ~in_target[:, None]
    a, b = m @ target_draws, m @ reference_draws
    n1, n2 = sizes @ target_draws, sizes @ reference_draws
    boot = _log_ratios(a, b, n1, n2)
    low, high = np.percentile(boot, [2.5, 97.5], axis=1)
    return pd.DataFrame({"p_answers": (1 + extreme) / (1 + n_resamples), "lr_low": low, "lr_high": high})


def keyness(
    terms: pd.DataFrame,
    target: object,
    reference: object | None = None,
    *,
    by: Unit = "year",
    min_freq: int = 3,
    correction: Correction = "bh",
    measure: Measure = "g2",
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
) -> pd.DataFrame:
    """Terms over- and under-used in `target` relative to `reference` (default: all other units).

    Columns: term, freq_target, freq_reference, n_target, n_reference (terms in each side), per_10k_target,
    per_10k_reference, g2 (two-cell G2: Dunning 1993; Rayson & Garside 2000, as UCREL's calculator), p (of
    `measure` on 1 df), p_adjusted (`correction` over all terms tested), significant (p_adjusted < 0.05), chi2 and
    p_chi2 (Pearson, 2x2, uncorrected), log_ratio (Hardie 2014), direction (over | under), signed_g2 (G2, negative
    for under-use: one axis for a diverging chart), correction (the adjustment and how many terms it covered),
    measure and statistic (the test behind p: `measure` "g2", the default, is the two-cell G2; "g2_williams" the
    four-cell G2 with Williams' correction and "chi2_yates" chi2 with Yates' correction, both as quanteda.textstats'
    textstat_keyness computes them).

    Where the table has doc_id and turn (every term table from units.terms), each turn (an answer, by default) is
    also a sampling unit: docs_target, docs_reference, dp_target, dp_reference, top_share, concentrated (see
    `dispersion`: Gries' DP, and whether one answer holds >= 80% of the term's uses on the side it is key for), and
    p_answers, p_answers_adjusted (same `correction`), lr_low, lr_high from `answer_level` (`n_resamples`
    permutations and bootstrap resamples of answers, seeded by `seed`); else these are missing. Pooled G2 treats
    every token as independent, so a term one long answer repeats can have a tiny p and a large p_answers: in the
    seeds (2021 vs 2020), 非洲 has 21 uses in 2020, 17 of them in the answer on Africa: p_adjusted < 0.01 but
    p_answers > 0.3 (and concentrated); no term passes the answer-level test after adjustment.
    Only terms seen at least `min_freq` times on both sides together are tested. Sorted over-used first by the
    statistic, then under-used by it rising; ties by frequency (both sides), then term.
    """
    require(terms, ["term"], hint=TERMS_HINT)
    _check(correction, measure)
    table, column = with_unit(terms, by)
    targets, references = split_units(table, column, target, reference)
    table = table[table[column].isin(targets + references)]
    codes, vocabulary = pd.factorize(table.term, sort=True)
    in_target = table[column].isin(targets).to_numpy()
    a = np.bincount(codes[in_target], minlength=len(vocabulary))
    b = np.bincount(codes[~in_target], minlength=len(vocabulary))
    tested = a + b >= min_freq
    result = _tested(np.asarray(vocabulary, dtype=object), a, b, tested, column, correction, measure)
    if {"doc_id", "turn"} <= set(table.columns):
        answers, keys = pd.factorize(pd.MultiIndex.from_arrays([table.doc_id, table.turn]), sort=True)
        matrix = np.zeros((len(vocabulary), len(keys)))
        np.add.at(matrix, (codes, answers), 1.0)
        side = np.zeros(len(keys), bool)
        side[answers[in_target]] = True
        over = result.direction.eq("over").to_numpy()
        sizes = matrix.sum(axis=0)
        result = result.join(dispersion(matrix[tested], sizes, side, over))
        with threadpool_limits(limits=1):  # small matrix products: one BLAS thread is faster on a busy machine
            result = result.join(answer_level(matrix[tested], sizes, side, n_resamples=n_resamples, seed=seed))
        result["p_answers_adjusted"] = adjust(result.p_answers, correction)
    return _ordered(result)


def keyness_from_counts(
    counts: pd.DataFrame,
    *,
    min_freq: int = 3,
    correction: Correction = "bh",
    measure: Measure = "g2",
    column: str = "unit",
) -> pd.DataFrame:
    """`keyness` from a term x side count table (term, freq_target, freq_reference: engine.term_side_counts, which
    counts in SQL without loading the terms): the same columns and rows, the answer-level ones (docs_target to
    lr_high) missing. `column` names the grouping in the error for a side without terms."""
    require(counts, ["term", "freq_target", "freq_reference"], hint="pass engine.term_side_counts(...)")
    _check(correction, measure)
    a, b = counts.freq_target.to_numpy(np.int64), counts.freq_reference.to_numpy(np.int64)
    terms = counts.term.to_numpy(object)
    return _ordered(_tested(terms, a, b, a + b >= min_freq, column, correction, measure))


def _check(correction: str, measure: str) -> None:
    """A CorpusError for an unknown correction or measure."""
    if correction not in CORRECTION_NAMES:
        raise CorpusError(f"unknown correction {correction!r}; choose bh or bonferroni")
    if measure not in MEASURES:
        raise CorpusError(f"unknown measure {measure!r}; choose {', '.join(MEASURES)}")


def _tested(
    terms: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    tested: np.ndarray,
    column: str,
    correction: Correction,
    measure: Measure,
) -> pd.DataFrame:
    """`scores` of the `tested` terms (counts `a` in the target, `b` in the reference) with p adjusted over them."""
    n1, n2 = int(a.sum()), int(b.sum())
    if not n1 or not n2:
        raise CorpusError(f"no terms to compare: the {'target' if not n1 else 'reference'} {column} has none")
    result = scores(terms[tested], a[tested], b[tested], n1, n2, measure)
    result["p_adjusted"] = adjust(result.p, correction)
    result["significant"] = result.p_adjusted < ALPHA
    result["correction"] = f"{CORRECTION_NAMES[correction]} over {len(result)} terms"
    result["signed_g2"] = np.where(result.direction.eq("over"), result.g2, -result.g2)
    return result


def _ordered(result: pd.DataFrame) -> pd.DataFrame:
    """Over-used first by the statistic, then under-used by it rising; ties by frequency, then term."""
    signed = np.where(result.direction.eq("over"), result.statistic, -result.statistic)
    order = np.lexsort((result.term.to_numpy(), -(result.freq_target + result.freq_reference).to_numpy(), -signed))
    return result.iloc[order].reindex(columns=KEYNESS_COLUMNS).reset_index(drop=True)


def scores(terms: np.ndarray, a: np.ndarray, b: np.ndarray, n1: int, n2: int, measure: Measure = "g2") -> pd.DataFrame:
    """Frequencies, G2, chi-square, the `measure`'s statistic and p, log ratio and direction for each term.

    A term x side count table in, unadjusted scores out: the counting (pandas here, SQL elsewhere) stays apart.
    """
    g2, chi2 = log_likelihood(a, b, n1, n2), chi_square(a, b, n1, n2)
    statistic = {"g2": g2, "g2_williams": log_likelihood_williams, "chi2_yates": chi_square_yates}[measure]
    statistic = statistic if measure == "g2" else statistic(a, b, n1, n2)
    return pd.DataFrame(
        {
            "term": terms,
            "freq_target": a,
            "freq_reference": b,
            "n_target": n1,
            "n_reference": n2,
            "per_10k_target": a / n1 * PER,
            "per_10k_reference": b / n2 * PER,
            "g2": g2,
            "p": chdtrc(1, statistic),
            "chi2": chi2,
            "p_chi2": chdtrc(1, chi2),
            "log_ratio": log_ratio(a, b, n1, n2),
            "direction": np.where(a / n1 >= b / n2, "over", "under"),
            "measure": MEASURES[measure],
            "statistic": statistic,
        }
    )
