"""Undoing PDF extraction: Unicode and line-ending normalisation, justify spaces, broken lines, page furniture."""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from functools import cache

import opencc

from corpus.resources import known_speakers

__all__ = [
    "clean_report", "clean_text", "drop_justify_spaces", "drop_page_furniture", "is_hard_wrapped", "is_label_line",
    "join_broken_lines", "line_width", "normalize_newlines", "normalize_unicode", "page_furniture", "simplified",
    "split_indents", "to_simplified",
]  # fmt: skip

# Full-width punctuation that NFKC would turn into ASCII; in Chinese text it stays full-width.
_KEEP_FULLWIDTH = "，。！？：；（）［］｛｝～＂＇、"
_NFKC_SPLIT = re.compile(f"([{_KEEP_FULLWIDTH}]+)")
# Zero-width characters, soft hyphens, bidi marks (U+200E/F, U+202A-E, U+2066-9: they would hide a speaker label
# from SPEAKER_LABEL) and C0/C1 control characters (a NUL makes OpenCC stop converting): all removed. Kept: tab,
# newline, CR (normalize_newlines handles it) and form feed, the readers' page-break mark (PAGE_BREAK).
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u00ad\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_WIDE = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u2010-\u206f\u3000-\u303f"
_JUSTIFY_SPACE = re.compile(rf"(?<=[{_WIDE}])[ \t]+|[ \t]+(?=[{_WIDE}])")
_PAGE_NUMBER = re.compile(r"^(?:[-—–]\s*\d{1,4}\s*[-—–]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?)$")
_TERMINAL = re.compile(r"(?:[。！？!?：:；;…]|[。！？!?][”’」』）)]+)$")
_ASCII_WORD_END = re.compile(r"[A-Za-z]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z]")
# A label and a colon opening a line: "《人民日报》记者：", "王毅：", "问：".
SPEAKER_LABEL = re.compile(
    r"^(?:[^\s，。？！：:、；（）“”]{1,20}(?:记者|发言人|主持人)|[\u4e00-\u9fff·]{2,4}|问|答)[：:]"
)
# Labels that open a paragraph whatever the line before looks like (matched in Simplified form): a questioner,
# 问/答, a moderator, or a speaker listed in speakers.yaml. A bare 2-4 character name is not among them: a wrapped
# line can start with "启示是：".
_STRICT_LABEL = re.compile(
    r"^(?:[^\s，。？！：:、；（）“”]{0,20}记者|问|答|提问|(?:大会)?主持人[\u4e00-\u9fff·]{0,4})[：:]"
)
# Two or more ideographic spaces: a paragraph indent, which a scraper that lost the line breaks leaves mid-line.
_INDENT = re.compile(r"[ \t]*\u3000{2,}")
_LIST_ITEM = re.compile(
    r"^(?:第[一二三四五六七八九十]+[，、]|[一二三四五六七八九十]+是|[一二三四五六七八九十]、|首先，)"
)
# Readers mark page breaks with a form feed (PDF); where they do, a blank line is a printed paragraph gap.
PAGE_BREAK = "\f"
# The longest headline over a question (longer unpunctuated lines are not one).
_HEADLINE_MAX = 40
# A share of lines ending mid-sentence above this means the text is hard-wrapped.
_WRAPPED_SHARE = 0.4


def normalize_newlines(text: str) -> str:
    """CRLF, CR and Unicode line separators become plain newlines; a form feed (page break) a line of its own."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace(PAGE_BREAK, f"\n{PAGE_BREAK}\n")
    return text.replace("\u2028", "\n").replace("\u2029", "\n\n")


def split_indents(text: str) -> str:
    """Paragraph indents (two or more U+3000) start a new line: a page flattened to one line keeps its paragraphs."""
    return _INDENT.sub("\n", text)


def normalize_unicode(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII, compatibility forms folded), Chinese punctuation kept;
    invisible, bidi and control characters removed."""
    parts = _NFKC_SPLIT.split(_INVISIBLE.sub("", text))
    return "".join(p if i % 2 else unicodedata.normalize("NFKC", p) for i, p in enumerate(parts))


def drop_justify_spaces(text: str) -> str:
    """Remove the spaces PDF justification puts between Chinese characters and around numbers."""
    return "\n".join(_JUSTIFY_SPACE.sub("", line).strip(" \t") for line in text.split("\n"))


def drop_page_furniture(text: str) -> str:
    """Remove page numbers and running headers (the same unpunctuated line repeated on several pages)."""
    return page_furniture(text)[0]


def page_furniture(text: str) -> tuple[str, list[str]]:
    """The text without page numbers and running headers, and the lines removed.

    Running headers exist only where page breaks are marked (PAGE_BREAK): only a page's first and last lines can be
    one, and a speaker label line never is. A headline wrapped like the first line of the paragraph under it is not
    one either, and in text without page breaks no repeated line is removed.
    """
    lines = text.split("\n")
    counts = Counter(lines)
    edges = _page_edges(lines) if PAGE_BREAK in counts else set()
    kept, dropped = [], []
    for i, line in enumerate(lines):
        header = counts[line] > 1 and len(line) >= 8 and not _TERMINAL.search(line) and i in edges
        if _PAGE_NUMBER.match(line) or (header and not is_label_line(line)):
            dropped.append(line)
            line = ""
        kept.append(line)
    return "\n".join(kept), dropped


def is_label_line(line: str) -> bool:
    """Whether a line opens with a speaker label that always starts a paragraph (Traditional characters too)."""
    head = line[:40]
    if "：" not in head and ":" not in head:
        return False
    simple = to_simplified(head)
    if _STRICT_LABEL.match(simple):
        return True
    name, colon, _ = simple.partition("：")
    return bool(colon) and name in known_speakers()


def _page_edges(lines: list[str]) -> set[int]:
    """Indexes of the first and last non-empty line of every page."""
    edges: set[int] = set()
    page: list[int] = []
    for i, line in enumerate([*lines, PAGE_BREAK]):
        if line == PAGE_BREAK:
            edges.update(page[:1] + page[-1:])
            page = []
        elif line:
            page.append(i)
    return edges


def is_hard_wrapped(text: str) -> bool:
    """Whether most lines end mid-sentence, as in text extracted from a PDF's columns."""
    lines = [line for line in text.split("\n") if line]
    open_ended = sum(not _TERMINAL.search(line) for line in lines)
    return len(lines) > 3 and open_ended / len(lines) > _WRAPPED_SHARE


def line_width(line: str) -> float:
    """Printed width in Chinese character cells: ASCII takes half a cell."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in line)


def join_broken_lines(text: str) -> str:
    """Rebuild paragraphs, one per line, from hard-wrapped lines and page breaks inside sentences.

    Across a blank line, an unfinished full line is a page break and is joined, unless a speaker label
    starts the next line; where the reader marked page breaks (PAGE_BREAK), only those are joined across.
    Without a blank line, a paragraph ends where a sentence ends on a short line, or before a speaker label or a
    list item ("第一，", "二是").
    """
    lines = text.split("\n")
    page_breaks = {i for i, line in enumerate(lines) if line == PAGE_BREAK}
    lines = ["" if i in page_breaks else line for i, line in enumerate(lines)]
    if not is_hard_wrapped("\n".join(lines)):
        return "\n".join(line for line in lines if line)
    full = _full_widths(lines)
    paragraphs: list[list[str]] = []  # each paragraph as its printed lines
    prev = -1
    for i, line in enumerate(lines):
        if not line:
            continue
        printed_gap = bool(page_breaks) and any(j not in page_breaks for j in range(prev + 1, i))
        if (
            prev >= 0
            and not printed_gap
            and not _ends_paragraph(lines[prev], line, full[prev], blank_between=prev < i - 1)
        ):
            paragraphs[-1].append(line)
        else:
            if paragraphs and is_label_line(line):
                paragraphs[-1:] = _split_headline(paragraphs[-1])
            paragraphs.append([line])
        prev = i
    return "\n".join(_join_lines(p) for p in paragraphs)


def _split_headline(lines: list[str]) -> list[list[str]]:
    """A paragraph before a label line that ends with unpunctuated lines after a sentence's end: those lines are a
    headline (a column with no blank lines gives no other sign of it)."""
    if _TERMINAL.search(lines[-1]):
        return [lines]
    for k in range(len(lines) - 1, 0, -1):
        if _TERMINAL.search(lines[k - 1]):
            tail = lines[k:]
            return [lines[:k], tail] if len(_join_lines(tail)) <= _HEADLINE_MAX else [lines]
    return [lines]


def _join_lines(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        text = _join(text, line)
    return text


def _full_widths(lines: list[str], window: int = 12) -> list[float]:
    """For each line, the width of a full line on its page, read from the lines before it.

    Looking back rather than around matters at page breaks: the next page may have another column width.
    """
    widths = [line_width(line) for line in lines]
    full = []
    for i in range(len(lines)):
        around = [w for w in widths[max(0, i - window) : i + 1] if w]
        if len(around) < window // 2:
            around = [w for w in widths[: i + window] if w]
        full.append(statistics.median_high(around) if around else 0.0)
    return full


def _ends_paragraph(prev: str, line: str, full_width: float, *, blank_between: bool) -> bool:
    width = line_width(prev)
    finished = bool(_TERMINAL.search(prev))
    if is_label_line(line) or _wider_than_column(width, line_width(line), full_width):
        return True
    if blank_between:
        return finished or bool(SPEAKER_LABEL.match(line)) or width < 0.75 * full_width
    if SPEAKER_LABEL.match(line):
        return finished or width < 0.75 * full_width
    return finished and (width < full_width - 1.5 or bool(_LIST_ITEM.match(line)))


def _wider_than_column(width: float, next_width: float, full_width: float) -> bool:
    """Whether a line is much wider than the full line of the column that follows it: a title over the text."""
    return next_width >= 0.9 * full_width and width > 1.5 * next_width


def _join(left: str, right: str) -> str:
    if _ASCII_WORD_END.search(left) and _ASCII_WORD_START.search(right):
        return f"{left} {right}"
    return left + right


# CJK unified ideographs, extension A and compatibility ideographs: where Traditional-only characters are.
_CJK_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@cache
def _converters() -> tuple[opencc.OpenCC, ...]:
    # hk2s and tw2s each add their region's variant characters (枱, 衞 / 臺, 爲) to OpenCC's t2s tables.
    return opencc.OpenCC("hk2s"), opencc.OpenCC("tw2s")


def to_simplified(text: str) -> str:
    """Traditional characters (Hong Kong and Taiwan forms too) converted to Simplified by OpenCC; Simplified text
    comes back unchanged."""
    for converter in _converters():
        text = converter.convert(text)
    return text


def simplified(text: str) -> str:
    """The text in Simplified characters: converted by OpenCC (to_simplified) when it has a Traditional-only
    character, else as it is (the conversion costs as much as segmenting, and most transcripts are Simplified)."""
    return to_simplified(text) if _traditional_only().search(text) else text


@cache
def _traditional_only() -> re.Pattern[str]:
    """The characters OpenCC changes that GB2312, the standard Simplified set, lacks (後, 臺, 衞, not 么 or 乾)."""
    chars = [chr(code) for start, end in _CJK_BLOCKS for code in range(start, end)]
    converted = to_simplified("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # not one character for one: convert every text
        return re.compile(".", re.DOTALL)
    found = [c for c, s in zip(chars, converted, strict=True) if s != c and not c.encode("gb2312", "ignore")]
    return re.compile(f"[{''.join(found)}]")


def clean_text(text: str) -> str:
    """The whole cleaning pipeline: text in, one paragraph per line out. Idempotent."""
    return clean_report(text)[0]


def clean_report(text: str) -> tuple[str, list[str]]:
    """The cleaned text (one paragraph per line) and the lines dropped as page furniture (numbers, headers)."""
    text = normalize_unicode(split_indents(normalize_newlines(text)))
    text, dropped = page_furniture(drop_justify_spaces(text))
    return join_broken_lines(text), [line for line in dropped if line]
