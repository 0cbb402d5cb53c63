"""Building data/processed from data/raw: every transcript read, cleaned and parsed, only when inputs changed."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from corpus import __version__
from corpus.dataset.manifest import metadata_for, read_manifest
from corpus.ingest.clean import clean_text
from corpus.ingest.readers import read_text
from corpus.paths import RESOURCES_DIR, Paths
from corpus.store import file_digest, read_state, write_state, write_table
from corpus.tokens.dictionaries import user_files
from corpus.tokens.segment import tokenize_turns
from corpus.transcripts.parse import TURN_COLUMNS, Document, document_record, parse_transcript

IGNORED = {"README.md", "README.txt", ".gitkeep"}


@dataclass(frozen=True)
class BuildResult:
    """What a build did: how many documents it holds and whether anything was rebuilt."""

    n_documents: int
    rebuilt: bool


def raw_files(raw_dir: Path) -> list[Path]:
    """The transcripts in data/raw, in a stable order."""
    if not raw_dir.is_dir():
        return []
    return sorted(p for p in raw_dir.iterdir() if p.is_file() and not p.name.startswith(".") and p.name not in IGNORED)


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


def build(paths: Paths, *, force: bool = False) -> BuildResult:
    """Parse every transcript in data/raw (with its manifest metadata) and write the processed tables, if changed."""
    files = raw_files(paths.raw)
    state = fingerprint(files, paths.manifest, dictionaries=paths.dictionaries)
    if not force and read_state(paths.processed) == state:
        return BuildResult(len(files), rebuilt=False)
    manifest = read_manifest(paths.manifest)
    parsed = [load_document(p, **metadata_for(manifest, p.name)) for p in files]  # all parsed before any write
    documents = pd.DataFrame([document_record(doc) for doc, _ in parsed], columns=list(Document.__dataclass_fields__))
    turns = pd.concat([t for _, t in parsed], ignore_index=True) if parsed else pd.DataFrame(columns=TURN_COLUMNS)
    tokens = tokenize_turns(turns, user_dir=paths.dictionaries, cache_dir=paths.token_cache)
    write_table(documents.sort_values(["date", "doc_id"], kind="stable"), paths.processed, "documents")
    write_table(turns, paths.processed, "turns")
    write_table(tokens, paths.processed, "tokens")
    write_state(paths.processed, state)
    return BuildResult(len(files), rebuilt=True)
