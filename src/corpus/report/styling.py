"""Tables formatted for reading in a notebook: numbers rounded to what matters, p-values, no index, Chinese aligned."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

__all__ = ["SIGNIFICANT", "decimals", "p_value", "styled"]

SIGNIFICANT = 3  # digits a reader compares: 123, 12.3, 0.0123
SMALL_P = 0.001  # p-values below this are shown in scientific notation, the others as decimals
_P_COLUMN = re.compile(r"^p(_.+)?$|^p_?value|_p$")
SHORT_TEXT = 24  # characters of text kept on one line; longer text (a question, an answer) wraps


def decimals(values: pd.Series, *, significant: int = SIGNIFICANT) -> int:
    """Decimal places that give the column's largest magnitude `significant` digits (0 to 6).

    >>> decimals(pd.Series([123.456, 7.1])), decimals(pd.Series([0.04567])), decimals(pd.Series([float("nan")]))
    (0, 4, 0)
    """
    largest = values.abs().max()
    if not largest or pd.isna(largest) or math.isinf(largest):
        return 0
    return int(min(max(significant - 1 - math.floor(math.log10(largest)), 0), 6))


def p_value(p: float) -> str:
    """A p-value as a reader takes it in: `0.043`, `0.001`, and `1.9e-12` below 0.001; blank when missing.

    >>> [p_value(x) for x in (0.0432, 0.001, 1.866e-12, float("nan"))]
    ['0.043', '0.001', '1.9e-12', '']
    """
    if pd.isna(p):
        return ""
    return f"{p:.1e}" if p < SMALL_P else f"{p:.3f}"


def _is_text(values: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(values) or values.dtype == object


def _is_whole(values: pd.Series) -> bool:
    finite = values[np.isfinite(values)]
    return bool(len(finite)) and bool((finite == finite.round()).all())


def styled(table: pd.DataFrame, *, significant: int = SIGNIFICANT) -> Styler:
    """A pandas Styler of `table` for display: floats rounded per column to `significant` digits of its largest
    value (whole numbers without decimals), integers as they are (years stay 2021), p-value columns (`p`,
    `p_adjusted`, `p_chi2` ...) in scientific notation only when below 0.001, missing values blank; no index (a
    named index, such as `year` or `doc_id`, becomes the first columns; a row number is dropped); text columns
    (Chinese above all) left-aligned with their headers, and short cells kept on one line. The table itself is
    not changed.

    >>> html = styled(pd.DataFrame({"term": ["疫苗"], "g2": [49.6212], "p": [1.866e-12]})).to_html()
    >>> "49.6<" in html and "1.9e-12" in html and "text-align: left" in html
    True
    """
    named = any(name is not None for name in table.index.names)
    table = table.reset_index(drop=not named)
    table.columns = [" ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in table.columns]
    formats: dict[str, object] = {}
    text: list[str] = []
    for column in table.columns:
        values = table[column]
        if _P_COLUMN.search(column) and pd.api.types.is_float_dtype(values):
            formats[column] = p_value
        elif pd.api.types.is_float_dtype(values):
            places = 0 if _is_whole(values) else decimals(values, significant=significant)
            formats[column] = f"{{:,.{places}f}}"
        elif _is_text(values):
            text.append(column)
    short = [c for c in table.columns if c not in text or table[c].astype(str).str.len().max() <= SHORT_TEXT]
    styler = table.style.hide(axis="index").format(formats, na_rep="")
    styler = styler.set_properties(subset=short, **{"white-space": "nowrap"})
    if text:
        styler = styler.set_properties(subset=text, **{"text-align": "left"})
        styler = styler.set_table_styles(
            {column: [{"selector": "th.col_heading", "props": [("text-align", "left")]}] for column in text},
            overwrite=False,
        )
    return styler
