"""Parsing cleaned transcript text into document metadata and turns (opening, questions, answers, closing)."""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field

import pandas as pd

from corpus.errors import CorpusError
from corpus.ingest.clean import clean_report, is_hard_wrapped, to_simplified
from corpus.resources import known_speakers
from corpus.transcripts.dates import DATELINE_ANY, date_and_source, find_event
from corpus.transcripts.speakers import (
    LABEL,
    TITLE_SPEAKER,
    Paragraph,
    infer_answerers,
    inline_label,
    lookup_outlet,
    mark_after_briefing,
    same_span,
    speaker_names,
    split_inline,
    split_label,
    unrecognised_answerers,
)

__all__ = [
    "ROLES",
    "TURN_COLUMNS",
    "Document",
    "Explanation",
    "document_record",
    "explain_transcript",
    "lookup_outlet",
    "parse_transcript",
]

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
# A closing line without a label: 今天的记者会到此结束。谢谢大家！
_CLOSING = re.compile(r"^(?:今天的|本次|今天)?(?:例行)?(?:记者会|发布会|吹风会)(?:就)?(?:到此结束|到这里)")
UNKNOWN_SPEAKER = "unknown"
_RUN_ON = re.compile(r"[^\s]\u3000{2,}")  # an indent after text on the same line: paragraphs run together


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


def _chars(text: str) -> int:
    """Characters other than white space: what the accounting counts."""
    return len(text) - sum(ch.isspace() for ch in text)


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
    placed: Counter[str] = meta.setdefault("placed", Counter())
    previous: _Turn | None = None  # the last turn that is not narration
    asked = 0
    for i, item in enumerate(items):
        kind, text, simple = item.kind, item.text, item.simple
        next_is_speech = i + 1 < len(items) and items[i + 1].kind == "speech"
        if kind == "speech":
            current = _start_turn(items[i], answerers, previous, asked, headline, questions_left)
            questions_left -= current.role == "question"
            asked += current.role == "question"
            previous = previous if current.role == "narration" else current
            turns.append(current)
            placed["labels"] += _chars(text) - _chars("".join(current.paragraphs))
            headline = headline if current.role == "narration" else None  # a moderator's line keeps it pending
        elif kind in ("dateline", "caption"):
            meta[kind] = text.strip("（）()")
            placed[f"{kind}s"] += _chars(text)
            current = None if i > last_speech else current
        elif kind == "duration":
            meta["duration"] = same_span(items[i], _DURATION.match(simple).start("duration"))[0].rstrip("。")
            turns.append(_Turn("narration", paragraphs=[text]))
            current = None
        elif _CLOSING.match(simple) and previous is not None and previous.role == "answer" and not questions_left:
            current = previous = _Turn("closing", "答", paragraphs=[text])
            turns.append(current)
        elif _is_unpunctuated(text) and len(text) <= _HEADLINE_MAX and next_is_speech and turns:
            headline = text
            placed["headlines"] += _chars(text)
        elif _is_unpunctuated(text) and (current is None or i > last_speech):
            title.append(text)  # before the first speaker or after the last: the title (and a page's <h1>)
            placed["title"] += _chars(text)
            current = None
        elif current is not None:
            current.paragraphs.append(text)
        else:
            turns.append(_Turn("narration", paragraphs=[text]))
    if title:
        meta["title"] = "".join(title)
    return turns


def _start_turn(
    item: Paragraph, answerers: set[str], previous: _Turn | None, asked: int, headline: str | None, questions_left: int
) -> _Turn:
    """The turn a speech paragraph opens, after `previous` (the last turn that is not narration) and `asked`
    questions."""
    kind, label, written, rest = split_label(item, answerers)
    paragraphs = [rest] if rest else []
    if kind == "question":
        return _Turn("question", written, lookup_outlet(label), headline, asked + 1, paragraphs)
    if kind == "moderator":
        return _Turn("narration", written, paragraphs=paragraphs)
    if previous is None or previous.role == "opening":
        role, number = "opening", None
    elif previous.role == "question":
        role, number = "answer", previous.question
    elif questions_left == 0 and previous.speaker == label:
        role, number = "closing", None
    else:
        role, number = "answer", previous.question
    return _Turn(role, label, {}, headline, number, paragraphs)


def _main_speaker(turns: list[_Turn], meta: dict, *, name: str, explicit: list[str]) -> tuple[str, str]:
    """The main answering speaker and where the name came from."""
    if explicit:
        return explicit[0], "the --speaker option"
    named = [t.speaker for t in turns if t.role in ("opening", "answer", "closing") and t.speaker != "答"]
    if named:
        counts = Counter(named)
        main = max(sorted(counts), key=counts.__getitem__)
        if main in meta.get("reported", ()):
            return main, f"reported speech ({main}表示)"
        where = "the greeting" if all(t.role == "opening" for t in turns if t.speaker == main) else "the labels"
        return main, f"{where}: {main}："
    context = to_simplified(
        " ".join([meta.get("title") or "", *("".join(t.paragraphs) for t in turns if t.role == "narration")])
    )
    if match := TITLE_SPEAKER.search(context):
        return match["name"], f"the title: {match[0]}"
    mentioned = [s for s in known_speakers() if s in context]
    if mentioned:
        return mentioned[0], f"the title: {mentioned[0]} (speakers.yaml)"
    print(
        f"corpus: warning: {name}: answers are marked '答：' and no answerer is named; speaker '{UNKNOWN_SPEAKER}' "
        "(give --speaker NAME)",
        file=sys.stderr,
    )
    return UNKNOWN_SPEAKER, "nowhere (unknown)"


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
    hint = f"; the answers seem to start with '{max(labels, key=labels.count)}：', try --speaker NAME" if labels else ""
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
    document, turns, _ = _parse(text, name=name, doc_id=doc_id, date=date, speaker=speaker, event=event)
    return document, turns


def _paragraphs(text: str) -> list[Paragraph]:
    simple = to_simplified(text)
    lines, simple_lines = text.split("\n"), simple.split("\n")
    lines = lines if len(lines) == len(simple_lines) else simple_lines
    return [Paragraph("text", t.strip(), s.strip()) for t, s in zip(lines, simple_lines, strict=True) if t.strip()]


def _parse(
    text: str,
    *,
    name: str,
    doc_id: str | None = None,
    date: str | None = None,
    speaker: str | None = None,
    event: str | None = None,
) -> tuple[Document, pd.DataFrame, dict]:
    """parse_transcript's result and what the parser found on the way (for explain_transcript)."""
    names = speaker_names(speaker)
    known = set(known_speakers()) | set(names)
    paragraphs = _paragraphs(text)
    split = [part for item in paragraphs for part in split_inline(item, inline_label(known))]
    inferred = [label for label in infer_answerers(split, known) if label not in known]
    answerers = known | set(inferred)
    split = [part for item in paragraphs for part in split_inline(item, inline_label(answerers))]
    split = mark_after_briefing(split)
    items = [item for paragraph in split for item in _classify(paragraph, answerers)]
    meta: dict = {
        "paragraphs": len(paragraphs),
        "inline": len(split) - len(paragraphs),
        "inferred": inferred,
        "after_briefing": sum(item.label is not None for item in split),
        "reported": {
            item.label[1] for item in split if item.label and item.label[0] == "answer" and item.label[1] not in known
        }
        - {m["label"] for item in split if (m := LABEL.match(item.simple))},
        "chars": sum(_chars(item.text) for item in paragraphs),
    }
    turns = _walk(items, answerers, meta)
    _check_structure(turns, items, answerers, name=name)
    main, meta["speaker_source"] = _main_speaker(turns, meta, name=name, explicit=names)
    simple = to_simplified(text)
    first_speech = next((i for i, item in enumerate(items) if item.kind == "speech"), len(items))
    head = "\n".join(item.simple for item in items[:first_speech])
    day, meta["date_source"] = date_and_source(simple, name=name, explicit=date, head=head)
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
    return document, _turn_table(turns, doc_id, main), meta


@dataclass
class Explanation:
    """What `corpus parse --explain` prints: how the parser read one transcript, and where its text went."""

    layout: list[str]
    speaker: str
    speaker_source: str
    date: str
    date_source: str
    turns: dict[str, int]
    unplaced: list[str]
    dropped: dict[str, int]
    dropped_lines: list[str]
    cleaned_chars: int
    turn_chars: int

    @property
    def balanced(self) -> bool:
        """Whether the turns' characters plus those dropped equal the cleaned input's."""
        return self.turn_chars + sum(self.dropped.values()) == self.cleaned_chars

    def lines(self) -> list[str]:
        """The explanation as printed lines."""
        dropped = ", ".join(f"{why} {n}" for why, n in self.dropped.items() if n) or "none"
        out = [
            f"layout:   {'; '.join(self.layout)}",
            f"answerer: {self.speaker} (from {self.speaker_source})",
            f"date:     {self.date} (from {self.date_source})",
            f"turns:    {', '.join(f'{role} {n}' for role, n in self.turns.items())}",
            f"text:     {self.cleaned_chars} characters cleaned = {self.turn_chars} in turns + dropped ({dropped})"
            f"{'' if self.balanced else '  MISMATCH'}",
            f"cleaning: {len(self.dropped_lines)} page-furniture line{'' if len(self.dropped_lines) == 1 else 's'}"
            " removed before parsing"
            + (f": {' | '.join(line[:20] for line in self.dropped_lines[:5])}" if self.dropped_lines else ""),
            f"unplaced: {len(self.unplaced)} paragraph{'' if len(self.unplaced) == 1 else 's'} kept as narration"
            " (no speaker)",
            *(f"  - {line[:60]}" for line in self.unplaced),
        ]
        return out


def explain_transcript(raw: str, *, name: str, **metadata: str | None) -> Explanation:
    """How a transcript's text (as read from its file, before cleaning) is parsed: the layout recognised, where the
    answerer and date came from, turns per role, paragraphs it could not give a speaker, and the characters dropped
    (labels, headlines, title, dateline, caption) beside those in the turns."""
    cleaned, furniture = clean_report(raw)
    document, turns, meta = _parse(cleaned, name=name, **metadata)
    roles = turns.role.value_counts()
    questions = turns[turns.role == "question"]
    layout = [
        "hard-wrapped lines joined (PDF-like)" if is_hard_wrapped(raw) else "one paragraph per line",
        *(["paragraphs marked only by ideographic spaces (　　)"] if len(_RUN_ON.findall(raw)) > 1 else []),
        *(["page breaks marked"] if "\f" in raw else []),
        *([f"{meta['inline']} inline labels split out of run-on lines"] if meta["inline"] else []),
        "问：/答： markers" if questions.outlet.isna().any() else "questioners' outlets named",
        *([f"answerer label not in speakers.yaml: {'、'.join(meta['inferred'])}"] if meta["inferred"] else []),
        *([f"{meta['after_briefing']} after-briefing items (会后，有记者问及)"] if meta["after_briefing"] else []),
        *(["moderator lines"] if turns.speaker.fillna("").str.contains("主持人").any() else []),
        *(["Traditional characters"] if to_simplified(cleaned) != cleaned else []),
    ]
    unplaced = turns[(turns.role == "narration") & turns.speaker.isna()].text.tolist()
    placed = meta["placed"]
    return Explanation(
        layout=layout,
        speaker=document.speaker,
        speaker_source=meta["speaker_source"],
        date=document.date,
        date_source=meta["date_source"],
        turns={role: int(roles.get(role, 0)) for role in ROLES},
        unplaced=unplaced,
        dropped={why: placed[why] for why in ("labels", "headlines", "title", "datelines", "captions")},
        dropped_lines=furniture,
        cleaned_chars=meta["chars"],
        turn_chars=int(turns.text.map(_chars).sum()),
    )


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
