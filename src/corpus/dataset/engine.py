"""The analytical engine: DuckDB views over the current generation of the dataset, and SQL queries to DataFrames."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from corpus.errors import CorpusError
from corpus.paths import get_paths
from corpus.store import connect as connect_tables
from corpus.tokens.units import (
    ANNOTATED_SQL,
    ANSWERS,
    TERMS_VIEW_COLUMNS,
    Periods,
    Unit,
    Where,
    resolve,
    terms_source,
    unit_column,
    where_clause,
)

__all__ = ["VIEWS", "connect", "query", "term_side_counts", "turn_sizes", "vocabulary"]

VIEWS = ("documents", "turns", "tokens", "terms")


def connect(root: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to the project at `root` (default: CORPUS_ROOT or the checkout) with the views
    documents, turns, tokens (the processed tables) and terms (every token annotated with its document, turn,
    date, year, month, quarter, role, question, asking outlet and origin, speaker and event)."""
    con = connect_tables(get_paths(root).processed)
    con.execute(f"CREATE VIEW terms AS {ANNOTATED_SQL}")
    return con


def query(sql: str, root: str | Path | None = None, params: Sequence[object] = ()) -> pd.DataFrame:
    """The result of one SQL statement over the views (see `connect`) as a DataFrame; a CorpusError when
    DuckDB cannot run it."""
    with connect(root) as con:
        try:
            return con.sql(sql, params=list(params) or None).df()
        except duckdb.Error as exc:
            raise CorpusError(f"SQL error: {str(exc).strip().splitlines()[0]}") from None
        except AttributeError:  # a statement without a result (CREATE, SET, ...)
            raise CorpusError("SQL error: the statement returns no table (use SELECT)") from None


def term_side_counts(
    target: object,
    reference: object | None = None,
    *,
    by: Unit | Periods = "year",
    roles: Sequence[str] | None = ANSWERS,
    where: Where = None,
    root: str | Path | None = None,
) -> pd.DataFrame:
    """How often each content word occurs in the target units and in the reference (default: every other unit),
    counted in SQL: columns term, freq_target, freq_reference, sorted by term. What keyness scores; only the
    counts come back, never the tokens.

    `by` is a column of the terms view (year, speaker, month, quarter, origin, ...) or `periods(...)`.
    """
    column = unit_column(by)
    unit = _unit_sql(by)
    clause, params = where_clause(where, roles)
    needed = {"answer": ["doc_id", "role", "question"], "period": ["date"]}.get(column, [column])
    source = terms_source([*needed, "role", "token", "is_stopword"], where)
    base = (
        f"SELECT {unit} AS unit, token AS term FROM ({source}){clause}{' AND' if clause else ' WHERE'} NOT is_stopword"
    )
    with connect(root) as con:
        try:
            available = [
                row[0]
                for row in con.sql(
                    f"SELECT DISTINCT unit FROM ({base}) WHERE unit IS NOT NULL", params=params or None
                ).fetchall()
            ]
        except duckdb.Error as exc:
            raise CorpusError(f"filter {where!r} cannot be applied: {str(exc).strip().splitlines()[0]}") from None
        targets = resolve(target, available, by=column)
        references = (
            [u for u in available if u not in targets]
            if reference is None
            else resolve(reference, available, by=column)
        )
        if not references:
            raise CorpusError(
                f"nothing to compare {column} {', '.join(map(str, targets))} with: the corpus has no other"
            )
        if overlap := sorted(set(targets) & set(references), key=str):
            raise CorpusError(f"{column} {', '.join(map(str, overlap))} is in both the target and the reference")
        sql = (
            f"SELECT term, count(*) FILTER (WHERE unit IN (SELECT unnest(?))) AS freq_target,"
            f" count(*) FILTER (WHERE unit IN (SELECT unnest(?))) AS freq_reference"
            f" FROM ({base}) GROUP BY term HAVING freq_target + freq_reference > 0 ORDER BY term"
        )
        return con.sql(sql, params=[[str(t) for t in targets], [str(r) for r in references], *params]).df()


def turn_sizes(
    processed: Path, columns: Sequence[str], *, roles: Sequence[str] | None = ANSWERS, where: Where = None
) -> pd.DataFrame:
    """One row per turn in `roles` under `where`, in text order: the `columns` (of the terms view, constant over
    a turn: doc_id, turn, date, year, role, question, origin, speaker, ...) and tokens (its content tokens,
    stopwords excluded), counted in SQL."""
    unknown = [c for c in columns if c not in TERMS_VIEW_COLUMNS]
    if unknown:
        raise CorpusError(f"no column {', '.join(unknown)} in the terms; choose among {', '.join(TERMS_VIEW_COLUMNS)}")
    keys = [*dict.fromkeys([*columns, "date", "doc_id", "turn"])]
    clause, params = where_clause(where, roles)
    selected = ", ".join(f'"{c}"' for c in keys)
    source = terms_source([*keys, "role", "is_stopword"], where)
    sql = (
        f"SELECT {selected}, count(*) FILTER (WHERE NOT is_stopword) AS tokens FROM ({source}){clause}"
        f" GROUP BY ALL ORDER BY date, doc_id, turn"
    )
    with connect_tables(processed) as con:
        try:
            table = con.sql(sql, params=params or None).to_arrow_table().to_pandas()
        except duckdb.Error as exc:
            raise CorpusError(f"filter {where!r} cannot be applied: {str(exc).strip().splitlines()[0]}") from None
    table = table[[*columns, "tokens"]].astype({"tokens": int})
    return table.astype({"question": "Int64"}) if "question" in table else table


def vocabulary(processed: Path) -> list[str]:
    """Every distinct token of the dataset, sorted."""
    with connect_tables(processed) as con:
        return [row[0] for row in con.sql("SELECT DISTINCT token FROM tokens ORDER BY token").fetchall()]


def _unit_sql(by: Unit | Periods) -> str:
    """The SQL expression (as text) naming each token's unit in the terms view."""
    if isinstance(by, Periods):
        cases = " ".join(
            f"WHEN date < '{bound}' THEN '{label}'" for bound, label in zip(by.bounds, by.labels, strict=False)
        )
        return f"CASE {cases} ELSE '{by.labels[-1]}' END"
    column = unit_column(by)
    if column == "answer":
        label = "doc_id || ' Q' || CASE WHEN question < 10 THEN '0' ELSE '' END || CAST(question AS VARCHAR)"
        return f"CASE WHEN role = 'answer' AND question IS NOT NULL THEN {label} END"
    return f'CAST("{column}" AS VARCHAR)'
