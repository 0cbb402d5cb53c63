"""The report's tables: documents, questions, theme shares and keyness, as display cells for the HTML page.

They come from the functions the notebooks call (compare.keyness_table, themes.theme_shares, overview.*), with the
parameters the notebooks ran with (`top`: compare.TOP unless the notebooks were given another).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from corpus.analysis import compare, overview, themes
from corpus.charts.style import label_of
from corpus.store import atomic_write, excel_safe
from corpus.tokens import units
from corpus.tokens.gloss import gloss

__all__ = ["LONG", "analysis_tables", "cell", "corpus_tables", "keyness_tables", "table", "theme_table", "write_csv"]

LONG = 50  # rows a long table shows on the page; the whole table goes to a CSV beside the report
KEYNESS_SHOWN = ["term", "freq_target", "freq_reference", "g2", "log_ratio", "p_adjusted"]


def cell(value: object) -> dict:
    """A table cell as the page shows it: display text, and whether it is a number (right-aligned)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return {"text": "", "num": False}
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return {"text": label_of(value) if isinstance(value, str) else str(value), "num": False}
    whole = float(value).is_integer() or abs(value) >= 1000  # no thousands separator: years print as 2021
    return {"text": f"{value:.0f}" if whole else f"{value:.3g}", "num": True}


def table(frame: pd.DataFrame, *, caption: str, limit: int | None = None, csv: str | None = None) -> dict:
    """A DataFrame as header and rows of cells for the template (which escapes every text).

    With `limit`, a longer table shows its first `limit` rows; `full` then holds the whole table, to be written as
    `csv` (a file name beside the report) and linked from the page. Keys: caption, columns, rows, n_rows, csv, full.
    """
    shown = frame.reset_index() if frame.index.name or isinstance(frame.index, pd.MultiIndex) else frame
    capped = limit is not None and len(shown) > limit
    rows = [[cell(v) for v in row] for row in (shown.head(limit) if capped else shown).itertuples(index=False)]
    return {
        "caption": caption,
        "columns": [str(c) for c in shown.columns],
        "rows": rows,
        "n_rows": len(shown),
        "csv": (csv or "table.csv") if capped else None,
        "full": shown if capped else None,
    }


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """The whole table as UTF-8 CSV with BOM (Excel shows the Chinese; formulas neutralised), written atomically."""
    safe = excel_safe(frame)
    atomic_write(path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig"))


def corpus_tables(documents: pd.DataFrame, turns: pd.DataFrame, *, limit: int | None = None) -> list[dict]:
    """The documents, who asked, and every question as asked (transcript text, escaped by the template): the first
    `limit` questions (default LONG) on the page, all of them in questions.csv."""
    asked = overview.with_year(turns[turns.role.eq("question")], documents)
    questions = asked[["year", "question", "outlet", "outlet_en", "origin", "headline", "text"]]
    return [
        table(overview.corpus_summary(documents, turns), caption="Press conferences 记者会"),
        table(overview.questions_by_origin(turns, documents), caption="Questions by outlet origin 提问来源"),
        table(
            questions.rename(columns={"text": "question text 提问"}),
            caption="Every question 全部提问",
            limit=LONG if limit is None else limit,
            csv="questions.csv",
        ),
    ]


def theme_table(tokens: pd.DataFrame) -> dict:
    """Theme words per 10,000 per year with 95% intervals (negative binomial over answers), in lexicon order."""
    shares = themes.theme_shares(tokens)
    shares["shown"] = [f"{v:.0f} ({lo:.0f}–{hi:.0f})" for v, lo, hi in shares[["per_10k", "ci_low", "ci_high"]].values]
    wide = shares.pivot(index="name_zh", columns="year", values="shown").reindex(list(dict.fromkeys(shares.name_zh)))
    return table(wide, caption="Theme words per 10,000 words of the answers (95% CI) 主题占比")


def keyness_tables(terms: pd.DataFrame, comparison: compare.Comparison, *, top: int = compare.TOP) -> list[dict]:
    """The target's `top` most over- and under-used terms against the reference (none with one year)."""
    key = compare.keyness_table(terms, comparison)
    tables = []
    for direction, name in (("over", "over-used 多用"), ("under", "under-used 少用")):
        rows = key[key.direction.eq(direction)].sort_values(["g2", "term"], ascending=[False, True], kind="stable")
        note = key.correction.iloc[0] if len(key) else ""
        caption = f"Keyness {comparison.target} vs {comparison.reference_label}: {name}; p adjusted by {note}"
        shown = rows[KEYNESS_SHOWN].head(top)
        shown.insert(1, "gloss", gloss(shown.term).to_numpy())  # English for a paper's reader (tokens.gloss)
        tables.append(table(shown, caption=caption))
    return tables if comparison.possible else []


def analysis_tables(processed: Path, comparison: compare.Comparison, *, top: int = compare.TOP) -> list[dict]:
    """Theme shares and keyness for the years, comparison and `top` the notebooks ran with."""
    tokens = compare.keep_years(units.load_tokens(processed), comparison)
    return [theme_table(tokens), *keyness_tables(units.terms(tokens), comparison, top=top)]
