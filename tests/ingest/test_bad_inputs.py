"""A catalogue of bad inputs: each gives `corpus parse` and `corpus add` exit status 2 and one stderr line naming
the file, never a traceback, and `add` leaves data/ as it was."""

from __future__ import annotations

import io
import os
import shutil
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfWriter

from corpus import cli
from corpus.dataset.build import build
from corpus.dataset.manifest import read_manifest
from corpus.ingest.formats import MAX_DOCX_UNPACKED, MAX_PDF_PAGES
from corpus.ingest.readers import MAX_CHARS, MAX_FILE_BYTES
from corpus.paths import get_paths
from tests.conftest import SEED_2021, folder_digest, make_project
from tests.samples import paragraphs, reportlab_pdf, seed_text, word_docx

FIRST_PARAGRAPHS = paragraphs(SEED_2021)[:8]
DOCUMENT_XML = "word/document.xml"


def _rewrite_docx(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """The .docx with each member's bytes passed through change(name, bytes)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, change(info.filename, source.read(info.filename)))
    return out.getvalue()


def _damaged_deflate() -> bytes:
    """A .docx whose document.xml has garbage in the middle of its compressed stream (zlib.error when read)."""
    data = bytearray(word_docx(FIRST_PARAGRAPHS))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(DOCUMENT_XML)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 20
    data[start : start + 40] = bytes(b ^ 0x55 for b in data[start : start + 40])
    return bytes(data)


def _without_body() -> bytes:
    empty = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    return _rewrite_docx(word_docx(FIRST_PARAGRAPHS), lambda name, data: empty if name == DOCUMENT_XML else data)


def _zip_bomb() -> bytes:
    """A .docx whose document.xml says it unpacks to 4 GB (a zip bomb is refused from the zip's directory, before
    anything is decompressed; here the size is written into the directory of a small file)."""
    data = bytearray(word_docx(FIRST_PARAGRAPHS))
    entry, position = -1, 0
    while (position := data.find(b"PK\x01\x02", position)) >= 0:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length] == DOCUMENT_XML.encode():
            entry = position
        position += 4
    struct.pack_into("<I", data, entry + 24, 0xFFFF_FFF0)  # uncompressed size in the central directory
    return bytes(data)


def _many_pages() -> bytes:
    writer = PdfWriter()
    for _ in range(MAX_PDF_PAGES + 1):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _questions_without_answers(n: int) -> bytes:
    head = "十三届全国人大四次会议7日在人民大会堂举行视频记者会，外交部长王毅答中外记者问。\n\n"
    return (head + "\n\n".join(f"记者：问{i}？" for i in range(n))).encode()


def _truncated_pdf() -> bytes:
    return reportlab_pdf(FIRST_PARAGRAPHS)[:-200]  # pypdf logs "EOF marker not found" before failing


def _big_sparse(path: Path) -> None:
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)


# name: (file name, content, message); content is bytes, or a function writing the file at a path
CATALOGUE: dict[str, tuple[str, bytes | Callable[[Path], None], str]] = {
    "docx-damaged-deflate": ("a.docx", _damaged_deflate(), "not a valid .docx file (its compressed data is damaged)"),
    "docx-without-body": ("b.docx", _without_body(), "not a valid .docx file (it has no document body)"),
    "docx-zip-bomb": ("bomb.docx", _zip_bomb(), f"more than the limit of {MAX_DOCX_UNPACKED // 2**20} MB"),
    "pdf-truncated": ("cut.pdf", _truncated_pdf(), "damaged or unreadable PDF"),
    "pdf-too-many-pages": ("long.pdf", _many_pages(), f"more than the limit of {MAX_PDF_PAGES:,}"),
    "file-too-large": ("huge.txt", _big_sparse, f"larger than {MAX_FILE_BYTES // 2**20} MB"),
    "too-many-characters": ("long.txt", ("王毅：" + "好" * MAX_CHARS).encode(), f"more than {MAX_CHARS:,} characters"),
    "100000-unanswered-questions": ("q.txt", _questions_without_answers(100_000), "100000 questions but no answers"),
    "name-over-255-bytes": ("记" * 90 + ".txt", b"", "cannot be read (File name too long)"),
}


def _make(tmp_path: Path, case: str) -> Path:
    name, content, _ = CATALOGUE[case]
    path = tmp_path / "incoming" / name
    path.parent.mkdir()
    if callable(content):
        content(path)
    elif len(name.encode()) <= 255:
        path.write_bytes(content)
    return path


def _one_line_error(capsys, name: str, message: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("corpus: error: ") and "Traceback" not in err, err
    assert name in err and message in err, err
    return err


@pytest.mark.parametrize("case", sorted(CATALOGUE))
def test_parse_refuses_in_one_line(tmp_path: Path, capsys, case: str) -> None:
    path = _make(tmp_path, case)
    assert cli.main(["parse", str(path)]) == 2
    _one_line_error(capsys, path.name[:40], CATALOGUE[case][2])


@pytest.mark.parametrize("case", sorted(CATALOGUE))
def test_add_refuses_in_one_line_and_changes_nothing(tmp_path: Path, capsys, case: str) -> None:
    root = make_project(tmp_path / "project")
    path = _make(tmp_path, case)
    before = folder_digest(root)
    assert cli.main(["--root", str(root), "add", str(path)]) == 2
    _one_line_error(capsys, path.name[:40], CATALOGUE[case][2])
    assert folder_digest(root) == before


NOT_UTF8 = os.fsdecode("王毅".encode("gbk") + b".txt")  # a GBK name from a Windows zip, not UTF-8
SHOWN = "\\xcd\\xf5\\xd2\\xe3.txt"


def test_a_file_name_that_is_not_utf8_is_named_in_the_error(tmp_path: Path, capsys) -> None:
    path = tmp_path / NOT_UTF8
    path.write_bytes(SEED_2021.read_bytes())
    assert cli.main(["parse", str(path)]) == 2
    _one_line_error(capsys, SHOWN, "the file name is not UTF-8 text; rename it")


def test_such_a_file_in_raw_is_named_by_the_build(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path / "project")
    shutil.copy(SEED_2021, root / "data" / "raw" / NOT_UTF8)
    assert cli.main(["--root", str(root), "build"]) == 2
    _one_line_error(capsys, f"raw/{SHOWN}", "the file name is not UTF-8 text")


def test_add_takes_such_a_file_under_its_canonical_name(tmp_path: Path, capsys) -> None:
    root = make_project(tmp_path / "project", {})
    path = tmp_path / NOT_UTF8
    path.write_bytes(SEED_2021.read_bytes())
    assert cli.main(["--root", str(root), "add", str(path)]) == 0, capsys.readouterr().err
    assert (root / "data" / "raw" / "2021-03-07_王毅.txt").read_bytes() == SEED_2021.read_bytes()
    assert read_manifest(root / "data" / "manifest.csv").source.tolist() == [SHOWN]  # printable, stored as seen


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("lexicon"))
    build(get_paths(root))
    return root


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- id: 外交\n  terms: [外交]\n".encode("gbk"), "not UTF-8 text"),
        (b"5\n", "expected a list or a mapping of entries, found int"),
        (b"- id: [\n", "not valid YAML"),
        (b"- 5\n- 6\n", "theme #1 needs an id and a list of terms"),
    ],
    ids=["gbk", "scalar", "syntax", "not-mappings"],
)
def test_malformed_lexicon_is_one_line(built: Path, tmp_path: Path, capsys, content: bytes, message: str) -> None:
    lexicon = tmp_path / "my_themes.yaml"
    lexicon.write_bytes(content)
    assert cli.main(["--root", str(built), "themes", "--lexicon", str(lexicon)]) == 2
    _one_line_error(capsys, "my_themes.yaml", message)


def test_the_seed_still_parses_under_every_limit(capsys) -> None:
    """The limits are far above a real transcript (the 2021 seed has about 1/100 of the characters allowed)."""
    assert len(seed_text(SEED_2021)) < MAX_CHARS / 50
    assert cli.main(["parse", str(SEED_2021)]) == 0
    assert "2021-03-07" in capsys.readouterr().out
