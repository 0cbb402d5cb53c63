"""Parsing cleaned transcript text into document metadata and turns (opening, questions, answers, closing)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

import pandas as pd

from corpus.errors import CorpusError
from corpus.resources import known_speakers, outlet_table

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

_LABEL = re.compile(r"^(?P<label>[^\s，。？！：:、；“”]{1,24}?)[：:](?P<rest>.*)$")
_QUESTIONER = re.compile(r"^(?P<outlet>.*?)(?:特约)?记者$")
_DATELINE_ANY = re.compile(
    r"[（(]?据?(?:新华社|中新社)(?P<place>[\u4e00-\u9fff]{2,4}?)(?P<m>\d{1,2})月(?P<d>\d{1,2})日电[）)]?"
)
_DATELINE = re.compile(f"^{_DATELINE_ANY.pattern}")
_DURATION = re.compile(r"^(?:本场)?记者会(?:共)?历时(?P<duration>[^。]+)。?$")
_CAPTION = re.compile(
    r"(?P<caption>(?:\d{1,2}月\d{1,2}日，[^。]*。)?(?:新华社|中新社|人民网)?记者[\u4e00-\u9fff·]{2,6}摄)$"
)
_SESSION = re.compile(
    r"第?(?P<n>[一二三四五六七八九十]+)届全国(?P<body>人大|人民代表大会|政协)第?(?P<s>[一二三四五六七八九十]+)次会议"
)
_FULL_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_FILE_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_.]?(?P<m>\d{2})[-_.]?(?P<d>\d{2})(?!\d)")
_MONTH_DAY = re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_TERMINAL = re.compile(r"[。！？!?…：；][”’）)」』]*$")
_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
# The 9th NPC (and CPPCC) held its 1st session in 1998; each term has five yearly sessions.
_FIRST_SESSION_9TH = 1998
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


def chinese_numeral(text: str) -> int:
    """1-99 written in Chinese numerals: 三 -> 3, 十三 -> 13, 二十一 -> 21."""
    if "十" not in text:
        return _NUMERALS[text]
    tens, _, units = text.partition("十")
    return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[units] if units else 0)


def session_year(term: int, session: int) -> int:
    """The year of the NPC/CPPCC's `session` in its `term` (13th term, 1st session: 2018)."""
    return _FIRST_SESSION_9TH + (term - 9) * 5 + session - 1


def _make_date(y: int, m: int, d: int, *, name: str, where: str) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise CorpusError(f"{name}: impossible date {y:04d}-{m:02d}-{d:02d} in {where}") from None


def resolve_date(text: str, *, name: str, explicit: str | None = None) -> dt.date:
    """The conference date: an explicit value, else the file name, else the dateline and NPC session."""
    if explicit:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", explicit.strip())
        if not match:
            raise CorpusError(f"{name}: date '{explicit}' is not in YYYY-MM-DD form")
        return _make_date(*map(int, match.groups()), name=name, where="the --date option")
    if match := _FILE_DATE.search(name.rsplit("/", 1)[-1]):
        return _make_date(int(match["y"]), int(match["m"]), int(match["d"]), name=name, where="the file name")
    session = _SESSION.search(text)
    month_day = _DATELINE_ANY.search(text) or _month_day_near(text, session)
    if session and month_day:
        year = session_year(chinese_numeral(session["n"]), chinese_numeral(session["s"]))
        return _make_date(year, int(month_day["m"]), int(month_day["d"]), name=name, where="the text")
    if match := _FULL_DATE.search(text):
        return _make_date(int(match["y"]), int(match["m"]), int(match["d"]), name=name, where="the text")
    raise CorpusError(
        f"{name}: no date found (give --date YYYY-MM-DD, put the date in the file name, "
        "or keep the dateline, e.g. 新华社北京3月7日电)"
    )


def _month_day_near(text: str, session: re.Match | None) -> re.Match | None:
    """A 'M月D日' written next to the session name, as photo captions do: 3月7日，十三届全国人大四次会议."""
    if session is None:
        return None
    return _MONTH_DAY.search(text[max(0, session.start() - 8) : session.start()])


def find_event(text: str) -> str | None:
    """The NPC/CPPCC session named in the text, in its short form (十三届全国人大四次会议)."""
    if match := _SESSION.search(text):
        body = "全国政协" if match["body"] == "政协" else "全国人大"
        return f"{match['n']}届{body}{match['s']}次会议"
    return None


def lookup_outlet(label: str) -> dict:
    """Normalised outlet fields for a questioner label such as 新加坡《海峡时报》特约记者."""
    raw = _QUESTIONER.match(label)["outlet"] if _QUESTIONER.match(label) else label
    plain = raw.replace("《", "").replace("》", "")
    inner = re.search(r"《(.+?)》", raw)
    table = outlet_table()
    row = table.get(plain) or (table.get(inner[1]) if inner else None)
    row = row or next((table[key] for key in sorted(table, key=len, reverse=True) if plain.endswith(key)), None)
    if row is None:
        return {"outlet": plain or None, "outlet_en": None, "origin": "unknown", "country": None}
    return {"outlet": row["name"], "outlet_en": row["name_en"], "origin": row["origin"], "country": row["country"]}


def _speaker_of(label: str, answerers: set[str]) -> tuple[str, str] | None:
    """('question', outlet label) or ('answer', speaker) for a speaker label; None for ordinary text."""
    if label in ("问", "记者") or _QUESTIONER.match(label):
        return "question", label
    if label in answerers or label == "答":
        return "answer", label
    return None


def _split_label(paragraph: str, answerers: set[str]) -> tuple[str, str, str] | None:
    match = _LABEL.match(paragraph)
    if not match:
        return None
    kind = _speaker_of(match["label"], answerers)
    return (kind[0], kind[1], match["rest"].strip()) if kind else None


def _classify(paragraph: str, answerers: set[str]) -> list[tuple[str, str]]:
    """One paragraph as (kind, text) items: speech, dateline, duration, caption or text."""
    if speech := _split_label(paragraph, answerers):
        return [("speech", paragraph)]
    if match := _DATELINE.match(paragraph):
        rest = paragraph[match.end() :].strip()
        return [("dateline", match[0].strip("（）()")), *([("text", rest)] if rest else [])]
    if _DURATION.match(paragraph):
        return [("duration", paragraph)]
    if match := _CAPTION.search(paragraph):
        before = paragraph[: match.start()].strip()
        return [*([("text", before)] if before else []), ("caption", match["caption"])]
    del speech
    return [("text", paragraph)]


def _is_unpunctuated(text: str) -> bool:
    return not _TERMINAL.search(text)


def _walk(items: list[tuple[str, str]], answerers: set[str], meta: dict) -> list[_Turn]:
    """Group classified paragraphs into turns; fill `meta` with dateline, duration, caption and title."""
    turns: list[_Turn] = []
    current: _Turn | None = None
    headline: str | None = None
    title: list[str] = []
    last_speech = max((i for i, (kind, _) in enumerate(items) if kind == "speech"), default=-1)
    questions_left = sum(1 for kind, p in items if kind == "speech" and _split_label(p, answerers)[0] == "question")
    for i, (kind, text) in enumerate(items):
        next_is_speech = i + 1 < len(items) and items[i + 1][0] == "speech"
        if kind == "speech":
            current = _start_turn(text, answerers, turns, headline, questions_left)
            questions_left -= current.role == "question"
            turns.append(current)
            headline = None
        elif kind in ("dateline", "caption"):
            meta[kind] = text
            current = None if i > last_speech else current
        elif kind == "duration":
            meta["duration"] = _DURATION.match(text)["duration"]
            turns.append(_Turn("narration", paragraphs=[text]))
            current = None
        elif _is_unpunctuated(text) and len(text) <= _HEADLINE_MAX and next_is_speech:
            headline = text
        elif _is_unpunctuated(text) and (current is None or i > last_speech):
            title.append(text)
            current = None
        elif current is not None:
            current.paragraphs.append(text)
        else:
            turns.append(_Turn("narration", paragraphs=[text]))
    if title:
        meta["title"] = "".join(title)
    return turns


def _start_turn(
    paragraph: str, answerers: set[str], turns: list[_Turn], headline: str | None, questions_left: int
) -> _Turn:
    kind, label, rest = _split_label(paragraph, answerers)
    paragraphs = [rest] if rest else []
    if kind == "question":
        number = 1 + sum(t.role == "question" for t in turns)
        return _Turn("question", label, lookup_outlet(label), headline, number, paragraphs)
    spoken = [t for t in turns if t.role != "narration"]
    previous = spoken[-1] if spoken else None
    if previous is None or (previous.role == "opening" and not any(t.role == "question" for t in spoken)):
        role, number = "opening", None
    elif previous.role == "question":
        role, number = "answer", previous.question
    elif questions_left == 0 and previous.speaker == label:
        role, number = "closing", None
    else:
        role, number = "answer", previous.question
    return _Turn(role, label, {}, headline, number, paragraphs)


def _main_speaker(turns: list[_Turn], meta: dict, *, name: str, explicit: str | None) -> str:
    if explicit:
        return explicit
    named = [t.speaker for t in turns if t.speaker and t.speaker != "答" and t.role != "question"]
    if named:
        return max(sorted(set(named)), key=named.count)
    context = " ".join([meta.get("title") or "", *("".join(t.paragraphs) for t in turns if t.role == "narration")])
    mentioned = [s for s in known_speakers() if s in context]
    if mentioned:
        return mentioned[0]
    raise CorpusError(f"{name}: answers are marked '答：' but no speaker name was found; give --speaker NAME")


def _check_structure(turns: list[_Turn], items: list[tuple[str, str]], *, name: str) -> None:
    n_questions = sum(t.role == "question" for t in turns)
    n_answers = sum(t.role == "answer" for t in turns)
    if n_questions and n_answers:
        return
    if not n_questions:
        raise CorpusError(
            f"{name}: no question/answer structure found (expected paragraphs starting with "
            "'…记者：' or '问：' for questions and a speaker such as '王毅：' or '答：' for answers)"
        )
    labels = [m["label"] for kind, p in items if kind == "text" and (m := _LABEL.match(p))]
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
    """Metadata and the table of turns (columns TURN_COLUMNS) of one cleaned transcript."""
    answerers = set(known_speakers()) | ({speaker} if speaker else set())
    items = [item for paragraph in text.split("\n") if paragraph.strip() for item in _classify(paragraph, answerers)]
    meta: dict = {}
    turns = _walk(items, answerers, meta)
    _check_structure(turns, items, name=name)
    main = _main_speaker(turns, meta, name=name, explicit=speaker)
    day = resolve_date(text, name=name, explicit=date)
    doc_id = doc_id or name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    document = Document(
        doc_id=doc_id,
        date=day.isoformat(),
        year=day.year,
        speaker=main,
        event=event or find_event(text),
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
