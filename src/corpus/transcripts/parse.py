"""Parsing cleaned transcript text into document metadata and turns (opening, questions, answers, closing)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field

import pandas as pd

from corpus.errors import CorpusError
from corpus.ingest.clean import to_simplified
from corpus.resources import known_speakers
from corpus.transcripts.dates import DATELINE_ANY, find_event, resolve_date
from corpus.transcripts.speakers import (
    LABEL,
    Paragraph,
    lookup_outlet,
    same_span,
    speaker_names,
    split_label,
    unrecognised_answerers,
)

TURN_COLUMNS = [
    "doc_id",
    "turn",
    "role",
    "speaker",
    "outlet",
    "outlet_en",
    "origin",
    "country",
    "headline",
    "question",
    "text",
    "n_chars",
]
ROLES = ("opening", "question", "answer", "closing", "narration")

_DATELINE = re.compile(f"^{DATELINE_ANY.pattern}")
_DURATION = re.compile(r"^(?:本场)?记者会(?:共)?历时(?P<duration>[^。]+)。?$")
_CAPTION = re.compile(
    r"(?P<caption>(?:\d{1,2}月\d{1,2}日，[^。]*。)?(?:新华社|中新社|人民网)?记者[\u4e00-\u9fff·]{2,6}摄)$"
)
_TERMINAL = re.compile(r"[。！？!?…：；][”’）)」』]*$")
_HEADLINE_MAX = 40


@dataclass
class Document:
    """Metadata of one transcript."""

    doc_id: str
    date: str
    year: int
    speaker: str
    event: str | None = None
    title: str | None = None
    dateline: str | None = None
    duration: str | None = None
    caption: str | None = None
    source: str | None = None


@dataclass
class _Turn:
    role: str
    speaker: str | None = None
    outlet: dict = field(default_factory=dict)
    headline: str | None = None
    question: int | None = None
    paragraphs: list[str] = field(default_factory=list)


def _classify(item: Paragraph, answerers: set[str]) -> list[Paragraph]:
    """One paragraph as items: speech, dateline, duration, caption or text."""
    if split_label(item, answerers):
        return [item._replace(kind="speech")]
    if match := _DATELINE.match(item.simple):
        rest = Paragraph("text", *same_span(item, match.end()))
        return [Paragraph("dateline", *same_span(item, 0, match.end())), *([rest] if rest.text else [])]
    if _DURATION.match(item.simple):
        return [item._replace(kind="duration")]
    if match := _CAPTION.search(item.simple):
        before = Paragraph("text", *same_span(item, 0, match.start()))
        return [*([before] if before.text else []), Paragraph("caption", *same_span(item, match.start("caption")))]
    return [item]


def _is_unpunctuated(text: str) -> bool:
    return not _TERMINAL.search(text)


def _walk(items: list[Paragraph], answerers: set[str], meta: dict) -> list[_Turn]:
    """Group classified paragraphs into turns; fill `meta` with dateline, duration, caption and title."""
    turns: list[_Turn] = []
    current: _Turn | None = None
    headline: str | None = None
    title: list[str] = []
    last_speech = max((i for i, item in enumerate(items) if item.kind == "speech"), default=-1)
    questions_left = sum(item.kind == "speech" and split_label(item, answerers)[0] == "question" for item in items)
    for i, (kind, text, simple) in enumerate(items):
        next_is_speech = i + 1 < len(items) and items[i + 1].kind == "speech"
        if kind == "speech":
            current = _start_turn(items[i], answerers, turns, headline, questions_left)
            questions_left -= current.role == "question"
            turns.append(current)
            headline = headline if current.role == "narration" else None  # a moderator's line keeps it pending
        elif kind in ("dateline", "caption"):
            meta[kind] = text.strip("（）()")
            current = None if i > last_speech else current
        elif kind == "duration":
            meta["duration"] = same_span(items[i], _DURATION.match(simple).start("duration"))[0].rstrip("。")
            turns.append(_Turn("narration", paragraphs=[text]))
            current = None
        elif _is_unpunctuated(text) and len(text) <= _HEADLINE_MAX and next_is_speech and turns:
            headline = text
        elif _is_unpunctuated(text) and (current is None or i > last_speech):
            title.append(text)  # before the first speaker or after the last: the title (and a page's <h1>)
            current = None
        elif current is not None:
            current.paragraphs.append(text)
        else:
            turns.append(_Turn("narration", paragraphs=[text]))
    if title:
        meta["title"] = "".join(title)
    return turns


def _start_turn(
    item: Paragraph, answerers: set[str], turns: list[_Turn], headline: str | None, questions_left: int
) -> _Turn:
    kind, label, written, rest = split_label(item, answerers)
    paragraphs = [rest] if rest else []
    if kind == "question":
        number = 1 + next((t.question for t in reversed(turns) if t.role == "question"), 0)  # linear, not a recount
        return _Turn("question", written, lookup_outlet(label), headline, number, paragraphs)
    if kind == "moderator":
        return _Turn("narration", written, paragraphs=paragraphs)
    previous = next((t for t in reversed(turns) if t.role != "narration"), None)
    if previous is None or (previous.role == "opening" and not any(t.role == "question" for t in turns)):
        role, number = "opening", None
    elif previous.role == "question":
        role, number = "answer", previous.question
    elif questions_left == 0 and previous.speaker == label:
        role, number = "closing", None
    else:
        role, number = "answer", previous.question
    return _Turn(role, label, {}, headline, number, paragraphs)


def _main_speaker(turns: list[_Turn], meta: dict, *, name: str, explicit: list[str]) -> str:
    if explicit:
        return explicit[0]
    named = [t.speaker for t in turns if t.role in ("opening", "answer", "closing") and t.speaker != "答"]
    if named:
        return max(sorted(set(named)), key=named.count)
    context = to_simplified(
        " ".join([meta.get("title") or "", *("".join(t.paragraphs) for t in turns if t.role == "narration")])
    )
    mentioned = [s for s in known_speakers() if s in context]
    if mentioned:
        return mentioned[0]
    raise CorpusError(f"{name}: answers are marked '答：' but no speaker name was found; give --speaker NAME")


def _check_structure(turns: list[_Turn], items: list[Paragraph], answerers: set[str], *, name: str) -> None:
    n_questions = sum(t.role == "question" for t in turns)
    n_answers = sum(t.role == "answer" for t in turns)
    if not n_questions:
        raise CorpusError(
            f"{name}: no question/answer structure found (expected paragraphs starting with "
            "'…记者：' or '问：' for questions and a speaker such as '王毅：' or '答：' for answers)"
        )
    unknown = unrecognised_answerers(items, answerers)
    if n_answers and not unknown:
        return
    if n_answers:
        known = sorted({t.speaker for t in turns if t.role == "answer" and t.speaker != "答"})
        raise CorpusError(
            f"{name}: answers by {'、'.join(unknown)} are not recognised (expected a known speaker such as "
            f"'王毅：' or '答：'); give --speaker {','.join([*known, *unknown])} or add them to speakers.yaml"
        )
    labels = unknown or [m["label"] for item in items if item.kind == "text" and (m := LABEL.match(item.simple))]
    common = Counter(labels).most_common(1)[0][0] if labels else ""
    hint = f"; the answers seem to start with '{common}：', try --speaker NAME" if labels else ""
    raise CorpusError(
        f"{name}: {n_questions} questions but no answers: expected answers marked by a known speaker "
        f"(e.g. '王毅：') or '答：'{hint}"
    )


def parse_transcript(
    text: str,
    *,
    name: str,
    doc_id: str | None = None,
    date: str | None = None,
    speaker: str | None = None,
    event: str | None = None,
) -> tuple[Document, pd.DataFrame]:
    """Metadata and the table of turns (columns TURN_COLUMNS) of one cleaned transcript.

    Labels, datelines and speakers are matched in Simplified characters; the turns keep the text as written.
    `speaker` names the answering speaker(s), several separated by commas or 、; the first is the main one.
    """
    names = speaker_names(speaker)
    answerers = set(known_speakers()) | set(names)
    simple = to_simplified(text)
    lines, simple_lines = text.split("\n"), simple.split("\n")
    lines = lines if len(lines) == len(simple_lines) else simple_lines
    paragraphs = [Paragraph("text", t, s) for t, s in zip(lines, simple_lines, strict=True) if t.strip()]
    items = [item for paragraph in paragraphs for item in _classify(paragraph, answerers)]
    meta: dict = {}
    turns = _walk(items, answerers, meta)
    _check_structure(turns, items, answerers, name=name)
    main = _main_speaker(turns, meta, name=name, explicit=names)
    day = resolve_date(simple, name=name, explicit=date)
    doc_id = doc_id or name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    document = Document(
        doc_id=doc_id,
        date=day.isoformat(),
        year=day.year,
        speaker=main,
        event=event or find_event(simple),
        title=meta.get("title"),
        dateline=meta.get("dateline"),
        duration=meta.get("duration"),
        caption=meta.get("caption"),
        source=name.rsplit("/", 1)[-1],
    )
    return document, _turn_table(turns, doc_id, main)


def _turn_table(turns: list[_Turn], doc_id: str, main: str) -> pd.DataFrame:
    rows = []
    for index, turn in enumerate(turns):
        text = "\n".join(turn.paragraphs)
        speaker = main if turn.speaker == "答" else turn.speaker
        outlet = turn.outlet or {"outlet": None, "outlet_en": None, "origin": None, "country": None}
        rows.append(
            {
                "doc_id": doc_id,
                "turn": index,
                "role": turn.role,
                "speaker": speaker,
                **outlet,
                "headline": turn.headline,
                "question": turn.question,
                "text": text,
                "n_chars": len(text),
            }
        )
    table = pd.DataFrame(rows, columns=TURN_COLUMNS)
    return table.astype({"question": "Int64", "turn": "int64", "n_chars": "int64"})


def document_record(document: Document) -> dict:
    """The document's metadata as a plain dict (one row of the documents table)."""
    return asdict(document)
