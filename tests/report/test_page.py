"""The report reads the figure manifest (not the notebooks' code) and caps long tables with a CSV beside it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from corpus.analysis import compare
from corpus.charts import style
from corpus.charts.save import provenance, save_figure
from corpus.dataset.build import build
from corpus.paths import get_paths
from corpus.report import page, tables
from corpus.store import read_table
from corpus.tokens import units
from tests.conftest import make_project


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    paths = get_paths(make_project(tmp_path_factory.mktemp("project")))
    build(paths)
    style.use_style()
    inputs = provenance(paths.processed)
    parameters = {"years": None, "target": 2020, "reference": None, "by": "year", "top": 3}
    for name in ("03_zz_saved_first", "03_aa_saved_second"):  # saved in this order, against the names' order
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.set_title(f"title of {name}")
        save_figure(
            fig, name, directory=paths.figures, notebook="03_tfidf_keyness", parameters=parameters, provenance=inputs
        )
        plt.close(fig)
    return paths


def test_report_uses_the_parameters_and_order_the_manifest_recorded(paths) -> None:
    context = page.report_context(paths)
    assert context["comparison"].startswith("Target 2020 against reference 2021")
    assert context["runs"]["03"]["parameters"]["top"] == 3
    assert context["runs"]["03"]["figures"] == ["03_zz_saved_first", "03_aa_saved_second"]
    [section] = context["sections"]
    assert [f.name for f in section["figures"]] == ["03_zz_saved_first", "03_aa_saved_second"]
    assert section["figures"][0].title == "title of 03_zz_saved_first"
    keyness = [t for t in context["tables"] if t["caption"].startswith("Keyness 2020 vs 2021")]
    assert [len(t["rows"]) for t in keyness] == [3, 3], "the notebooks' top, not a constant of the report"
    assert context["provenance"]["transcripts"] == provenance(paths.processed)["transcripts"]


def test_report_tables_are_the_notebooks_tables(paths) -> None:
    comparison = compare.choose(read_table(paths.processed, "documents"), target=2020)
    [_, over, under] = tables.analysis_tables(paths.processed, comparison, top=4)
    key = compare.keyness_table(units.terms(units.load_tokens(paths.processed)), comparison)
    expected = key[key.direction.eq("over")].sort_values(["g2", "term"], ascending=[False, True]).term.head(4)
    assert [row[0]["text"] for row in over["rows"]] == expected.tolist()
    assert len(under["rows"]) == 4


def test_long_table_shows_its_first_rows_and_keeps_them_all() -> None:
    frame = pd.DataFrame({"n": range(120), "text": [f"问题{i}" for i in range(120)]})
    shown = tables.table(frame, caption="c", limit=50, csv="all.csv")
    assert len(shown["rows"]) == 50 and shown["n_rows"] == 120 and shown["csv"] == "all.csv"
    assert shown["full"].equals(frame)
    short = tables.table(frame.head(10), caption="c", limit=50, csv="all.csv")
    assert len(short["rows"]) == 10 and short["csv"] is None and short["full"] is None


def test_every_question_table_is_capped_with_a_full_csv_beside_the_report(paths, monkeypatch) -> None:
    monkeypatch.setattr(tables, "LONG", 5)
    target = page.write_report(paths)
    html = target.read_text(encoding="utf-8")
    questions = read_table(paths.processed, "turns").role.eq("question").sum()
    assert f'First 5 of {questions} rows; all of them in <a href="questions.csv">' in html
    full = pd.read_csv(target.parent / "questions.csv", encoding="utf-8-sig")
    assert len(full) == questions > 5 and "question text 提问" in full.columns
