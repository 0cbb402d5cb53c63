"""Real-looking transcripts made from the seeds' text: saved web pages, PDFs, Word files and other layouts."""

from __future__ import annotations

import html
import io
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import docx
import noto_cjk_sans_otc
import pandas as pd
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont, newTable
from fpdf import FPDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from corpus.ingest.clean import clean_text
from corpus.ingest.readers import read_text
from tests.conftest import SEED_2020, SEED_2021

NOTO_TTC = Path(noto_cjk_sans_otc.__file__).parent / "NotoSansCJK-Regular.ttc"
COLUMN = 14  # characters per printed line, as in the newspaper columns the seeds were extracted from
SAME_TURN_COLUMNS = ["role", "outlet", "question", "headline", "text"]


@cache
def paragraphs(seed: Path) -> tuple[str, ...]:
    """A seed's cleaned paragraphs, one per item."""
    return tuple(clean_text(read_text(seed)).split("\n"))


def seed_text(seed: Path) -> str:
    return "\n".join(paragraphs(seed))


def same_turns(turns: pd.DataFrame) -> pd.DataFrame:
    """The columns that must agree between a converted transcript and the original, missing values as None."""
    return turns[SAME_TURN_COLUMNS].reset_index(drop=True).astype(object).where(lambda t: t.notna(), None)


# --- HTML -------------------------------------------------------------------------------------------------------

MENU = ("首页", "时政", "国际", "财经", "评论", "图片", "视频")
NAV = "".join(f'<li><a href="/c{i}/">{name}</a></li>' for i, name in enumerate(MENU))
RELATED = "".join(f'<li><a href="/r{i}.htm">外交部发言人就相关问题答记者问（之{i}）</a></li>' for i in range(8))
SCRIPT = '<script>var share = "王毅：这是脚本里的文字，不是记者会。";</script><style>p{text-indent:2em}</style>'


def html_body(paras: tuple[str, ...], layout: str) -> str:
    """The transcript's paragraphs as a news site marks them up: <p>, <br> lines, <div>s, or bold speaker labels."""
    escaped = [html.escape(p) for p in paras]
    if layout == "br":
        return "<br><br>\n".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{p}" for p in escaped)
    if layout == "div":
        return "".join(f"<div>{p}</div>\n" for p in escaped)
    if layout == "strong":
        return "".join(
            f"<p><strong>{p.split('：', 1)[0]}：</strong>{p.split('：', 1)[1]}</p>\n"
            if "：" in p[:16]
            else f"<p>{p}</p>\n"
            for p in escaped
        )
    return "".join(
        f'<p style="text-indent:2em"><span style="font-size:16px">\u3000\u3000{p}</span></p>\n' for p in escaped
    )


def news_page(paras: tuple[str, ...], *, layout: str = "p", charset: str = "utf-8") -> bytes:
    """A page saved from a news site: menu, headline, transcript, share bar, related links, footer."""
    page = f"""<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>王毅答中外记者问_新华网</title>{SCRIPT}</head>
<body><div class="header"><ul class="nav">{NAV}</ul><div class="search">搜索</div></div>
<div class="main"><h1>王毅就中国外交政策和对外关系回答中外记者提问</h1>
<div class="info">2021-03-07 19:32:11 来源：新华网</div>
<div id="detail">{html_body(paras, layout)}</div>
<div class="editor">【责任编辑:张三】</div>
<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div></div>
<div class="side"><h3>相关新闻</h3><ul>{RELATED}</ul></div>
<div class="footer"><p>Copyright © 2000-2021 XINHUANET.com All Rights Reserved.</p><p>新华网 版权所有</p></div>
</body></html>"""
    return page.encode(charset)


def ministry_page(paras: tuple[str, ...], *, layout: str = "br", charset: str = "gb2312") -> bytes:
    """A page saved from an older government site: table layout, a side menu, the text as <br> lines, GB2312."""
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>外交部</title>{SCRIPT}</head><body>
<table width="100%"><tr><td>{" | ".join(f'<a href="/m{i}/">栏目{i}</a>' for i in range(10))}</td></tr></table>
<table width="960"><tr><td width="200" valign="top"><ul>{NAV}</ul></td>
<td valign="top"><div class="title">外交部长答记者问</div><div id="News_Body_Txt_A">{html_body(paras, layout)}</div>
<div><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</td></tr></table><div class="foot">中华人民共和国外交部 版权所有 京ICP备06021329号</div></body></html>"""
    return page.encode("gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset)


# --- PDF ----------------------------------------------------------------------------------------------------------


def printed_lines(paras: tuple[str, ...], width: int = COLUMN) -> list[list[str]]:
    """Each paragraph wrapped into lines of `width` characters, as a narrow column prints it."""
    return [[p[i : i + width] for i in range(0, len(p), width)] for p in paras]


@cache
def noto_sc_truetype(characters: str) -> Path:
    """Noto Sans CJK SC cut down to `characters` and converted to TrueType outlines, in a temporary file.

    The .ttc's faces are CFF-based and fpdf2 embeds CID-keyed CFF with an encoding CMap that pypdf cannot read back,
    so the test converts the SC face's glyphs (quadratic curves via cu2qu), as most Chinese newspaper PDFs carry
    TrueType or Identity-H encoded fonts that pypdf reads.
    """
    names = [face["name"].getDebugName(1) for face in TTCollection(NOTO_TTC).fonts]
    font = TTFont(NOTO_TTC, fontNumber=names.index("Noto Sans CJK SC"))
    options = Options()
    options.desubroutinize = True
    subsetter = Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = font.getGlyphOrder(), {}
    for name in glyf.glyphOrder:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    del font["CFF "]
    font["maxp"] = _maxp(len(glyf.glyphOrder))
    font["head"].glyphDataFormat, font["post"].formatType, font.sfntVersion = 0, 3.0, "\0\1\0\0"
    path = Path(tempfile.mkdtemp()) / "NotoSansSC-subset.ttf"
    font.save(path)
    return path


def _maxp(n_glyphs: int):
    maxp = newTable("maxp")
    maxp.tableVersion, maxp.numGlyphs, maxp.maxZones = 0x00010000, n_glyphs, 1
    for field in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours", "maxTwilightPoints"):
        setattr(maxp, field, 0)
    for field in ("maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements"):
        setattr(maxp, field, 0)
    maxp.maxSizeOfInstructions = maxp.maxComponentElements = maxp.maxComponentDepth = 0
    return maxp


def fpdf_pdf(paras: tuple[str, ...]) -> bytes:
    """A PDF with an embedded subset font (as a typesetting program writes), one narrow column, several pages."""
    font = noto_sc_truetype("".join(sorted(set("".join(paras)))))
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("sc", fname=str(font))

    def new_page(_: int) -> None:
        pdf.add_page()
        pdf.set_font("sc", size=11)

    _lay_out(printed_lines(paras), new_page, lambda x, y, line: pdf.text(x, y, line))
    return bytes(pdf.output())


def reportlab_pdf(paras: tuple[str, ...]) -> bytes:
    """A PDF with Adobe's non-embedded STSong-Light (UniGB-UCS2-H), as Chinese office software often writes."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)

    def new_page(n: int) -> None:
        if n:
            page.showPage()
        page.setFont("STSong-Light", 11)

    _lay_out(printed_lines(paras), new_page, lambda x, y, line: page.drawString(x * MM, A4_HEIGHT - y * MM, line))
    page.save()
    return buffer.getvalue()


MM, A4_HEIGHT = 72 / 25.4, 842


def _lay_out(wrapped: list[list[str]], new_page: Callable[[int], None], draw: Callable[[float, float, str], None]):
    """Draw wrapped paragraphs down A4 pages (millimetres from the top left), a gap of 0.7 line between paragraphs."""
    pages, y = 0, None
    for lines in wrapped:
        for line in lines:
            if y is None or y > 280:
                new_page(pages)
                pages, y = pages + 1, 20.0
            draw(20, y, line)
            y += 6
        y = None if y is None else y + 6 * 0.7


def scanned_pdf() -> bytes:
    """A PDF whose page is only drawn shapes, like a scan: it has no text layer."""
    pdf = FPDF()
    pdf.add_page()
    for row in range(40):
        pdf.rect(20, 20 + row * 6, 60 + (row * 37) % 100, 3, style="F")
    return bytes(pdf.output())


# --- Word -----------------------------------------------------------------------------------------------------------


def word_docx(paras: tuple[str, ...], *, table_from: int | None = None) -> bytes:
    """A .docx with one paragraph per transcript paragraph; from `table_from` on, inside a one-column table."""
    document = docx.Document()
    document.add_heading("王毅就中国外交政策和对外关系回答中外记者提问", level=1)
    body = paras if table_from is None else paras[:table_from]
    for paragraph in body:
        document.add_paragraph(paragraph)
    if table_from is not None:
        table = document.add_table(rows=len(paras) - table_from, cols=1)
        for row, paragraph in zip(table.rows, paras[table_from:], strict=True):
            row.cells[0].text = paragraph
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SEEDS = {"2020": SEED_2020, "2021": SEED_2021}
