"""Building data/processed from data/raw: per-transcript parts, only the new or changed transcripts parsed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from corpus import __version__
from corpus.dataset.manifest import METADATA_COLUMNS, read_manifest
from corpus.ingest.clean import clean_text
from corpus.ingest.readers import check_name, read_text
from corpus.paths import RESOURCES_DIR, Paths
from corpus.store import (
    PARTS_KEY,
    atomic_write,
    discard_generation,
    excel_safe,
    file_digest,
    generation,
    new_generation,
    read_parts,
    read_state,
    switch_generation,
    write_csv,
    write_state,
    write_table,
)
from corpus.tokens.dictionaries import user_files
from corpus.tokens.segment import SCHEMA as TOKEN_SCHEMA
from corpus.tokens.segment import Segmenter, cache_key, load_segmenter, prune_cache, tokenize_turns
from corpus.transcripts.parse import TURN_COLUMNS, Document, document_record, parse_transcript

__all__ = ["BuildResult", "build", "document_key", "fingerprint", "load_document", "raw_files"]

IGNORED = {"README.md", "README.txt", ".gitkeep"}
PART_TABLES = ("turns", "tokens")
CSV_PARTS = "turns_csv"  # each transcript's rows of turns.csv (no header), joined into it without re-reading
CACHE_KEYS = "cache_keys"  # in the build state: each part's key in the token cache (not an input)
# Below this many transcripts to parse, one process does it (starting workers costs more than it saves).
PARALLEL_FROM = 8
_STRING = pa.string()
TURNS_SCHEMA = pa.schema([(c, pa.int64() if c in ("turn", "question", "n_chars") else _STRING) for c in TURN_COLUMNS])
TOKENS_SCHEMA = TOKEN_SCHEMA.append(pa.field("is_stopword", pa.bool_()))
SCHEMAS = {"turns": TURNS_SCHEMA, "tokens": TOKENS_SCHEMA}
_SEGMENTER: Segmenter | None = None  # the build's segmenter, loaded once per build in `_run`


@dataclass(frozen=True)
class BuildResult:
    """What a build did: how many documents it holds, whether anything was rebuilt, how many were parsed."""

    n_documents: int
    rebuilt: bool
    parsed: int = 0


def raw_files(raw_dir: Path) -> list[Path]:
    """The transcripts in data/raw, in a stable order."""
    if not raw_dir.is_dir():
        return []
    files = (p for p in raw_dir.iterdir() if p.is_file() and not p.name.startswith(".") and p.name not in IGNORED)
    return sorted(check_name(p) for p in files)  # a name that is not UTF-8: one line naming it, not a traceback


def load_document(path: Path, **metadata: str | None) -> tuple[Document, pd.DataFrame]:
    """One transcript file, read, cleaned and parsed into its metadata and turns."""
    return parse_transcript(clean_text(read_text(path)), name=str(path), doc_id=path.stem, **metadata)


def fingerprint(files: list[Path], manifest: Path | None = None, *, dictionaries: Path | None = None) -> dict:
    """The inputs a build depends on: the transcripts, their manifest, the resource files, the researcher's
    dictionaries and stopwords, the package version and the versions of the libraries that segment."""
    resources = sorted(p for p in RESOURCES_DIR.iterdir() if p.is_file())
    return {
        "version": __version__,
        "libraries": {package: version(package) for package in ("rjieba", "jieba", "opencc")},
        "raw": {p.name: file_digest(p) for p in files},
        "manifest": file_digest(manifest) if manifest is not None and manifest.exists() else None,
        "resources": {p.name: file_digest(p) for p in resources},
        "dictionaries": {p.name: file_digest(p) for p in user_files(dictionaries)},
    }


def document_key(inputs: dict, name: str, digest: str, metadata: dict) -> str:
    """The key of one transcript's parts: everything its turns and tokens depend on (the corpus-wide inputs, its
    name, bytes and manifest metadata), so an unchanged transcript keeps its parts from one build to the next."""
    shared = {key: value for key, value in inputs.items() if key not in ("raw", "manifest")}
    text = json.dumps([shared, name, digest, metadata], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def build(paths: Paths, *, force: bool = False, tokens_csv: bool = False) -> BuildResult:
    """Write the processed tables of data/raw (with its manifest metadata) as a new generation, if inputs changed.

    Only transcripts whose key (`document_key`) is not in the current generation are read, parsed and segmented
    (in parallel when there are many); the others' parts are linked from it. The new generation is switched in
    only when complete; on any error it is removed and the current one stays. CSV copies are written for the
    documents and turns (and the tokens with `tokens_csv`).
    """
    files = raw_files(paths.raw)
    manifest = read_manifest(paths.manifest)
    inputs = fingerprint(files, paths.manifest, dictionaries=paths.dictionaries)
    listed = _metadata_by_file(manifest)
    metadata = [listed.get(p.name, {}) for p in files]
    keys = [document_key(inputs, p.name, inputs["raw"][p.name], m) for p, m in zip(files, metadata, strict=True)]
    state = {**inputs, PARTS_KEY: keys, "tokens_csv": tokens_csv}
    before = read_state(paths.processed)
    if not force and {k: v for k, v in before.items() if k != CACHE_KEYS} == state:
        return BuildResult(len(files), rebuilt=False)
    old = None if force else generation(paths.processed)
    old_keys = set(before.get(PARTS_KEY, [])) if old is not None else set()
    folder = new_generation(paths.processed)
    try:
        records, cache_keys, parsed = _write_parts(paths, folder, files, metadata, keys, old, old_keys, before)
        documents = pd.DataFrame(records, columns=list(Document.__dataclass_fields__))
        write_table(documents.sort_values(["date", "doc_id"], kind="stable"), folder, "documents")
        _finish_tables(folder, keys, tokens_csv=tokens_csv)
        write_state(folder, {**state, CACHE_KEYS: cache_keys})
    except BaseException:
        discard_generation(folder)
        raise
    switch_generation(paths.processed, folder)
    prune_cache(paths.token_cache, cache_keys.values())
    return BuildResult(len(files), rebuilt=True, parsed=parsed)


def _metadata_by_file(manifest: pd.DataFrame) -> dict[str, dict[str, str | None]]:
    """`metadata_for` of every file the manifest lists, in one pass instead of one filter per file (the last row
    for a file wins, and an empty value is None, as there)."""
    return {
        record["file"]: {column: (record[column] or None) for column in METADATA_COLUMNS}
        for record in manifest.to_dict("records")
    }


def _write_parts(
    paths: Paths,
    folder: Path,
    files: list[Path],
    metadata: list[dict],
    keys: list[str],
    old: Path | None,
    old_keys: set[str],
    before: dict,
) -> tuple[list[dict], dict[str, str], int]:
    """Each transcript's turns and tokens parts in `folder`: linked from the `old` generation when its key is
    there, else parsed and segmented. Returns the document records (in file order), the token-cache keys, the
    number parsed."""
    for name in (*PART_TABLES, CSV_PARTS):
        (folder / name).mkdir()
    kept = [key in old_keys for key in keys]
    old_records = _old_records(old) if any(kept) else {}
    old_cache = before.get(CACHE_KEYS, {})
    tasks = [
        (path, meta, folder, paths.dictionaries, paths.token_cache, key)
        for path, meta, key, keep in zip(files, metadata, keys, kept, strict=True)
        if not keep
    ]
    made = dict(zip([task[-1] for task in tasks], _run(tasks), strict=True))
    records, cache_keys = [], {}
    for path, key, keep in zip(files, keys, kept, strict=True):
        if keep:
            for name in PART_TABLES:
                _link(old / name / f"{key}.parquet", folder / name / f"{key}.parquet")  # type: ignore[operator]
            if (old / CSV_PARTS / f"{key}.csv").exists():  # type: ignore[operator]
                _link(old / CSV_PARTS / f"{key}.csv", folder / CSV_PARTS / f"{key}.csv")  # type: ignore[operator]
            else:  # a generation from before the CSV parts
                _write_csv_part(folder, key)
            records.append(old_records[path.stem])
            cache_keys[key] = old_cache.get(key, "")
        else:
            records.append(made[key][0])
            cache_keys[key] = made[key][1]
    return records, cache_keys, len(tasks)


def _run(tasks: list[tuple]) -> list[tuple[dict, str]]:
    """`_make_parts` over the tasks in order: one process per core when there are many, with a progress bar on
    a terminal once it takes more than a second."""
    global _SEGMENTER
    bar = tqdm(total=len(tasks), desc="parsing", unit="transcript", file=sys.stderr, delay=1.0, disable=None)
    _SEGMENTER = load_segmenter(tasks[0][3]) if tasks else None
    with bar:
        if len(tasks) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
            return [_tick(bar, _make_parts(task)) for task in tasks]
        workers = min(os.cpu_count() or 1, len(tasks))
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            return [_tick(bar, result) for result in pool.map(_make_parts, tasks, chunksize=4)]


def _tick(bar: tqdm, result: tuple[dict, str]) -> tuple[dict, str]:
    bar.update()
    return result


def _make_parts(task: tuple) -> tuple[dict, str]:
    """Read, parse and segment one transcript into its parts; its document record and token-cache key."""
    path, metadata, folder, user_dir, cache_dir, key = task
    segmenter = _SEGMENTER or load_segmenter(user_dir)
    document, turns = load_document(path, **metadata)
    tokens = tokenize_turns(turns, cache_dir=cache_dir, prune=False, segmenter=segmenter)
    for name, table in (("turns", turns), ("tokens", tokens)):
        arrow = pa.Table.from_pandas(table, schema=SCHEMAS[name], preserve_index=False)
        pq.write_table(arrow, folder / name / f"{key}.parquet")
    _write_csv_part(folder, key)
    return document_record(document), cache_key(turns, segmenter)


def _old_records(old: Path) -> dict[str, dict]:
    """The document records of the generation before, by doc_id."""
    table = pd.read_parquet(old / "documents.parquet")
    return {record["doc_id"]: record for record in table.to_dict("records")}


def _link(source: Path, target: Path) -> None:
    """A part of the generation before in the new one: a hard link (no copy), or a copy where links fail."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _finish_tables(folder: Path, keys: list[str], *, tokens_csv: bool) -> None:
    """The CSV copies of the part tables (turns, and tokens on request); with no transcripts, each part table is
    one empty file instead of an empty folder."""
    for name in PART_TABLES:
        if not keys:
            (folder / name).rmdir()
            pq.write_table(SCHEMAS[name].empty_table(), folder / f"{name}.parquet")
        if name == "turns" and keys:
            _join_csv_parts(folder, keys)
        elif name == "turns" or tokens_csv:
            write_csv(read_parts(folder, name, keys), folder / f"{name}.csv")
    if not keys:
        (folder / CSV_PARTS).rmdir()


def _write_csv_part(folder: Path, key: str) -> None:
    """One transcript's rows of turns.csv, as `write_csv` writes them (read back from its Parquet part, so the
    types are the table's), without the header."""
    table = excel_safe(pd.read_parquet(folder / "turns" / f"{key}.parquet"))
    table.to_csv(folder / CSV_PARTS / f"{key}.csv", index=False, header=False, encoding="utf-8")


def _join_csv_parts(folder: Path, keys: list[str]) -> None:
    """turns.csv from its header and the transcripts' CSV parts in order: the bytes `write_csv` would write of
    the whole table (tests/dataset/test_build.py), without reading or formatting 1,000 parts again."""
    header = pd.DataFrame(columns=SCHEMAS["turns"].names).to_csv(index=False).encode("utf-8-sig")

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as out:
            out.write(header)
            for key in keys:
                with open(folder / CSV_PARTS / f"{key}.csv", "rb") as part:
                    shutil.copyfileobj(part, out)

    atomic_write(folder / "turns.csv", write)
