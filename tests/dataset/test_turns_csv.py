"""turns.csv joined from per-transcript CSV parts is byte for byte the Excel copy of the whole turns table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from corpus.dataset.build import CSV_PARTS, build
from corpus.paths import get_paths
from corpus.store import built, excel_safe, read_table, write_csv
from tests.synthetic import make_corpus


def whole_table_csv(processed: Path, scratch: Path) -> bytes:
    """What `write_csv` makes of the whole turns table."""
    write_csv(read_table(processed, "turns"), scratch)
    return scratch.read_bytes()


def test_joined_turns_csv_equals_the_whole_table_copy(tmp_path: Path) -> None:
    files = make_corpus(tmp_path / "p", 12, seed=4)
    paths = get_paths(tmp_path / "p")
    build(paths)
    turns = read_table(paths.processed, "turns")
    assert turns.question.isna().any() and turns.question.notna().any()  # a nullable column in both states
    assert (built(paths.processed) / "turns.csv").read_bytes() == whole_table_csv(paths.processed, tmp_path / "a.csv")
    back = pd.read_csv(built(paths.processed) / "turns.csv", encoding="utf-8-sig", keep_default_na=False)
    assert len(back) == len(turns) and back.text.tolist() == excel_safe(turns).text.tolist()
    # one transcript removed and another edited: only their parts change, the joined copy still matches
    files[3].unlink()
    files[5].write_text(files[5].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build(paths)
    assert (built(paths.processed) / "turns.csv").read_bytes() == whole_table_csv(paths.processed, tmp_path / "b.csv")
    assert len(list((built(paths.processed) / CSV_PARTS).glob("*.csv"))) == 11


def test_a_generation_without_csv_parts_gets_them(tmp_path: Path) -> None:
    make_corpus(tmp_path / "p", 6, seed=2)
    paths = get_paths(tmp_path / "p")
    build(paths)
    shutil.rmtree(built(paths.processed) / CSV_PARTS)  # as a build before the CSV parts left it
    (built(paths.processed) / CSV_PARTS).mkdir()
    build(paths, tokens_csv=True)  # a changed input: a new generation, every part kept
    assert (built(paths.processed) / "turns.csv").read_bytes() == whole_table_csv(paths.processed, tmp_path / "a.csv")
