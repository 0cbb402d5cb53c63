"""Themes from a researcher-edited lexicon (resources/themes.yaml): mentions, shares with bootstrap CIs, by origin."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from corpus.errors import CorpusError
from corpus.paths import RESOURCES_DIR
from corpus.resources import load_yaml
from corpus.tokens.match import WORDS, find_phrases, longest_first
from corpus.tokens.units import ANSWERS, TOKENS_HINT, Unit, require, turn_ids, with_unit

THEMES_FILE = RESOURCES_DIR / "themes.yaml"
LEXICON_COLUMNS = ["theme", "name_en", "name_zh", "term", "exclude"]
HIT_COLUMNS = ["doc_id", "date", "year", "turn", "role", "question", "outlet", "origin", "theme", "term", "position"]
SHARE_COLUMNS = ["hits", "tokens", "per_10k", "ci_low", "ci_high", "turns", "turns_with_theme"]
PER = 10_000


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
        rows += [(theme, *names, str(t), True) for t in entry.get("exclude") or []]
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
    found = find_phrases(table, lexicon.term.unique())
    hits = found[found.fit.isin(WORDS)].merge(lexicon, left_on="phrase", right_on="term")
    hits = longest_first(hits[_not_excluded(hits)], by="theme")
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
    counts = hits.groupby(["doc_id", "turn", "theme"]).size().unstack("theme")
    counts = counts.reindex(columns=theme_names(lexicon).theme).fillna(0).astype(int)
    return turns.join(counts, on=["doc_id", "turn"]).fillna(dict.fromkeys(counts.columns, 0))


def bootstrap_rate(hits: np.ndarray, tokens: np.ndarray, *, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Percentile 95% interval (Efron & Tibshirani 1993) of sum(hits)/sum(tokens)*10,000, resampling rows.

    `hits` is rows x themes; returns a 2 x themes array (low, high).
    """
    draw = rng.integers(0, len(tokens), size=(n_boot, len(tokens)))
    totals = tokens[draw].sum(axis=1)[:, None]
    rates = np.divide(hits[draw].sum(axis=1) * PER, totals, out=np.zeros((n_boot, hits.shape[1])), where=totals > 0)
    return np.percentile(rates, [2.5, 97.5], axis=0)


def theme_shares(
    tokens: pd.DataFrame,
    lexicon: pd.DataFrame | None = None,
    *,
    by: Unit = "year",
    roles: Sequence[str] | None = ANSWERS,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """How much each unit (year by default) talks about each theme, with a bootstrap interval over its answers.

    Columns: the unit, theme, name_en, name_zh, hits, tokens (content tokens, stopwords excluded), per_10k,
    ci_low, ci_high (95% percentile interval from `n_boot` resamples of the unit's turns, i.e. answers by default;
    seeded by `seed` and the unit, so adding a year leaves the others unchanged), turns, turns_with_theme.
    """
    lexicon = load_themes() if lexicon is None else lexicon
    names = theme_names(lexicon)
    counts, column = with_unit(turn_theme_counts(tokens, lexicon, roles), by)
    tables = []
    for unit, group in counts.groupby(column, sort=True):
        hits, size = group[names.theme].to_numpy(float), group.tokens.to_numpy(float)
        rng = np.random.default_rng([seed, zlib.crc32(str(unit).encode())])
        low, high = bootstrap_rate(hits, size, n_boot=n_boot, rng=rng)
        table = names.assign(hits=hits.sum(axis=0).astype(int), tokens=int(size.sum()))
        table["per_10k"] = table.hits * PER / table.tokens if size.sum() else 0.0
        table = table.assign(ci_low=low, ci_high=high, turns=len(group), turns_with_theme=(hits > 0).sum(axis=0))
        tables.append(table.assign(**{column: unit}))
    columns = [column, "theme", "name_en", "name_zh", *SHARE_COLUMNS]
    return pd.concat(tables, ignore_index=True)[columns] if tables else pd.DataFrame(columns=columns)


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
