"""Analysis units: tokens annotated with year and asking outlet, filtered into terms, grouped by any document
variable (year, speaker, month, period, ...) and loaded from the dataset with only the rows and columns needed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb
import numpy as np
import pandas as pd

from corpus.errors import CorpusError
from corpus.store import connect

__all__ = [
    "ANNOTATED_COLUMNS", "ANNOTATED_SQL", "ANSWERS", "TERMS_HINT", "TOKENS_HINT", "TOKEN_COLUMNS", "UNIT_COLUMN",
    "Periods", "Unit", "Where", "annotate", "load_terms", "load_tokens", "parse_by", "periods", "require",
    "resolve", "select_terms", "terms", "terms_source", "top_per_unit", "turn_ids", "turn_info", "unit_column",
    "where_clause", "with_unit",
]  # fmt: skip

Unit = Literal["year", "document", "answer", "role", "origin"] | str
# The column that names a unit in every result table (a grouping not listed here is the column of that name).
UNIT_COLUMN: dict[str, str] = {
    "year": "year",
    "document": "doc_id",
    "answer": "answer",
    "role": "role",
    "origin": "origin",
}
# Groupings computed from the date when a table lacks them.
DATE_GROUPS = ("month", "quarter")
ANSWERS = ("answer",)
TURN_INFO = ["doc_id", "turn", "date", "year", "question", "outlet", "origin"]
DOCUMENT_INFO = ["doc_id", "date", "year", "speaker", "event"]
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
    info = [c for c in DOCUMENT_INFO if c in documents.columns]
    table = table.merge(documents[info], on="doc_id", how="left", validate="many_to_one")
    return table[[*TURN_INFO, *(c for c in info if c not in TURN_INFO)]]


def annotate(tokens: pd.DataFrame, turns: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The token table with each turn's date, year, question number, asking outlet and origin and the document's
    speaker and event, in text order (the columns of `ANNOTATED_COLUMNS`)."""
    table = tokens.merge(turn_info(turns, documents), on=["doc_id", "turn"], how="left", validate="many_to_one")
    return table.sort_values(["date", "doc_id", "turn", "position"], kind="stable").reset_index(drop=True)


TOKEN_COLUMNS = ["doc_id", "turn", "role", "position", "token", "pos", "is_stopword"]
ANNOTATED_COLUMNS = [*TOKEN_COLUMNS, "date", "year", "question", "outlet", "origin", "speaker", "event"]
# `annotate` in SQL over the views tokens, turns and documents: the `terms` view of the engine, with month and
# quarter (2021-03, 2021-Q1) besides. An answer takes the outlet and origin of the question it answers.
ANNOTATED_SQL = """
SELECT k.doc_id, k.turn, k.role, k.position, k.token, k.pos, k.is_stopword,
       d.date, d.year, t.question,
       CASE WHEN k.role = 'answer' THEN a.outlet ELSE t.outlet END AS outlet,
       CASE WHEN k.role = 'answer' THEN a.origin ELSE t.origin END AS origin,
       d.speaker, d.event, substr(d.date, 1, 7) AS month,
       substr(d.date, 1, 4) || '-Q' || CAST((CAST(substr(d.date, 6, 2) AS INTEGER) + 2) // 3 AS VARCHAR) AS quarter
FROM tokens AS k
LEFT JOIN turns AS t ON t.doc_id = k.doc_id AND t.turn = k.turn
LEFT JOIN (
    SELECT doc_id, question, arg_min(outlet, turn) AS outlet, arg_min(origin, turn) AS origin
    FROM turns WHERE role = 'question' AND question IS NOT NULL GROUP BY doc_id, question
) AS a ON a.doc_id = t.doc_id AND a.question = t.question
LEFT JOIN documents AS d ON d.doc_id = k.doc_id
"""
TERMS_VIEW_COLUMNS = [*ANNOTATED_COLUMNS, *DATE_GROUPS]
# The same rows with only the token and document columns: one join instead of three, for what needs no more.
DOCUMENT_SQL = """
SELECT k.*, d.date, d.year, d.speaker, d.event, substr(d.date, 1, 7) AS month,
       substr(d.date, 1, 4) || '-Q' || CAST((CAST(substr(d.date, 6, 2) AS INTEGER) + 2) // 3 AS VARCHAR) AS quarter
FROM tokens AS k LEFT JOIN documents AS d ON d.doc_id = k.doc_id
"""
DOCUMENT_SQL_COLUMNS = {*TOKEN_COLUMNS, "date", "year", "speaker", "event", *DATE_GROUPS}


def terms_source(columns: Iterable[str], where: Where = None) -> str:
    """The SQL of the annotated tokens to select `columns` from under `where`: DOCUMENT_SQL when they need only
    token and document columns (and `where` is not SQL text, whose columns are unknown), else ANNOTATED_SQL."""
    needed = {*columns, *(where.keys() if isinstance(where, Mapping) else ())}
    light = not isinstance(where, str) and needed <= DOCUMENT_SQL_COLUMNS
    return DOCUMENT_SQL if light else ANNOTATED_SQL


Where = str | Mapping[str, object] | None


def where_clause(where: Where, roles: Sequence[str] | None = None) -> tuple[str, list]:
    """A SQL WHERE clause over the terms view and its parameters, from `roles` and `where`: SQL text as is, or a
    dict of column -> value(s) (each column one of TERMS_VIEW_COLUMNS; several values mean any of them)."""
    parts, params = [], []
    if roles is not None:
        parts.append(f"role IN ({', '.join('?' for _ in roles)})")
        params += list(roles)
    if isinstance(where, str) and where.strip():
        parts.append(f"({where})")
    elif isinstance(where, Mapping):
        for column, values in where.items():
            if column not in TERMS_VIEW_COLUMNS:
                raise CorpusError(f"cannot filter on {column!r}; choose among {', '.join(TERMS_VIEW_COLUMNS)}")
            values = [values] if isinstance(values, (str, int, np.integer)) else list(values)  # type: ignore[arg-type]
            parts.append(f'CAST("{column}" AS VARCHAR) IN ({", ".join("?" for _ in values)})')
            params += [str(v) for v in values]
    return (" WHERE " + " AND ".join(parts) if parts else ""), params


def select_terms(
    processed: Path,
    columns: Sequence[str],
    *,
    roles: Sequence[str] | None = None,
    where: Where = None,
    extra: str = "",
    params: Sequence[object] = (),
    tokens: str = "",
    tokens_params: Sequence[object] = (),
) -> pd.DataFrame:
    """Rows of the annotated tokens (the terms view) with only `columns`, filtered in SQL by `roles`, `where` and
    the `extra` condition, in text order; with `tokens`, a query selecting rows of the tokens table, only those
    are annotated. A CorpusError for a `where` DuckDB cannot run."""
    unknown = [c for c in columns if c not in TERMS_VIEW_COLUMNS]
    if unknown:
        raise CorpusError(f"no column {', '.join(unknown)} in the terms; choose among {', '.join(TERMS_VIEW_COLUMNS)}")
    clause, values = where_clause(where, roles)
    if extra:
        clause = f"{clause} AND ({extra})" if clause else f" WHERE {extra}"
    selected = ", ".join(f'"{c}"' for c in columns)
    order = ["date", "doc_id", "turn", "position"]
    source = terms_source([*columns, *order, "role", "is_stopword"], where)
    if tokens:  # the annotation joins run on these tokens only
        source = source.replace("FROM tokens AS k", f"FROM ({tokens}) AS k")
    sql = f"SELECT {selected} FROM ({source}){clause} ORDER BY {', '.join(order)}"
    with connect(processed) as con:
        try:
            table = con.sql(sql, params=[*tokens_params, *values, *params]).to_arrow_table().to_pandas()
        except duckdb.Error as exc:
            message = str(exc).strip().splitlines()[0]
            raise CorpusError(f"filter {where!r} cannot be applied: {message}") from None
    return table.astype({"question": "Int64"}) if "question" in table else table


def load_tokens(
    processed: Path,
    *,
    roles: Sequence[str] | None = None,
    where: Where = None,
    columns: Sequence[str] | None = None,
    containing: str | None = None,
    around: int | None = None,
    first: int | None = None,
) -> pd.DataFrame:
    """The annotated token table of a built corpus (as `annotate` makes it: ANNOTATED_COLUMNS, in text order),
    read through DuckDB with only the `roles`, the rows `where` selects (see `where_clause`), the `columns` asked
    for (any of TERMS_VIEW_COLUMNS, e.g. month) and, with `containing`, only the turns whose text holds it.

    With `around` as well, only the tokens within `around` characters of an occurrence are kept (each token has
    at least one character), in runs numbered by a `segment` column: a run is contiguous text of one turn, so
    a concordance of `containing` over the runs (each taken as its own turn) equals one over the whole turns.
    (A `where` that drops single tokens, e.g. on `pos`, leaves gaps in positions where a run is cut short.)
    With `first` as well, only the turns in text order up to the one where the text holds `first` occurrences
    (or all, when it holds fewer): what a capped concordance reads instead of every turn (memory, at 1,000
    transcripts and a common word).
    """
    wanted = list(columns or ANNOTATED_COLUMNS)
    if containing is None:
        return select_terms(processed, wanted, roles=roles, where=where)
    needle = "".join(containing.split())
    clause, values = where_clause(where, roles)
    # The token stream searched: the tokens table itself unless `where` needs the annotated columns.
    source = "tokens" if where is None else f"({ANNOTATED_SQL})"
    stream = f"SELECT doc_id, turn, position, token FROM {source}{clause}"
    # Candidate turns first, by a cheap test (a token holding each character of the needle), then the exact one.
    chars = list(dict.fromkeys(needle))
    tests = " AND ".join("bool_or(contains(token, ?))" for _ in chars)
    candidates = f"SELECT doc_id, turn FROM ({stream}) GROUP BY doc_id, turn HAVING {tests}"
    inside = f"SELECT * FROM ({stream}) WHERE (doc_id, turn) IN ({candidates})"
    inside_params = [*values, *values, *chars]
    if first is not None and around is not None:  # the turns before the `first`-th occurrence, in text order
        found = (
            f"SELECT doc_id, turn, (length(text) - length(replace(text, ?, ''))) // length(?) AS n FROM ("
            f"SELECT doc_id, turn, string_agg(token, '' ORDER BY position) AS text FROM ({inside}) GROUP BY ALL)"
        )
        running = (
            f"SELECT f.doc_id, f.turn, sum(n) OVER (ORDER BY d.date, f.doc_id, f.turn ROWS BETWEEN UNBOUNDED"
            f" PRECEDING AND 1 PRECEDING) AS before FROM ({found}) AS f JOIN documents AS d ON d.doc_id = f.doc_id"
        )
        chosen = f"SELECT doc_id, turn FROM ({running}) WHERE coalesce(before, 0) < ?"
        inside = f"SELECT * FROM ({stream}) WHERE (doc_id, turn) IN ({chosen})"
        inside_params = [*values, needle, needle, *inside_params, first]
    if around is None:
        turns = (
            f"SELECT doc_id, turn FROM ({inside}) GROUP BY doc_id, turn"
            " HAVING contains(string_agg(token, '' ORDER BY position), ?)"
        )
        extra, params = f"(doc_id, turn) IN ({turns})", [*inside_params, needle]
        return select_terms(processed, wanted, roles=roles, where=where, extra=extra, params=params)
    # A token where the needle may start: the needle lies in its text and the len(needle) - 1 tokens after it
    # (each token has a character at least). Kept: the tokens within `around` + len(needle) + 1 of such a token.
    reach = around + len(needle) + 1
    turn_window = "PARTITION BY doc_id, turn ORDER BY position"
    following = " || ".join(["token", *(f"coalesce(lead(token, {k}) OVER w, '')" for k in range(1, len(needle)))])
    windows = f"""
        WITH s AS ({inside}),
        a AS (SELECT doc_id, turn, position, contains({following}, ?) AS mark FROM s WINDOW w AS ({turn_window})),
        k AS (SELECT doc_id, turn, position, bool_or(mark) OVER (
            {turn_window} ROWS BETWEEN {reach} PRECEDING AND {reach} FOLLOWING) AS near FROM a)
        SELECT doc_id, turn, position FROM k WHERE near
    """
    kept = f"SELECT * FROM tokens WHERE (doc_id, turn, position) IN ({windows})"
    keys = [*dict.fromkeys([*wanted, "doc_id", "turn", "position"])]
    table = select_terms(processed, keys, roles=roles, where=where, tokens=kept, tokens_params=[*inside_params, needle])
    ids, position = turn_ids(table), table.position.to_numpy()
    new_run = np.r_[True, (np.diff(position) != 1) | (np.diff(ids) != 0)] if len(table) else np.zeros(0, bool)
    return table.assign(segment=np.cumsum(new_run) - 1)[[*wanted, "segment"]]


def load_terms(
    processed: Path,
    *,
    roles: Sequence[str] | None = ANSWERS,
    where: Where = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """`terms(load_tokens(...))` for single words, counted in SQL: the content tokens (no stopwords) as `term`,
    with TERM_COLUMNS or only the `columns` given (e.g. the grouping column alone, for counting)."""
    wanted = [c for c in (columns or TERM_COLUMNS) if c != "term"]
    table = select_terms(processed, [*wanted, "token"], roles=roles, where=where, extra="NOT is_stopword")
    return table.rename(columns={"token": "term"})[[*wanted, "term"]]


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


@dataclass(frozen=True)
class Periods:
    """Date bins for `by=`: each bound starts a period; labels like ..2019-12-31, 2020-01-01..2020-12-31,
    2021-01-01.. (they sort in time order)."""

    bounds: tuple[str, ...]

    @property
    def labels(self) -> list[str]:
        days = [dt.date.fromisoformat(b) for b in self.bounds]
        ends = [(d - dt.timedelta(days=1)).isoformat() for d in days]
        return [
            f"..{ends[0]}",
            *(f"{a}..{b}" for a, b in zip(self.bounds, ends[1:], strict=False)),
            f"{self.bounds[-1]}..",
        ]

    def label(self, dates: pd.Series) -> pd.Series:
        """The period label of each ISO date."""
        index = np.searchsorted(np.asarray(self.bounds, dtype=object), dates.astype(str).to_numpy(), side="right")
        return pd.Series(np.asarray(self.labels, dtype=object)[index], index=dates.index)


def periods(bounds: Iterable[str]) -> Periods:
    """Periods starting at each date (YYYY-MM-DD), e.g. periods(["2020-01-01"]) for before and after 2020."""
    cleaned = sorted({str(b).strip() for b in bounds})
    for bound in cleaned:
        try:
            dt.date.fromisoformat(bound)
        except ValueError:
            raise CorpusError(f"period bound {bound!r} is not a date in YYYY-MM-DD form") from None
    if not cleaned:
        raise CorpusError("periods need at least one date")
    return Periods(tuple(cleaned))


def unit_column(by: Unit | Periods) -> str:
    """The column that names the units of a grouping."""
    if isinstance(by, Periods):
        return "period"
    if by.startswith("period:"):
        return "period"
    return UNIT_COLUMN.get(by, by)


def parse_by(text: str) -> Unit | Periods:
    """A grouping as written on the command line: a column name, or period:DATE[,DATE...]."""
    if text.startswith("period:"):
        return periods(text.removeprefix("period:").split(","))
    return text


def with_unit(
    table: pd.DataFrame, by: Unit | Periods = "year", *, unit: Unit | None = None
) -> tuple[pd.DataFrame, str]:
    """`table` with its unit column and the column's name; rows outside any unit dropped.

    `by` is year, document (doc_id), answer (document and question), role, origin, any column of the table
    (speaker, event, outlet, ...), month or quarter (from the date when the table lacks them), or `periods(...)`.
    `unit` is the older name of `by`.
    """
    by = unit if unit is not None else by
    if isinstance(by, str) and by.startswith("period:"):
        by = parse_by(by)
    if isinstance(by, Periods):
        require(table, ["date"], hint="periods are binned by the date column")
        return table.assign(period=by.label(table.date)), "period"
    column = UNIT_COLUMN.get(by, by)
    if by == "answer":
        answers = table.role.eq("answer") & table.question.notna()
        table = table[answers].assign(answer=table.doc_id + " Q" + table.question.astype("string").str.zfill(2))
    elif column not in table.columns and column in DATE_GROUPS and "date" in table.columns:
        month = table.date.astype(str).str[:7]
        quarter = month.str[:4] + "-Q" + ((month.str[5:7].astype(int) + 2) // 3).astype(str)
        table = table.assign(**{column: month if column == "month" else quarter})
    elif column not in table.columns:
        known = ", ".join([*UNIT_COLUMN, *DATE_GROUPS, "speaker", "event", "period:DATE,..."])
        raise CorpusError(f"unknown unit {by!r}; choose one of {known} (or a column of the table)")
    return table[table[column].notna()], column


def resolve(values: object | Iterable[object], available: Iterable[object], *, by: str = "year") -> list:
    """The units named by `values` (one or several, matched as text so '2021' finds 2021), or a CorpusError."""
    wanted = [values] if isinstance(values, (str, int, np.integer)) else list(values)  # type: ignore[arg-type]
    by_text = {str(v): v for v in available}
    unknown = [str(v) for v in wanted if str(v) not in by_text]
    if unknown:
        known = ", ".join(sorted(by_text)) or "none"
        raise CorpusError(f"{by} {', '.join(unknown)} not in the corpus (it has: {known})")
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
