"""`corpus kwic --limit`: the first occurrences in text order, read from the first turns only; all when exporting."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from corpus.analysis.context import kwic
from corpus.paths import get_paths
from corpus.tokens import units
from tests.conftest import make_project, run_cli


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("kwic_limit"))
    assert run_cli("build", root=root).returncode == 0
    return root


def test_limit_prints_the_first_occurrences(seeds: Path) -> None:
    every = run_cli("kwic", "中国", "--limit", "all", root=seeds)
    assert every.returncode == 0 and "--limit" not in every.stderr
    lines = every.stdout.splitlines()
    assert len(lines) > 100
    five = run_cli("kwic", "中国", "--limit", "5", root=seeds)
    assert [line.split("【")[1] for line in five.stdout.splitlines()] == [line.split("【")[1] for line in lines[:5]]
    assert "the first 5 occurrences" in five.stderr
    exported = pd.read_csv(io.StringIO(run_cli("kwic", "中国", "--csv", root=seeds).stdout))
    assert len(exported) == len(lines)  # --csv keeps every occurrence unless --limit is given
    assert "expected a positive number" in run_cli("kwic", "中国", "--limit", "0", root=seeds).stderr


@pytest.mark.parametrize("first", [1, 7, 10_000])
def test_first_loads_the_turns_of_the_first_occurrences(seeds: Path, first: int) -> None:
    processed = get_paths(seeds).processed
    every = units.load_tokens(processed, containing="美国", around=10)
    some = units.load_tokens(processed, containing="美国", around=10, first=first)
    turns = some.drop_duplicates(["doc_id", "turn"]).shape[0], every.drop_duplicates(["doc_id", "turn"]).shape[0]
    assert 0 < turns[0] < turns[1] if first < 10 else turns[0] == turns[1]  # fewer turns read, or all of them
    rows = kwic(some.assign(turn=some.segment), "美国", width=10)
    expected = kwic(every.assign(turn=every.segment), "美国", width=10)
    assert len(rows) >= min(first, len(expected))
    pd.testing.assert_frame_equal(rows.head(first).drop(columns="turn"), expected.head(first).drop(columns="turn"))
