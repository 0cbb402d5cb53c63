"""The command line as a user runs it: build, parse, info, and one-line errors for bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.cli import main
from corpus.store import built
from tests.conftest import SEED_2020, SEED_2021, folder_digest, run_cli


def test_build_then_nothing_to_do(project: Path) -> None:
    first = run_cli("build", root=project)
    assert first.returncode == 0, first.stderr
    assert "2 documents" in first.stdout and "built" in first.stdout
    processed = project / "data" / "processed"
    tables = built(processed)  # the generation data/processed/current names
    assert {p.name for p in tables.iterdir()} >= {"documents.parquet", "documents.csv", "turns", "turns.csv", "tokens"}
    before = {p: p.stat().st_mtime_ns for p in processed.rglob("*")}
    second = run_cli("build", root=project)
    assert "nothing to do" in second.stdout
    assert {p: p.stat().st_mtime_ns for p in processed.rglob("*")} == before


def test_build_never_touches_raw_and_csv_opens_in_excel(project: Path) -> None:
    raw_before = folder_digest(project / "data" / "raw")
    assert run_cli("build", root=project).returncode == 0
    assert folder_digest(project / "data" / "raw") == raw_before
    csv = (built(project / "data" / "processed") / "turns.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and "澎湃新闻".encode() in csv  # BOM: Excel reads it as UTF-8


def test_build_again_after_a_transcript_changes(project: Path) -> None:
    run_cli("build", root=project)
    (project / "data" / "raw" / "2021-03-07_王毅.txt").unlink()
    result = run_cli("build", root=project)
    assert "1 documents" in result.stdout and "built" in result.stdout


def test_info(project: Path) -> None:
    run_cli("build", root=project)
    result = run_cli("info", root=project)
    assert result.returncode == 0
    assert "2 documents, 30 questions" in result.stdout
    assert "2020-05-24" in result.stdout and "十三届全国人大四次会议" in result.stdout


def test_info_before_build_says_what_to_do(tmp_path: Path) -> None:
    result = run_cli("info", root=tmp_path)
    assert result.returncode == 2 and "run `corpus build`" in result.stderr and "Traceback" not in result.stderr


def test_parse_json_is_utf8_and_complete() -> None:
    result = run_cli("parse", str(SEED_2021), "--json")
    assert result.returncode == 0, result.stderr
    assert "\\u" not in result.stdout  # not ASCII-escaped
    data = json.loads(result.stdout)
    assert data["document"]["date"] == "2021-03-07"
    first_question = next(t for t in data["turns"] if t["role"] == "question")
    assert {"index", "role", "speaker", "outlet", "headline", "text"} <= set(first_question)
    assert (
        first_question["outlet"] == "中央广播电视总台央视"
        and first_question["headline"] == "一年来，最精彩的是元首外交"
    )
    assert sum(t["role"] == "question" for t in data["turns"]) == 16


def test_parse_summary() -> None:
    result = run_cli("parse", str(SEED_2020))
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].startswith("2020-05-24  王毅  十三届全国人大三次会议")
    assert "Q14" in result.stdout and "中新社" in result.stdout


BAD_INPUTS = {
    "empty": (b"", "the file is empty"),
    "binary": (bytes(range(256)) * 40, "binary file"),
    "undecodable": ("王毅：谢谢大家。".encode() + b"\xff\xfe\xfa" + "再见".encode(), "invalid byte"),
    "no-structure": ("这是一段没有问答结构的文字。\n".encode() * 5, "no question/answer structure"),
    "no-date": ("《人民日报》记者：请问？\n王毅：谢谢。\n".encode(), "no date found"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_parse_bad_input_one_line_error(tmp_path: Path, case: str) -> None:
    content, message = BAD_INPUTS[case]
    path = tmp_path / f"{case}.txt"
    path.write_bytes(content)
    result = run_cli("parse", str(path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(path) in result.stderr and message in result.stderr


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_build_with_a_bad_file_writes_nothing(project: Path, case: str) -> None:
    assert run_cli("build", root=project).returncode == 0
    before = folder_digest(project / "data")
    content, message = BAD_INPUTS[case]
    shutil.copy(SEED_2020, project / "data" / "raw" / "2020-05-24_王毅.txt")  # unchanged good file
    bad = project / "data" / "raw" / f"bad_{case}.txt"
    bad.write_bytes(content)
    result = run_cli("build", root=project)
    assert result.returncode == 2 and message in result.stderr and bad.name in result.stderr
    assert "Traceback" not in result.stderr
    bad.unlink()
    assert folder_digest(project / "data") == before


def test_parse_missing_file() -> None:
    result = run_cli("parse", "no/such/file.txt")
    assert result.returncode == 2 and result.stderr.strip() == "corpus: error: no/such/file.txt: no such file"


def test_seed_2021_date_needs_no_hint(tmp_path: Path) -> None:
    copy = tmp_path / "transcript.txt"
    shutil.copy(SEED_2021, copy)
    assert json.loads(run_cli("parse", str(copy), "--json").stdout)["document"]["date"] == "2021-03-07"


def test_help_and_parsing_import_no_pandas_or_matplotlib() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from corpus.cli import main, parser\n"
        "args = parser().parse_args(['info'])\n"
        "assert args.func.__name__ == 'cmd_info'\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "heavy = {'pandas', 'matplotlib', 'scipy', 'jieba', 'rjieba'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_segment_does_not_import_matplotlib() -> None:
    code = (
        "import sys, io\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO('我们支持多边主义。'.encode()), encoding='utf-8')\n"
        "from corpus.cli import main\n"
        "assert main(['segment']) == 0\n"
        "assert 'matplotlib' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_info_does_not_import_matplotlib(tmp_path: Path) -> None:
    code = "import sys\nfrom corpus.cli import main\nmain(['info'])\nassert 'matplotlib' not in sys.modules\n"
    env = {**os.environ, "CORPUS_ROOT": str(tmp_path)}  # no corpus built: info stops with its one-line error
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["keynes"], "corpus: error: unknown command 'keynes' (did you mean keyness?)\n"),
        (["--root", "x", "kiwc", "中国"], "corpus: error: unknown command 'kiwc' (did you mean kwic?)\n"),
        (["zzz"], "corpus: error: unknown command 'zzz'\n"),
    ],
)
def test_mistyped_command_suggests_nearest(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert err == message and out == ""  # one line, no usage


def test_known_command_errors_still_show_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["keyness", "--top", "0"])
    assert exit_info.value.code == 2 and "usage: corpus keyness" in capsys.readouterr().err


def test_kwic_roles_help_names_the_real_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["kwic", "--help"])
    assert "(default: all roles)" in " ".join(capsys.readouterr().out.split())
