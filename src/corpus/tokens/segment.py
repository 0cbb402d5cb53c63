"""Segmenting turns into tokens: jieba's model with the domain dictionary, POS tags, stopwords and a token cache."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, partial
from importlib.metadata import version
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus.ingest.clean import simplified
from corpus.store import atomic_write, file_digest
from corpus.tokens.dictionaries import (
    dictionary_files,
    is_dropped,
    read_dictionary,
    read_stopwords,
    stopword_files,
)
from corpus.tokens.tokenizers import Tokenizer, jieba_tokenizer, rjieba_tokenizer

__all__ = [
    "SCHEMA", "TOKEN_COLUMNS", "Segmenter", "cache_key", "filter_pos", "flag_stopwords", "load_segmenter",
    "load_stopwords", "prune_cache", "segment_turns", "tag_text", "tokenize_turns",
]  # fmt: skip

TOKEN_COLUMNS = ["doc_id", "turn", "role", "position", "token", "pos", "is_stopword"]
SCHEMA = pa.schema([(name, pa.int64() if name in ("turn", "position") else pa.string()) for name in TOKEN_COLUMNS[:-1]])
Backend = Literal["rjieba", "jieba"]
BACKENDS = ("rjieba", "jieba")
# Part of every cache key: bump it when a change to this module changes the tokens of the same text.
SEGMENTER_VERSION = 1
# jieba's POS tags (ICTCLAS set) start with n for nouns (nr people, ns places, nt organisations, nz other proper
# nouns, vn verbal nouns start with v) and v for verbs.
NOUNS_AND_VERBS = ("n", "v")


@dataclass(frozen=True)
class Segmenter:
    """A loaded tokenizer and stopword list; `key` names the backend and dictionaries it was loaded with."""

    tokenizer: Tokenizer
    stopwords: frozenset[str]
    key: str

    def tokens(self, text: str) -> list[str]:
        """The tokens of the text in Simplified characters (the text itself is not changed), whitespace dropped."""
        return [token for token in self.tokenizer.cut(simplified(text)) if not token.isspace()]

    def pairs(self, text: str, *, keep_all: bool = False) -> list[tuple[str, str]]:
        """(token, POS) pairs of the text; stopwords, punctuation and numbers dropped unless keep_all."""
        tokens = self.tokens(text)
        kept = tokens if keep_all else [token for token in tokens if not is_dropped(token, self.stopwords)]
        return [(token, self.tokenizer.tag(token)) for token in kept]


def load_segmenter(user_dir: Path | None = None, *, backend: Backend = "rjieba") -> Segmenter:
    """The tokenizer with the shipped and the researcher's dictionaries and stopwords, loaded once per process.

    `user_dir` is the researcher's folder (Paths.dictionaries): its stopwords*.txt files are stopword lists, its
    other *.txt files dictionaries. Editing any of these files, or upgrading the backend or OpenCC, gives a new
    key, so cached tokens are never reused across them.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
    dictionaries = _signature(dictionary_files(user_dir))
    versions = [version(package) for package in (backend, "opencc")]
    key = json.dumps([SEGMENTER_VERSION, backend, versions, [digest for _, digest in dictionaries]])
    return Segmenter(
        _tokenizer(backend, dictionaries), load_stopwords(user_dir), hashlib.sha256(key.encode()).hexdigest()
    )


def load_stopwords(user_dir: Path | None = None) -> frozenset[str]:
    """The stopwords in force: stopwords-iso's Chinese list, the genre list and the researcher's own."""
    return _stopwords(_signature(stopword_files(user_dir)))


def tag_text(text: str, *, user_dir: Path | None = None, backend: Backend = "rjieba") -> list[tuple[str, str]]:
    """(token, POS) pairs for a text, everything but whitespace kept."""
    return load_segmenter(user_dir, backend=backend).pairs(text, keep_all=True)


def _signature(paths: Iterable[Path]) -> tuple[tuple[Path, str], ...]:
    return tuple((path, file_digest(path)) for path in paths)


@cache
def _stopwords(files: tuple[tuple[Path, str], ...]) -> frozenset[str]:
    return read_stopwords(tuple(path for path, _ in files))


@cache
def _tokenizer(backend: Backend, dictionaries: tuple[tuple[Path, str], ...]) -> Tokenizer:
    entries = [entry for path, _ in dictionaries for entry in read_dictionary(path)]
    return rjieba_tokenizer(entries) if backend == "rjieba" else jieba_tokenizer(entries)


def segment_turns(turns: pd.DataFrame, segmenter: Segmenter) -> pa.Table:
    """Tokens of some turns in order, with their POS (TOKEN_COLUMNS but is_stopword); whitespace dropped.

    Built in Arrow from each distinct token (tags are looked up once per token type): the hot path stays in
    rjieba and Arrow's C++, which is what makes segmenting a large corpus fast.
    """
    cuts = pa.array([segmenter.tokenizer.cut(simplified(text)) for text in turns.text], pa.list_(pa.string()))
    lengths = pc.list_value_length(cuts).to_numpy(zero_copy_only=False)
    encoded = pc.dictionary_encode(cuts.flatten())
    types = encoded.dictionary.to_pylist()
    codes = encoded.indices.to_numpy()
    keep = ~np.array([token.isspace() for token in types], dtype=bool)[codes]
    codes, turn_of = codes[keep], np.repeat(np.arange(len(turns)), lengths)[keep]
    counts = np.bincount(turn_of, minlength=len(turns))
    columns = {
        "doc_id": pc.take(pa.array(turns.doc_id.astype(str).tolist(), pa.string()), turn_of),
        "turn": turns.turn.to_numpy(dtype="int64")[turn_of],
        "role": pc.take(pa.array(turns.role.astype(str).tolist(), pa.string()), turn_of),
        "position": np.arange(len(codes)) - np.repeat(np.cumsum(counts) - counts, counts),
        "token": pc.take(encoded.dictionary, codes),
        "pos": pc.take(pa.array([segmenter.tokenizer.tag(token) for token in types], pa.string()), codes),
    }
    return pa.table(columns, schema=SCHEMA)


def flag_stopwords(tokens: pd.DataFrame, stopwords: frozenset[str]) -> pd.DataFrame:
    """The token table with is_stopword set afresh: True for stopwords, punctuation, numbers and whitespace."""
    codes, types = pd.factorize(tokens.token)
    flags = np.array([is_dropped(token, stopwords) for token in types], dtype=bool)
    return tokens.assign(is_stopword=flags[codes])[TOKEN_COLUMNS]


def _token_table(tokens: pa.Table, stopwords: frozenset[str]) -> pd.DataFrame:
    """The Arrow tokens with is_stopword, as the DataFrame of TOKEN_COLUMNS."""
    encoded = pc.dictionary_encode(tokens["token"]).combine_chunks()
    flags = pa.array([is_dropped(token, stopwords) for token in encoded.dictionary.to_pylist()], pa.bool_())
    return tokens.append_column("is_stopword", pc.take(flags, encoded.indices)).to_pandas()


def filter_pos(tokens: pd.DataFrame, keep: Iterable[str] = NOUNS_AND_VERBS) -> pd.DataFrame:
    """The rows whose POS tag starts with one of `keep` (default: nouns, including names, and verbs)."""
    return tokens[tokens.pos.str.startswith(tuple(keep))]


def tokenize_turns(
    turns: pd.DataFrame,
    *,
    roles: Iterable[str] | None = None,
    user_dir: Path | None = None,
    backend: Backend = "rjieba",
    cache_dir: Path | None = None,
    prune: bool = True,
    segmenter: Segmenter | None = None,
) -> pd.DataFrame:
    """The token table (TOKEN_COLUMNS) of the given turns: one row per token, in order.

    With `cache_dir`, each document's tokens are kept there under a key made of its turns, the backend and the
    dictionaries: only new or changed documents are segmented again, and (with `prune`, when the turns are the
    whole corpus) entries no longer used are removed. Stopwords are flagged afresh each time, so editing a
    stopword list never needs segmenting again. A `segmenter` already loaded (by `load_segmenter`) is used as
    it is, instead of `user_dir` and `backend` (checking the dictionary files costs a few milliseconds a call).
    """
    segmenter = segmenter or load_segmenter(user_dir, backend=backend)
    selected = turns if roles is None else turns[turns.role.isin(list(roles))]
    documents = [doc for _, doc in selected.groupby("doc_id", sort=False)]
    keys = [cache_key(doc, segmenter) for doc in documents]
    parts = _segment_documents(documents, keys, segmenter, cache_dir)
    if cache_dir is not None and prune:
        prune_cache(cache_dir, keys)
    return _token_table(pa.concat_tables(parts) if parts else SCHEMA.empty_table(), segmenter.stopwords)


def prune_cache(cache_dir: Path, keys: Iterable[str]) -> None:
    """Remove the cache entries whose key is not among `keys` (those of the documents in the corpus now)."""
    for stale in set(cache_dir.glob("*.parquet")) - {cache_dir / f"{key}.parquet" for key in keys}:
        stale.unlink(missing_ok=True)


def cache_key(document: pd.DataFrame, segmenter: Segmenter) -> str:
    """The token cache's key for one document's turns: its turns' text and the segmenter's key."""
    digest = hashlib.sha256(segmenter.key.encode())
    for row in zip(*(document[column].tolist() for column in ("doc_id", "turn", "role", "text")), strict=True):
        digest.update("\x1f".join(map(str, row)).encode() + b"\x1e")
    return digest.hexdigest()


def _segment_documents(
    documents: list[pd.DataFrame], keys: list[str], segmenter: Segmenter, cache_dir: Path | None
) -> list[pa.Table]:
    """Each document's tokens, from the cache where it holds them, else segmented and cached.

    The documents to segment go in one batch (one Arrow build costs less than one per document), whose table is
    sliced back into documents.
    """
    found = {key: table for key in keys if (table := _read_cached(cache_dir, key)) is not None}
    todo = [(doc, key) for doc, key in zip(documents, keys, strict=True) if key not in found]
    table = segment_turns(pd.concat([doc for doc, _ in todo]), segmenter) if todo else SCHEMA.empty_table()
    counts = {row["values"]: row["counts"] for row in pc.value_counts(table["doc_id"]).to_pylist()}
    offset = 0
    for doc, key in todo:
        found[key] = table.slice(offset, counts.get(str(doc.doc_id.iloc[0]), 0))
        offset += len(found[key])
        if cache_dir is not None:
            atomic_write(cache_dir / f"{key}.parquet", partial(pq.write_table, found[key]))
    return [found[key] for key in keys]


def _read_cached(cache_dir: Path | None, key: str) -> pa.Table | None:
    path = cache_dir / f"{key}.parquet" if cache_dir is not None else None
    if path is None or not path.exists():
        return None
    try:
        return pq.read_table(path, schema=SCHEMA)
    except (OSError, pa.ArrowException):  # a damaged cache entry is segmented again
        return None
