"""Text out of the file formats a transcript arrives in: an HTML page, a PDF's text layer, a .docx."""

from __future__ import annotations

import io
import itertools
import logging
import re
import statistics
import zipfile
import zlib

import docx
from docx.table import Table
from lxml import etree, html
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from corpus.errors import CorpusError

__all__ = ["MAX_DOCX_UNPACKED", "MAX_PDF_PAGES", "docx_text", "html_blocks", "html_text", "pdf_text"]

# pypdf logs its own warnings about damaged files to stderr; our one-line error says what matters.
logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
# Limits: a real transcript has tens of pages and its .docx a few MB of XML; past these the file is refused quickly.
MAX_PDF_PAGES = 2_000
MAX_DOCX_UNPACKED = 256 * 2**20
_DOCX_ERRORS = {zlib.error: "its compressed data is damaged", AttributeError: "it has no document body"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
# Never page text: code, styling, navigation, forms, embedded objects and the <head> (its <title> repeats the <h1>).
_HTML_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "nav",
    "aside",
    "form",
    "button",
    "select",
    "textarea",
    "svg",
    "canvas",
    "object",
    "embed",
    "head",
)
_HTML_BLOCKS = frozenset(
    [
        "address",
        "article",
        "blockquote",
        "body",
        "br",
        "caption",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_HTML_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")
# Page furniture of Chinese news and government sites, dropped when it stands as a short block of its own.
_HTML_BOILERPLATE = re.compile(
    r"版权所有|copyright|©|ICP备|责任编辑|打印本页|关闭窗口|【打印】|【关闭】|【纠错】|分享到|扫一扫|上一篇|下一篇"
    r"|^字号|来源[：:]|^编辑[：:]",
    re.IGNORECASE,
)
_BOILERPLATE_MAX = 60
# A block's weight in the main-text search: its Chinese characters outside links, less a cost per block and a
# penalty for link text, so menus and lists of related articles weigh below zero (after Weninger et al. 2010, CETR).
_BLOCK_COST = 5
_LINK_PENALTY = 3
# A vertical gap this many times the page's usual line pitch is a paragraph break.
_PARAGRAPH_GAP = 1.4


def html_text(page: str, *, name: str) -> str:
    """The main text of a saved web page, one paragraph per line; navigation, scripts and page furniture dropped."""
    try:
        root = html.document_fromstring(_XML_DECLARATION.sub("", page))
    except (etree.ParserError, ValueError):
        raise CorpusError(f"{name}: not a readable HTML page") from None
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, *_HTML_DROP, with_tail=False)
    blocks = [(text, links) for text, links in html_blocks(root) if not _is_boilerplate(text)]
    start, end = _densest_run([_block_weight(text, links) for text, links in blocks])
    kept = [text for text, links in blocks[start:end] if links * 2 <= len(_CJK.findall(text))]
    if not kept:
        raise CorpusError(f"{name}: no article text found in the HTML page (only menus, links or page furniture)")
    return "\n".join(kept)


def html_blocks(root: etree._Element) -> list[tuple[str, int]]:
    """The page as a list of (text, Chinese characters inside links), one item per block element or <br> line."""
    blocks: list[tuple[str, int]] = []
    parts: list[str] = []
    links = in_link = 0

    def add(text: str | None) -> None:
        nonlocal links
        if text:
            parts.append(text)
            links += len(_CJK.findall(text)) if in_link else 0

    def flush() -> None:
        nonlocal links
        text = _HTML_SPACE.sub(" ", "".join(parts)).strip()
        if text:
            blocks.append((text, links))
        parts.clear()
        links = 0

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _HTML_BLOCKS:
            flush()
        in_link += (tag == "a") * (1 if event == "start" else -1)
        add(element.text if event == "start" else element.tail)
    flush()
    return blocks


def _is_boilerplate(text: str) -> bool:
    return len(text) <= _BOILERPLATE_MAX and bool(_HTML_BOILERPLATE.search(text))


def _block_weight(text: str, links: int) -> int:
    return len(_CJK.findall(text)) - links * (1 + _LINK_PENALTY) - _BLOCK_COST


def _densest_run(weights: list[int]) -> tuple[int, int]:
    """Start and end of the consecutive blocks with the largest total weight (Kadane's maximum subarray)."""
    best, best_span, total, start = 0, (0, 0), 0, 0
    for i, weight in enumerate(weights):
        if total <= 0:
            total, start = 0, i
        total += weight
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def pdf_text(data: bytes, *, name: str) -> str:
    """The text layer of a PDF, pages separated by form feeds, a blank line where the print leaves a gap."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorpusError(f"{name}: the PDF is password-protected; save an unprotected copy")
        if (n_pages := len(reader.pages)) > MAX_PDF_PAGES:
            raise CorpusError(f"{name}: the PDF has {n_pages:,} pages, more than the limit of {MAX_PDF_PAGES:,}")
        pages = [_page_text(page) for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, zlib.error, RecursionError) as exc:
        raise CorpusError(f"{name}: damaged or unreadable PDF ({type(exc).__name__}: {exc})".split("\n")[0]) from None
    if "\x00" in "".join(pages):  # two-byte codes read one byte at a time: an encoding pypdf does not decode
        raise CorpusError(f"{name}: the PDF's text layer uses a font encoding that cannot be decoded; save the text")
    if not _CJK.search("".join(pages)):
        what = "no text layer (scanned pages?)" if not "".join(pages).strip() else "no Chinese text in its text layer"
        raise CorpusError(f"{name}: the PDF has {what}; run OCR on it first or save the text as a .txt file")
    return "\f".join(pages)


def _page_text(page) -> str:
    """One page's text as pypdf reads it (content order, so columns stay whole), with paragraph gaps restored."""
    runs: list[tuple[str, float]] = []
    page.extract_text(visitor_text=lambda text, cm, tm, *_: runs.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5])))
    lines, heights = [""], [None]
    for text, y in runs:
        for k, part in enumerate(text.split("\n")):
            if k:
                lines.append("")
                heights.append(None)
            if part.strip() and heights[-1] is None:
                heights[-1] = y
            lines[-1] += part
    return "\n".join(_mark_gaps(lines, heights))


def _mark_gaps(lines: list[str], heights: list[float | None]) -> list[str]:
    """Lines with a blank line inserted wherever the step down the page is clearly wider than the usual line pitch."""
    placed = [(line, y) for line, y in zip(lines, heights, strict=True) if y is not None]
    steps = [above - below for (_, above), (_, below) in itertools.pairwise(placed) if above > below]
    if not steps:
        return lines
    pitch = statistics.median(steps)
    out = [line for line, _ in placed[:1]]
    for (_, above), (line, below) in itertools.pairwise(placed):
        out += ["", line] if above - below > _PARAGRAPH_GAP * pitch else [line]
    return out


def docx_text(data: bytes, *, name: str) -> str:
    """The paragraphs of a Word .docx in document order, table cells included, one paragraph per line."""
    try:
        _check_unpacked_size(data, name=name)
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines += [p.text for row in block.rows for cell in _unique_cells(row) for p in cell.paragraphs]
            else:
                lines.append(block.text)
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, AttributeError, etree.XMLSyntaxError) as exc:
        raise CorpusError(
            f"{name}: not a valid .docx file ({_DOCX_ERRORS.get(type(exc), type(exc).__name__)})"
        ) from None
    return "\n".join(lines)


def _check_unpacked_size(data: bytes, *, name: str) -> None:
    """A CorpusError for a .docx that would unpack past MAX_DOCX_UNPACKED (a zip bomb), read from the zip's
    directory before anything is decompressed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_DOCX_UNPACKED:
        raise CorpusError(
            f"{name}: the .docx unpacks to {unpacked // 2**20:,} MB, more than the limit of "
            f"{MAX_DOCX_UNPACKED // 2**20} MB"
        )


def _unique_cells(row) -> list:
    """A table row's cells, a merged cell once (python-docx repeats it for every grid column it spans)."""
    cells = []
    for cell in row.cells:
        if not cells or cell._tc is not cells[-1]._tc:
            cells.append(cell)
    return cells
