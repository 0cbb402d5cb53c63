"""Each cleaning rule on a real line from the seeds, and the pipeline's idempotency."""

from __future__ import annotations

import pytest

from corpus.dataset.build import load_document
from corpus.ingest import clean
from corpus.ingest.readers import read_text
from tests.conftest import SEED_2020, SEED_2021


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("第 三 ， 去 年 6 月 修 例 风 波 以", "第三，去年6月修例风波以"),
        ("口罩一项就向美方出口了 120 多亿", "口罩一项就向美方出口了120多亿"),
        ("认 两 岸 同 属 一 个 中 国 的 “ 九 二 共", "认两岸同属一个中国的“九二共"),
        ("推出“中国领事APP”，让海外同胞", "推出“中国领事APP”，让海外同胞"),
        ("World Health Organization 世卫组织", "World Health Organization世卫组织"),
    ],
)
def test_drop_justify_spaces(raw: str, expected: str) -> None:
    assert clean.drop_justify_spaces(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("中国－东盟特别外长会", "中国-东盟特别外长会"),  # full-width hyphen folded
        ("１２３０８领保热线", "12308领保热线"),  # full-width digits folded
        ("王毅：各位记者朋友，大家好！", "王毅：各位记者朋友，大家好！"),  # Chinese punctuation kept
        ("（10+3）抗击新冠肺炎疫情", "（10+3）抗击新冠肺炎疫情"),
        ("\ufeff据新华社\u200b北京", "据新华社北京"),
    ],
)
def test_normalize_unicode(raw: str, expected: str) -> None:
    assert clean.normalize_unicode(raw) == expected


def test_normalize_newlines() -> None:
    assert clean.normalize_newlines("历经\r\n磨难\r赢得\x0c地位") == "历经\n磨难\n赢得\n\x0c\n地位"


def test_drop_page_furniture_removes_page_numbers_and_running_titles() -> None:
    title = "就中国外交政策和对外关系回答中外记者提问"
    text = f"{title}\n王毅：第一，香港事务是中国\n- 2 -\n\f\n{title}\n内政，不容任何外来干涉。\n3"
    assert clean.drop_page_furniture(text).split("\n") == [
        "",
        "王毅：第一，香港事务是中国",
        "",
        "\f",
        "",
        "内政，不容任何外来干涉。",
        "",
    ]
    assert clean.page_furniture(text)[1] == [title, "- 2 -", title, "3"]


def test_repeated_lines_stay_without_page_breaks_and_label_lines_always_stay() -> None:
    title = "就中国外交政策和对外关系回答中外记者提问"
    assert clean.drop_page_furniture(f"{title}\n王毅：谢谢。\n{title}\n王毅：谢谢。") == (
        f"{title}\n王毅：谢谢。\n{title}\n王毅：谢谢。"
    )
    label = "中央广播电视总台央视记者：您如何评价"
    text = f"{label}\n正文第一页。\n\f\n{label}\n正文第二页。"
    assert clean.drop_page_furniture(text).split("\n").count(label) == 2


def test_a_label_line_always_starts_a_paragraph() -> None:
    column = "一行普通正文文字用来确定栏宽一行"  # 16 characters: full lines of a column
    lines = [column] * 8 + ["一年来，最精彩的是元首外交也是", "中央廣播電視總台央視記者：您如何評價", column, "結束。"]
    paragraphs = clean.join_broken_lines("\n".join(lines)).split("\n")
    assert paragraphs[1].startswith("中央廣播電視總台央視記者：") and len(paragraphs) == 2
    assert paragraphs[0].endswith("一年来，最精彩的是元首外交也是")


def test_ideographic_indents_start_paragraphs() -> None:
    assert clean.clean_text("　　毛宁：你好。　　问：什么？") == "毛宁：你好。\n问：什么？"


@pytest.mark.parametrize(
    ("width", "lines", "expected"),
    [
        # a page break (blank line) inside a sentence, 2020
        (
            15,
            "同时，我们也必须维护中\n国的主权和领土完整，维护自身的\n正当发展权利，维护中国人民历经\n\n磨难赢得的地位和尊严。中国无意",
            [
                "同时，我们也必须维护中国的主权和领土完整，维护自身的正当发展权利，维护中国人民历经磨难赢得的地位和尊严。中国无意"
            ],
        ),
        # a real paragraph break at a short line that ends a sentence, with no blank line, 2021
        (
            25,
            "久安的实际需要，也是宪法赋予全国人大的权力和责任，完\n\n全合宪合法，正当合理。\n放眼世界，无论在哪个国家，效忠自己的祖国都是公职\n\n人员以及竞选公职的人必须遵守的基本政治伦理。",
            [
                "久安的实际需要，也是宪法赋予全国人大的权力和责任，完全合宪合法，正当合理。",
                "放眼世界，无论在哪个国家，效忠自己的祖国都是公职人员以及竞选公职的人必须遵守的基本政治伦理。",
            ],
        ),
        # a headline wrapped over two lines, then the question and its answer with no blank line between
        (
            25,
            "落实“爱国者治港”，完全合宪合法，正\n当合理\n\n澎湃新闻记者：中方对缅甸局势持何立场？\n王毅：对于缅甸局势，我愿提出中方三点主张：\n第一，和平稳定是国家发展的前提。",
            [
                "落实“爱国者治港”，完全合宪合法，正当合理",
                "澎湃新闻记者：中方对缅甸局势持何立场？",
                "王毅：对于缅甸局势，我愿提出中方三点主张：",
                "第一，和平稳定是国家发展的前提。",
            ],
        ),
    ],
    ids=["page-break-in-sentence", "paragraph-without-blank", "headline-question-answer"],
)
def test_join_broken_lines(width: int, lines: str, expected: list[str]) -> None:
    full_line = ("一行普通正文文字用来确定栏宽" * 2)[:width]  # a paragraph of full lines sets the column width
    context = "\n".join([full_line] * 11 + [full_line[:-1] + "。"]) + "\n\n"
    assert clean.join_broken_lines(context + lines).split("\n")[1:] == expected


def test_text_already_in_paragraphs_is_left_as_is() -> None:
    text = "王毅：各位记者朋友，大家好！\n\n《人民日报》记者：请问……？\n王毅：这场疫情给我们带来的最大启示是："
    assert clean.join_broken_lines(text).split("\n") == [line for line in text.split("\n") if line]


@pytest.mark.parametrize("seed", [SEED_2020, SEED_2021], ids=["2020", "2021"])
def test_clean_text_is_idempotent(seed) -> None:
    once = clean.clean_text(read_text(seed))
    assert clean.clean_text(once) == once
    assert "  " not in once and "\n\n" not in once


def test_clean_text_rebuilds_paragraphs_of_the_seeds() -> None:
    paragraphs = clean.clean_text(read_text(SEED_2020)).split("\n")
    assert "十三届全国人大三次会议24日在人民大会堂举行视频记者会" in paragraphs[0]
    assert paragraphs[-2:] == ["国务委员兼外交部长王毅", "就中国外交政策和对外关系回答中外记者提问"]
    assert any(p.startswith("第三，去年6月修例风波以来，“港独”组织") for p in paragraphs)
    assert any("维护中国人民历经磨难赢得的地位和尊严" in p for p in paragraphs)


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("中國國際電視臺記者：", "中国国际电视台记者："),
        ("堅持多邊主義", "坚持多边主义"),
        ("王毅：各位记者朋友", "王毅：各位记者朋友"),
    ],
)
def test_to_simplified(traditional: str, simplified: str) -> None:
    assert clean.to_simplified(traditional) == simplified


def _questions(tmp_path, data: bytes) -> int:
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    _, turns = load_document(path)
    return int((turns.role == "question").sum())


@pytest.mark.parametrize("at", [5000, 3, 0], ids=["after-5000-chars", "near-the-start", "first"])
@pytest.mark.parametrize("char", ["\x00", "\x01", "\x7f", "\x85"], ids=["NUL", "SOH", "DEL", "NEL"])
def test_control_characters_are_removed_and_the_transcript_parses_whole(tmp_path, at: int, char: str) -> None:
    text = SEED_2021.read_text(encoding="utf-8")
    assert _questions(tmp_path, text.encode("utf-8")) == 16
    damaged = text[:at] + char + text[at:]
    assert _questions(tmp_path, damaged.encode("utf-8")) == 16
    assert clean.clean_text(read_text(tmp_path / "t.txt")) == clean.clean_text(text)


@pytest.mark.parametrize(
    "mark", ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069"]
)
def test_bidi_marks_before_speaker_labels_are_removed(tmp_path, mark: str) -> None:
    text = SEED_2021.read_text(encoding="utf-8")
    marked = "\n".join(mark + line if "：" in line[:20] else line for line in text.split("\n"))
    assert marked != text
    assert _questions(tmp_path, marked.encode("utf-8")) == 16
    assert clean.normalize_unicode(f"{mark}王毅：") == "王毅："


def test_form_feed_and_tab_are_kept() -> None:
    assert clean.normalize_unicode("a\tb\fc\nd") == "a\tb\fc\nd"
