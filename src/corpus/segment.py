"""Segmenting turns into tokens: jieba's dictionary model plus the domain dictionary, POS tags and stopwords."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd
import rjieba

from corpus.paths import RESOURCES_DIR

TOKEN_COLUMNS = ["doc_id", "turn", "role", "position", "token", "pos", "is_stopword"]
USER_DICT = RESOURCES_DIR / "userdict.txt"
STOPWORDS = RESOURCES_DIR / "stopwords.txt"
# Punctuation, numbers and whitespace are dropped by default, like stopwords.
_NOT_A_WORD = re.compile(r"^(?:[\W_]+|[\d.,%]+)$")


def read_user_dict(path: Path) -> list[tuple[str, int | None, str | None]]:
    """Entries of a jieba-format dictionary file: word, optional frequency, optional POS tag."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            entries.append((parts[0], freq, parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None))
    return entries


@cache
def load_tokenizer(user_dicts: tuple[Path, ...] = (USER_DICT,)) -> rjieba.Jieba:
    """A jieba-rs tokenizer with the default dictionary and the given user dictionaries, loaded once."""
    tokenizer = rjieba.Jieba()
    for path in user_dicts:
        for word, freq, tag in read_user_dict(path):
            tokenizer.add_word(word, freq, tag)
    return tokenizer


@cache
def load_stopwords(paths: tuple[Path, ...] = (STOPWORDS,)) -> frozenset[str]:
    """The union of stopword files, one word per line, '#' for comments."""
    return frozenset(
        line.strip()
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def is_dropped(token: str, stopwords: frozenset[str]) -> bool:
    """Whether a token is left out of counts by default: a stopword, punctuation, a number or whitespace."""
    return token in stopwords or bool(_NOT_A_WORD.match(token))


def tag_text(text: str, tokenizer: rjieba.Jieba | None = None) -> list[tuple[str, str]]:
    """(token, POS) pairs for a text, whitespace dropped."""
    tokenizer = tokenizer or load_tokenizer()
    return [(token, pos) for token, pos in tokenizer.tag(text, hmm=True) if token.strip()]


def tokenize_turns(turns: pd.DataFrame, *, roles: Iterable[str] | None = None) -> pd.DataFrame:
    """The token table (TOKEN_COLUMNS) of the given turns: one row per token, in order."""
    tokenizer, stopwords = load_tokenizer(), load_stopwords()
    selected = turns if roles is None else turns[turns.role.isin(list(roles))]
    rows = [
        (turn.doc_id, turn.turn, turn.role, position, token, pos, is_dropped(token, stopwords))
        for turn in selected.itertuples()
        for position, (token, pos) in enumerate(tag_text(turn.text, tokenizer))
    ]
    return pd.DataFrame(rows, columns=TOKEN_COLUMNS).astype({"turn": "int64", "position": "int64", "is_stopword": bool})
