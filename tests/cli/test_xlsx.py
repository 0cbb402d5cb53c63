"""`--xlsx FILE`: keyness, themes, kwic and info as Excel workbooks with the Chinese intact and formulas defused."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from corpus.cli import main
from corpus.dataset.build import build
from corpus.paths import get_paths
from tests.conftest import SEED_2020, SEED_2021

# A transcript's answer opening with text a spreadsheet would run as a formula.
FORMULA = '=HYPERLINK("http://example.com","点此")'


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("xlsx")
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "2020-05-24_王毅.txt").write_bytes(SEED_2020.read_bytes())
    text = SEED_2021.read_text(encoding="utf-8")
    assert text.count("王毅：2020年，") == 1
    (raw / "2021-03-07_王毅.txt").write_text(text.replace("王毅：2020年，", f"王毅：{FORMULA}缅甸。2020年，"), "utf-8")
    build(get_paths(root))
    return root


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def sheet_rows(path: Path) -> tuple[list[str], list[tuple], openpyxl.worksheet.worksheet.Worksheet]:
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[0]), rows[1:], sheet


def test_keyness_workbook_has_chinese_terms_and_their_glosses(project: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "keyness.xlsx"
    assert run(project, "keyness", "--target", "2021", "--top", "5", "--xlsx", str(target)) == 0
    assert f"10 rows -> {target}" in capsys.readouterr().out
    header, rows, sheet = sheet_rows(target)
    assert sheet.title == "keyness"
    assert header[:2] == ["term", "freq_target"] and {"gloss", "g2", "p_adjusted", "direction"} <= set(header)
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert table["疫苗"]["gloss"] == "vaccine" and table["疫苗"]["freq_reference"] == 0
    assert [row[header.index("direction")] for row in rows] == ["over"] * 5 + ["under"] * 5
    assert isinstance(table["疫苗"]["g2"], float)  # numbers stay numbers


def test_kwic_workbook_keeps_a_formula_as_text(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "kwic.xlsx"
    assert run(project, "kwic", "缅甸", "--width", str(len(FORMULA)), "--xlsx", str(target)) == 0
    header, rows, sheet = sheet_rows(target)
    lefts = [row[header.index("left")] for row in rows]
    assert "'" + FORMULA in lefts  # excel_safe's leading apostrophe: Excel shows the text, runs nothing
    cell = sheet.cell(row=lefts.index("'" + FORMULA) + 2, column=header.index("left") + 1)
    assert cell.data_type == "s"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert {row[header.index("keyword")] for row in rows} == {"缅甸"}


def test_themes_and_info_workbooks(project: Path, tmp_path: Path) -> None:
    themes, origin, info = tmp_path / "themes.xlsx", tmp_path / "origin.xlsx", tmp_path / "info.xlsx"
    assert run(project, "themes", "--xlsx", str(themes)) == 0
    header, rows, _ = sheet_rows(themes)
    assert {"theme", "name_zh", "year", "per_10k", "ci_low", "ci_high"} <= set(header)
    assert "疫情与公共卫生" in {row[header.index("name_zh")] for row in rows}
    assert run(project, "themes", "--origin", "--xlsx", str(origin)) == 0
    assert sheet_rows(origin)[2].title == "themes by origin"
    assert run(project, "info", "--xlsx", str(info)) == 0
    header, rows, _ = sheet_rows(info)
    assert header[0] == "doc_id" and [row[0] for row in rows] == ["2020-05-24_王毅", "2021-03-07_王毅"]


def test_a_bad_workbook_name_is_a_one_line_error(project: Path, tmp_path: Path, capsys) -> None:
    assert run(project, "info", "--xlsx", str(tmp_path / "info.csv")) == 2
    message = f"corpus: error: {tmp_path / 'info.csv'}: an Excel workbook's name ends in .xlsx"
    assert capsys.readouterr().err.strip() == message
    folder = tmp_path / "taken.xlsx"  # a folder of that name: the workbook cannot replace it (as root neither)
    folder.mkdir()
    assert run(project, "info", "--xlsx", str(folder)) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"corpus: error: {folder}: cannot be written") and len(err.splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["taken.xlsx"] and not list(folder.iterdir())  # no temp file left
