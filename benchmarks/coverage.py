"""How often nominal 95% intervals of theme rates and rate ratios cover the truth, on answers simulated like the seeds'.

Each simulated year has as many answers as a seed year (15), their lengths (content tokens) resampled from the two
seeds' answers; theme counts are negative binomial with mean rate x length and size theta (Var = mu + mu^2/theta;
the seeds' pandemic theme has theta near 2, China-US near 0.13). The rate is 100 per 10,000 tokens; for the ratio
the target year's rate is half the reference's. Methods: the negative binomial GLM (NB2, the default of
corpus.analysis.themes), the quasi-Poisson GLM, the percentile bootstrap over answers and the BCa bootstrap over
answers. A method covers when the true value lies inside its interval.

    PYTHONPATH=src .venv/bin/python benchmarks/coverage.py [--reps 400]
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import bootstrap

from corpus.analysis import themes
from corpus.dataset.build import load_document
from corpus.tokens.segment import tokenize_turns
from corpus.tokens.units import annotate
from corpus.transcripts.parse import document_record

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
THETAS = [0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0]
ANSWERS = 15
RATE = 100 / themes.PER
RATIO = 0.5
N_BOOT = 999


def seed_answer_lengths() -> np.ndarray:
    """Content tokens of every answer in the seeds (the lengths simulated answers are drawn from)."""
    parsed = [load_document(path) for path in sorted(SEEDS.glob("*.txt"))]
    documents = pd.DataFrame([document_record(doc) for doc, _ in parsed])
    turns = pd.concat([t for _, t in parsed], ignore_index=True)
    tokens = annotate(tokenize_turns(turns), turns, documents)
    counts = themes.turn_theme_counts(tokens, themes.load_themes(), themes.ANSWERS)
    return counts.tokens.to_numpy(float)


def simulate(lengths: np.ndarray, rate: float, theta: float, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """One year: answer lengths resampled from the seeds and negative-binomial counts around rate x length."""
    size = rng.choice(lengths, ANSWERS)
    mu = rate * size
    return rng.negative_binomial(theta, theta / (theta + mu)).astype(float), size


def ratio_bootstrap(a, ta, b, tb, kind: str, rng: np.random.Generator) -> tuple[float, float]:
    """Interval of the rate ratio resampling each year's answers on their own (scipy.stats.bootstrap, two samples)."""

    def statistic(i: np.ndarray, j: np.ndarray, axis: int = -1) -> np.ndarray:
        with np.errstate(all="ignore"):
            return (a[i].sum(axis) / ta[i].sum(axis)) / (b[j].sum(axis) / tb[j].sum(axis))

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        result = bootstrap(
            (np.arange(len(a)), np.arange(len(b))), statistic, n_resamples=N_BOOT, method=kind, random_state=rng
        )
    return tuple(result.confidence_interval)


def covered(low: float, high: float, truth: float) -> bool:
    return bool(np.isfinite(low) and low <= truth <= high) or (low <= truth and high == np.inf)


def run(theta: float, reps: int, lengths: np.ndarray, seed: int) -> dict[str, float]:
    """Coverage of each method's rate and rate-ratio intervals over `reps` simulated pairs of years."""
    rng = np.random.default_rng([seed, int(theta * 1000)])
    hits: dict[str, int] = {}
    for _ in range(reps):
        b, tb = simulate(lengths, RATE, theta, rng)
        a, ta = simulate(lengths, RATE * RATIO, theta, rng)
        intervals = {}
        for model, name in (("nb", "NB2"), ("quasi", "quasi-Poisson")):
            intervals[f"rate {name}"] = themes.glm_rate(b, tb, model)[1:3]
        for kind in ("percentile", "BCa"):
            intervals[f"rate {kind}"] = themes.bootstrap_rate(b, tb, n_boot=N_BOOT, rng=rng, kind=kind)
        for model, name in (("nb", "NB2"), ("quasi", "quasi-Poisson")):
            intervals[f"ratio {name}"] = themes.rate_ratio(a, ta, b, tb, model)[1:3]
        for kind in ("percentile", "BCa"):
            intervals[f"ratio {kind}"] = ratio_bootstrap(a, ta, b, tb, kind, rng)
        for name, (low, high) in intervals.items():
            truth = RATE * themes.PER if name.startswith("rate") else RATIO
            hits[name] = hits.get(name, 0) + covered(low, high, truth)
    return {name: count / reps for name, count in hits.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=400, help="simulated pairs of years per theta (default 400)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    lengths = seed_answer_lengths()
    start = time.perf_counter()
    rows = {theta: run(theta, args.reps, lengths, args.seed) for theta in THETAS}
    table = pd.DataFrame(rows).T.rename_axis("theta")
    print(
        f"Coverage of nominal 95% intervals; {args.reps} simulated pairs of years per theta, {ANSWERS} answers each "
        f"(lengths from the seeds' {len(lengths)} answers), rate {RATE * themes.PER:.0f} per 10,000, ratio {RATIO}, "
        f"{N_BOOT} bootstrap resamples; Monte Carlo SE about {np.sqrt(0.95 * 0.05 / args.reps) * 100:.1f} points"
    )
    print((table * 100).round(1).to_string())
    default = ["rate NB2", "ratio NB2"]
    high, low = table.loc[table.index >= 0.3, default], table.loc[table.index < 0.3, default]
    print(f"default (NB2), theta 0.3-2: lowest coverage {high.min().min() * 100:.1f}% (bar: 93%)")
    print(f"default (NB2), theta below 0.3: lowest coverage {low.min().min() * 100:.1f}% (flagged low_dispersion)")
    print(f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
