"""The README's shell and Python blocks, run in order as a new user pastes them, on a copy of the project."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import REPO, SEED_2020, SEED_2021
from tests.samples import fpdf_pdf, news_page, paragraphs, word_docx

README = REPO / "README.md"
# A fenced block, with the comment that marks it as one the test leaves out (it installs, or takes minutes).
BLOCK = re.compile(r"(?P<skip><!-- readme-test: skip[^>]*-->\n)?```(?P<lang>bash|python)\n(?P<code>.*?)```", re.S)
VENV = Path(sys.prefix)  # the environment running the tests: the project's .venv


def blocks(language: str) -> list[str]:
    """The README's blocks in `language` that are not marked as skipped, in order."""
    found = [m for m in BLOCK.finditer(README.read_text(encoding="utf-8")) if m["lang"] == language]
    return [m["code"] for m in found if not m["skip"]]


def test_long_and_installing_blocks_are_marked() -> None:
    text = README.read_text(encoding="utf-8")
    marked = [m["code"] for m in BLOCK.finditer(text) if m["skip"]]
    assert any("make all" in code for code in marked) and any("make venv" in code for code in marked)
    assert not any(re.search(r"^make (all|test|venv)", code, re.M) for code in blocks("bash"))


def spoken(seed: Path, old: str, new: str) -> list[str]:
    """A seed's paragraphs with one punctuation mark put for another: a new transcript whose questions and answers
    do not repeat the seed's (`corpus add` refuses a file that mostly repeats one in the corpus)."""
    return [p.replace(old, new) for p in paragraphs(seed)]


def example_files(project: Path, home: Path) -> None:
    """The files the README adds, in the formats it names, made from the seeds' text."""
    (home / "Downloads").mkdir(parents=True)
    page = [p.replace("十三届全国人大四次会议", "十三届全国人大五次会议") for p in spoken(SEED_2021, "，", "、")]
    (home / "Downloads" / "王毅答记者问2022.html").write_bytes(news_page(tuple(page)))
    briefing = [p.replace("王毅：", "毛宁：") for p in spoken(SEED_2020, "，", "；")[1:]]  # no dateline
    (project / "briefing.pdf").write_bytes(fpdf_pdf(tuple(briefing)))
    answers = iter(["郑栅洁：", "王文涛："] * 50)
    paras = spoken(SEED_2021, "。", "！")
    npc = [next(answers) + p.removeprefix("王毅：") if p.startswith("王毅：") else p for p in paras]
    (project / "npc.docx").write_bytes(word_docx(tuple(npc)))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A copy of the checkout as a fresh clone has it (no built tables, no reports), `.venv` linked in."""
    root = tmp_path_factory.mktemp("readme")
    project, home = root / "project", root / "home"
    ignore = shutil.ignore_patterns(".git", ".venv", "reports", "processed", "__pycache__", ".*_cache", "*.egg-info")
    shutil.copytree(REPO, project, ignore=ignore, symlinks=True)
    (project / ".venv").symlink_to(VENV.resolve())
    example_files(project, home)
    env = {k: v for k, v in os.environ.items() if k not in ("CORPUS_ROOT", "VIRTUAL_ENV")}
    env |= {"HOME": str(home), "PYTHONPATH": str(project / "src"), "MPLBACKEND": "Agg", "PYTHONIOENCODING": "utf-8"}
    bin_dir = str(VENV / "bin")  # off the PATH: the README must say how `corpus` gets there
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p and p != bin_dir)
    return project, env


def run(project: Path, env: dict[str, str], command: list[str], stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, input=stdin, cwd=project, env=env, capture_output=True, text=True, check=False)


def test_shell_blocks_work_pasted_in_order(project) -> None:
    """All shell blocks in one shell, as pasted into one terminal: `corpus` is on the PATH only if the README put
    it there (the test's PATH has no .venv/bin)."""
    root, env = project
    assert shutil.which("corpus", path=env["PATH"]) is None
    separator = "echo ----README-BLOCK----"
    result = run(root, env, ["bash", "-euo", "pipefail"], f"\n{separator}\n".join(blocks("bash")))
    assert result.returncode == 0, f"a README command failed:\n{result.stderr}"
    quickstart = result.stdout.split("----README-BLOCK----")[0]
    assert re.search(r"^2 documents, \d+ questions", quickstart, re.M)
    assert "疫苗" in quickstart and "vaccine" in quickstart and "坚持/v 多边主义/n" in quickstart
    sheet = openpyxl.load_workbook(root / "keyness_2021.xlsx").active
    assert "疫苗" in {row[0] for row in sheet.iter_rows(values_only=True)}
    raw = sorted(p.name for p in (root / "data" / "raw").iterdir())
    assert "2023-03-07_毛宁.pdf" in raw and not any(name.startswith("2022-03-07") for name in raw)
    assert any(name.endswith("_郑栅洁.docx") for name in raw) and len(raw) == 4


def test_python_blocks_run_after_the_shell_blocks(project) -> None:
    root, env = project
    script = "\n".join(blocks("python"))
    assert "paths = get_paths()" in script
    result = run(root, env, [sys.executable, "-"], script)
    assert result.returncode == 0, result.stderr
