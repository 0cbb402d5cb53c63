"""The report's tables: documents, questions, theme shares and keyness, as display cells for the HTML page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from corpus.analysis import compare, overview, themes
from corpus.charts.style import label_of
from corpus.tokens import units

KEY_TERMS = 15
KEYNESS_SHOWN = ["term", "freq_target", "freq_reference", "g2", "log_ratio", "p_adjusted"]


def cell(value: object) -> dict:
    """A table cell as the page shows it: display text, and whether it is a number (right-aligned)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return {"text": "", "num": False}
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return {"text": label_of(value) if isinstance(value, str) else str(value), "num": False}
    whole = float(value).is_integer() or abs(value) >= 1000  # no thousands separator: years print as 2021
    return {"text": f"{value:.0f}" if whole else f"{value:.3g}", "num": True}


def table(frame: pd.DataFrame, *, caption: str) -> dict:
    """A DataFrame as header and rows of cells for the template (which escapes every text)."""
    shown = frame.reset_index() if frame.index.name or isinstance(frame.index, pd.MultiIndex) else frame
    rows = [[cell(v) for v in row] for row in shown.itertuples(index=False)]
    return {"caption": caption, "columns": [str(c) for c in shown.columns], "rows": rows}


def corpus_tables(documents: pd.DataFrame, turns: pd.DataFrame) -> list[dict]:
    """The documents, who asked, and every question as asked (transcript text, escaped by the template)."""
    asked = overview.with_year(turns[turns.role.eq("question")], documents)
    questions = asked[["year", "question", "outlet", "outlet_en", "origin", "headline", "text"]]
    return [
        table(overview.corpus_summary(documents, turns), caption="Press conferences 记者会"),
        table(overview.questions_by_origin(turns, documents), caption="Questions by outlet origin 提问来源"),
        table(questions.rename(columns={"text": "question text 提问"}), caption="Every question 全部提问"),
    ]


def theme_table(tokens: pd.DataFrame) -> dict:
    """Theme words per 10,000 per year with the 95% bootstrap interval, themes in the lexicon's order."""
    shares = themes.theme_shares(tokens)
    shares["shown"] = [f"{v:.0f} ({lo:.0f}–{hi:.0f})" for v, lo, hi in shares[["per_10k", "ci_low", "ci_high"]].values]
    wide = shares.pivot(index="name_zh", columns="year", values="shown").reindex(list(dict.fromkeys(shares.name_zh)))
    return table(wide, caption="Theme words per 10,000 words of the answers (95% CI) 主题占比")


def keyness_tables(terms: pd.DataFrame, comparison: compare.Comparison) -> list[dict]:
    """The target's most over- and under-used terms against the reference (none with one year)."""
    key = compare.keyness_table(terms, comparison)
    tables = []
    for direction, name in (("over", "over-used 多用"), ("under", "under-used 少用")):
        rows = key[key.direction.eq(direction)].sort_values(["g2", "term"], ascending=[False, True], kind="stable")
        note = key.correction.iloc[0] if len(key) else ""
        caption = f"Keyness {comparison.target} vs {comparison.reference_label}: {name}; p adjusted by {note}"
        tables.append(table(rows[KEYNESS_SHOWN].head(KEY_TERMS), caption=caption))
    return tables if comparison.possible else []


def analysis_tables(processed: Path, comparison: compare.Comparison) -> list[dict]:
    """Theme shares and keyness for the years and comparison the notebooks ran with."""
    tokens = compare.keep_years(units.load_tokens(processed), comparison)
    return [theme_table(tokens), *keyness_tables(units.terms(tokens), comparison)]
