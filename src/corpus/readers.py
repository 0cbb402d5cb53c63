"""Reading transcript files into text: encodings and, by suffix, the file formats the corpus accepts."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from corpus.errors import CorpusError

TEXT_SUFFIXES = {"", ".txt", ".text", ".md"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a CorpusError that names the file and says why it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CorpusError(f"{path}: is a folder, not a transcript file") from None
    except PermissionError:
        raise CorpusError(f"{path}: permission denied (the file is not readable)") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise CorpusError(f"{path}: the file is empty")
    return data


def decode(data: bytes, *, name: str = "<text>") -> str:
    """Text from bytes in UTF-8 (with or without BOM), UTF-16/32 (BOM or not) or GB18030/GBK."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, name)
    if b"\x00" in data[:4096]:
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
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise CorpusError(f"{name}: cannot decode: not UTF-8, GB18030/GBK or UTF-16 text") from None


def _looks_like_chinese_utf8(prefix: bytes) -> bool:
    """Whether bytes decode as UTF-8 to mostly Chinese (GBK bytes can pass as a few stray UTF-8 letters)."""
    text = prefix.decode("utf-8", errors="ignore")
    wide = [ch for ch in text if not ch.isascii()]
    return len(wide) >= 2 and sum(
        bool(_CJK.match(ch)) or "\u3000" <= ch <= "\u303f" or ch > "\uff00" for ch in wide
    ) > 0.9 * len(wide)


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
    """The text itself if it looks like a Chinese transcript, else a CorpusError saying why not."""
    if len(_CONTROL.findall(text)) > max(10, len(text) // 100):
        raise CorpusError(f"{name}: binary file, not text")
    if not _CJK.search(text):
        raise CorpusError(f"{name}: no Chinese text found")
    return text


def read_text(path: str | Path) -> str:
    """The text of a transcript file, whatever its encoding."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise CorpusError(f"{path}: unsupported file type '{suffix}' (expected .txt)")
    return check_text(decode(read_bytes(path), name=str(path)), name=str(path))
