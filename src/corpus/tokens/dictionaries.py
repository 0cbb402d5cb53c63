"""Dictionaries and stopword lists: the files shipped in corpus/resources, a researcher's own, and reading them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import CorpusError
from corpus.paths import RESOURCES_DIR

__all__ = [
    "DEFAULT_TAG", "GLOSSARY_NAME", "NOT_A_WORD", "STOPWORDS", "STOPWORDS_ISO", "USER_DICT", "Entry",
    "dictionary_files", "is_dropped", "read_dictionary", "read_stopwords", "resource_lines", "stopword_files",
    "user_files",
]  # fmt: skip

USER_DICT = RESOURCES_DIR / "userdict.txt"
STOPWORDS_ISO = RESOURCES_DIR / "stopwords_iso_zh.txt"
STOPWORDS = RESOURCES_DIR / "stopwords.txt"
# A researcher's files named stopwords*.txt are stopword lists; their other *.txt files are dictionaries.
STOPWORD_PREFIX = "stopwords"
GLOSSARY_NAME = "glossary.txt"  # English glosses (corpus.tokens.gloss), not a dictionary
# Tag of a new word whose dictionary line gives none: jieba's "other proper noun", as most added words are terms.
DEFAULT_TAG = "nz"
_ENTRY = re.compile(r"^(?P<word>[^\s#]\S*)(?:\s+(?P<freq>\d+))?(?:\s+(?P<tag>[A-Za-z]+))?$")
_COMMENT = re.compile(r"(?:^|\s+)#.*$")
# Tokens without a letter (punctuation, symbols, numbers such as 2.5 or 12308, whitespace) are left out of
# counts by default, like stopwords.
NOT_A_WORD = re.compile(r"^[\W_\d]*$")


@dataclass(frozen=True)
class Entry:
    """One dictionary line: the word, and its frequency and POS tag when given."""

    word: str
    freq: int | None
    tag: str | None


def user_files(folder: Path | None) -> list[Path]:
    """The researcher's *.txt files in `folder` (e.g. <root>/dictionaries), in name order; none if it is missing."""
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.txt") if p.is_file() and not p.name.startswith("."))


def dictionary_files(folder: Path | None = None) -> tuple[Path, ...]:
    """The shipped domain dictionary, then the researcher's dictionaries (loaded in this order)."""
    dictionaries = (p for p in user_files(folder) if not p.name.startswith(STOPWORD_PREFIX))
    return (USER_DICT, *(p for p in dictionaries if p.name != GLOSSARY_NAME))


def stopword_files(folder: Path | None = None) -> tuple[Path, ...]:
    """The shipped stopword lists (stopwords-iso, then the genre list), then the researcher's."""
    return (STOPWORDS_ISO, STOPWORDS, *(p for p in user_files(folder) if p.name.startswith(STOPWORD_PREFIX)))


def resource_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of a resource file's non-blank lines, comments removed."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CorpusError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror})") from None
    numbered = ((n, _COMMENT.sub("", line).strip()) for n, line in enumerate(text.splitlines(), start=1))
    return [(n, line) for n, line in numbered if line]


def read_dictionary(path: Path) -> list[Entry]:
    """Entries of a dictionary in jieba's format (`word [frequency] [POS tag]` per line, '#' starts a comment)."""
    entries = []
    for number, line in resource_lines(path):
        match = _ENTRY.match(line)
        if not match:
            raise CorpusError(f"{path}:{number}: expected 'word [frequency] [POS tag]', got {line!r}")
        freq = match["freq"]
        entries.append(Entry(match["word"], int(freq) if freq else None, match["tag"]))
    return entries


def read_stopwords(paths: tuple[Path, ...]) -> frozenset[str]:
    """The stopwords of several files, one word per line; a line '!word' takes a word back out of the list."""
    words: set[str] = set()
    for path in paths:
        for _, line in resource_lines(path):
            if line.startswith("!"):
                words.discard(line[1:].strip())
            else:
                words.add(line)
    return frozenset(words)


def is_dropped(token: str, stopwords: frozenset[str]) -> bool:
    """Whether a token is left out of counts by default: a stopword, punctuation, a number or whitespace."""
    return token in stopwords or bool(NOT_A_WORD.match(token))
