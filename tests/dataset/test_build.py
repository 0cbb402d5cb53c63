"""The per-transcript dataset: seeds give the tables of the one-shot path, one transcript rebuilt alone, an archive."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from corpus.dataset import build as build_module
from corpus.dataset.build import build, load_document, raw_files
from corpus.errors import CorpusError
from corpus.paths import get_paths
from corpus.store import generation, read_table
from corpus.tokens.segment import tokenize_turns
from corpus.transcripts.parse import Document, document_record
from tests.conftest import SEED_2021, folder_digest, run_cli
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
    added = run_cli("add", str(extra), "--date", "2019-06-01", "--speaker", "毛宁", "--allow-overlap", root=archive)
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


def test_only_the_changed_transcript_is_parsed_and_the_others_are_linked(project: Path) -> None:
    paths = get_paths(project)
    build(paths)
    first = generation(paths.processed)
    tokens = read_table(paths.processed, "tokens")
    raw_2020 = paths.raw / "2020-05-24_王毅.txt"
    raw_2020.write_text(raw_2020.read_text(encoding="utf-8").replace("病毒不分国界", "病毒不分国家"), encoding="utf-8")
    result = build(paths)
    assert result.rebuilt and result.parsed == 1
    second = generation(paths.processed)
    assert second != first and (paths.processed / "current").read_text().strip() == second.name
    kept = [p for p in (second / "tokens").iterdir() if p.stat().st_nlink > 1]  # linked from the first
    assert len(kept) == 1
    after = read_table(paths.processed, "tokens")
    assert after[after.doc_id.str.startswith("2021")].equals(tokens[tokens.doc_id.str.startswith("2021")])
    assert "病毒不分国家" in "".join(read_table(paths.processed, "turns").text)
    assert not build(paths).rebuilt


def test_removed_transcript_leaves_the_tables_and_old_generations_are_cleared(project: Path) -> None:
    paths = get_paths(project)
    build(paths)
    (paths.raw / "2021-03-07_王毅.txt").unlink()
    assert build(paths).parsed == 0
    assert set(read_table(paths.processed, "tokens").doc_id) == {"2020-05-24_王毅"}
    assert set(read_table(paths.processed, "documents").doc_id) == {"2020-05-24_王毅"}
    build(paths, force=True)
    generations = sorted(p.name for p in paths.processed.glob("g-*"))
    assert len(generations) == 2  # the current one and the one before, for a reader still on it


def current_state(processed: Path) -> tuple[str, str]:
    """What readers see: the `current` pointer and a digest of the generation it names."""
    return (processed / "current").read_text(encoding="utf-8"), folder_digest(generation(processed))


def test_a_failed_build_leaves_the_current_generation_whole(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = get_paths(project)
    build(paths)
    before = current_state(paths.processed)
    (paths.raw / "2022-01-01_王毅.txt").write_text("no labels at all\n", encoding="utf-8")
    with pytest.raises(CorpusError):
        build(paths)
    assert current_state(paths.processed) == before
    assert len(list(paths.processed.glob("g-*"))) == 1  # the failed one removed
    (paths.raw / "2022-01-01_王毅.txt").unlink()

    def interrupted(processed: Path, folder: Path) -> None:
        raise KeyboardInterrupt  # as if killed after the parts were written, before the switch

    monkeypatch.setattr(build_module, "switch_generation", interrupted)
    shutil.copy(SEED_2021, paths.raw / "2022-03-07_王毅.txt")
    with pytest.raises(KeyboardInterrupt):
        build(paths)
    assert current_state(paths.processed) == before
    assert len(read_table(paths.processed, "documents")) == 2
    monkeypatch.undo()
    assert build(paths).n_documents == 3 and len(read_table(paths.processed, "documents")) == 3
    assert len(list(paths.processed.glob("g-*"))) == 2  # the unfinished generation cleared


def test_empty_corpus_builds_empty_tables(tmp_path: Path) -> None:
    paths = get_paths(tmp_path)
    assert build(paths).n_documents == 0
    assert read_table(paths.processed, "tokens").empty and read_table(paths.processed, "turns").empty


def test_tokens_csv_only_on_request(project: Path) -> None:
    paths = get_paths(project)
    build(paths)
    folder = generation(paths.processed)
    assert {p.name for p in folder.glob("*.csv")} == {"documents.csv", "turns.csv"}
    build(paths, tokens_csv=True)
    tokens = pd.read_csv(generation(paths.processed) / "tokens.csv", encoding="utf-8-sig")
    assert len(tokens) == len(read_table(paths.processed, "tokens"))


def test_parallel_parsing_gives_the_same_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path / "a", 12, seed=5)
    make_corpus(tmp_path / "b", 12, seed=5)
    parallel = build(get_paths(tmp_path / "a"))
    monkeypatch.setattr(build_module, "PARALLEL_FROM", 10_000)
    serial = build(get_paths(tmp_path / "b"))
    assert parallel.parsed == serial.parsed == 12
    for name in ("documents", "turns", "tokens"):
        a, b = (read_table(get_paths(tmp_path / x).processed, name) for x in "ab")
        pd.testing.assert_frame_equal(a, b)


def test_generation_folder_has_the_usual_permissions(project: Path) -> None:
    paths = get_paths(project)
    build(paths)
    reference = project / "made_by_mkdir"
    reference.mkdir()
    assert generation(paths.processed).stat().st_mode == reference.stat().st_mode
    assert not list(paths.processed.glob(".current.*"))
