"""The two tokenizer backends with the same dictionaries: rjieba (jieba-rs, the fast path) and jieba (the reference)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, partial
from typing import NamedTuple

import rjieba

from corpus.tokens.dictionaries import DEFAULT_TAG, Entry

__all__ = ["Tokenizer", "guess_tag", "jieba_dictionary_tags", "jieba_tokenizer", "rjieba_tokenizer"]


class Tokenizer(NamedTuple):
    """A backend loaded with the dictionaries: `cut` splits a text into tokens, `tag` gives a token's POS."""

    cut: Callable[[str], list[str]]
    tag: Callable[[str], str]


_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
# jieba's POS HMM: states are (B|M|E|S, tag); a word may start (B) only after one ended (E) or a single (S).
_MIN_LOG = -3.14e100
_FOLLOWS = {"B": "ES", "M": "BM", "E": "BM", "S": "ES"}


def rjieba_tokenizer(entries: list[Entry]) -> Tokenizer:
    """jieba-rs with its built-in copy of jieba's dictionary plus `entries`, HMM on for new words.

    A token's tag does not depend on its context (jieba-rs: the dictionary's tag, else a guess from the word), so
    it is looked up once per distinct token, which keeps POS tagging off the hot path.
    """
    tokenizer = _new_jieba()
    for entry in entries:
        tokenizer.add_word(entry.word, entry.freq, entry.tag or DEFAULT_TAG)  # a known word keeps its tag

    @cache
    def tag(word: str) -> str:
        alone = tokenizer.tag(word, hmm=True)
        return alone[0][1] if len(alone) == 1 else _dictionary_tag(word, entries)  # cut whole alone, or not

    return Tokenizer(partial(tokenizer.cut, hmm=True), tag)


_spare = [rjieba._DEFAULT_JIEBA]  # built by `import rjieba` with the default dictionary and used by nothing else


def _new_jieba() -> rjieba.Jieba:
    """A jieba-rs instance with the default dictionary only. The first one is the instance `import rjieba` has
    already built (module-level rjieba.cut, which this project never calls): a second build costs 0.1 s of each
    `corpus segment`."""
    return _spare.pop() if _spare else rjieba.Jieba()


def jieba_tokenizer(entries: list[Entry]) -> Tokenizer:
    """jieba itself with the same words; POS tags as jieba-rs gives them (jieba.posseg also cuts differently)."""
    import jieba  # the reference backend; rjieba alone is the fast path

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for entry in entries:
        tokenizer.add_word(entry.word, entry.freq)
    return Tokenizer(partial(tokenizer.lcut, HMM=True), cache(partial(_dictionary_tag, entries=entries)))


def _dictionary_tag(word: str, entries: list[Entry]) -> str:
    """The tag jieba-rs gives `word`: jieba's dictionary's, else the first entry's, else guessed from the word."""
    tags = jieba_dictionary_tags()
    if word in tags:
        return tags[word]
    return next((entry.tag or DEFAULT_TAG for entry in entries if entry.word == word), None) or guess_tag(word)


@cache
def jieba_dictionary_tags() -> dict[str, str]:
    """Word to POS tag in jieba's default dictionary (lines 'word frequency tag')."""
    tags: dict[str, str] = {}
    import jieba

    with jieba.Tokenizer().get_dict_file() as dictionary:
        for line in dictionary.read().decode("utf-8").splitlines():
            parts = line.split()
            if parts:
                tags.setdefault(parts[0], parts[2] if len(parts) > 2 else "")
    return tags


@cache
def _pos_hmm() -> tuple[dict, dict, dict, dict]:
    """jieba's POS HMM (char states, emission, start, transition), imported only when a tag must be guessed:
    importing jieba.posseg loads its dictionary, about a second that `corpus segment` without --pos never needs."""
    from jieba import posseg

    return posseg.char_state_tab_P, posseg.emit_P, posseg.start_P, posseg.trans_P


def guess_tag(word: str) -> str:
    """jieba-rs's tag for a word outside the dictionary: m (digits) or eng (Latin letters), for Chinese the tag of
    the longest word jieba's POS HMM finds in it (the last on ties), else x."""
    alnum = [ch for ch in word if ch.isascii() and ch.isalnum()]
    if alnum:
        return "m" if all(ch.isdigit() for ch in alnum) else "eng"
    if not _HAN.search(word):
        return "x"
    spans = _hmm_spans(word)
    longest = max(range(len(spans)), key=lambda i: (spans[i][0], i), default=None)
    return "x" if longest is None else spans[longest][1]


def _states(char: str) -> list[tuple[tuple[str, str], float]]:
    """The HMM states a character may take, with their emission log-probabilities."""
    char_state_tab_P, emit_P, _, _ = _pos_hmm()
    if char in char_state_tab_P:
        return [(state, emit_P[state].get(char, _MIN_LOG)) for state in char_state_tab_P[char]]
    return [(state, emissions[char]) for state, emissions in emit_P.items() if char in emissions]


def _hmm_spans(word: str) -> list[tuple[int, str]]:
    """(length, tag) of the words on the best path of jieba's POS HMM (Viterbi) over `word`, as jieba-rs finds it."""
    start_P = _pos_hmm()[2]
    live = {s: p for s, e in _states(word[0]) if (p := start_P.get(s, _MIN_LOG) + e) > _MIN_LOG}
    if len(word) == 1:
        live = {s: p for s, p in live.items() if s[0] == "S"}
    pointers: list[dict] = []
    for char in word[1:]:
        step = {state: _best_previous(live, state, emission) for state, emission in _states(char)}
        step = {state: best for state, best in step.items() if best[0] > _MIN_LOG}
        live = {state: p for state, (p, _) in step.items()}
        pointers.append({state: previous for state, (_, previous) in step.items()})
    ends = [(p, state) for state, p in live.items() if state[0] in "ES"]
    if not ends:
        return []
    path = [max(ends, key=lambda end: end[0])[1]]
    for back in reversed(pointers):
        path.append(back[path[-1]])
    spans, start = [], 0
    for i, (position, tag) in enumerate(reversed(path)):
        start = i if position in "BS" else start
        if position in "ES":
            spans.append((i + 1 - start, tag))
    return spans


def _best_previous(live: dict, state: tuple[str, str], emission: float) -> tuple[float, tuple[str, str] | None]:
    """The best way into `state` from the live states: (log-probability, previous state); the first of equals."""
    trans_P = _pos_hmm()[3]
    options = [
        (p + trans_P[previous][state] + emission, previous)
        for previous, p in live.items()
        if previous[0] in _FOLLOWS[state[0]] and trans_P[previous].get(state, _MIN_LOG) > _MIN_LOG
    ]
    return max(options, key=lambda option: option[0], default=(_MIN_LOG, None))
