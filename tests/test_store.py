"""The processed tables on disk: Parquet exact, the Excel CSV copy with formula-like cells neutralised."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from corpus.store import excel_safe, excel_unsafe, read_table, write_table

FORMULAS = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "'quoted"]


def test_csv_copy_neutralises_formulas_and_parquet_stays_exact(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "text": [*FORMULAS, "王毅：正常"],
            "number": [-5, -1, 0, 1, 2, 3, -7],
            "share": [-0.5] * 7,
            "question": pd.array([-1, None, 1, 2, 3, 4, 5], dtype="Int64"),
        }
    )
    write_table(table, tmp_path, "t")
    pd.testing.assert_frame_equal(read_table(tmp_path, "t"), table)
    csv = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig")
    assert csv.text.tolist() == [*(f"'{f}" for f in FORMULAS), "王毅：正常"]
    assert csv.number.tolist() == table.number.tolist() and csv.share.eq(-0.5).all()  # numbers stay numbers
    assert csv.question.iloc[0] == -1


def test_excel_safe_is_undone_by_excel_unsafe() -> None:
    table = pd.DataFrame({"a": [*FORMULAS, "\rx", "", "x-y", None]})
    safe = excel_safe(table)
    assert not any(str(v).startswith(("=", "+", "-", "@", "\t", "\r")) for v in safe.a.dropna())
    assert [excel_unsafe(v) for v in safe.a.dropna()] == table.a.dropna().tolist()
    assert table.a.tolist()[0] == FORMULAS[0]  # the table itself is not changed
