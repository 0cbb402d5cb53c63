"""The per-transcript dataset: seeds give the tables of the one-shot path, one transcript rebuilt alone, an archive."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd
import pytest

from corpus.dataset.build import build, load_document, raw_files
from corpus.paths import get_paths
from corpus.store import read_table
from corpus.tokens.segment import tokenize_turns
from corpus.transcripts.parse import Document, document_record
from tests.conftest import run_cli
from tests.synthetic import SEEDS, make_corpus, read_seed, transcript


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built project of 50 synthetic transcripts."""
    root = tmp_path_factory.mktemp("archive")
    make_corpus(root, 50, seed=1)
    result = run_cli("build", root=root)
    assert result.returncode == 0, result.stderr
    return root


def test_synthetic_corpus_is_deterministic_and_spread(tmp_path: Path) -> None:
    first = make_corpus(tmp_path / "a", 30, seed=3)
    second = make_corpus(tmp_path / "b", 30, seed=3)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert {p.name[:4] for p in first} == {str(year) for year in range(2000, 2025)}
    assert len({p.name.split("_")[1] for p in first}) >= 4  # several speakers


def test_archive_through_build_add_remove_and_every_analysis(archive: Path, tmp_path: Path) -> None:
    info = run_cli("info", root=archive)
    assert info.returncode == 0, info.stderr
    questions = int(re.match(r"50 documents, (\d+) questions", info.stdout)[1])
    assert 50 * 6 <= questions <= 50 * 20  # 6-20 pairs per transcript
    extra = tmp_path / "extra.txt"
    seeds = [read_seed(p) for p in sorted(SEEDS.glob("*.txt"))]
    extra.write_text(transcript(seeds, random.Random(99), "毛宁"), encoding="utf-8")
    added = run_cli("add", str(extra), "--date", "2019-06-01", "--speaker", "毛宁", root=archive)
    assert added.returncode == 0, added.stderr
    assert "51 documents built" in added.stdout
    assert run_cli("info", root=archive).stdout.startswith("51 documents")
    removed = run_cli("remove", "2019-06-01_毛宁", root=archive)
    assert removed.returncode == 0, removed.stderr
    assert run_cli("info", root=archive).stdout == info.stdout
    keyness = run_cli("keyness", "--target", "2021", root=archive)
    assert keyness.returncode == 0 and "over-used" in keyness.stdout, keyness.stderr
    themes = run_cli("themes", root=archive)
    assert themes.returncode == 0 and "2024" in themes.stdout, themes.stderr
    kwic = run_cli("kwic", "合作", root=archive)
    assert kwic.returncode == 0 and kwic.stdout.count("【合作】") >= 50, kwic.stderr


def one_shot_tables(project: Path, folder: Path) -> dict[str, pd.DataFrame]:
    """The seeds' tables as the one-shot build made them before the dataset had parts: every file parsed, the
    tables concatenated, written whole and read back."""
    parsed = [load_document(path) for path in raw_files(project / "data" / "raw")]
    documents = pd.DataFrame([document_record(doc) for doc, _ in parsed], columns=list(Document.__dataclass_fields__))
    turns = pd.concat([t for _, t in parsed], ignore_index=True)
    tables = {
        "documents": documents.sort_values(["date", "doc_id"], kind="stable"),
        "turns": turns,
        "tokens": tokenize_turns(turns),
    }
    for name, table in tables.items():
        table.to_parquet(folder / f"{name}.parquet", index=False)
    return {name: pd.read_parquet(folder / f"{name}.parquet") for name in tables}


def test_seeds_give_the_tables_of_the_one_shot_build(project: Path, tmp_path: Path) -> None:
    paths = get_paths(project)
    assert build(paths).parsed == 2
    expected = one_shot_tables(project, tmp_path)
    for name, table in expected.items():
        pd.testing.assert_frame_equal(read_table(paths.processed, name), table, check_exact=True)
    assert len(expected["tokens"]) > 5_000 and expected["turns"].role.eq("question").sum() == 30
