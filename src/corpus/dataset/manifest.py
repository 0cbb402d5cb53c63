"""The manifest of added transcripts (data/manifest.csv): where each file came from, its checksums and metadata;
and its journal (data/manifest.pending): the add or remove under way, completed or rolled back after a crash."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd

from corpus.dataset.lock import fsync_dir, write_durably
from corpus.errors import CorpusError
from corpus.store import excel_safe, excel_unsafe

__all__ = [
    "MANIFEST_COLUMNS", "METADATA_COLUMNS", "clear_journal", "is_raw_name", "journal_path", "metadata_for",
    "read_journal", "read_manifest", "write_journal", "write_manifest",
]  # fmt: skip

MANIFEST_COLUMNS = ["file", "source", "sha256", "text_sha256", "date", "speaker", "event", "added_at"]
# What the build passes to the parser for a file listed in the manifest.
METADATA_COLUMNS = ("date", "speaker", "event")


def read_manifest(path: Path) -> pd.DataFrame:
    """The manifest as a table of strings (empty when no file was added yet); a clear error if it was damaged."""
    if not path.exists():
        return pd.DataFrame(columns=MANIFEST_COLUMNS)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        raise CorpusError(f"{path}: the manifest cannot be read ({type(exc).__name__})") from None
    missing = [column for column in MANIFEST_COLUMNS if column not in table.columns]
    if missing:
        raise CorpusError(f"{path}: the manifest lacks the column(s) {', '.join(missing)}")
    # Written through excel_safe (people open the manifest in Excel, and it holds --event and file names as given),
    # so one leading ' is taken off again here: the escaping is reversible, the values come back exactly.
    table = table[MANIFEST_COLUMNS].map(excel_unsafe)
    for number, file in enumerate(table.file, start=2):  # line 1 is the header
        if not is_raw_name(file):
            raise CorpusError(f"{path}: row {number}: the file {file!r} is not a file name inside data/raw")
    return table


def is_raw_name(file: str) -> bool:
    """Whether a manifest's `file` names a file directly in data/raw: no folder, no '..', nothing absolute."""
    if not isinstance(file, str) or file in ("", ".", ".."):
        return False
    return not any(ch in file for ch in "/\\\0") and ":" not in file


def write_manifest(table: pd.DataFrame, path: Path) -> None:
    """The manifest, sorted by file name, as UTF-8 CSV with a BOM (Excel shows the Chinese), written atomically;
    cells that would run as formulas are escaped by `excel_safe` (undone by `read_manifest`)."""
    table = excel_safe(table[MANIFEST_COLUMNS].sort_values("file", kind="stable"))
    text = table.to_csv(index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    write_durably(path, ("\ufeff" + text).encode("utf-8"))  # fsynced: an added file's row survives a power loss


def metadata_for(table: pd.DataFrame, file_name: str) -> dict[str, str | None]:
    """The date, speaker and event the manifest records for a file in data/raw ({} when it is not listed)."""
    rows = table[table.file == file_name]
    if rows.empty:
        return {}
    row = rows.iloc[-1]
    return {column: (row[column] or None) for column in METADATA_COLUMNS}


def journal_path(manifest: Path) -> Path:
    """The journal beside the manifest: data/manifest.pending."""
    return manifest.with_suffix(".pending")


def read_journal(manifest: Path) -> dict | None:
    """The pending add or remove recorded by `write_journal` (None when nothing is under way)."""
    path = journal_path(manifest)
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (json.JSONDecodeError, UnicodeDecodeError):
        # Written atomically, so never half-written by a crash: someone edited it.
        raise CorpusError(f"{path}: the journal of an interrupted add/remove is damaged; remove it") from None
    if not isinstance(entry, dict) or entry.get("op") not in ("add", "remove") or not is_raw_name(entry.get("file")):
        raise CorpusError(f"{path}: the journal of an interrupted add/remove is damaged; remove it")
    return entry


def write_journal(manifest: Path, entry: dict) -> None:
    """Record the add or remove about to start (or its progress), durably, before anything else changes."""
    write_durably(journal_path(manifest), json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def clear_journal(manifest: Path) -> None:
    """The add or remove is complete or rolled back: nothing pending any more."""
    path = journal_path(manifest)
    if path.exists():
        path.unlink()
        fsync_dir(path.parent)
