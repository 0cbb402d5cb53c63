"""Keyness: which terms a target (a year, a document, ...) uses more or less than a reference, and how surely."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import chdtrc, xlogy  # scipy.special, not scipy.stats: a second less to start the command line

from corpus.analysis.frequency import PER
from corpus.errors import CorpusError
from corpus.tokens.units import TERMS_HINT, Unit, require, resolve, with_unit

Correction = Literal["bh", "bonferroni"]
ALPHA = 0.05
CORRECTION_NAMES = {"bh": "Benjamini-Hochberg", "bonferroni": "Bonferroni"}
KEYNESS_COLUMNS = ["term", "freq_target", "freq_reference", "n_target", "n_reference", "per_10k_target"]
KEYNESS_COLUMNS += ["per_10k_reference", "g2", "p", "p_adjusted", "significant", "chi2", "p_chi2", "log_ratio"]
KEYNESS_COLUMNS += ["direction", "signed_g2", "correction"]


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
    targets = resolve(target, available, unit=column)
    references = (
        [u for u in available if u not in targets] if reference is None else resolve(reference, available, unit=column)
    )
    if not references:
        raise CorpusError(f"nothing to compare {column} {', '.join(map(str, targets))} with: the corpus has no other")
    if overlap := sorted(set(targets) & set(references), key=str):
        raise CorpusError(f"{column} {', '.join(map(str, overlap))} is in both the target and the reference")
    return targets, references


def keyness(
    terms: pd.DataFrame,
    target: object,
    reference: object | None = None,
    *,
    by: Unit = "year",
    min_freq: int = 3,
    correction: Correction = "bh",
) -> pd.DataFrame:
    """Terms over- and under-used in `target` relative to `reference` (default: all other units).

    Columns: term, freq_target, freq_reference, n_target, n_reference (terms in each side), per_10k_target,
    per_10k_reference, g2 (Dunning 1993; Rayson & Garside 2000), p (G2 on 1 df), p_adjusted (`correction` over all
    terms tested), significant (p_adjusted < 0.05), chi2 and p_chi2 (Pearson, 2x2), log_ratio (Hardie 2014),
    direction (over | under), signed_g2 (G2, negative for under-use: one axis for a diverging chart), correction (the
    adjustment and how many terms it covered). Only terms seen at least
    `min_freq` times on both sides together are tested. Sorted over-used first by G2, then under-used by G2 rising.
    """
    require(terms, ["term"], hint=TERMS_HINT)
    if correction not in CORRECTION_NAMES:
        raise CorpusError(f"unknown correction {correction!r}; choose bh or bonferroni")
    table, column = with_unit(terms, by)
    targets, references = split_units(table, column, target, reference)
    table = table[table[column].isin(targets + references)]
    codes, vocabulary = pd.factorize(table.term, sort=True)
    in_target = table[column].isin(targets).to_numpy()
    a = np.bincount(codes[in_target], minlength=len(vocabulary))
    b = np.bincount(codes[~in_target], minlength=len(vocabulary))
    n1, n2 = int(a.sum()), int(b.sum())
    if not n1 or not n2:
        raise CorpusError(f"no terms to compare: the {'target' if not n1 else 'reference'} {column} has none")
    tested = a + b >= min_freq
    result = scores(np.asarray(vocabulary, dtype=object)[tested], a[tested], b[tested], n1, n2)
    result["p_adjusted"] = adjust(result.p, correction)
    result["significant"] = result.p_adjusted < ALPHA
    result["correction"] = f"{CORRECTION_NAMES[correction]} over {len(result)} terms"
    result["signed_g2"] = np.where(result.direction.eq("over"), result.g2, -result.g2)
    order = np.lexsort((result.term.to_numpy(), -result.signed_g2.to_numpy()))
    return result.iloc[order][KEYNESS_COLUMNS].reset_index(drop=True)


def scores(terms: np.ndarray, a: np.ndarray, b: np.ndarray, n1: int, n2: int) -> pd.DataFrame:
    """Frequencies, G2, chi-square, their p-values, log ratio and direction for each term (unadjusted)."""
    g2, chi2 = log_likelihood(a, b, n1, n2), chi_square(a, b, n1, n2)
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
            "p": chdtrc(1, g2),
            "chi2": chi2,
            "p_chi2": chdtrc(1, chi2),
            "log_ratio": log_ratio(a, b, n1, n2),
            "direction": np.where(a / n1 >= b / n2, "over", "under"),
        }
    )
