"""`corpus formulations` as a user runs it: the timeline, --new (added, dropped, reworded), CSV, one-line errors."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import make_project, run_cli


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("two"))  # the two seeds under their canonical names
    assert run_cli("build", root=root).returncode == 0
    return root


def test_new_lists_added_dropped_and_reworded(two_years: Path) -> None:
    result = run_cli("formulations", "--new", root=two_years)
    assert result.returncode == 0, result.stderr
    new, rest = result.stdout.split("dropped formulations")
    dropped, reworded = rest.split("reworded formulations")
    assert "year 2021 vs all others: new formulations" in new and "爱国者治港" in new and "战狼外交" not in new
    assert "战狼外交" in dropped and "爱国者治港" not in dropped
    assert "中国和东盟国家" in reworded and "中国与东盟国家" in reworded and "人类命运共同体" not in reworded


def test_csv_timeline_and_changes(two_years: Path) -> None:
    timeline = pd.read_csv(io.StringIO(run_cli("formulations", "--csv", root=two_years).stdout))
    assert {"year", "group", "count", "per_10k", "variants", "first_date", "questions"} <= set(timeline.columns)
    row = timeline.set_index(["year", "group"]).loc[(2021, "多边主义")]
    assert row["count"] == 14 and row.in_answers + row.in_questions == 14
    changes = pd.read_csv(io.StringIO(run_cli("formulations", "--new", "--csv", root=two_years).stdout))
    assert set(changes.change) == {"new", "dropped", "reworded", "kept"}
    assert changes.set_index("group").loc["一国两制", "change"] == "kept"


def test_by_origin_and_top(two_years: Path) -> None:
    result = run_cli("formulations", "--by", "origin", "--top", "3", "--csv", root=two_years)
    table = pd.read_csv(io.StringIO(result.stdout))
    assert table.group.nunique() == 3 and set(table.origin) <= {"mainland", "foreign", "hk_macao_taiwan"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--new", "--target", "2019"], "corpus: error: year 2019 not in the corpus (it has: 2020, 2021)"),
        (["--list", "missing.yaml"], "missing.yaml: no such formulations file"),
    ],
)
def test_mistakes_are_one_line(two_years: Path, args: list[str], message: str) -> None:
    result = run_cli("formulations", *args, root=two_years)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
