"""The HTML report: built from the seeds, escaped, and shown by a real headless browser with its own CJK font."""

from __future__ import annotations

import base64
import io
import re
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from fontTools.ttLib import TTFont

from corpus.analysis.overview import questions_by_origin
from corpus.charts import plots, style
from corpus.charts.save import save_figure
from corpus.dataset.build import build
from corpus.paths import get_paths
from corpus.report.page import FONT_FAMILY, embed_cjk_font
from corpus.store import read_table, write_table
from tests.conftest import REPO, run_cli

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The seeds built, one chart exported, a hostile headline planted, and the report written by the CLI."""
    from tests.conftest import make_project

    root = make_project(tmp_path_factory.mktemp("report"))
    paths = get_paths(root)
    build(paths)
    turns = read_table(paths.processed, "turns")
    turns.loc[turns.role.eq("question").idxmax(), "headline"] = '<script>alert("x")</script>中美<b>关系</b>'
    write_table(turns, paths.processed, "turns")
    with style.publication_style():
        ax = plots.plot_grouped_bars(
            questions_by_origin(turns, read_table(paths.processed, "documents")), title="提问来源"
        )
        save_figure(ax.figure, "01_questions_by_origin", directory=paths.figures)
        plt.close("all")
    result = run_cli("report", root=root)
    assert result.returncode == 0, result.stderr
    return root


def test_report_is_one_page_with_the_tables_and_charts(built) -> None:
    page = (built / "reports" / "index.html").read_text(encoding="utf-8")
    assert page.count("<img ") == 1 and 'src="data:image/png;base64,' in page
    assert "figures/01_questions_by_origin.svg" in page
    assert "十三届全国人大四次会议" in page and "人们从这场疫情可以得到的最重要启示是什么？" in page
    assert re.search(r'@font-face \{\s*font-family: "Corpus Noto Sans SC";\s*src: url\("data:font/woff2;base64,', page)


def test_transcript_text_is_escaped(built) -> None:
    page = (built / "reports" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>关系</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;中美&lt;b&gt;关系&lt;/b&gt;" in page


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is missing; `make browser` (as root) installs it")
def test_report_in_a_headless_browser(built, tmp_path) -> None:
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page()
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((built / "reports" / "index.html").as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready")
        images = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete && i.naturalWidth)")
        fonts = page.evaluate("[...document.fonts].map(f => [f.family.replaceAll('\"', ''), f.status])")
        check = page.evaluate("document.fonts.check('16px \"Corpus Noto Sans SC\"', '中国疫情')")
        used = platform_fonts(page, "table td")
        page.screenshot(path=str(built / "reports" / "report.png"), full_page=True)
        browser.close()
    assert errors == []
    assert images and all(width > 0 for width in images)
    assert fonts == [["Corpus Noto Sans SC", "loaded"]] and check
    assert used == {"Corpus Noto Sans SC"}, "the Chinese in the tables is drawn with the embedded font"
    assert (built / "reports" / "report.png").stat().st_size > 10_000
    (REPO / "reports").mkdir(exist_ok=True)  # a copy to look at after `make test` (reports/ is not in git)
    shutil.copy(built / "reports" / "report.png", REPO / "reports" / "report_screenshot.png")


def platform_fonts(page, selector: str) -> set[str]:
    """The fonts Chromium actually drew the first matching element with (DevTools CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


def test_exported_notebook_pages_embed_the_cjk_font_for_their_characters() -> None:
    page = "<html><head><title>x</title></head><body><table><td>疫苗</td><td>缅甸</td></table></body></html>"
    embedded = embed_cjk_font(page)
    uri = re.search(r'src: url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\)', embedded)
    assert uri and f'"{FONT_FAMILY}"' in embedded.split("</style>")[0] and embedded.endswith("</body></html>")
    cmap = TTFont(io.BytesIO(base64.b64decode(uri[1]))).getBestCmap()
    assert {ord(ch) for ch in "疫苗缅甸"} <= set(cmap) and ord("龙") not in cmap  # the page's characters, no more
