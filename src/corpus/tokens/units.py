"""Analysis units: tokens annotated with year and asking outlet, filtered into terms, grouped by year, answer, ..."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from corpus.errors import CorpusError
from corpus.store import read_table

Unit = Literal["year", "document", "answer", "role", "origin"]
# The column that names a unit in every result table.
UNIT_COLUMN: dict[str, str] = {
    "year": "year",
    "document": "doc_id",
    "answer": "answer",
    "role": "role",
    "origin": "origin",
}
ANSWERS = ("answer",)
TURN_INFO = ["doc_id", "turn", "date", "year", "question", "outlet", "origin"]
TERM_COLUMNS = ["doc_id", "date", "year", "turn", "role", "question", "outlet", "origin", "position", "term"]
NGRAM_SEPARATOR = " "
TOKENS_HINT = "pass the annotated tokens from corpus.tokens.units.annotate(tokens, turns, documents) or load_tokens"
TERMS_HINT = "pass the term table from corpus.tokens.units.terms(tokens)"


def turn_ids(table: pd.DataFrame) -> np.ndarray:
    """An integer per row that changes whenever (doc_id, turn) does: rows in text order share it within a turn."""
    doc, turn = table.doc_id.to_numpy(), table.turn.to_numpy()
    changes = (doc[1:] != doc[:-1]) | (turn[1:] != turn[:-1])
    return np.r_[0, np.cumsum(changes)] if len(table) else np.zeros(0, int)


def turn_info(turns: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One row per turn: doc_id, turn, date, year, question, outlet, origin; an answer takes its question's outlet."""
    asked = (
        turns.loc[turns.role.eq("question") & turns.question.notna(), ["doc_id", "question", "outlet", "origin"]]
        .drop_duplicates(["doc_id", "question"])
        .rename(columns={"outlet": "asked_outlet", "origin": "asked_origin"})
    )
    table = turns[["doc_id", "turn", "role", "question", "outlet", "origin"]].merge(
        asked, on=["doc_id", "question"], how="left"
    )
    is_answer = table.role.eq("answer")
    table["outlet"] = table.asked_outlet.where(is_answer, table.outlet)
    table["origin"] = table.asked_origin.where(is_answer, table.origin)
    table = table.merge(documents[["doc_id", "date", "year"]], on="doc_id", how="left", validate="many_to_one")
    return table[TURN_INFO]


def annotate(tokens: pd.DataFrame, turns: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The token table with each turn's date, year, question number, asking outlet and origin, in text order."""
    table = tokens.merge(turn_info(turns, documents), on=["doc_id", "turn"], how="left", validate="many_to_one")
    return table.sort_values(["date", "doc_id", "turn", "position"], kind="stable").reset_index(drop=True)


def load_tokens(processed: Path) -> pd.DataFrame:
    """The annotated token table of a built corpus (see `annotate`)."""
    tables = [read_table(processed, name) for name in ("tokens", "turns", "documents")]
    return annotate(*tables)


def terms(
    tokens: pd.DataFrame,
    *,
    roles: Sequence[str] | None = ANSWERS,
    ngram: int = 1,
    keep_stopwords: bool = False,
) -> pd.DataFrame:
    """The terms analyses count (TERM_COLUMNS): words, or n-grams of adjacent words within one turn.

    `roles` None keeps every role. An n-gram joins its words with a space and never spans a stopword or punctuation
    (unless `keep_stopwords`), so phrases do not run across clauses.
    """
    require(tokens, [*TERM_COLUMNS[:-1], "token", "is_stopword"], hint=TOKENS_HINT)
    if ngram < 1:
        raise CorpusError(f"n-gram size must be 1 or more, not {ngram}")
    table = tokens if roles is None else tokens[tokens.role.isin(list(roles))]
    table = table.reset_index(drop=True)
    keep = np.ones(len(table), bool) if keep_stopwords else ~table.is_stopword.to_numpy(bool)
    turn_id = turn_ids(table)
    starts = np.arange(max(len(table) - ngram + 1, 0))
    valid = keep[starts].copy()
    term = table.token.iloc[starts].reset_index(drop=True)
    for k in range(1, ngram):
        valid &= keep[starts + k] & (turn_id[starts + k] == turn_id[starts])
        term = term + NGRAM_SEPARATOR + table.token.iloc[starts + k].reset_index(drop=True)
    out = table.iloc[starts].reset_index(drop=True).assign(term=term)
    return out.loc[valid, TERM_COLUMNS].reset_index(drop=True)


def with_unit(table: pd.DataFrame, unit: Unit) -> tuple[pd.DataFrame, str]:
    """`table` with its unit column (UNIT_COLUMN[unit]) and the column's name; rows outside any unit dropped."""
    if unit not in UNIT_COLUMN:
        raise CorpusError(f"unknown unit {unit!r}; choose one of {', '.join(UNIT_COLUMN)}")
    column = UNIT_COLUMN[unit]
    if unit == "answer":
        answers = table.role.eq("answer") & table.question.notna()
        table = table[answers].assign(answer=table.doc_id + " Q" + table.question.astype("string").str.zfill(2))
    return table[table[column].notna()], column


def resolve(values: object | Iterable[object], available: Iterable[object], *, unit: str = "year") -> list:
    """The units named by `values` (one or several, matched as text so '2021' finds 2021), or a CorpusError."""
    wanted = [values] if isinstance(values, (str, int, np.integer)) else list(values)  # type: ignore[arg-type]
    by_text = {str(v): v for v in available}
    unknown = [str(v) for v in wanted if str(v) not in by_text]
    if unknown:
        known = ", ".join(sorted(by_text)) or "none"
        raise CorpusError(f"{unit} {', '.join(unknown)} not in the corpus (it has: {known})")
    return [by_text[str(v)] for v in wanted]


def require(table: pd.DataFrame, columns: Iterable[str], *, hint: str) -> None:
    """Raise a CorpusError when `table` lacks any of `columns`, saying how to get the right table."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise CorpusError(f"table lacks column(s) {', '.join(missing)}: {hint}")


def top_per_unit(table: pd.DataFrame, column: str, score: str, n: int | None) -> pd.DataFrame:
    """Rows sorted by unit then `score` (highest first, ties by term) with a 1-based rank; the top `n` per unit."""
    table = table.sort_values([column, score, "term"], ascending=[True, False, True], kind="stable")
    table = table.assign(rank=table.groupby(column, sort=False).cumcount() + 1)
    return (table if n is None else table[table["rank"] <= n]).reset_index(drop=True)
