"""Shared fixtures: the two seed transcripts, parsed once, and a scratch project folder."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

import pandas as pd
import pytest

from corpus.dataset.build import load_document
from corpus.tokens.segment import tokenize_turns
from corpus.tokens.units import annotate
from corpus.transcripts.parse import document_record

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


@pytest.fixture(scope="session")
def seed_tokens(parsed_2020, parsed_2021) -> pd.DataFrame:
    """The two seeds' token table as the build makes it, annotated with year and asking outlet (units.annotate)."""
    documents = pd.DataFrame([document_record(doc) for doc, _ in (parsed_2020, parsed_2021)])
    turns = pd.concat([parsed_2020[1], parsed_2021[1]], ignore_index=True)
    return annotate(tokenize_turns(turns), turns, documents)


@pytest.fixture(scope="session")
def three_years(seed_tokens: pd.DataFrame) -> pd.DataFrame:
    """The seeds plus the 2021 transcript again as a 2022 document: a corpus of three years."""
    copy = seed_tokens[seed_tokens.year.eq(2021)].assign(doc_id="2022-03-07_copy", date="2022-03-07", year=2022)
    return pd.concat([seed_tokens, copy], ignore_index=True)


SEED_FILES = {"2020-05-24_王毅.txt": SEED_2020, "2021-03-07_王毅.txt": SEED_2021}


def make_project(root: Path, files: dict[str, Path] = SEED_FILES) -> Path:
    """A project folder at `root` whose data/raw holds `files` (name in data/raw -> source file)."""
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    for name, source in files.items():
        shutil.copy(source, raw / name)
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the two seeds in data/raw under their canonical names."""
    return make_project(tmp_path)


def run_cli(
    *args: str, root: Path | None = None, stdin: str | None = None, subprocess_: bool = False
) -> subprocess.CompletedProcess:
    """The `corpus` command line, run in this process through `main(argv)` (fast) or, with `subprocess_`, in a
    subprocess exactly as a user runs it (kept for a few smoke tests of start-up and the real streams)."""
    if subprocess_:
        return _run_cli_subprocess(*args, root=root, stdin=stdin)
    from corpus.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    streams = [io.TextIOWrapper(b, encoding="utf-8", write_through=True) for b in (out, err)]
    stdin_stream = io.TextIOWrapper(io.BytesIO((stdin or "").encode("utf-8")), encoding="utf-8")
    saved = sys.stdin, sys.stdout, sys.stderr, os.environ.get("CORPUS_ROOT")
    sys.stdin, sys.stdout, sys.stderr = stdin_stream, *streams
    if root is not None:
        os.environ["CORPUS_ROOT"] = str(root)
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse: --help, usage errors
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except Exception:  # what a subprocess would print before dying with status 1
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdin, sys.stdout, sys.stderr, previous = saved
        if previous is None:
            os.environ.pop("CORPUS_ROOT", None)
        else:
            os.environ["CORPUS_ROOT"] = previous
    decode = lambda b: b.getvalue().decode("utf-8").replace("\r\n", "\n")  # noqa: E731 - as text=True would
    return subprocess.CompletedProcess(["corpus", *args], code, decode(out), decode(err))


def _run_cli_subprocess(*args: str, root: Path | None, stdin: str | None) -> subprocess.CompletedProcess:
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


def token_table(*turns: str, doc_id: str = "d", year: int = 2020, role: str = "answer") -> pd.DataFrame:
    """An annotated token table from turns written as space-separated tokens; '_' marks a stopword (e.g. '的_')."""
    meta = (doc_id, f"{year}-01-01", year)
    rows = [
        (*meta, turn, role, turn + 1, "outlet", "mainland", position, token.rstrip("_"), token.endswith("_"))
        for turn, text in enumerate(turns)
        for position, token in enumerate(text.split())
    ]
    columns = ["doc_id", "date", "year", "turn", "role", "question", "outlet", "origin", "position", "token"]
    return pd.DataFrame(rows, columns=[*columns, "is_stopword"]).astype({"question": "Int64"})
