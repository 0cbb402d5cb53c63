"""Reading transcript files into text: the file's format (by content, then suffix) and its Chinese encoding."""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path
from typing import Literal

from corpus.errors import CorpusError
from corpus.ingest.formats import docx_text, html_text, pdf_text

__all__ = [
    "MAX_CHARS", "MAX_FILE_BYTES", "SUFFIXES", "check_name", "check_text", "decode", "extract_text", "read_bytes",
    "read_text", "shown_name", "sniff_format",
]  # fmt: skip

Format = Literal["text", "html", "pdf", "docx"]
TEXT_SUFFIXES = {"", ".txt", ".text", ".md"}
SUFFIXES: dict[str, Format] = {
    **dict.fromkeys(TEXT_SUFFIXES, "text"),
    **dict.fromkeys([".html", ".htm", ".shtml", ".xhtml"], "html"),
    ".pdf": "pdf",
    ".docx": "docx",
}
# Formats recognised by their first bytes, to say what to do instead of calling them binary.
_FOREIGN_MAGIC = (
    (b"\xd0\xcf\x11\xe0", "an old Word .doc/.wps file: save it as .docx"),
    (b"{\\rtf", "an RTF file: save it as .docx or .txt"),
    (b"\x89PNG", "an image, not text: run OCR on it first"),
    (b"\xff\xd8\xff", "an image, not text: run OCR on it first"),
    (b"GIF8", "an image, not text: run OCR on it first"),
)
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CJK = re.compile(r"[\u3400-\u9fff]")
# Most-used characters: GB2312 level 1 (lead bytes B0-D7) and Big5 常用字 (lead bytes A4-C6).
_COMMON_LEADS = {"gb18030": ("gb2312", 0xB0, 0xD7), "big5hkscs": ("big5", 0xA4, 0xC6)}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Limits: far above any real transcript (a long press conference is ~60,000 characters in a file of a few MB),
# low enough that a file past them is refused in well under a second instead of taking minutes or gigabytes.
MAX_FILE_BYTES = 64 * 2**20
MAX_CHARS = 2_000_000


def shown_name(name: str | Path) -> str:
    """A file name as it can be printed and stored: bytes that are not UTF-8 (a name from a Windows zip, held by
    Python as surrogate escapes) shown as \\xNN."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def check_name(path: Path) -> Path:
    """The path itself if its file name is UTF-8 text (it becomes a doc_id, a table cell, a line printed), else a
    CorpusError naming it with its bytes shown as \\xNN."""
    if shown_name(path.name) != path.name:
        raise CorpusError(f"{shown_name(path)}: the file name is not UTF-8 text; rename it (e.g. `corpus add` it)")
    return path


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a CorpusError that names the file and says why it cannot be read (past the limit of
    MAX_FILE_BYTES too)."""
    shown = shown_name(path)
    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            raise CorpusError(f"{shown}: not a regular file (a pipe, socket or device)")  # reading a pipe would hang
        if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
            raise CorpusError(f"{shown}: larger than {MAX_FILE_BYTES // 2**20} MB, the limit for one transcript")
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise CorpusError(f"{shown}: is a folder, not a transcript file") from None
    except PermissionError:
        raise CorpusError(f"{shown}: permission denied (the file is not readable)") from None
    except OSError as exc:
        raise CorpusError(f"{shown[:300]}: cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise CorpusError(f"{shown}: the file is empty")
    return data


def decode(data: bytes, *, name: str = "<text>") -> str:
    """Text from bytes in UTF-8 (with or without BOM), UTF-16/32 (BOM or not) or GB18030/GBK."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, name)
    if b"\x00" in data[:4096]:
        if (text := _utf8_with_stray_nuls(data)) is not None:
            return text  # the NULs are removed in cleaning
        utf16 = _guess_utf16(data)
        try:
            return data.decode(utf16 or "")
        except (UnicodeDecodeError, LookupError):
            raise CorpusError(f"{name}: binary file, not text") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _looks_like_chinese_utf8(data[: utf8_error.start]):
        # Chinese decoded fine up to the bad byte: a damaged UTF-8 file, not GBK.
        what = (
            "ends mid-character (truncated)"
            if utf8_error.reason == "unexpected end of data"
            else (f"has an invalid byte at offset {utf8_error.start}")
        )
        raise CorpusError(f"{name}: UTF-8 text that {what}")
    return _decode_legacy(data, name=name)


def _decode_legacy(data: bytes, *, name: str) -> str:
    """GB18030/GBK or Big5: whichever decodes and reads as the commoner characters of its own standard."""
    candidates = []
    for encoding in _COMMON_LEADS:
        try:
            candidates.append((_common_share(data.decode(encoding), encoding), encoding))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise CorpusError(f"{name}: cannot decode: not UTF-8, GB18030/GBK, Big5 or UTF-16 text")
    best = max(candidates, key=lambda c: (c[0], c[1] == "gb18030"))[1]
    return data.decode(best)


def _common_share(text: str, encoding: str) -> float:
    """Share of the Chinese characters that are among the most-used ones of the encoding's character set."""
    charset, low, high = _COMMON_LEADS[encoding]
    chars = _CJK.findall(text[:20000])
    common = 0
    for ch in chars:
        try:
            common += low <= ch.encode(charset)[0] <= high
        except UnicodeEncodeError:
            continue
    return common / len(chars) if chars else 0.0


def _looks_like_chinese_utf8(prefix: bytes) -> bool:
    """Whether bytes decode as UTF-8 to mostly Chinese (GBK bytes can pass as a few stray UTF-8 letters)."""
    text = prefix.decode("utf-8", errors="ignore")
    wide = [ch for ch in text if not ch.isascii()]
    return len(wide) >= 2 and sum(
        bool(_CJK.match(ch)) or "\u3000" <= ch <= "\u303f" or ch > "\uff00" for ch in wide
    ) > 0.9 * len(wide)


def _utf8_with_stray_nuls(data: bytes) -> str | None:
    """Valid UTF-8 with a few NUL bytes is UTF-8, not UTF-16: UTF-16 Chinese is almost never valid UTF-8, and
    UTF-16 ASCII has a NUL in every other byte."""
    if data.count(0) * 10 > len(data):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII characters leave their zero bytes on one side of each pair only."""
    zeros_even, zeros_odd = data[0::2].count(0), data[1::2].count(0)
    if len(data) % 2:
        return None
    if zeros_even > 4 * zeros_odd:
        return "utf-16-be"
    if zeros_odd > 4 * zeros_even:
        return "utf-16-le"
    return None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise CorpusError(f"{name}: not valid {encoding.upper()} text") from None


def check_text(text: str, *, name: str) -> str:
    """The text itself if it looks like a Chinese transcript (and within MAX_CHARS), else a CorpusError saying why
    not."""
    if len(text) > MAX_CHARS:
        raise CorpusError(f"{name}: more than {MAX_CHARS:,} characters, the limit for one transcript")
    if len(_CONTROL.findall(text)) > max(10, len(text) // 100):
        raise CorpusError(f"{name}: binary file, not text")
    if not _CJK.search(text):
        raise CorpusError(f"{name}: no Chinese text found")
    return text


def sniff_format(data: bytes, *, name: str, suffix: str = "") -> Format:
    """The file's format from its first bytes where they tell (PDF, zip, HTML), else from its suffix."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if b"word/" not in data[:65536] and suffix != ".docx":
            raise CorpusError(f"{name}: a zip archive, not a Word .docx transcript")
        return "docx"
    if what := next((what for magic, what in _FOREIGN_MAGIC if data.startswith(magic)), None):
        raise CorpusError(f"{name}: {what}")
    if suffix in (".pdf", ".docx"):
        raise CorpusError(f"{name}: not a {suffix} file (its content does not start like one)")
    if suffix not in SUFFIXES:
        raise CorpusError(f"{name}: unsupported file type '{suffix}' (expected .txt, .html, .pdf or .docx)")
    return SUFFIXES[suffix]


def extract_text(data: bytes, *, name: str, suffix: str = "") -> str:
    """The text of a transcript file's bytes, whatever its format and encoding."""
    kind = sniff_format(data, name=name, suffix=suffix)
    if kind == "pdf":
        text = pdf_text(data, name=name)
    elif kind == "docx":
        text = docx_text(data, name=name)
    else:
        text = decode(data, name=name)
        if kind == "html" or _HTML_START.match(text[:4096]):
            text = html_text(text, name=name)
    return check_text(text, name=name)


def read_text(path: str | Path) -> str:
    """The text of a transcript file: plain text in any common Chinese encoding, HTML, PDF or .docx."""
    path = check_name(Path(path))
    return extract_text(read_bytes(path), name=str(path), suffix=path.suffix.lower())
