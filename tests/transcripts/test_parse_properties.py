"""Properties of cleaning and parsing on any input and on mutated seeds: one kind of error, no label left in a turn,
the question count kept, and every character accounted for."""

from __future__ import annotations

import html
import re

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.errors import CorpusError
from corpus.ingest import clean
from corpus.ingest.readers import extract_text, read_text
from corpus.resources import known_speakers
from corpus.transcripts.parse import explain_transcript, parse_transcript
from tests.conftest import SEED_2020, SEED_2021
from tests.samples import news_page, paragraphs, printed_lines, same_turns

# Pieces the genre is made of, shuffled into any order: labels, names, datelines, titles, sentences, line breaks,
# indents, invisible and control characters.
FRAGMENTS = [
    "问：",
    "答：",
    "記者：",
    "新华社记者：",
    "《人民日报》记者：",
    "王毅：",
    "安峰山：",
    "主持人：",
    "会后，有记者问及：",
    "一、",
    "洪磊表示，",
    "比如：",
    "中方如何看待？",
    "我们始终主张对话。",
    "一年来，最精彩的是元首外交",
    "今天的记者会到此结束。",
    "2023年6月21日外交部发言人毛宁主持例行记者会",
    "新华社北京3月7日电",
    "十三届全国人大四次会议",
    "十十三届全国人大四次会议",
    "（2016-12-14）",
    "3",
    "\n",
    "\n\n",
    "\f",
    "\u3000\u3000",
    "\r\n",
    "\u200e",
    "\x00",
    "：",
    "。",
]
SPOKEN = ("question", "answer", "opening", "closing")
LABEL_START = re.compile(rf"^(?:问|答|[^\s，。？！：:、；“”]{{0,20}}记者|{'|'.join(known_speakers())})[：:]")


LABELS = [f for f in FRAGMENTS if f.endswith(("：", "，", "、"))]
SENTENCES = ["中方如何看待？", "我们始终主张对话。", "一年来，最精彩的是元首外交", "今天的记者会到此结束。", "谢谢。"]
SEPARATORS = ["\n", "", "\u3000\u3000", "\n\n", "\f", "\r\n", "\u200e"]


def _text(pieces: list[str]) -> str:
    return "".join(pieces)


# Turn-shaped text (a label, a sentence, a separator, repeated) with any fragment between: mostly parses.
TRANSCRIPTS = st.lists(
    st.tuples(st.sampled_from(SEPARATORS), st.sampled_from(LABELS), st.sampled_from(SENTENCES)).map(_text)
    | st.sampled_from(FRAGMENTS),
    max_size=30,
).map(_text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(_text) | TRANSCRIPTS,
    st.sampled_from(["x.txt", "2021-03-07_x.txt"]),
)
def test_any_input_parses_or_gives_the_one_line_error(text: str, name: str) -> None:
    try:
        cleaned = clean.clean_text(text)
        _, turns = parse_transcript(cleaned, name=name)
        explanation = explain_transcript(text, name=name)
    except CorpusError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(name)
        return
    spoken = turns[turns.role.isin(SPOKEN)]
    leftover = spoken[spoken.text.map(lambda t: bool(LABEL_START.match(clean.to_simplified(t))))]
    assert leftover.empty, leftover.text.tolist()
    assert explanation.balanced, explanation.lines()


def _questions(text: str) -> int:
    _, turns = parse_transcript(clean.clean_text(text), name="2021-03-07_x.txt")
    return int((turns.role == "question").sum())


SEEDS = {SEED_2020: 14, SEED_2021: 16}
INVISIBLE = ["\x00", "\x01", "\x08", "\x0b", "\x1f", "\x7f", "\x85", "\u200b", "\u200e", "\u200f", "\u202a", "\u202e"]
INVISIBLE += ["\u2066", "\u2069", "\ufeff", "\u00ad"]


@st.composite
def mutated_seed(draw) -> tuple[str, int]:
    """A seed with some blank lines removed, invisible or control characters inserted, and maybe in Traditional."""
    seed = draw(st.sampled_from(sorted(SEEDS)))
    lines = read_text(seed).split("\n")
    blanks = [i for i, line in enumerate(lines) if not line.strip()]
    removed = set(draw(st.lists(st.sampled_from(blanks), max_size=len(blanks)))) if blanks else set()
    text = "\n".join(line for i, line in enumerate(lines) if i not in removed)
    for _ in range(draw(st.integers(0, 12))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(INVISIBLE)) + text[at:]
    if draw(st.booleans()):
        text = opencc.OpenCC(draw(st.sampled_from(["s2t", "s2tw", "s2hk"]))).convert(text)
    return text, SEEDS[seed]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_seed())
def test_mutated_seeds_keep_their_questions_and_account_for_every_character(case: tuple[str, int]) -> None:
    text, questions = case
    assert _questions(text) == questions
    explanation = explain_transcript(text, name="2021-03-07_x.txt")
    assert explanation.balanced and explanation.turns["question"] == questions


@pytest.mark.parametrize("seed", sorted(SEEDS), ids=["2020", "2021"])
def test_seed_without_any_blank_line_and_in_traditional(seed) -> None:
    no_blanks = "\n".join(line for line in read_text(seed).split("\n") if line.strip())
    assert _questions(no_blanks) == SEEDS[seed]
    assert _questions(opencc.OpenCC("s2t").convert(no_blanks)) == SEEDS[seed]


@pytest.mark.parametrize("seed", sorted(SEEDS), ids=["2020", "2021"])
def test_cleaning_drops_only_page_furniture(seed) -> None:
    """Characters (white space aside) of the normalised input = those of the cleaned text + the furniture dropped."""
    raw = read_text(seed).replace("\n\n", "\n\f\n", 3) + "\n\f\n- 9 -\n"
    cleaned, dropped = clean.clean_report(raw)
    normalised = clean.normalize_unicode(clean.split_indents(clean.normalize_newlines(raw)))

    def chars(text: str) -> int:
        return len(re.sub(r"\s", "", text))

    assert "- 9 -" in dropped
    assert chars(normalised) == chars(cleaned) + sum(map(chars, dropped))


@pytest.mark.parametrize("layout", ["p", "br", "strong"])
@pytest.mark.parametrize("seed", sorted(SEEDS), ids=["2020", "2021"])
def test_web_page_with_one_element_per_printed_line_parses_as_the_seed(seed, layout: str) -> None:
    lines = tuple(line for paragraph in printed_lines(paragraphs(seed)) for line in paragraph)
    if layout == "br":
        body = "<br>\n".join(html.escape(line) for line in lines)
        page = f"<html><head><meta charset='utf-8'></head><body><div>{body}</div></body></html>".encode()
    else:
        page = news_page(lines, layout=layout)
    _, turns = parse_transcript(clean.clean_text(extract_text(page, name="x.html", suffix=".html")), name="x.html")
    _, original = parse_transcript(clean.clean_text(read_text(seed)), name=seed.name)
    spoken = ["question", "answer", "opening", "closing"]

    def joined(table):  # a paragraph ending on a full printed line runs into the next: nothing marks the break
        return same_turns(table[table.role.isin(spoken)].assign(text=table.text.str.replace("\n", "")))

    assert joined(turns).equals(joined(original))


@pytest.mark.parametrize("seed", sorted(SEEDS), ids=["2020", "2021"])
def test_every_paragraph_of_a_seeds_turn_ends_a_sentence(seed) -> None:
    """Printed lines are joined into whole paragraphs: none is cut mid-sentence (a wide line, a label line)."""
    _, turns = parse_transcript(clean.clean_text(read_text(seed)), name=seed.name)
    ends = re.compile(r"[。！？：；…][”’）)」』]*$")
    cut = [p for text in turns[turns.role.isin(SPOKEN)].text for p in text.split("\n") if not ends.search(p)]
    assert cut == []
