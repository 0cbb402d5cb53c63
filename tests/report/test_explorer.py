"""The explorer page: built from the seeds by the CLI, offline, escaped, and used in a real headless browser."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.analysis.keyness import keyness
from corpus.dataset.build import build
from corpus.paths import get_paths
from corpus.report.explorer import FONT_FAMILY, answers_per_term, concordance, concordance_table, turn_table
from corpus.store import read_table, write_table
from corpus.tokens import units
from tests.conftest import REPO, SEED_FILES, make_project, run_cli
from tests.report.test_report import CHROMIUM, CHROMIUM_ARGS, platform_fonts

HOSTILE = ["<script>alert(1)</script>", "</script><b>粗体</b>"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The seeds built, markup planted as tokens of the 2020 narration turn, and the page written by the CLI."""
    root = make_project(tmp_path_factory.mktemp("explorer"))
    paths = get_paths(root)
    build(paths)
    tokens = read_table(paths.processed, "tokens")
    first = tokens.index[tokens.doc_id.str.startswith("2020") & tokens.role.eq("narration")][:2]
    tokens.loc[first, "token"] = HOSTILE
    write_table(tokens, paths.processed, "tokens")
    result = run_cli("explore", root=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"explorer -> {paths.reports / 'explorer.html'}"
    return root


@pytest.fixture(scope="module")
def tables(built) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The annotated tokens and the turn table the page was made from."""
    processed = get_paths(built).processed
    tokens = units.load_tokens(processed)
    return tokens, turn_table(tokens, read_table(processed, "turns"))


def page_data(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)[1])


def test_page_is_one_small_file_with_its_data_and_font(built) -> None:
    path = built / "reports" / "explorer.html"
    page = path.read_text(encoding="utf-8")
    assert path.stat().st_size < 2_000_000, "well under the issue's 5 MB on the seeds"
    assert not re.search(r'(src|href)="(https?:)?//', page), "nothing fetched from the network"
    assert re.search(r'@font-face \{ font-family: "Corpus Noto Sans SC Explorer"; src: url\("data:font/woff2', page)
    data = page_data(page)
    assert data["comparison"]["target"] == ["2021"] and data["comparison"]["reference"] == ["2020"]
    assert data["caps"]["terms_embedded"] == data["caps"]["terms_frequent"] == len(data["terms"])


def test_transcript_markup_cannot_close_the_data_or_run(built) -> None:
    page = (built / "reports" / "explorer.html").read_text(encoding="utf-8")
    assert page.count("<script") == 2 and page.count("</script>") == 2  # the data block and the page's code
    assert "<b>粗体</b>" not in page and "\\u003cscript>alert(1)\\u003c/script>" in page
    assert HOSTILE[0] + HOSTILE[1] in page_data(page)["turns"]["text"][0]


def test_turn_text_is_the_tokens_joined_and_answers_carry_their_question_outlet(tables) -> None:
    tokens, turns = tables
    answer = turns[turns.role.eq("answer")].iloc[0]
    assert answer.text == "".join(tokens.token[tokens.doc_id.eq(answer.doc_id) & tokens.turn.eq(answer.turn)])
    assert [ord(c) - 32 for c in answer.lengths] == [
        len(t) for t in tokens.token[tokens.doc_id.eq(answer.doc_id) & tokens.turn.eq(answer.turn)]
    ]
    question = turns[turns.role.eq("question") & turns.doc_id.eq(answer.doc_id) & turns.question.eq(answer.question)]
    assert (answer.outlet, answer.outlet_en, answer.origin) == tuple(
        question[["outlet", "outlet_en", "origin"]].iloc[0]
    )
    assert answer.outlet_en == "People's Daily"


def test_concordance_finds_split_phrases_and_sorts_like_antconc(built, tables) -> None:
    tokens, turns = tables
    processed_turns = read_table(get_paths(built).processed, "turns")
    lines = concordance(turns, "国际.{0,2}合作", regex=True, roles=["answer"])
    assert set(lines.match) == {"国际合作", "国际抗疫合作"} and not tokens.token.isin(lines.match).any()
    assert all(s.endswith(("。", "；", "！", "？")) or len(s) == 60 for s in lines.right)  # cut at the sentence
    styled = concordance_table(tokens, "疫苗", turns=processed_turns, sort="left", roles=["answer"])
    left = styled.data.left.tolist()
    assert (
        left == sorted(left, key=lambda s: s[::-1])
        and len(left) == tokens.token[tokens.role.eq("answer")].eq("疫苗").sum()
    )
    assert len(concordance(turns, "疫苗", roles=["answer"])) > len(left), "as text it is also found inside compounds"
    assert "background-color: #ffe08a" in styled.to_html()


@pytest.fixture(scope="module")
def browser(built, tmp_path_factory):
    """The page opened in headless Chromium; every request other than file:// fails the tests."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is missing; `make browser` (as root) installs it")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    log = {"errors": [], "requests": [], "dialogs": []}
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1500, "height": 1000},
        )
        page = context.new_page()

        def route(request_route) -> None:
            url = request_route.request.url
            if url.startswith("file://"):
                request_route.continue_()
            else:
                log["requests"].append(url)
                request_route.abort()

        page.route("**/*", route)
        page.on("console", lambda msg: log["errors"].append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: log["errors"].append(str(exc)))
        page.on("dialog", lambda dialog: (log["dialogs"].append(dialog.message), dialog.dismiss()))
        page.goto((built / "reports" / "explorer.html").as_uri(), wait_until="load")
        page.wait_for_selector("body[data-ready='1']")
        yield page, log
        assert log["errors"] == [] and log["requests"] == [] and log["dialogs"] == []
        context.close()


def test_the_map_draws_every_tested_term_with_the_keyness_of_the_package(browser, tables) -> None:
    page, _ = browser
    tokens, _ = tables
    answers = units.terms(tokens)
    expected = keyness(answers, 2021, 2020)
    rows = pd.DataFrame(
        page.evaluate("explorer.state.rows.map(r => [r.term, r.a, r.b, r.g2, r.lr, r.padj, r.sig, r.answers])")
    )
    rows.columns = ["term", "a", "b", "g2", "lr", "padj", "sig", "answers"]
    assert rows.term.tolist() == expected.term.tolist()
    assert rows.a.tolist() == expected.freq_target.tolist() and rows.b.tolist() == expected.freq_reference.tolist()
    np.testing.assert_allclose(rows.g2, expected.g2, rtol=1e-9)
    np.testing.assert_allclose(rows.lr, expected.log_ratio, rtol=1e-9)
    np.testing.assert_allclose(rows.padj, expected.p_adjusted, rtol=2e-6)  # erfc to 1.2e-7, scipy's chdtrc exact
    assert rows.sig.tolist() == expected.significant.tolist()
    assert rows.answers.tolist() == answers_per_term(answers).reindex(rows.term).tolist()
    assert int(page.get_attribute("#map", "data-points")) == len(expected)
    painted = page.evaluate(
        """(() => { const c = document.getElementById('map');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2]) n++;
        return n; })()"""
    )
    assert painted > 2000, "coloured points on the canvas"
    point = page.evaluate("explorer.points().find(p => p.r.term === '疫苗')")
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tip = page.inner_text("#tip")
    assert tip.startswith("疫苗") and "target 29 · reference 0" in tip and "significant" in tip and "answers" in tip
    over = page.locator("#over button.term").all_inner_texts()
    assert over[:4] == expected[expected.significant & expected.direction.eq("over")].term.head(4).tolist()


def test_searching_and_clicking_a_term_shows_its_sentences(browser, tables) -> None:
    page, _ = browser
    tokens, turns = tables
    page.fill("#search", "疫苗")
    page.click("#suggest li[data-term='疫苗']")
    rows = page.locator("#conc tbody tr")
    assert rows.count() == tokens.token[tokens.role.eq("answer")].eq("疫苗").sum() == 29  # answers: the default
    first = rows.first.locator("td").all_inner_texts()
    assert first[0] == "2021-03-07" and re.fullmatch(r"Q\d+", first[1]) and first[2] == "answer" and first[3] == "王毅"
    assert first[4].split("\n")[1] in set(turns.outlet_en.dropna()) and first[6] == "疫苗"
    expected = concordance(turns, "疫苗", words=True, roles=["answer"])
    shown = [r[5] + r[6] + r[7] for r in table_rows(page)]
    assert shown == (expected.left + "疫苗" + expected.right).tolist()
    assert page.locator("#conc-counts td[data-key='2021']").get_attribute("data-count") == "29"
    assert (
        page.get_attribute("#strips", "data-ticks") == "29" and page.get_attribute("#strips", "data-documents") == "1"
    )


def table_rows(page) -> list[list[str]]:
    return page.evaluate(
        "[...document.querySelectorAll('#conc tbody tr')].map(tr => [...tr.cells].map(c => c.textContent))"
    )


def test_a_regex_finds_a_phrase_the_segmenter_splits(browser, tables) -> None:
    page, _ = browser
    _, turns = tables
    page.select_option("#mode", "regex")
    page.fill("#search", "国际.{0,2}合作")
    page.press("#search", "Enter")
    marks = page.locator("#conc tbody mark").all_inner_texts()
    assert sorted(marks) == sorted(concordance(turns, "国际.{0,2}合作", regex=True, roles=["answer"]).match)
    assert "国际合作" in marks and "国际合作" not in page.evaluate("explorer.state.rows.map(r => r.term)")
    page.fill("#search", "(unclosed")
    page.press("#search", "Enter")
    assert page.inner_text("#error").startswith("not a valid pattern")


def test_sorting_by_left_context_reorders_the_lines(browser) -> None:
    page, _ = browser
    page.evaluate("explorer.openQuery('疫情', 'term')")
    before = [r[5] for r in table_rows(page)]
    page.click("#sort-left")
    after = [r[5] for r in table_rows(page)]
    page.click("#sort-text")
    assert after != before and sorted(after) != after
    assert after == sorted(before, key=lambda s: s[::-1])


def test_a_filter_changes_the_counts(browser, tables) -> None:
    page, _ = browser
    _, turns = tables
    page.evaluate("explorer.openQuery('疫情', 'term')")
    lines = concordance(turns, "疫情", words=True, roles=["answer"])
    total = page.locator("#conc tbody tr").count()
    tested = page.inner_text("#filter-note")
    page.uncheck("#f-origin input[value='foreign']")
    kept = page.locator("#conc tbody tr").count()
    assert kept < total and page.inner_text("#filter-note") != tested
    assert (
        kept <= (lines.origin != "foreign").sum() and page.locator("#conc-counts td[data-key='foreign']").count() == 0
    )
    page.check("#f-origin input[value='foreign']")
    assert page.locator("#conc tbody tr").count() == total


def test_transcript_markup_shows_as_text(browser) -> None:
    page, _ = browser
    page.check("#f-role input[value='narration']")
    page.evaluate("explorer.openQuery('alert', 'text')")
    row = table_rows(page)[0]
    assert row[5] == "<script>" and row[7].startswith("(1)</script></script><b>粗体</b>")
    assert page.evaluate("document.querySelectorAll('main script, main b').length") == 0
    page.uncheck("#f-role input[value='narration']")


def test_chinese_is_drawn_in_the_embedded_font_and_a_screenshot_is_kept(browser, built) -> None:
    page, _ = browser
    page.evaluate("explorer.openQuery('疫苗', 'term')")
    fonts = page.evaluate("[...document.fonts].map(f => [f.family.replaceAll('\"', ''), f.status])")
    assert fonts == [[FONT_FAMILY, "loaded"]]
    assert page.evaluate(f"document.fonts.check('16px \"{FONT_FAMILY}\"', '疫苗缅甸')")
    assert platform_fonts(page, "#conc tbody td.right") == {FONT_FAMILY}
    shot = built / "reports" / "explorer.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    (REPO / "reports").mkdir(exist_ok=True)  # a copy to look at after `make test` (reports/ is not in git)
    shutil.copy(shot, REPO / "reports" / "explorer_screenshot.png")


def test_command_line_errors_are_one_line(built, tmp_path) -> None:
    result = run_cli("explore", "--target", "2019", root=built)
    assert (
        result.returncode == 2 and result.stderr == "corpus: error: year 2019 not in the corpus (it has: 2020, 2021)\n"
    )
    result = run_cli("explore", "--by", "origin", "--target", "foreign", "-o", str(tmp_path / "x.html"), root=built)
    data = page_data((tmp_path / "x.html").read_text(encoding="utf-8"))
    assert result.returncode == 0 and data["comparison"]["reference"] == ["hk_macao_taiwan", "mainland"]


def test_one_year_still_gives_a_page(tmp_path) -> None:
    root = make_project(tmp_path, {"2021-03-07_王毅.txt": SEED_FILES["2021-03-07_王毅.txt"]})
    build(get_paths(root))
    result = run_cli("explore", root=root)
    data = page_data((root / "reports" / "explorer.html").read_text(encoding="utf-8"))
    assert result.returncode == 0 and data["comparison"]["target"] == ["2021"] and data["comparison"]["reference"] == []


sentences = st.lists(
    st.sampled_from(["中美", "关系", "疫苗", "合作", "。", "，", "新冠疫苗", "<b>", "！"]), max_size=40
)


@settings(max_examples=150, deadline=None)
@given(tokens=sentences, pattern=st.sampled_from(["疫苗", "中美关系", "合作。", "<b>", "美关"]))
def test_concordance_lines_are_the_matches_in_their_sentence(tokens, pattern) -> None:
    text = "".join(tokens)
    turns = pd.DataFrame(
        [
            [
                "d",
                0,
                "2021-01-01",
                1,
                "answer",
                "王毅",
                "o",
                "O",
                "mainland",
                text,
                "".join(chr(32 + len(t)) for t in tokens),
            ]
        ],
        columns=[
            "doc_id",
            "turn",
            "date",
            "question",
            "role",
            "speaker",
            "outlet",
            "outlet_en",
            "origin",
            "text",
            "lengths",
        ],
    )
    lines = concordance(turns, pattern, width=8)
    assert len(lines) == len(re.findall(re.escape(pattern), text))
    for line in lines.itertuples():
        assert (
            text[line.start - len(line.left) : line.start + len(pattern) + len(line.right)]
            == line.left + pattern + line.right
        )
        assert len(line.left) <= 8 and len(line.right) <= 8 and not set(line.left) & set("。！")
    words = concordance(turns, pattern, words=True)
    bounds = set(np.cumsum([0, *map(len, tokens)]).tolist())
    assert words.start.tolist() == [s for s in lines.start if {s, s + len(pattern)} <= bounds]
    if pattern in tokens:
        assert len(words) >= tokens.count(pattern)
