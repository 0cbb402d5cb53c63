"""Speaker labels opening a paragraph (王毅：, 《人民日报》记者：, 问：, 主持人：): who speaks, and for which outlet."""

from __future__ import annotations

import re
from typing import NamedTuple

from corpus.ingest.clean import to_simplified
from corpus.resources import outlet_table

LABEL = re.compile(r"^(?P<label>[^\s，。？！：:、；“”]{1,24}?)[：:](?P<rest>.*)$")
_QUESTIONER = re.compile(r"^(?P<outlet>.*?)(?:特约)?记者$")
_MODERATOR = re.compile(r"^(?:大会)?主持人")
# A label shaped like someone speaking: a 2-4 character name, or a title ending in an office.
_PERSON_LABEL = re.compile(
    r"^(?:[\u4e00-\u9fff·]{2,4}|[\u4e00-\u9fff·]{2,16}(?:部长|主任|发言人|行长|局长|署长|总理|主席|委员))$"
)
# Paragraph openings with a colon that are not names: 有评论说：, 比如：, 一是：, 首先：, 第一：, 总之：
_NOT_A_NAME = re.compile(r"(?:说|问|道|指出|表示|认为|强调|是|有|为|如|先|之|外)$|^第")
_SPEAKER_SEPARATORS = re.compile(r"[,，、;；/]+")


class Paragraph(NamedTuple):
    """A paragraph (or part of one) with its kind; `simple` is its Simplified form, used for every match."""

    kind: str
    text: str
    simple: str


def speaker_names(speaker: str | None) -> list[str]:
    """The names given with --speaker, in Simplified characters: '郑栅洁、王文涛' -> ['郑栅洁', '王文涛']."""
    return [name for name in _SPEAKER_SEPARATORS.split(to_simplified(speaker or "").strip()) if name]


def lookup_outlet(label: str) -> dict:
    """Normalised outlet fields for a questioner label such as 新加坡《海峡时报》特约记者 (Traditional too)."""
    label = to_simplified(label)
    raw = _QUESTIONER.match(label)["outlet"] if _QUESTIONER.match(label) else label
    plain = raw.replace("《", "").replace("》", "")
    inner = re.search(r"《(.+?)》", raw)
    table = outlet_table()
    row = table.get(plain) or (table.get(inner[1]) if inner else None)
    row = row or next((table[key] for key in sorted(table, key=len, reverse=True) if plain.endswith(key)), None)
    if row is None:
        return {"outlet": plain or None, "outlet_en": None, "origin": "unknown", "country": None}
    return {"outlet": row["name"], "outlet_en": row["name_en"], "origin": row["origin"], "country": row["country"]}


def speaker_kind(label: str, answerers: set[str]) -> str | None:
    """What a (Simplified) label marks: 'question', 'answer', 'moderator', or None when it is ordinary text."""
    if label in ("问", "记者", "提问") or _QUESTIONER.match(label):
        return "question"
    if label in answerers or label == "答":
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
    match = LABEL.match(item.simple)
    if not match or not (kind := speaker_kind(match["label"], answerers)):
        return None
    return kind, match["label"], same_span(item, 0, match.end("label"))[0], same_span(item, match.start("rest"))[0]


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
