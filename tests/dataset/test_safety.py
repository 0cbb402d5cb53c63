"""Crashes, concurrent runs and a full or read-only disk never lose or half-write what is in data/."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from corpus import cli
from corpus.dataset import collection, lock
from corpus.dataset.manifest import journal_path, read_manifest
from corpus.paths import get_paths
from corpus.store import read_table
from tests.conftest import REPO, SEED_2020, SEED_2021, folder_digest, make_project
from tests.samples import paragraphs

SEED_ONLY = {"2020-05-24_王毅.txt": SEED_2020}
ADDED = "2021-03-07_王毅.txt"


@pytest.fixture(scope="module")
def one_seed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built project holding the 2020 seed (put there by hand) and the 2021 seed added with `corpus add`."""
    root = make_project(tmp_path_factory.mktemp("safety"), SEED_ONLY)
    assert cli.main(["--root", str(root), "add", str(SEED_2021)]) == 0
    return root


@pytest.fixture
def project(one_seed_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(one_seed_template, tmp_path / "project"))


def _state(root: Path) -> dict:
    """What a consistent project shows: the raw files, the manifest's files and the built documents and turns."""
    paths = get_paths(root)
    raw = sorted(p.name for p in paths.raw.iterdir())
    return {
        "raw": raw,
        "manifest": sorted(read_manifest(paths.manifest).file),
        "documents": sorted(read_table(paths.processed, "documents").doc_id),
        "turns": sorted(read_table(paths.processed, "turns").doc_id.unique()),
        "journal": journal_path(paths.manifest).exists(),
    }


WITH_ADDED = {
    "raw": ["2020-05-24_王毅.txt", ADDED],
    "manifest": [ADDED],
    "documents": ["2020-05-24_王毅", "2021-03-07_王毅"],
    "turns": ["2020-05-24_王毅", "2021-03-07_王毅"],
    "journal": False,
}
WITHOUT_ADDED = {
    "raw": ["2020-05-24_王毅.txt"],
    "manifest": [],
    "documents": ["2020-05-24_王毅"],
    "turns": ["2020-05-24_王毅"],
    "journal": False,
}


def _forked(argv: list[str], *, crash_at: str | None = None, kill_at_rename: int | None = None, log: Path) -> int:
    """Run the command line in a forked child (the libraries already loaded, so it starts at once) and return its
    wait status: killed with SIGKILL at the named step, or just before its n-th file rename (os.replace)."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            if crash_at:
                os.environ["CORPUS_CRASH_AT"] = crash_at
            if kill_at_rename:
                real, count = os.replace, [0]

                def replace(*args, **kwargs):
                    count[0] += 1
                    if count[0] == kill_at_rename:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return real(*args, **kwargs)

                os.replace = replace
            code = cli.main(argv)
        except BaseException:
            code = 3
        os._exit(code)
    return os.waitpid(pid, 0)[1]


ADD_STEPS = ["add:journal", "add:copy", "add:manifest", "add:build", "add:built"]
REMOVE_STEPS = ["remove:journal", "remove:trash", "remove:manifest", "remove:build", "remove:built"]


@pytest.mark.parametrize("step", ADD_STEPS + REMOVE_STEPS)
def test_kill_at_each_step_then_the_next_command_finds_a_consistent_state(
    project: Path, tmp_path: Path, step: str
) -> None:
    after = ["build", "add", "remove"][(ADD_STEPS + REMOVE_STEPS).index(step) % 3]  # each next command in turn
    root = ["--root", str(project)]
    if step.startswith("add"):
        assert cli.main([*root, "remove", ADDED]) == 0
        command, before, done = [*root, "add", str(SEED_2021)], WITHOUT_ADDED, WITH_ADDED
    else:
        command, before, done = [*root, "remove", ADDED], WITH_ADDED, WITHOUT_ADDED
    status = _forked(command, crash_at=step, log=tmp_path / "log")
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (tmp_path / "log").read_text()

    # the next command, whichever it is, first completes the step (a remove whose rebuild had finished) or rolls it
    # back (an add is complete only once its journal is cleared, the last thing it does)
    expected = done if step == "remove:built" else before
    if after == "build":
        assert cli.main([*root, "build"]) == 0
    elif after == "add":  # re-adding succeeds if the step was rolled back, is refused as a duplicate if completed
        assert cli.main([*root, "add", str(SEED_2021)]) == (2 if expected is WITH_ADDED else 0)
        expected = WITH_ADDED
    else:
        assert cli.main([*root, "remove", ADDED]) == (0 if expected is WITH_ADDED else 2)
        expected = WITHOUT_ADDED
    assert _state(project) == expected


@pytest.mark.parametrize("operation", ["add", "remove"])
def test_kill_before_every_file_rename_leaves_old_or_new(project: Path, tmp_path: Path, operation: str) -> None:
    """kill -9 before the 1st, 2nd, ... rename the command makes (journal, manifest, each processed table and the
    build state), until it runs to the end: after the next build the project is always wholly old or wholly new."""
    root = ["--root", str(project)]
    reference = tmp_path / "reference"
    shutil.copytree(project, reference)
    if operation == "add":
        assert cli.main(["--root", str(reference), "remove", ADDED]) == 0
        command, before = ["add", str(SEED_2021)], WITHOUT_ADDED
    else:
        command, before = ["remove", ADDED], WITH_ADDED
    for n in range(1, 60):
        trial = tmp_path / f"trial{n}"
        shutil.copytree(reference, trial)
        status = _forked(["--root", str(trial), *command], kill_at_rename=n, log=tmp_path / "log")
        if os.WIFEXITED(status):
            assert os.WEXITSTATUS(status) == 0, (tmp_path / "log").read_text()
            break
        assert cli.main(["--root", str(trial), "build"]) == 0
        assert _state(trial) == before, f"killed before rename {n}"
        assert not [p for p in (trial / "data" / "raw").iterdir() if p.name.startswith(".")]
        shutil.rmtree(trial)
    assert n > 4  # journal, manifest, journal, and the build's tables at least
    assert cli.main([*root, "build"]) == 0


def test_a_remove_whose_rebuild_fails_is_undone(project: Path, capsys) -> None:
    raw = project / "data" / "raw"
    (raw / "2019-03-08_王毅.txt").write_bytes(b"")  # put there by hand, empty: every build now fails
    before = folder_digest(project / "data")
    assert cli.main(["--root", str(project), "remove", ADDED]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2019-03-08_王毅.txt: the file is empty" in err
    assert folder_digest(project / "data") == before  # the copy and its row are back, nothing else changed


def _missing_as_none(table: pd.DataFrame) -> pd.DataFrame:
    """The values only: a column with nothing in it may be built as object (None) or float64 (NaN)."""
    table = table.astype(object)
    return table.where(table.notna(), None)


def _full_disk_at(monkeypatch: pytest.MonkeyPatch, folder: Path, *, times: int) -> list[str]:
    """The next `times` renames into `folder` fail as on a full disk (as root, a real full or read-only disk
    cannot be made in a test without mounting one)."""
    real, failed = os.replace, []

    def replace(src, dst, *args, **kwargs):
        if Path(dst).is_relative_to(folder) and len(failed) < times:
            failed.append(str(dst))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return failed


def test_disk_full_while_writing_the_tables_keeps_the_old_state(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    assert cli.main(["--root", str(project), "remove", ADDED]) == 0
    before = _state(project)
    tables = {name: read_table(project / "data" / "processed", name) for name in ("documents", "turns")}
    processed = project / "data" / "processed"
    failed = _full_disk_at(monkeypatch, processed, times=1)  # the new tables do not fit, the old ones do again
    assert cli.main(["--root", str(project), "add", str(SEED_2021)]) == 2
    err = capsys.readouterr().err
    assert failed and err.count("\n") == 1 and "Traceback" not in err
    assert f"{Path(failed[0]).parent}: the folder is full" in err
    assert _state(project) == before
    for name, table in tables.items():
        pd.testing.assert_frame_equal(_missing_as_none(read_table(processed, name)), _missing_as_none(table))


def test_disk_full_during_the_undo_too_is_finished_by_the_next_command(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    assert cli.main(["--root", str(project), "remove", ADDED]) == 0
    before = _state(project)
    _full_disk_at(monkeypatch, project / "data" / "processed", times=10_000)
    assert cli.main(["--root", str(project), "add", str(SEED_2021)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert journal_path(project / "data" / "manifest.csv").exists()  # the tables may be half-written: recorded
    monkeypatch.undo()  # space freed
    assert cli.main(["--root", str(project), "build"]) == 0
    assert _state(project) == before


def test_disk_full_while_copying_into_raw(project: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    assert cli.main(["--root", str(project), "remove", ADDED]) == 0
    before = folder_digest(project / "data")
    real_write = os.write

    def write(fd: int, data) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").endswith(ADDED):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    assert cli.main(["--root", str(project), "add", str(SEED_2021)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the folder is full" in err
    assert folder_digest(project / "data") == before  # no partial copy left in data/raw


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the full-disk tests cover it")
def test_read_only_data_folder(project: Path, capsys) -> None:
    assert cli.main(["--root", str(project), "remove", ADDED]) == 0
    before = folder_digest(project / "data")
    folders = [project / "data", project / "data" / "raw", project / "data" / "processed"]
    for folder in folders:
        folder.chmod(0o555)
    try:
        assert cli.main(["--root", str(project), "add", str(SEED_2021)]) == 2
    finally:
        for folder in folders:
            folder.chmod(0o755)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be written to" in err and str(project / "data") in err
    assert folder_digest(project / "data") == before


def test_read_only_data_folder_simulated(project: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """As root, a read-only file system as the OS reports it: every file created under data/ fails with EROFS."""
    assert cli.main(["--root", str(project), "remove", ADDED]) == 0
    before = folder_digest(project / "data")
    real_open, data = os.open, project / "data"

    def read_only(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and Path(path).is_relative_to(data):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    assert cli.main(["--root", str(project), "add", str(SEED_2021)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{data}: the folder cannot be written to (Read-only file system)" in err
    assert folder_digest(project / "data") == before


def test_a_damaged_journal_is_a_one_line_error(project: Path, capsys) -> None:
    journal = journal_path(project / "data" / "manifest.csv")
    journal.write_text("{not json", encoding="utf-8")
    assert cli.main(["--root", str(project), "build"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{journal}: the journal of an interrupted add/remove is damaged" in err


def test_lock_held_elsewhere_is_a_one_line_refusal_naming_the_holder(project: Path) -> None:
    paths = get_paths(project)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "CORPUS_LOCK_TIMEOUT": "0.2", "CORPUS_ROOT": str(project)}
    with lock.project_lock(paths):
        with lock.project_lock(paths):  # re-entrant in one process (add calls a locked build)
            pass
        result = subprocess.run(
            [sys.executable, "-m", "corpus", "build", "--force"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert f"another corpus command is running on {project} (pid {os.getpid()})" in result.stderr
    assert str(project / lock.LOCK_NAME) in result.stderr


def test_two_concurrent_adds_keep_both_rows_and_both_files(project: Path, tmp_path: Path) -> None:
    """Two `corpus add` started together, of two different transcripts given the same date and speaker (so the
    same name in data/raw): both succeed one after the other, or one is refused cleanly; no row or file lost."""
    assert cli.main(["--root", str(project), "remove", ADDED]) == 0
    paras = paragraphs(SEED_2021)
    eleventh = next(i for i, p in enumerate(paras) if p.startswith("《北京日报》记者："))
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("\n".join(paras[: eleventh - 1]), encoding="utf-8")
    second.write_text("\n".join(paras[:2] + paras[eleventh:]), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "CORPUS_ROOT": str(project), "PYTHONPATH": str(REPO / "src")}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "corpus", "add", str(source), "--date", "2022-03-07", "--allow-overlap"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for source in (first, second)
    ]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    added = [code == 0 for code, _ in results]
    for code, err in results:
        assert code == 0 or (code == 2 and err.count("\n") == 1 and "another corpus command is running" in err)
    assert any(added)
    manifest = read_manifest(project / "data" / "manifest.csv")
    copies = sorted(p.name for p in (project / "data" / "raw").glob("2022-03-07_王毅*"))
    assert len(manifest) == len(copies) == sum(added) and sorted(manifest.file) == copies
    sources = {source.read_bytes() for source, ok in zip((first, second), added, strict=True) if ok}
    assert {(project / "data" / "raw" / name).read_bytes() for name in copies} == sources
    documents = read_table(project / "data" / "processed", "documents")
    assert len(documents) == 1 + sum(added)


def test_overlapping_transcript_is_refused_naming_the_other(project: Path, tmp_path: Path, capsys) -> None:
    paras = paragraphs(SEED_2021)
    eleventh = next(i for i, p in enumerate(paras) if p.startswith("《北京日报》记者："))
    part = tmp_path / "part.txt"  # ten of the sixteen questions with their answers: 20 of 20 turns repeat 2021
    part.write_text("\n".join(paras[: eleventh - 1]), encoding="utf-8")
    before = folder_digest(project / "data")
    assert cli.main(["--root", str(project), "add", str(part), "--date", "2022-03-07"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "part.txt: 20 of its 20 questions and answers repeat" in err
    assert str(project / "data" / "raw" / ADDED) in err and "--allow-overlap" in err
    assert folder_digest(project / "data") == before
    assert cli.main(["--root", str(project), "add", str(part), "--date", "2022-03-07", "--allow-overlap"]) == 0


def test_little_overlap_is_accepted(project: Path, tmp_path: Path) -> None:
    """A later conference repeating two questions of 2020 with their answers (4 of its 16 turns): accepted."""
    assert cli.main(["--root", str(project), "remove", ADDED]) == 0
    paras_2020 = paragraphs(SEED_2020)
    paras_2021 = paragraphs(SEED_2021)
    eleventh = next(i for i, p in enumerate(paras_2021) if p.startswith("《北京日报》记者："))
    questions_2020 = [i for i, p in enumerate(paras_2020) if "记者：" in p[:20]]
    borrowed = paras_2020[questions_2020[0] : questions_2020[2]]  # two questions of 2020 with their answers
    mixed = tmp_path / "mixed.txt"
    mixed.write_text("\n".join([*paras_2021[:2], *borrowed, *paras_2021[eleventh:]]), encoding="utf-8")
    assert cli.main(["--root", str(project), "add", str(mixed), "--date", "2022-03-07"]) == 0
    assert collection.OVERLAP == 2 / 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--date", "1900-03-07"], "is outside 1949-2100"),
        (["--date", "2101-03-07"], "is outside 1949-2100"),
        (["--speaker", "王毅\x1b[31m"], "--speaker '王毅\\x1b[31m': contains the control character U+001B"),
        (["--event", "会议\u202e"], "contains the control character U+202E"),
    ],
    ids=["before-1949", "after-2100", "speaker-escape", "event-bidi"],
)
def test_metadata_out_of_range_or_with_control_characters(project: Path, capsys, options, message) -> None:
    assert cli.main(["--root", str(project), "remove", ADDED]) == 0
    before = folder_digest(project / "data")
    assert cli.main(["--root", str(project), "add", str(SEED_2021), *options]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and (options[0] != "--date" or options[1] in err)
    assert folder_digest(project / "data") == before


@pytest.mark.parametrize("command", ["parse", "add"])
def test_parse_refuses_control_characters_in_options_as_add_does(project: Path, capsys, command) -> None:
    assert cli.main(["--root", str(project), command, str(SEED_2021), "--speaker", "王毅\x1b[31m"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "contains the control character U+001B" in err
