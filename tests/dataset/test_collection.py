"""`corpus add` and `corpus remove` as a user runs them: canonical copies, the manifest, duplicates, bad input."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import opencc
import pandas as pd
import pytest

from corpus import cli
from corpus.dataset.build import build
from corpus.dataset.manifest import read_manifest
from corpus.ingest.clean import to_simplified
from corpus.paths import get_paths
from corpus.store import built as built_folder
from corpus.store import read_table
from tests.conftest import SEED_2020, SEED_2021, folder_digest, make_project, run_cli
from tests.samples import (
    ministry_page,
    news_page,
    paragraphs,
    reportlab_pdf,
    same_turns,
    scanned_pdf,
    seed_text,
    word_docx,
)

TEXT_2021 = seed_text(SEED_2021)
RAW_2021 = SEED_2021.read_bytes()


def _truncated_utf8(data: bytes) -> bytes:
    """The bytes cut inside a multi-byte character, as an interrupted download leaves them."""
    cut = len(data) // 2
    while data[cut] & 0xC0 != 0x80:
        cut += 1
    return data[:cut]


def _questions_only(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.startswith("王毅："))


def _first_ten_questions(paras: tuple[str, ...]) -> tuple[str, ...]:
    """The 2021 transcript up to the answer to question 10 (the headline over question 11 dropped)."""
    eleventh = next(i for i, p in enumerate(paras) if p.startswith("《北京日报》记者："))
    return paras[: eleventh - 1]


MENU_PAGE = "<html><body><ul>" + "".join(f"<li><a href='/{i}'>外交部新闻{i}</a></li>" for i in range(30)) + "</ul>"
PROSE = tuple(p for p in paragraphs(SEED_2021) if "：" not in p[:20])  # a news article: the answers' prose only

# name: (file name, content, extra options, expected message)
BAD_ADDS = {
    "empty": ("empty.txt", b"", [], "the file is empty"),
    "binary": ("data.txt", bytes(range(256)) * 40, [], "binary file"),
    "truncated-utf-8": ("cut.txt", _truncated_utf8(RAW_2021), [], "UTF-8 text that ends mid-character (truncated)"),
    "scanned-pdf": ("scan.pdf", scanned_pdf(), [], "the PDF has no text layer"),
    "html-without-transcript": ("article.html", news_page(PROSE), [], "no question/answer structure found"),
    "html-only-menus": ("menu.html", MENU_PAGE.encode(), [], "no article text found in the HTML page"),
    "questions-without-answers": ("q.txt", _questions_only(TEXT_2021).encode(), [], "16 questions but no answers"),
    "impossible-date": ("new.txt", TEXT_2021.encode("gbk"), ["--date", "2021-02-30"], "impossible date 2021-02-30"),
    "duplicate-bytes": ("copy.txt", RAW_2021, [], "the same file is already in the corpus as"),
    "duplicate-reencoded": ("copy.txt", TEXT_2021.encode("utf-16"), [], "the same text is already in the corpus as"),
    "duplicate-as-html": ("copy.html", news_page(paragraphs(SEED_2021)), [], "the same text is already in the corpus"),
}


def _assert_one_line_error(result, *, name: str, message: str) -> None:
    assert result.returncode == 2, result.stdout
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("corpus: error: ") and name in result.stderr and message in result.stderr


@pytest.fixture(scope="session")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two seeds under their canonical names, built once."""
    root = make_project(tmp_path_factory.mktemp("built"))
    build(get_paths(root))
    return root


@pytest.fixture
def built(built_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built two-seed project."""
    return Path(shutil.copytree(built_template, tmp_path / "project"))


@pytest.fixture
def corpus(capsys):
    """The command line called in-process (same code path as the `corpus` script, without interpreter start-up)."""

    def run(*args: str, root: Path) -> SimpleNamespace:
        code = cli.main(["--root", str(root), *args])
        out, err = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)

    return run


@pytest.mark.parametrize("case", sorted(BAD_ADDS))
def test_bad_add_is_one_line_error_and_data_unchanged(built: Path, tmp_path: Path, corpus, case: str) -> None:
    name, content, options, message = BAD_ADDS[case]
    source = tmp_path / "incoming" / name
    source.parent.mkdir()
    source.write_bytes(content)
    before = folder_digest(built / "data")
    _assert_one_line_error(corpus("add", str(source), *options, root=built), name=name, message=message)
    assert folder_digest(built / "data") == before


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: (d / "folder.txt").mkdir() or d / "folder.txt", "is a folder"),
        (lambda d: os.mkfifo(d / "pipe.txt") or d / "pipe.txt", "not a regular file"),
    ],
    ids=["missing", "folder", "fifo"],
)
def test_paths_that_are_not_files(built: Path, tmp_path: Path, corpus, make, message: str) -> None:
    path = make(tmp_path)
    before = folder_digest(built / "data")
    _assert_one_line_error(corpus("add", str(path), root=built), name=path.name, message=message)
    assert folder_digest(built / "data") == before


def test_unreadable_file(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    source = tmp_path / "locked.txt"
    source.write_bytes(TEXT_2021.encode("gbk"))
    before = folder_digest(built / "data")

    def deny(self: Path) -> bytes:
        # The tests run as root, which reads any file whatever its mode (chmod 000 proves nothing), so the
        # refusal is simulated in-process for this one file, the way the OS raises it for an ordinary user.
        if self == source:
            raise PermissionError(13, "Permission denied")
        return original(self)

    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", deny)
    assert cli.main(["--root", str(built), "add", str(source)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "locked.txt: permission denied (the file is not readable)" in err
    assert folder_digest(built / "data") == before


def test_a_bad_file_already_in_raw_rolls_the_add_back(built: Path, tmp_path: Path, corpus) -> None:
    (built / "data" / "raw" / "2019-03-08_王毅.txt").write_bytes(b"")  # put there by hand, empty
    before = folder_digest(built / "data")
    source = tmp_path / "new.txt"
    source.write_bytes(_questions_only(TEXT_2021).replace("《人民日报》记者：", "王毅：").encode())
    result = corpus("add", str(source), "--date", "2022-03-07", root=built)
    _assert_one_line_error(result, name="2019-03-08_王毅.txt", message="the file is empty")
    assert folder_digest(built / "data") == before


ENCODINGS = {
    "gbk.txt": lambda: TEXT_2021.encode("gbk"),
    "utf-16.txt": lambda: TEXT_2021.encode("utf-16"),
    "big5.txt": lambda: opencc.OpenCC("s2tw").convert(TEXT_2021).encode("big5hkscs"),
    "ministry.html": lambda: ministry_page(paragraphs(SEED_2021)),
    "office.pdf": lambda: reportlab_pdf(paragraphs(SEED_2021)),
    "word.docx": lambda: word_docx(paragraphs(SEED_2021)),
}


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_add_copies_byte_for_byte_records_and_builds(tmp_path: Path, corpus, parsed_2021, name: str) -> None:
    project = tmp_path / "project"
    (project / "data" / "raw").mkdir(parents=True)
    shutil.copy(SEED_2020, project / "data" / "raw" / "2020-05-24_王毅.txt")
    source = tmp_path / name
    source.write_bytes(ENCODINGS[name]())
    result = corpus("add", str(source), root=project)
    assert result.returncode == 0, result.stderr
    copy = project / "data" / "raw" / f"2021-03-07_王毅{source.suffix}"
    assert copy.read_bytes() == source.read_bytes() and "16 questions; 2 documents built" in result.stdout
    row = read_manifest(project / "data" / "manifest.csv").iloc[0]
    assert (row.file, row.source, row.sha256) == (copy.name, name, hashlib.sha256(source.read_bytes()).hexdigest())
    assert (row.date, row.speaker, row.event) == ("2021-03-07", "王毅", "十三届全国人大四次会议")
    turns = read_table(project / "data" / "processed", "turns").query("doc_id == '2021-03-07_王毅'")
    simplified = turns.assign(
        text=turns.text.map(to_simplified), headline=turns.headline.map(to_simplified, na_action="ignore")
    )
    assert same_turns(simplified).equals(same_turns(parsed_2021[1]))
    assert name.startswith("big5") or same_turns(turns).equals(same_turns(parsed_2021[1]))  # as written


def test_a_taken_name_gets_a_number_and_nothing_is_overwritten(built: Path, tmp_path: Path, corpus) -> None:
    raw = built / "data" / "raw"
    before = {p.name: p.read_bytes() for p in raw.iterdir()}
    source = tmp_path / "part.txt"  # a different conference on the same day: the first ten questions only
    source.write_text("\n".join(_first_ten_questions(paragraphs(SEED_2021))), encoding="utf-8")
    result = corpus("add", str(source), "--date", "2021-03-07", "--allow-overlap", root=built)
    assert result.returncode == 0, result.stderr
    assert (raw / "2021-03-07_王毅-2.txt").read_bytes() == source.read_bytes()
    assert all((raw / name).read_bytes() == content for name, content in before.items())


def test_three_years_build_with_the_manifest_metadata(built: Path, tmp_path: Path) -> None:
    source = tmp_path / "2022年记者会.docx"  # ten questions of 2021's text, as a Word file, dated 2022
    source.write_bytes(word_docx(_first_ten_questions(paragraphs(SEED_2021))))
    raw_before = folder_digest(built / "data" / "raw")
    processed = built / "data" / "processed"
    tables_before = {name: read_table(processed, name) for name in ("documents", "turns", "tokens")}
    event = "十三届全国人大五次会议"
    result = run_cli("add", str(source), "--date", "2022-03-07", "--event", event, "--allow-overlap", root=built)
    assert result.returncode == 0, result.stderr

    documents, turns, tokens = (read_table(processed, name) for name in ("documents", "turns", "tokens"))
    assert documents[["doc_id", "year"]].values.tolist() == [
        ["2020-05-24_王毅", 2020],
        ["2021-03-07_王毅", 2021],
        ["2022-03-07_王毅", 2022],
    ]
    # the text itself names the 4th session: the event comes from the manifest, as given to `corpus add`
    assert documents.set_index("doc_id").event.to_dict()["2022-03-07_王毅"] == event
    questions = turns[turns.role == "question"].groupby("doc_id").size().to_dict()
    assert questions == {"2020-05-24_王毅": 14, "2021-03-07_王毅": 16, "2022-03-07_王毅": 10}
    assert sorted(tokens.doc_id.unique()) == sorted(documents.doc_id)
    assert "nothing to do" in run_cli("build", root=built).stdout
    assert "3 documents, 40 questions" in run_cli("info", root=built).stdout

    removed = run_cli("remove", "2022-03-07_王毅.docx", root=built)
    assert removed.returncode == 0 and "2 documents built" in removed.stdout
    assert folder_digest(built / "data" / "raw") == raw_before
    assert read_manifest(built / "data" / "manifest.csv").empty
    for name, table in tables_before.items():
        pd.testing.assert_frame_equal(read_table(processed, name), table)


def test_formula_like_event_is_neutralised_in_csv_and_read_back_exactly(built: Path, tmp_path: Path, corpus) -> None:
    source = tmp_path / "part.txt"
    source.write_text("\n".join(_first_ten_questions(paragraphs(SEED_2021))), encoding="utf-8")
    event = '=HYPERLINK("http://evil.example","-点击")'
    result = corpus("add", str(source), "--date", "2022-03-07", "--event", event, "--allow-overlap", root=built)
    assert result.returncode == 0, result.stderr
    manifest = built / "data" / "manifest.csv"
    assert f"'{event}" in manifest.read_text(encoding="utf-8-sig").replace('""', '"')
    assert read_manifest(manifest).event.tolist() == [event]  # read back exactly, the escape undone
    processed = built / "data" / "processed"
    documents = read_table(processed, "documents").set_index("doc_id")
    assert documents.event["2022-03-07_王毅"] == event  # Parquet exact, and the build saw the exact event
    csv = pd.read_csv(built_folder(processed) / "documents.csv", encoding="utf-8-sig", dtype=str).set_index("doc_id")
    assert csv.event["2022-03-07_王毅"] == f"'{event}"
    assert "nothing to do" in run_cli("build", root=built).stdout


def test_remove_accepts_the_name_the_file_was_added_under(built: Path, tmp_path: Path, corpus) -> None:
    before = folder_digest(built / "data" / "raw")
    source = tmp_path / "transcript from the web.txt"
    source.write_text("\n".join(_first_ten_questions(paragraphs(SEED_2021))), encoding="utf-8")
    added = corpus("add", str(source), "--date", "2022-03-07", "--allow-overlap", root=built)
    assert added.returncode == 0, added.stderr
    assert (built / "data" / "raw" / "2022-03-07_王毅.txt").exists()
    removed = corpus("remove", source.name, root=built)
    assert removed.returncode == 0, removed.stderr
    assert folder_digest(built / "data" / "raw") == before
    assert read_manifest(built / "data" / "manifest.csv").empty


def test_remove_what_was_not_added(built: Path, corpus) -> None:
    before = folder_digest(built / "data")
    result = corpus("remove", "2021-03-07_王毅.txt", root=built)
    _assert_one_line_error(result, name="2021-03-07_王毅.txt", message="only files added with `corpus add`")
    assert folder_digest(built / "data") == before


@pytest.mark.parametrize("file", ["../../x.txt", "../x.txt", "absolute", "sub/x.txt", "..", ""])
@pytest.mark.parametrize("command", ["remove", "build"])
def test_manifest_row_outside_raw_is_refused_and_nothing_deleted(built: Path, corpus, file: str, command: str) -> None:
    victim = built.parent / "x.txt"  # what "../../x.txt" from data/raw points at
    victim.write_text("keep me", encoding="utf-8")
    file = str(victim) if file == "absolute" else file
    manifest = built / "data" / "manifest.csv"
    header = "file,source,sha256,text_sha256,date,speaker,event,added_at"
    manifest.write_text(f"{header}\n2021-03-07_王毅.txt,a.txt,0,0,,,,\n{file},x.txt,1,1,,,,\n", encoding="utf-8")
    before = folder_digest(built / "data")
    args = ["remove", "x.txt"] if command == "remove" else ["build", "--force"]
    result = corpus(*args, root=built)
    _assert_one_line_error(result, name="manifest.csv", message="row 3")
    assert "not a file name inside data/raw" in result.stderr
    assert victim.read_text(encoding="utf-8") == "keep me" and folder_digest(built / "data") == before


def test_damaged_manifest_is_a_clear_error(built: Path, corpus) -> None:
    manifest = built / "data" / "manifest.csv"
    manifest.write_text("file,source\n2021.txt,a.txt\n", encoding="utf-8")
    before = folder_digest(built / "data")
    result = corpus("build", "--force", root=built)
    _assert_one_line_error(result, name="manifest.csv", message="lacks the column(s) sha256, text_sha256")
    assert folder_digest(built / "data") == before
