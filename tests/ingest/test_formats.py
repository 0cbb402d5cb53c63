"""Web pages, PDFs and Word files made from the seeds parse to the same turns as the seeds themselves."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from fpdf import FPDF

from corpus.dataset.build import load_document
from corpus.errors import CorpusError
from corpus.ingest.clean import clean_text
from corpus.ingest.formats import html_text
from corpus.ingest.readers import decode, extract_text
from tests.samples import (
    NOTO_TTC,
    SEEDS,
    fpdf_pdf,
    ministry_page,
    news_page,
    paragraphs,
    reportlab_pdf,
    same_turns,
    scanned_pdf,
    word_docx,
)

SCRIPT_ONLY = '<html><head><script>var a = "王毅：你好";</script></head><body><script>go("会")</script></body></html>'
LINKS_ONLY = "<html><body><ul>" + "".join(f"<li><a href='/{i}'>外交部新闻{i}</a></li>" for i in range(30)) + "</ul>"
BOILERPLATE = ["首页", "相关新闻", "外交部发言人就相关", "责任编辑", "版权所有", "Copyright", "分享到", "脚本里的文字"]


@pytest.fixture(scope="module")
def originals(parsed_2020, parsed_2021) -> dict:
    return {"2020": parsed_2020, "2021": parsed_2021}


def _parse(tmp_path: Path, content: bytes, name: str):
    path = tmp_path / name
    path.write_bytes(content)
    return load_document(path)


MAKERS = {
    "news-p": (lambda paras: news_page(paras), "page.html"),
    "news-div": (lambda paras: news_page(paras, layout="div"), "page.htm"),
    "news-strong-labels": (lambda paras: news_page(paras, layout="strong"), "page.html"),
    "news-utf16": (lambda paras: news_page(paras, charset="utf-16"), "page.html"),
    "ministry-br-gb2312": (lambda paras: ministry_page(paras), "page.shtml"),
    "ministry-p-gbk": (lambda paras: ministry_page(paras, layout="p", charset="gbk"), "page.html"),
    "html-saved-as-txt": (lambda paras: news_page(paras), "page.txt"),
    "pdf-embedded-font": (fpdf_pdf, "transcript.pdf"),
    "pdf-stsong-no-suffix": (reportlab_pdf, "transcript"),
    "docx": (word_docx, "transcript.docx"),
    "docx-table": (lambda paras: word_docx(paras, table_from=20), "transcript.docx"),
}


@pytest.mark.parametrize("year", sorted(SEEDS))
@pytest.mark.parametrize("maker", sorted(MAKERS))
def test_converted_transcript_parses_to_the_same_turns(tmp_path: Path, originals, maker: str, year: str) -> None:
    make, name = MAKERS[maker]
    document, turns = _parse(tmp_path, make(paragraphs(SEEDS[year])), f"{originals[year][0].date}_{name}")
    original_document, original_turns = originals[year]
    spoken = ~turns.role.eq("narration")  # a page's own headline may add a narration-free title, nothing else
    assert same_turns(turns[spoken]).equals(same_turns(original_turns[original_turns.role != "narration"]))
    assert (document.date, document.speaker, document.event) == (
        original_document.date,
        original_document.speaker,
        original_document.event,
    )
    assert turns.role.value_counts().to_dict() == original_turns.role.value_counts().to_dict()


@pytest.mark.parametrize(
    ("page", "headline"),
    [(news_page, "王毅就中国外交政策和对外关系回答中外记者提问"), (ministry_page, "外交部长答记者问")],
    ids=["news", "ministry"],
)
def test_html_main_text_keeps_paragraphs_and_drops_page_furniture(page, headline: str) -> None:
    paras = paragraphs(SEEDS["2021"])
    text = html_text(decode(page(paras)), name="page.html")
    assert clean_text(text).split("\n") == [headline, *paras]  # the page's own headline, then the transcript
    for furniture in BOILERPLATE:
        assert furniture not in text, furniture


def test_xhtml_with_xml_declaration() -> None:
    paras = paragraphs(SEEDS["2020"])[:6]
    body = "".join(f"<p>{p}</p>" for p in paras)
    page = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>'
    )
    assert extract_text(page.encode("utf-8"), name="a.xhtml", suffix=".xhtml").split("\n") == list(paras)


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        (SCRIPT_ONLY.encode(), ".html", "no article text found in the HTML page"),
        (LINKS_ONLY.encode(), ".html", "no article text found in the HTML page"),
        (scanned_pdf(), ".pdf", "the PDF has no text layer"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", ".pdf", "damaged or unreadable PDF"),
        (b"<html><body><p>just text</p></body></html>", ".pdf", "not a .pdf file"),
        (b"PK\x03\x04" + bytes(60), ".docx", "not a valid .docx"),
    ],
    ids=["empty-page", "only-links", "scanned-pdf", "truncated-pdf", "html-named-pdf", "broken-docx"],
)
def test_unusable_files_get_one_clear_error(content: bytes, suffix: str, message: str) -> None:
    with pytest.raises(CorpusError, match=message) as error:
        extract_text(content, name=f"bad{suffix}", suffix=suffix)
    assert str(error.value).startswith(f"bad{suffix}: ") and "\n" not in str(error.value)


def test_password_protected_pdf() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    with pytest.raises(CorpusError, match="password-protected"):
        extract_text(bytes(pdf.output()), name="locked.pdf", suffix=".pdf")


def test_zip_that_is_not_a_word_file() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n")
    with pytest.raises(CorpusError, match=r"a zip archive, not a Word \.docx"):
        extract_text(buffer.getvalue(), name="x.zip", suffix=".zip")


def test_pdf_whose_font_encoding_cannot_be_decoded() -> None:
    pdf = FPDF()  # fpdf2 embeds the CID-keyed CFF face with an encoding CMap stream that pypdf reads byte by byte
    pdf.add_font("noto", fname=str(NOTO_TTC), collection_font_number=2)
    pdf.add_page()
    pdf.set_font("noto", size=11)
    pdf.text(20, 20, paragraphs(SEEDS["2021"])[0][:14])
    with pytest.raises(CorpusError, match="font encoding that cannot be decoded"):
        extract_text(bytes(pdf.output()), name="cff.pdf", suffix=".pdf")
