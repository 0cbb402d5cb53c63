"""Reading transcripts in any common Chinese encoding, and clear errors for files that are not transcripts."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import opencc
import pytest

from corpus.errors import CorpusError
from corpus.ingest.readers import read_text
from tests.conftest import SEED_2021

SEED_TEXT = SEED_2021.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: t.encode("gb18030"),
        lambda t: t.replace("\n", "\r\n").encode("gbk"),
        lambda t: t.encode("utf-16"),  # with BOM
        lambda t: t.encode("utf-16-le"),  # without BOM
        lambda t: t.encode("utf-16-be"),
        lambda t: t.encode("utf-32"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk-crlf", "utf-16", "utf-16-le", "utf-16-be", "utf-32"],
)
def test_reads_every_common_encoding(tmp_path: Path, encode) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(encode(SEED_TEXT))
    assert read_text(path).replace("\r\n", "\n") == SEED_TEXT


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n \t", "the file is empty"),
        (bytes(range(256)) * 20, "binary file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "an image, not text"),
        (
            SEED_TEXT.encode("utf-8")[:-1] if SEED_TEXT.encode("utf-8")[-1] >= 0x80 else "王毅：谢谢".encode()[:-1],
            "truncated",
        ),
        ("王毅：谢谢".encode() + b"\xff" + "各位".encode(), "invalid byte at offset"),
        (b"Just English text, no Chinese at all.\n", "no Chinese text found"),
    ],
    ids=["empty", "blank", "binary", "png", "truncated-utf-8", "bad-utf-8-byte", "no-chinese"],
)
def test_bad_files_give_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CorpusError, match=message) as error:
        read_text(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(CorpusError, match="is a folder"):
        read_text(tmp_path / "folder.txt")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("王毅：你好", encoding="utf-8")

    def deny(self: Path) -> bytes:  # root ignores file modes, so refuse the read the way the OS would
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(CorpusError, match="not readable"):
        read_text(path)


@pytest.mark.parametrize("variant", ["s2tw", "s2twp"])  # Taiwan forms: OpenCC's standard forms (爲, 説) are not Big5
def test_big5_traditional_text_is_not_read_as_gbk(tmp_path: Path, variant: str) -> None:
    traditional = opencc.OpenCC(variant).convert(SEED_TEXT)
    path = tmp_path / "big5.txt"
    path.write_bytes(traditional.encode("big5hkscs"))
    assert read_text(path) == traditional


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), ".doc", r"old Word \.doc/\.wps file: save it as \.docx"),
        (b"{\\rtf1\\ansi\\ansicpg936 \\'cd\\'f5", ".rtf", "an RTF file"),
        ("王毅：谢谢。".encode(), ".xls", r"unsupported file type '\.xls'"),
    ],
    ids=["word-97", "rtf", "unknown-suffix"],
)
def test_formats_that_are_not_accepted_say_what_to_do(
    tmp_path: Path, content: bytes, suffix: str, message: str
) -> None:
    path = tmp_path / f"transcript{suffix}"
    path.write_bytes(content)
    with pytest.raises(CorpusError, match=message):
        read_text(path)


def test_a_pipe_is_refused_instead_of_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(CorpusError, match="not a regular file"):
        read_text(fifo)
