"""Speaker labels opening a paragraph (王毅：, 《人民日报》记者：, 问：, 主持人：): who speaks, and for which outlet."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import NamedTuple

from corpus.ingest.clean import to_simplified
from corpus.resources import outlet_table

__all__ = [
    "LABEL", "TITLE_SPEAKER", "Paragraph", "infer_answerers", "inline_label", "looks_like_name", "lookup_outlet",
    "mark_after_briefing", "same_span", "speaker_kind", "speaker_name", "speaker_names", "split_inline",
    "split_label", "unrecognised_answerers",
]  # fmt: skip

LABEL = re.compile(r"^(?P<label>[^\s，。？！：:、；“”]{1,24}?)[：:](?P<rest>.*)$")
_QUESTIONER = re.compile(r"^(?P<outlet>.*?)(?:特约)?记者$")
_MODERATOR = re.compile(r"^(?:大会)?主持人")
# A label shaped like someone speaking: a 2-4 character name, or an office, maybe followed by a name.
_OFFICES = "部长|外长|主任|发言人|行长|局长|署长|总理|主席|委员|司长"
_PERSON_LABEL = re.compile(
    rf"^(?:[\u4e00-\u9fff·]{{2,4}}|[\u4e00-\u9fff·、]{{2,24}}(?:{_OFFICES})(?:[\u4e00-\u9fff·]{{2,3}})?)$"
)
# A name after its office (外交部发言人华春莹): the name is the speaker.
_TITLED = re.compile(rf"^[\u4e00-\u9fff·、]{{0,24}}(?:{_OFFICES})(?P<name>[\u4e00-\u9fff·]{{2,3}})$")
# Paragraph openings with a colon that are not names: 有评论说：, 比如：, 一是：, 首先：, 第一：, 总之：
_NOT_A_NAME = re.compile(r"(?:说|问|道|指出|表示|认为|强调|是|有|为|如|先|之|外)$|^第")
_SPEAKER_SEPARATORS = re.compile(r"[,，、;；/]+")
# A greeting opening a conference: the speaker who gives it answers the questions (秦刚：大家下午好！).
_GREETING = re.compile(r"^(?:各位|大家|女士们|先生们|媒体|记者朋友|朋友们)|^.{0,6}(?:上午|下午|晚上|中午)好")
# After-briefing items: 会后，有记者问及：一、…… answered in reported speech (洪磊表示，……).
_AFTER_BRIEFING = re.compile(
    r"^(?P<head>会后，?(?:有)?(?:记者|媒体)(?:问及|提问|询问|问)[^：:。]{0,12}[：:])(?P<number>[一二三四五六七八九十]+、)?"
)
_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")
_REPORTED = re.compile(r"^(?P<name>[\u4e00-\u9fff·]{2,4}?)(?:表示|指出|强调|回答说|答复说|说)[，,：:]")
_NOT_A_REPORTER = {"中方", "外方", "双方", "各方", "我们", "有关方面", "发言人", "对方", "美方", "日方"}
# The answerer named in a title: 外交部发言人陆慷主持例行记者会, 发言人安峰山就……答记者问.
TITLE_SPEAKER = re.compile(
    r"(?:发言人|部长|外长|主任|局长|行长|署长)(?P<name>[\u4e00-\u9fff]{2,3}?)(?:主持|举行|就|答|介绍|出席|在|表示)"
)


class Paragraph(NamedTuple):
    """A paragraph (or part of one) with its kind; `simple` is its Simplified form, used for every match.

    `label` is a speaker label read from the paragraph's context rather than its form (an after-briefing item):
    (kind, Simplified label, label as written, rest), as split_label returns it.
    """

    kind: str
    text: str
    simple: str
    label: tuple[str, str, str, str] | None = None


def speaker_names(speaker: str | None) -> list[str]:
    """The names given with --speaker, in Simplified characters: '郑栅洁、王文涛' -> ['郑栅洁', '王文涛']."""
    return [name for name in _SPEAKER_SEPARATORS.split(to_simplified(speaker or "").strip()) if name]


def lookup_outlet(label: str) -> dict:
    """Normalised outlet fields for a questioner label such as 新加坡《海峡时报》特约记者 (Traditional too)."""
    label = to_simplified(label)
    if label in ("问", "提问"):
        label = ""
    raw = _QUESTIONER.match(label)["outlet"] if _QUESTIONER.match(label) else label
    plain = raw.replace("《", "").replace("》", "")
    inner = re.search(r"《(.+?)》", raw)
    table = outlet_table()
    row = table.get(plain) or (table.get(inner[1]) if inner else None)
    row = row or next((table[key] for key in sorted(table, key=len, reverse=True) if plain.endswith(key)), None)
    if row is None:
        return {"outlet": plain or None, "outlet_en": None, "origin": "unknown", "country": None}
    return {"outlet": row["name"], "outlet_en": row["name_en"], "origin": row["origin"], "country": row["country"]}


def speaker_name(label: str) -> str:
    """The speaker's name in a (Simplified) label: 外交部发言人华春莹 -> 华春莹; other labels as they are."""
    match = _TITLED.match(label)
    return match["name"] if match else label


def speaker_kind(label: str, answerers: set[str]) -> str | None:
    """What a (Simplified) label marks: 'question', 'answer', 'moderator', or None when it is ordinary text."""
    if label in ("问", "记者", "提问", "問") or _QUESTIONER.match(label):
        return "question"
    if label in answerers or speaker_name(label) in answerers or label == "答":
        return "answer"
    if _MODERATOR.match(label):
        return "moderator"
    return None


def same_span(item: Paragraph, start: int, end: int | None = None) -> tuple[str, str]:
    """The same span of the paragraph as written and in Simplified form (OpenCC keeps lengths in all but rare cases)."""
    written = item.text if len(item.text) == len(item.simple) else item.simple
    return written[start:end].strip(), item.simple[start:end].strip()


def split_label(item: Paragraph, answerers: set[str]) -> tuple[str, str, str, str] | None:
    """(kind, Simplified label, label as written, rest) of a paragraph opening with a speaker label, else None."""
    if item.label:
        return item.label
    match = LABEL.match(item.simple)
    if not match or not (kind := speaker_kind(match["label"], answerers)):
        return None
    label = speaker_name(match["label"]) if kind == "answer" else match["label"]
    return kind, label, same_span(item, 0, match.end("label"))[0], same_span(item, match.start("rest"))[0]


def unrecognised_answerers(items: list[Paragraph], answerers: set[str]) -> list[str]:
    """Labels shaped like a person that open a paragraph inside a question: answerers the parser does not know."""
    found: list[str] = []
    in_question = False
    for item in items:
        if item.kind == "speech":
            in_question = split_label(item, answerers)[0] == "question"
        elif in_question and item.kind == "text" and (match := LABEL.match(item.simple)):
            label = match["label"]
            if _PERSON_LABEL.match(label) and not _NOT_A_NAME.search(label):
                found.append(label)
    return sorted(set(found), key=found.index)


def looks_like_name(label: str) -> bool:
    """Whether a (Simplified) label is shaped like a person speaking: 安峰山, 外交部发言人, not 比如 or 第一."""
    return bool(_PERSON_LABEL.match(label)) and not _NOT_A_NAME.search(label)


def inline_label(names: set[str]) -> re.Pattern:
    """Where a label starts inside a line: after a sentence's end, a questioner, 问/答, a moderator or a name."""
    alternatives = [
        r"[^\s，。？！：:、；“”（）]{0,20}?记者",
        "问",
        "答",
        r"(?:大会)?主持人[\u4e00-\u9fff·]{0,4}",
        r"[\u4e00-\u9fff]{0,20}?发言人[\u4e00-\u9fff·]{0,3}",
        *sorted(map(re.escape, names), key=len, reverse=True),
    ]
    return re.compile(rf"(?<=[。！？!?”’」』）)：])(?=(?:{'|'.join(alternatives)})[：:])")


def split_inline(item: Paragraph, pattern: re.Pattern) -> list[Paragraph]:
    """A paragraph cut before every label inside it (a scrape that lost its line breaks)."""
    cuts = [m.start() for m in pattern.finditer(item.simple)]
    if not cuts:
        return [item]
    bounds = [0, *cuts, len(item.simple)]
    parts = [Paragraph(item.kind, *same_span(item, a, b)) for a, b in itertools.pairwise(bounds)]
    return [part for part in parts if part.text]


def infer_answerers(items: list[Paragraph], known: set[str]) -> list[str]:
    """Name labels no resource lists that answer: the one opening a paragraph right after questions (twice, or after
    every question), or the one giving the greeting before the first question."""
    counts: Counter[str] = Counter()
    greeting: list[str] = []
    questions, pending = 0, False
    for item in items:
        match = LABEL.match(item.simple)
        if not match:
            continue
        label, kind = speaker_name(match["label"]), speaker_kind(match["label"], known)
        if kind == "question":
            questions, pending = questions + 1, True
        elif kind is not None:
            pending = False
        elif looks_like_name(label):
            if pending:
                counts[label] += 1
                pending = False
            elif not questions and not greeting and _GREETING.search(match["rest"].strip()):
                greeting.append(label)
    found = [label for label, n in counts.items() if n >= 2 or n == questions]
    return [*found, *(label for label in greeting if label not in found)]


def mark_after_briefing(items: list[Paragraph]) -> list[Paragraph]:
    """After-briefing items labelled by their context: 会后，有记者问及：一、…… and 二、…… are questions, 洪磊表示，……
    the answers (the reporting words are the label)."""
    marked: list[Paragraph] = []
    after, last = False, None
    for item in items:
        if match := _AFTER_BRIEFING.match(item.simple):
            after = True
            end = match.end()
            if item.simple[end:].strip():
                item = item._replace(label=("question", "问", *_label_and_rest(item, end)))
                last = "question"
        elif after and last != "question" and _NUMBERED.match(item.simple):
            end = _NUMBERED.match(item.simple).end()
            item = item._replace(label=("question", "问", *_label_and_rest(item, end)))
            last = "question"
        elif after and (match := _REPORTED.match(item.simple)) and match["name"] not in _NOT_A_REPORTER:
            item = item._replace(label=("answer", match["name"], *_label_and_rest(item, match.end())))
            last = "answer"
        marked.append(item)
    return marked


def _label_and_rest(item: Paragraph, end: int) -> tuple[str, str]:
    return same_span(item, 0, end)[0], same_span(item, end)[0]
