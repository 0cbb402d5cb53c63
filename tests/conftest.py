"""Shared fixtures: the two seed transcripts, parsed once, and a scratch project folder."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.build import load_document

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_2020 = SEEDS / "000_90f7afa787323508.txt"
SEED_2021 = SEEDS / "004_2549616181697210.txt"


@pytest.fixture(scope="session")
def parsed_2020():
    return load_document(SEED_2020)


@pytest.fixture(scope="session")
def parsed_2021():
    return load_document(SEED_2021)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the two seeds in data/raw under their canonical names."""
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(SEED_2020, raw / "2020-05-24_王毅.txt")
    shutil.copy(SEED_2021, raw / "2021-03-07_王毅.txt")
    return tmp_path


def run_cli(*args: str, root: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The `corpus` command line in a subprocess, as a user runs it."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    if root is not None:
        env["CORPUS_ROOT"] = str(root)
    return subprocess.run(
        [sys.executable, "-m", "corpus", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        encoding="utf-8",
        check=False,
    )


def folder_digest(folder: Path) -> str:
    """One hash over every file's path and bytes: equal digests mean the folder is byte-for-byte the same."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
