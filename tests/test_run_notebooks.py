"""scripts/run_notebooks.py: notebooks run on the "corpus" kernel over IPC, and their HTML draws Chinese tables."""

from __future__ import annotations

import base64
import importlib.util
import io
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from jupyter_client.kernelspec import find_kernel_specs
from nbconvert import HTMLExporter

from corpus.report.page import FONT_FAMILY
from corpus.transcripts.parse import document_record
from tests.conftest import REPO
from tests.report.test_report import CHROMIUM, CHROMIUM_ARGS

spec = importlib.util.spec_from_file_location("run_notebooks", REPO / "scripts" / "run_notebooks.py")
run_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_notebooks)


def test_every_notebook_names_the_corpus_kernel() -> None:
    for path in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        kernel = nbformat.read(path, as_version=4).metadata.kernelspec
        assert kernel.name == run_notebooks.KERNEL == "corpus", path.name


def test_make_venv_registers_the_kernel_inside_the_venv() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "ipykernel install --sys-prefix --name corpus" in makefile
    assert re.search(r"^venv: .*\$\(KERNEL\)", makefile, re.M) and re.search(r"^lab: .*\$\(KERNEL\)", makefile, re.M)


def exported_table(parsed: list) -> str:
    """A notebook page as nbconvert exports it, its output a DataFrame of the seeds whose first cell starts in
    Latin and ends in Chinese (2020-05-24_王毅), the cell Chromium drew in boxes with the fallback stack alone."""
    records = [document_record(document) for document, _ in parsed]
    table = pd.DataFrame(records)[["date", "speaker", "event", "title"]]
    table.insert(0, "doc_id", table.date + "_" + table.speaker)  # as corpus add names the files
    cell = nbformat.v4.new_code_cell("table", execution_count=1)
    cell.outputs = [
        nbformat.v4.new_output("execute_result", {"text/html": table.to_html(), "text/plain": "t"}, execution_count=1)
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 语料概览 Corpus overview"), cell])
    html, _ = HTMLExporter().from_notebook_node(notebook)
    assert "2020-05-24_王毅" in html
    return run_notebooks.embed_cjk_font(html)


def test_the_embedded_font_covers_the_page(tmp_path: Path, parsed_2020, parsed_2021) -> None:
    page = exported_table([parsed_2020, parsed_2021])
    uri = re.search(r'src: url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\)', page)
    cmap = set(TTFont(io.BytesIO(base64.b64decode(uri[1]))).getBestCmap())
    assert {ord(ch) for ch in "2020-05-24_王毅语料概览"} <= cmap and ord("龙") not in cmap
    assert re.search(rf'td, caption {{ font-family: "{FONT_FAMILY}", ', page)  # table cells: the face first


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is missing; `make browser` (as root) installs it")
def test_every_chinese_table_cell_draws_in_the_embedded_font(tmp_path: Path, parsed_2020, parsed_2021) -> None:
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    path = tmp_path / "page.html"
    path.write_text(exported_table([parsed_2020, parsed_2021]), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page()
        page.goto(path.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready")
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        drawn = {}
        for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "td, th"})["nodeIds"]:
            text = re.sub("<[^>]+>", "", cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"])
            if re.search("[\u4e00-\u9fff]", text):
                fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
                drawn[text] = {f["familyName"] for f in fonts}
        browser.close()
    assert "2020-05-24_王毅" in drawn and len(drawn) >= 4
    assert all(fonts == {FONT_FAMILY} for fonts in drawn.values()), drawn


@pytest.mark.skipif("corpus" not in find_kernel_specs(), reason='the "corpus" kernel is not registered: make venv')
def test_a_notebook_runs_on_the_corpus_kernel_over_ipc(tmp_path: Path, capfd) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys\nprint(sys.prefix)")])
    notebook.metadata.kernelspec = {"name": "corpus", "display_name": "Python (corpus)", "language": "python"}
    source = tmp_path / "00_tiny.ipynb"
    nbformat.write(notebook, source)
    (tmp_path / "out").mkdir()
    executed = run_notebooks.run(source, tmp_path / "out", {})
    output = nbformat.read(executed, as_version=4).cells[0].outputs[0].text
    assert Path(output.strip()).name == ".venv" and executed.with_suffix(".html").exists()
    assert "running over TCP" not in capfd.readouterr().err
