"""Themes from a researcher-edited lexicon (resources/themes.yaml): mentions, rates with intervals, by origin."""

from __future__ import annotations

import re
import warnings
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import betainc
from scipy.stats import beta, chi2, gamma
from scipy.stats import t as t_dist
from threadpoolctl import threadpool_limits

from corpus.analysis.keyness import adjust, split_units
from corpus.dataset.engine import turn_sizes, vocabulary
from corpus.errors import CorpusError
from corpus.paths import RESOURCES_DIR
from corpus.resources import load_yaml
from corpus.tokens.match import WORDS, find_phrases, longest_first, normalise
from corpus.tokens.units import ANSWERS, TOKENS_HINT, Unit, Where, require, select_terms, turn_ids, with_unit

__all__ = [
    "bootstrap_rate",
    "conditional_ratio",
    "effective_df",
    "fit_model",
    "garwood",
    "glm_rate",
    "load_themes",
    "load_turn_theme_counts",
    "nb_dispersion",
    "negative_binomial",
    "pearson_phi",
    "phrase_parts",
    "quasi_poisson",
    "question_themes",
    "rate_ratio",
    "share_row",
    "shares_from_counts",
    "theme_hits",
    "theme_names",
    "theme_rate_ratios",
    "theme_shares",
    "themes_by_origin",
    "turn_theme_counts",
]

THEMES_FILE = RESOURCES_DIR / "themes.yaml"
LEXICON_COLUMNS = ["theme", "name_en", "name_zh", "term", "exclude"]
HIT_COLUMNS = ["doc_id", "date", "year", "turn", "role", "question", "outlet", "origin", "theme", "term", "position"]
SHARE_COLUMNS = ["hits", "tokens", "per_10k", "ci_low", "ci_high", "turns", "turns_with_theme"]
SHARE_COLUMNS += ["method", "dispersion", "low_dispersion"]
RATIO_COLUMNS = ["theme", "name_en", "name_zh", "target", "reference", "hits_target", "hits_reference"]
RATIO_COLUMNS += ["per_10k_target", "per_10k_reference", "rate_ratio", "ci_low", "ci_high", "p", "p_adjusted", "method"]
PER = 10_000
METHOD_BOOTSTRAP = "BCa bootstrap over turns"
MIN_SPREAD = 4  # answers with a mention needed before a rate's interval comes from the GLM
LOW_THETA = 0.3  # negative-binomial size below which the intervals cover < 93% (benchmarks/coverage.py)
Model = Literal["nb", "quasi"]
MODEL_NAMES = {"nb": "negative binomial GLM", "quasi": "quasi-Poisson GLM"}
Method = Literal["nb", "quasi", "bootstrap"]


def load_themes(path: Path | None = None) -> pd.DataFrame:
    """The lexicon as a table: theme, name_en, name_zh, term, exclude (True for a phrase listed under `exclude`)."""
    path = Path(path) if path else THEMES_FILE
    if not path.is_file():
        raise CorpusError(f"{path}: no such theme file")
    rows, seen = [], set()
    for i, entry in enumerate(load_yaml(path.name, path.parent), start=1):
        theme = entry.get("id") if isinstance(entry, dict) else None
        terms = entry.get("terms") if theme else None
        if not theme or not isinstance(terms, list) or not terms or not all(isinstance(t, (str, int)) for t in terms):
            raise CorpusError(f"{path}: theme #{i} needs an id and a list of terms")
        if theme in seen:
            raise CorpusError(f"{path}: theme id {theme!r} appears twice")
        seen.add(theme)
        names = (entry.get("en", theme), entry.get("zh", theme))
        rows += [(theme, *names, str(t), False) for t in terms]
        exclude = entry.get("exclude") or []
        if not isinstance(exclude, list) or not all(isinstance(t, (str, int)) for t in exclude):
            raise CorpusError(f"{path}: theme {theme!r}: `exclude` must be a list of phrases")
        rows += [(theme, *names, str(t), True) for t in exclude]
    return pd.DataFrame(rows, columns=LEXICON_COLUMNS)


def theme_names(lexicon: pd.DataFrame) -> pd.DataFrame:
    """theme, name_en, name_zh: one row per theme, in the lexicon's order."""
    return lexicon[["theme", "name_en", "name_zh"]].drop_duplicates("theme").reset_index(drop=True)


def _not_excluded(hits: pd.DataFrame) -> np.ndarray:
    """Whether each hit lies outside every phrase its own theme excludes (excluded phrases' own rows: False)."""
    keep = ~hits.exclude.to_numpy()
    for theme, group in hits[hits.exclude].groupby("theme"):
        edges = np.zeros(int(hits.end.max()) + 1, int)
        np.add.at(edges, group.start.to_numpy(), 1)
        np.add.at(edges, group.end.to_numpy(), -1)
        covered_before = np.r_[0, np.cumsum(np.cumsum(edges)[:-1] > 0)]  # excluded characters before each offset
        mine = (hits.theme.to_numpy() == theme) & keep
        keep[mine] = covered_before[hits.end[mine]] == covered_before[hits.start[mine]]
    return keep


def theme_hits(
    tokens: pd.DataFrame, lexicon: pd.DataFrame | None = None, *, roles: Sequence[str] | None = ANSWERS
) -> pd.DataFrame:
    """One row per theme mention: doc_id, date, year, turn, role, question, outlet, origin, theme, term, position.

    Terms are matched in the text (match.find_phrases: whole words and parts of compounds, not characters that
    straddle two words); a term inside a phrase the theme excludes does not count; overlapping terms of one
    theme count once, longest first.
    """
    require(tokens, ["token", "year"], hint=TOKENS_HINT)
    lexicon = load_themes() if lexicon is None else lexicon
    table = (tokens if roles is None else tokens[tokens.role.isin(list(roles))]).reset_index(drop=True)
    hits = _matches(table, lexicon)
    located = table.iloc[hits.row.to_numpy()].reset_index(drop=True)
    located = located.assign(theme=hits.theme.to_numpy(), term=hits.term.to_numpy())
    order = ["date", "doc_id", "turn", "position", "theme"]
    return located.sort_values(order, kind="stable")[HIT_COLUMNS].reset_index(drop=True)


def turn_theme_counts(tokens: pd.DataFrame, lexicon: pd.DataFrame, roles: Sequence[str] | None) -> pd.DataFrame:
    """One row per turn in `roles`: doc_id, turn, date, year, role, question, origin, tokens (content tokens) and
    a column of mention counts per theme."""
    table = (tokens if roles is None else tokens[tokens.role.isin(list(roles))]).reset_index(drop=True)
    ids = turn_ids(table)
    first = np.flatnonzero(np.diff(ids, prepend=-1))
    turns = table.iloc[first][["doc_id", "turn", "date", "year", "role", "question", "origin"]].reset_index(drop=True)
    turns["tokens"] = np.bincount(ids, weights=~table.is_stopword.to_numpy(bool), minlength=len(first)).astype(int)
    hits = theme_hits(table, lexicon, roles=None)
    return _with_counts(turns, hits[["doc_id", "turn", "theme"]], lexicon)


def _matches(tokens: pd.DataFrame, lexicon: pd.DataFrame) -> pd.DataFrame:
    """The mentions `theme_hits` counts: row (of `tokens`), theme, term; whole words or parts of one, outside the
    theme's excluded phrases, overlapping ones of a theme counted once (longest first)."""
    found = find_phrases(tokens, lexicon.term.unique())
    hits = found[found.fit.isin(WORDS)].merge(lexicon, left_on="phrase", right_on="term")
    return longest_first(hits[_not_excluded(hits)], by="theme")


def _with_counts(turns: pd.DataFrame, hits: pd.DataFrame, lexicon: pd.DataFrame) -> pd.DataFrame:
    """`turns` with a column per theme counting its `hits` (rows of doc_id, turn, theme) in each turn."""
    counts = hits.groupby(["doc_id", "turn", "theme"]).size().unstack("theme")
    counts = counts.reindex(columns=theme_names(lexicon).theme).fillna(0).astype(int)
    return turns.join(counts, on=["doc_id", "turn"]).fillna(dict.fromkeys(counts.columns, 0))


def phrase_parts(phrases: Sequence[str]) -> list[str]:
    """Every piece of text a token must be to take part in a whole-word match of a phrase: its substrings."""
    needles = {normalise(p) for p in phrases}
    return sorted({n[i:j] for n in needles for i in range(len(n)) for j in range(i + 1, len(n) + 1)})


def load_turn_theme_counts(
    processed: Path,
    lexicon: pd.DataFrame | None = None,
    *,
    roles: Sequence[str] | None = ANSWERS,
    where: Where = None,
    columns: Sequence[str] = (),
) -> pd.DataFrame:
    """`turn_theme_counts` of a built corpus without loading its tokens: the turns and their content-token counts
    come from SQL (with the extra document `columns`, e.g. speaker, for grouping), and the lexicon is matched
    only in the runs of tokens that can be part of a mention (a token inside a term, or holding one), which
    finds the same whole-word and part-of-word mentions as the whole text does (tests/analysis/test_themes.py).
    """
    lexicon = load_themes() if lexicon is None else lexicon
    info = [*dict.fromkeys(["doc_id", "turn", "date", "year", "role", "question", "origin", *columns])]
    turns = turn_sizes(processed, info, roles=roles, where=where)
    terms = [normalise(t) for t in lexicon.term.unique() if normalise(t)]
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) or "$^")
    parts = set(phrase_parts(terms))
    words = [w for w in vocabulary(processed) if w in parts or pattern.search(w)]
    table = select_terms(
        processed,
        ["doc_id", "turn", "position", "token"],
        roles=roles,
        where=where,
        tokens="SELECT * FROM tokens WHERE token IN (SELECT unnest(?))",
        tokens_params=[words],
    )
    ids, position = turn_ids(table), table.position.to_numpy()
    run = np.cumsum(np.r_[True, (np.diff(position) != 1) | (np.diff(ids) != 0)]) if len(table) else position
    hits = _matches(pd.DataFrame({"doc_id": "", "turn": run, "token": table.token.to_numpy(object)}), lexicon)
    located = table.iloc[hits.row.to_numpy()][["doc_id", "turn"]].assign(theme=hits.theme.to_numpy())
    return _with_counts(turns, located, lexicon)


def garwood(count: float) -> tuple[float, float]:
    """Exact Poisson 95% interval of a count (Garwood 1936): chi2 quantiles; 0 -> (0, 3.689)."""
    low = chi2.ppf(0.025, 2 * count) / 2 if count > 0 else 0.0
    return float(low), float(chi2.ppf(0.975, 2 * count + 2) / 2)


Fit = tuple[np.ndarray, np.ndarray, float, int]  # coefficients, standard errors, theta (NB size) or phi, df


def negative_binomial(hits: np.ndarray, tokens: np.ndarray, design: np.ndarray) -> Fit | None:
    """NB2 regression with log(tokens) offset (statsmodels NegativeBinomial, dispersion by maximum likelihood).

    Returns coefficients, standard errors, theta = 1/alpha (Var = mu + mu^2/theta; inf when alpha is 0) and the
    residual df; None when the fit fails (no Hessian, no convergence), e.g. when every hit is in one answer.
    """
    import statsmodels.api as sm  # a second to import: only when a rate is fitted

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            fit = sm.NegativeBinomial(hits, design, exposure=tokens).fit(disp=0, maxiter=200)
        except (np.linalg.LinAlgError, ValueError):
            return None
        se = np.asarray(fit.bse, float)
    if not fit.mle_retvals.get("converged", False) or not np.isfinite(se).all():
        return None
    alpha = float(fit.params[-1])
    theta = np.inf if alpha <= 1e-8 else 1 / alpha
    return np.asarray(fit.params[:-1]), se[:-1], theta, len(hits) - design.shape[1]


def quasi_poisson(hits: np.ndarray, tokens: np.ndarray, design: np.ndarray) -> Fit:
    """Quasi-Poisson GLM with log(tokens) offset of a design of an intercept and at most one 0/1 side column.

    Its maximum-likelihood fit has a closed form (each side's rate is its hits over its tokens), as statsmodels'
    Poisson GLM with scale="X2" returns it (tests/analysis/test_rates.py); phi = Pearson X2 / df, floored at 1: a
    sample of 15 answers that looks under-dispersed is taken as Poisson, not as surer than Poisson.
    """
    side = design[:, 1].astype(bool) if design.shape[1] > 1 else np.zeros(len(hits), bool)
    totals = np.array([[hits[side == s].sum(), tokens[side == s].sum()] for s in (False, True)])
    rates = np.divide(totals[:, 0], totals[:, 1], out=np.zeros(2), where=totals[:, 1] > 0)
    mu = tokens * rates[side.astype(int)]
    df = len(hits) - design.shape[1]
    pearson = np.divide((hits - mu) ** 2, mu, out=np.zeros(len(hits)), where=mu > 0).sum()
    phi = max(pearson / df, 1.0) if df > 0 else 1.0
    with np.errstate(divide="ignore"):
        coef = np.log(rates[:1]) if design.shape[1] == 1 else np.log([rates[0], rates[1] / rates[0]])
        inverse = 1 / totals[:, 0]
    se = np.sqrt(phi * (inverse[:1] if design.shape[1] == 1 else np.array([inverse[0], inverse.sum()])))
    return coef, se, phi, df


def fit_model(hits: np.ndarray, tokens: np.ndarray, design: np.ndarray, model: Model) -> tuple[Fit, str]:
    """The fit `model` asks for ("nb" falls back to quasi-Poisson where NB2 fails) and the name of the one used."""
    fit = negative_binomial(hits, tokens, design) if model == "nb" else None
    return (fit, MODEL_NAMES["nb"]) if fit is not None else (quasi_poisson(hits, tokens, design), MODEL_NAMES["quasi"])


def effective_df(hits: np.ndarray, parameters: int) -> int:
    """Degrees of freedom for the t quantile: turns with hits minus parameters (at least 1), not all turns.

    Turns without a mention say little about how clustered the mentions are; with all turns as df the intervals of
    clustered themes covered 90-93% in benchmarks/coverage.py, with this 94-97% (README, Statistics).
    """
    return max(int((hits > 0).sum()) - parameters, 1)


def glm_rate(hits: np.ndarray, tokens: np.ndarray, model: Model = "nb") -> tuple[float, float, float, str, float]:
    """Rate per 10,000 with its 95% interval (Wald on the log scale, t on `effective_df`), the model and NB's theta.

    The rate is the fitted model's (the interval's centre, so it always lies inside it); hits / tokens where the
    interval is exact.

    `model` "nb": NB2 (`negative_binomial`), quasi-Poisson where it fails; "quasi": quasi-Poisson. A zero count, or a
    single answer, gets the exact Poisson (Garwood) interval: 0 hits in T tokens -> [0, 3.689 / T * 10,000], finite;
    over-dispersion cannot be estimated without hits, so that bound assumes none. Hits in fewer than MIN_SPREAD
    answers: the exact interval of the counts divided by phi (`pearson_phi`; about one event per answer), as so few
    answers cannot tell a model their spread (a t quantile on 1-2 df would put the upper bound past every token).
    """
    keep = tokens > 0
    hits, tokens = hits[keep], tokens[keep]
    total, size = hits.sum(), tokens.sum()
    if total == 0 or len(hits) < 2:
        low, high = garwood(total)
        return total / size * PER, low / size * PER, high / size * PER, "exact Poisson", np.nan
    if (hits > 0).sum() < MIN_SPREAD:
        phi = pearson_phi(hits, tokens)
        low, high = gamma.ppf(0.025, total / phi) * phi, gamma.ppf(0.975, total / phi + 1) * phi
        theta = nb_dispersion(hits, tokens)
        return total / size * PER, low / size * PER, high / size * PER, "exact Poisson, counts / phi", theta
    ((coef,), (se,), theta, _), name = fit_model(hits, tokens, np.ones((len(hits), 1)), model)
    q = t_dist.ppf(0.975, effective_df(hits, 1))
    low, high = float(np.exp(coef - q * se) * PER), float(np.exp(coef + q * se) * PER)
    theta = theta if name == MODEL_NAMES["nb"] and (hits > 0).sum() >= 2 else nb_dispersion(hits, tokens)
    # The model's own rate, the centre of its interval: NB2 weights answers (a long answer full of the theme counts
    # less than in the pooled hits / tokens); quasi-Poisson's rate is the pooled ratio itself.
    return float(np.exp(coef) * PER), low, high, name, theta


def bootstrap_rate(
    hits: np.ndarray, tokens: np.ndarray, *, n_boot: int, rng: np.random.Generator, kind: str = "BCa"
) -> tuple[float, float]:
    """95% interval of sum(hits)/sum(tokens)*10,000 resampling answers (scipy.stats.bootstrap, BCa or percentile).

    A zero count gets the Garwood bound, as in `glm_rate` (every resample would be 0).
    """
    from scipy.stats import bootstrap

    size = tokens.sum()
    if hits.sum() == 0 or len(hits) < 2:
        low, high = garwood(hits.sum())
        return low / size * PER, high / size * PER

    def ratio(h: np.ndarray, t: np.ndarray, axis: int = -1) -> np.ndarray:
        return h.sum(axis=axis) * PER / t.sum(axis=axis)

    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # BCa warns on degenerate resamples; the interval then is NaN, replaced below
        result = bootstrap(
            (hits, tokens), ratio, paired=True, vectorized=True, n_resamples=n_boot, method=kind, random_state=rng
        )
    low, high = result.confidence_interval
    if not (np.isfinite(low) and np.isfinite(high)):
        low, high = np.percentile(result.bootstrap_distribution, [2.5, 97.5])
    return float(low), float(high)


def nb_dispersion(hits: np.ndarray, tokens: np.ndarray) -> float:
    """Negative-binomial size theta of one unit's counts (NB2 MLE; small = clustered in few answers).

    NaN without hits in two answers or when the fit fails; inf when the counts look Poisson (alpha estimated at 0).
    """
    keep = tokens > 0
    if (hits[keep] > 0).sum() < 2:
        return np.nan
    fit = negative_binomial(hits[keep], tokens[keep], np.ones((int(keep.sum()), 1)))
    return np.nan if fit is None else fit[2]


def share_row(
    hits: np.ndarray, tokens: np.ndarray, method: Method, n_boot: int, rng: np.random.Generator
) -> tuple[float, float, float, str, float]:
    """One theme in one unit: rate per 10,000, interval, the method that made it, NB's theta (`theme_shares`)."""
    if method != "bootstrap":
        return glm_rate(hits, tokens, method)
    low, high = bootstrap_rate(hits, tokens, n_boot=n_boot, rng=rng)
    how = "exact Poisson" if hits.sum() == 0 else METHOD_BOOTSTRAP
    return hits.sum() / tokens.sum() * PER, low, high, how, nb_dispersion(hits, tokens)


def theme_shares(
    tokens: pd.DataFrame,
    lexicon: pd.DataFrame | None = None,
    *,
    by: Unit = "year",
    roles: Sequence[str] | None = ANSWERS,
    method: Method = "nb",
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """How much each unit (year by default) talks about each theme: a rate per 10,000 tokens with a 95% interval.

    Columns: the unit, theme, name_en, name_zh, hits, tokens (content tokens, stopwords excluded), per_10k,
    ci_low, ci_high, turns, turns_with_theme, method (how the interval was made), dispersion, low_dispersion.
    `method` "nb" (default): negative binomial (NB2) GLM of per-turn counts with log(tokens) offset, Wald interval
    on the log scale with t on turns with hits - 1 df (quasi-Poisson where NB2 fails to fit); "quasi": quasi-Poisson
    GLM; "bootstrap": BCa interval from `n_boot` resamples of the unit's turns (scipy.stats.bootstrap; seeded by `seed`
    and the unit, so adding a year leaves the others unchanged). A theme without hits gets the exact Poisson bound
    [0, 3.689 / tokens * 10,000] ("exact Poisson"). dispersion is the NB size theta (Var = mu + mu^2/theta): small
    when a few answers carry the theme; NaN with hits in fewer than two turns. With hits in fewer than four turns
    the interval is exact on the counts divided by phi ("exact Poisson, counts / phi", see `glm_rate`).
    low_dispersion flags theta < 0.3 and themes whose hits (more than one) sit in fewer than four turns: there
    benchmarks/coverage.py finds the intervals cover less than 93%.
    """
    lexicon = load_themes() if lexicon is None else lexicon
    counts = turn_theme_counts(tokens, lexicon, roles)
    return shares_from_counts(counts, lexicon, by=by, method=method, n_boot=n_boot, seed=seed)


def shares_from_counts(
    counts: pd.DataFrame,
    lexicon: pd.DataFrame,
    *,
    by: Unit = "year",
    method: Method = "nb",
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """`theme_shares` from per-turn counts (`turn_theme_counts` or `load_turn_theme_counts`): the same columns."""
    if method not in ("nb", "quasi", "bootstrap"):
        raise CorpusError(f"unknown method {method!r}; choose nb, quasi or bootstrap")
    names = theme_names(lexicon)
    counts, column = with_unit(counts, by)
    tables = []
    for unit, group in counts.groupby(column, sort=True):
        hits, size = group[names.theme].to_numpy(float), group.tokens.to_numpy(float)
        rng = np.random.default_rng([seed, zlib.crc32(str(unit).encode())])
        with threadpool_limits(limits=1):  # dozens of tiny fits: one BLAS thread is faster on a busy machine
            rows = [share_row(h, size, method, n_boot, rng) for h in hits.T]
        table = names.assign(hits=hits.sum(axis=0).astype(int), tokens=int(size.sum()))
        columns = ["per_10k", "ci_low", "ci_high", "method", "dispersion"]
        table[columns] = pd.DataFrame(rows, index=table.index, columns=columns)
        table = table.assign(turns=len(group), turns_with_theme=(hits > 0).sum(axis=0).astype(int))
        table["dispersion"] = table.dispersion.astype(float)
        few = table.turns_with_theme.between(1, MIN_SPREAD - 1) & table.hits.gt(1)
        table["low_dispersion"] = table.dispersion.lt(LOW_THETA) | few
        tables.append(table.assign(**{column: unit}))
    columns = [column, "theme", "name_en", "name_zh", *SHARE_COLUMNS]
    return pd.concat(tables, ignore_index=True)[columns] if tables else pd.DataFrame(columns=columns)


def pearson_phi(hits: np.ndarray, tokens: np.ndarray) -> float:
    """Quasi-Poisson dispersion of one side's counts around its own rate: Pearson X2 / (n-1), floored at 1."""
    mu = tokens * hits.sum() / tokens.sum()
    if len(hits) < 2 or hits.sum() == 0:
        return 1.0
    return max(float(((hits - mu) ** 2 / mu).sum() / (len(hits) - 1)), 1.0)


def conditional_ratio(a: np.ndarray, ta: np.ndarray, b: np.ndarray, tb: np.ndarray) -> tuple[float, float, float]:
    """95% interval and two-sided p of the rate ratio, exact binomial conditional on the total of counts / phi.

    phi is the larger side's Pearson dispersion (`pearson_phi`; 1 for a side without hits).
    With phi = 1 this is the textbook exact test of two Poisson rates (Clopper-Pearson interval as scipy.stats.binomtest
    gives it; p twice the smaller tail); the beta-function forms below take the non-integer effective counts.
    """
    phi = max(pearson_phi(a, ta), pearson_phi(b, tb))
    x, n, share = a.sum() / phi, (a.sum() + b.sum()) / phi, ta.sum() / (ta.sum() + tb.sum())
    low = beta.ppf(0.025, x, n - x + 1) if x > 0 else 0.0
    high = beta.ppf(0.975, x + 1, n - x) if x < n else 1.0
    at_most = betainc(n - x, x + 1, 1 - share) if x < n else 1.0  # P(X <= x)
    at_least = betainc(x, n - x + 1, share) if x > 0 else 1.0  # P(X >= x)
    odds = [np.inf if q >= 1 else q / (1 - q) * tb.sum() / ta.sum() for q in (low, high)]
    return float(odds[0]), float(odds[1]), float(min(1.0, 2 * min(at_most, at_least)))


def rate_ratio(
    hits_target: np.ndarray,
    tokens_target: np.ndarray,
    hits_reference: np.ndarray,
    tokens_reference: np.ndarray,
    model: Model = "nb",
) -> tuple[float, float, float, float, str]:
    """Rate ratio target/reference with a 95% interval and two-sided p-value, and the method used.

    Both sides with hits: the GLM `model` (count ~ side, log(tokens) offset; NB2 by default, quasi-Poisson where it
    fails), Wald interval on the log scale and t-test, both on `effective_df` (turns with hits - 2). A side with
    hits in fewer than two turns: the exact test conditional on the total (binomial with p = T_target / (T_target +
    T_reference), Clopper-Pearson interval turned into a ratio) on the counts divided by phi (the larger Pearson
    X2/df of the two sides, floored at 1: quasi-likelihood's effective counts); a side without hits gives 0 or inf
    at one end.
    """
    a, b = hits_target[tokens_target > 0], hits_reference[tokens_reference > 0]
    ta, tb = tokens_target[tokens_target > 0], tokens_reference[tokens_reference > 0]
    if a.sum() == 0 and b.sum() == 0:
        return np.nan, 0.0, np.inf, 1.0, "no hits"
    if (a > 0).sum() < 2 or (b > 0).sum() < 2:
        low, high, p = conditional_ratio(a, ta, b, tb)
        ratio = (a.sum() / ta.sum()) / (b.sum() / tb.sum()) if b.sum() else np.inf
        return float(ratio), low, high, p, "exact conditional, counts / phi"
    design = np.c_[np.ones(len(a) + len(b)), np.r_[np.ones(len(a)), np.zeros(len(b))]]
    (_, coef), (_, se), _, _ = (fit := fit_model(np.r_[a, b], np.r_[ta, tb], design, model))[0]
    df = effective_df(np.r_[a, b], 2)
    q, p = t_dist.ppf(0.975, df), 2 * t_dist.sf(abs(coef / se), df)
    return float(np.exp(coef)), float(np.exp(coef - q * se)), float(np.exp(coef + q * se)), float(p), fit[1]


def theme_rate_ratios(
    tokens: pd.DataFrame,
    target: object,
    reference: object | None = None,
    lexicon: pd.DataFrame | None = None,
    *,
    by: Unit = "year",
    roles: Sequence[str] | None = ANSWERS,
    model: Model = "nb",
) -> pd.DataFrame:
    """Each theme's rate in `target` as a multiple of its rate in `reference` (default: every other unit).

    Columns: theme, name_en, name_zh, target, reference, hits_target, hits_reference, per_10k_target,
    per_10k_reference, rate_ratio, ci_low, ci_high (95%), p (two-sided, rate ratio 1), p_adjusted (Benjamini-
    Hochberg over the themes), method (the GLM `model`, NB2 by default; the exact conditional test where a side has
    no hits; see `rate_ratio`). A paper reads it as "the theme fell to rate_ratio [ci_low, ci_high] of its rate".
    """
    lexicon = load_themes() if lexicon is None else lexicon
    names = theme_names(lexicon)
    counts, column = with_unit(turn_theme_counts(tokens, lexicon, roles), by)
    targets, references = split_units(counts, column, target, reference)
    side_t, side_r = counts[counts[column].isin(targets)], counts[counts[column].isin(references)]
    tt, tr = side_t.tokens.to_numpy(float), side_r.tokens.to_numpy(float)
    with threadpool_limits(limits=1):
        rows = [rate_ratio(side_t[th].to_numpy(float), tt, side_r[th].to_numpy(float), tr, model) for th in names.theme]
    ratio, low, high, p, how = (list(x) for x in zip(*rows, strict=True)) if rows else ([],) * 5
    table = names.assign(
        target=", ".join(map(str, targets)),
        reference=", ".join(map(str, references)),
        hits_target=side_t[names.theme].sum().to_numpy().astype(int),
        hits_reference=side_r[names.theme].sum().to_numpy().astype(int),
    )
    table["per_10k_target"] = table.hits_target * PER / tt.sum()
    table["per_10k_reference"] = table.hits_reference * PER / tr.sum()
    table = table.assign(rate_ratio=ratio, ci_low=low, ci_high=high, p=p)
    table["p_adjusted"] = adjust(table.p.to_numpy(float), "bh") if len(table) else []
    return table.assign(method=how)[RATIO_COLUMNS]


def question_themes(
    tokens: pd.DataFrame, lexicon: pd.DataFrame | None = None, *, via: Literal["question", "answer"] = "question"
) -> pd.DataFrame:
    """Which themes each question touches, judged by its own words (or by its answer's, `via`="answer").

    Columns: doc_id, date, year, question, outlet, origin, theme, name_en, name_zh, hits (one row per question
    and theme it mentions).
    """
    lexicon = load_themes() if lexicon is None else lexicon
    hits = theme_hits(tokens, lexicon, roles=[via]).dropna(subset=["question"])
    keys = ["doc_id", "date", "year", "question", "outlet", "origin", "theme"]
    table = hits.groupby(keys, sort=False, dropna=False).size().rename("hits").reset_index()
    return table.merge(theme_names(lexicon), on="theme")[[*keys, "name_en", "name_zh", "hits"]]


def themes_by_origin(
    tokens: pd.DataFrame, lexicon: pd.DataFrame | None = None, *, via: Literal["question", "answer"] = "question"
) -> pd.DataFrame:
    """Which outlet origins (mainland, hk_macao_taiwan, foreign) ask about which theme.

    Columns: origin, theme, name_en, name_zh, questions (from that origin touching the theme), questions_total
    (all questions from that origin), share (questions / questions_total). Every origin x theme pair is listed.
    """
    lexicon = load_themes() if lexicon is None else lexicon
    asked = tokens[tokens.role.eq(via) & tokens.question.notna()].drop_duplicates(["doc_id", "question"])
    totals = asked.groupby("origin").size().rename("questions_total")
    touched = question_themes(tokens, lexicon, via=via).groupby(["origin", "theme"]).size().rename("questions")
    grid = pd.MultiIndex.from_product([totals.index, theme_names(lexicon).theme], names=["origin", "theme"])
    table = touched.reindex(grid, fill_value=0).reset_index().join(totals, on="origin")
    table["share"] = table.questions / table.questions_total
    table = table.merge(theme_names(lexicon), on="theme")
    return table[["origin", "theme", "name_en", "name_zh", "questions", "questions_total", "share"]]
