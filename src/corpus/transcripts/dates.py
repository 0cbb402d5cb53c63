"""Dating a transcript and naming its event: an explicit date, the file name, or the dateline and NPC session."""

from __future__ import annotations

import datetime as dt
import re

from corpus.errors import CorpusError

__all__ = [
    "DATELINE_ANY", "YEARS", "chinese_numeral", "date_and_source", "find_event", "resolve_date", "session_year",
    "text_dates",
]  # fmt: skip

DATELINE_ANY = re.compile(
    r"[（(]?据?(?:新华社|中新社|中新网|人民网|央视网|国际在线)(?P<place>[\u4e00-\u9fff]{2,4}?)"
    r"(?:(?P<y>(?:19|20)\d{2})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日电[）)]?"
)
_SESSION = re.compile(
    r"第?(?P<n>[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])届全国(?P<body>人大|人民代表大会|政协)"
    r"第?(?P<s>[一二三四五六七八九])次会议"
)
_CLOCK = re.compile(r"\s*\d{1,2}:\d{2}")
_HEAD_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_FULL_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_FILE_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_.]?(?P<m>\d{2})[-_.]?(?P<d>\d{2})(?!\d)")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH_DAY = re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
# The 9th NPC (and CPPCC) held its 1st session in 1998; each term has five yearly sessions.
_FIRST_SESSION_9TH = 1998
YEARS = (1949, 2100)  # dates outside are refused


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
    if not YEARS[0] <= y <= YEARS[1]:
        raise CorpusError(f"{name}: date {y:04d}-{m:02d}-{d:02d} in {where} is outside {YEARS[0]}-{YEARS[1]}")
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise CorpusError(f"{name}: impossible date {y:04d}-{m:02d}-{d:02d} in {where}") from None


def resolve_date(text: str, *, name: str, explicit: str | None = None, head: str | None = None) -> dt.date:
    """The conference date: an explicit value, else the file name, else the text (see date_and_source)."""
    return date_and_source(text, name=name, explicit=explicit, head=head)[0]


def date_and_source(
    text: str, *, name: str, explicit: str | None = None, head: str | None = None
) -> tuple[dt.date, str]:
    """The conference date and where it came from: --date, the file name, else the text's dateline, NPC session
    and the dates written in its `head` (the title lines before the first speaker; the whole text if not given).

    Dates in the text that disagree (a dateline of 2022 and a session held in 2020) are refused, naming both.
    """
    if explicit:
        match = _ISO_DATE.fullmatch(explicit.strip())
        if not match:
            raise CorpusError(f"{name}: date '{explicit}' is not in YYYY-MM-DD form")
        return _make_date(*map(int, match.groups()), name=name, where="the --date option"), "the --date option"
    if match := _FILE_DATE.search(name.rsplit("/", 1)[-1]):
        day = _make_date(int(match["y"]), int(match["m"]), int(match["d"]), name=name, where="the file name")
        return day, "the file name"
    found = text_dates(text, name=name, head=text if head is None else head)
    if not found:
        raise CorpusError(
            f"{name}: no date found (give --date YYYY-MM-DD, put the date in the file name, e.g. 2022-03-07_王毅.txt, "
            "or keep the title's date or the dateline, e.g. 新华社北京3月7日电)"
        )
    first = found[0]
    other = next((f for f in found if f[0] != first[0]), None)
    if other:
        raise CorpusError(
            f"{name}: the text gives two dates, {first[0]} ({first[1]}) and {other[0]} ({other[1]}); "
            "give --date YYYY-MM-DD"
        )
    session = _SESSION.search(text)
    if session and first[0].year != (year := _session_year(session)):
        raise CorpusError(
            f"{name}: the text gives two dates, {first[0]} ({first[1]}) but {year} is the year of {session[0]}; "
            "give --date YYYY-MM-DD"
        )
    return first


def _session_year(session: re.Match) -> int:
    return session_year(chinese_numeral(session["n"]), chinese_numeral(session["s"]))


def text_dates(text: str, *, name: str, head: str) -> list[tuple[dt.date, str]]:
    """Every date the text states, with where: a dateline (with its year, or the NPC session's) and the full dates
    written in the head (2023年6月21日, 2016-12-14)."""
    found = []
    session = _SESSION.search(text)
    dateline = DATELINE_ANY.search(text)
    if dateline and dateline["y"]:
        where = f"the dateline {dateline[0]}"
        day = _make_date(int(dateline["y"]), int(dateline["m"]), int(dateline["d"]), name=name, where=where)
        found.append((day, where))
    elif session and (month_day := dateline or _month_day_near(text, session) or _MONTH_DAY.search(head)):
        where = f"{month_day[0]} and the session {session[0]}"
        day = _make_date(_session_year(session), int(month_day["m"]), int(month_day["d"]), name=name, where=where)
        found.append((day, where))
    stamps = []
    for pattern in (_FULL_DATE, _HEAD_ISO):
        for match in pattern.finditer(head):
            where = f"the title's {match[0]}"
            day = _make_date(int(match["y"]), int(match["m"]), int(match["d"]), name=name, where=where)
            (stamps if _CLOCK.match(head, match.end()) else found).append((day, where))
    return found or stamps[:1]  # a page's publication time (2018-07-07 08:00) only when nothing else dates it


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
