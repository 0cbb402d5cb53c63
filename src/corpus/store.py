"""Reading and writing the processed tables: Parquet plus an Excel-friendly CSV copy, always atomically."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from corpus.errors import CorpusError

STATE_FILE = "build_state.json"
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPE = "'"


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call write(tmp) on a temporary file beside `path`, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; give the usual permissions
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def excel_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of `table` for a CSV export: every string cell starting like a formula gets a leading `'` (OWASP).

    A string that already starts with `'` gets one more, so `excel_unsafe` gives the exact values back.
    Numbers (negative ones too), booleans, dates and missing values are not strings and are left as they are.
    """
    table = table.copy()
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        table[column] = [_escape(v) if isinstance(v, str) else v for v in values.astype(object)]
    return table


def _escape(value: str) -> str:
    return _ESCAPE + value if value.startswith((*_FORMULA_START, _ESCAPE)) else value


def excel_unsafe(value: str) -> str:
    """The value `excel_safe` escaped: one leading `'` removed."""
    return value[1:] if value.startswith(_ESCAPE) else value


def write_table(table: pd.DataFrame, directory: Path, name: str) -> None:
    """`name`.parquet (exact) and `name`.csv (UTF-8 with BOM, so Excel shows the Chinese; formulas neutralised by
    `excel_safe`) in `directory`."""
    atomic_write(directory / f"{name}.parquet", lambda tmp: table.to_parquet(tmp, index=False))
    safe = excel_safe(table)
    atomic_write(directory / f"{name}.csv", lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig"))


def read_table(directory: Path, name: str) -> pd.DataFrame:
    """A processed table; a clear error when the corpus has not been built yet."""
    path = directory / f"{name}.parquet"
    if not path.exists():
        raise CorpusError(f"{path}: not built yet; run `corpus build` (or `make data`) first")
    return pd.read_parquet(path)


def write_text(path: Path, text: str) -> None:
    """A UTF-8 text file, written atomically."""
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_state(directory: Path) -> dict:
    """What the last build recorded about its inputs ({} when there was none)."""
    path = directory / STATE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def write_state(directory: Path, state: dict) -> None:
    """Record the inputs of a finished build."""
    write_text(directory / STATE_FILE, json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True))
