"""`corpus remove` takes the name a file was added under as well as the name it is stored under."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.cli import main
from corpus.dataset.manifest import read_manifest
from corpus.paths import get_paths
from tests.conftest import SEED_2020, SEED_2021, make_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", {"2020-05-24_王毅.txt": SEED_2020})
    assert main(["--root", str(root), "build"]) == 0
    return root


def test_remove_by_the_name_it_was_added_under(project: Path, tmp_path: Path, capsys) -> None:
    download = tmp_path / "Downloads" / "王毅答记者问2021.txt"
    download.parent.mkdir()
    download.write_bytes(SEED_2021.read_bytes())
    assert main(["--root", str(project), "add", str(download)]) == 0
    paths = get_paths(project)
    assert (paths.raw / "2021-03-07_王毅.txt").exists()
    assert main(["--root", str(project), "remove", "王毅答记者问2021.txt"]) == 0
    assert "removed 王毅答记者问2021.txt; 1 documents built" in capsys.readouterr().out
    assert sorted(p.name for p in paths.raw.iterdir()) == ["2020-05-24_王毅.txt"]
    assert read_manifest(paths.manifest).empty


def test_a_source_name_added_twice_asks_for_the_stored_name(project: Path, tmp_path: Path, capsys) -> None:
    text = SEED_2021.read_text(encoding="utf-8")
    for folder, version in (("a", text), ("b", text.replace("，", "、"))):  # b: a new text, not a repeat of a
        source = tmp_path / folder / "transcript.txt"
        source.parent.mkdir()
        source.write_text(version, encoding="utf-8")
        assert main(["--root", str(project), "add", str(source)]) == 0
    capsys.readouterr()
    assert main(["--root", str(project), "remove", "transcript.txt"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("corpus: error: transcript.txt: added 2 times, as ") and err.endswith("these names\n")
    assert "2021-03-07_王毅.txt" in err and "2021-03-07_王毅-2.txt" in err
    assert len(read_manifest(get_paths(project).manifest)) == 2  # nothing removed
    assert main(["--root", str(project), "remove", "2021-03-07_王毅-2.txt"]) == 0  # the stored name still works
