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

__all__ = [
    "STATE_FILE",
    "atomic_write",
    "excel_safe",
    "excel_unsafe",
    "file_digest",
    "read_state",
    "read_table",
    "write_state",
    "write_table",
    "write_text",
]

STATE_FILE = "build_state.json"
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPE = "'"


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call write(tmp) on a temporary file beside `path`, then rename it over `path`.

    >>> import tempfile
    >>> folder = Path((scratch := tempfile.TemporaryDirectory()).name)  # removed after the example
    >>> atomic_write(folder / "a.txt", lambda tmp: tmp.write_text("中美", encoding="utf-8"))
    >>> sorted(p.name for p in folder.iterdir()), (folder / "a.txt").read_text(encoding="utf-8")
    (['a.txt'], '中美')
    """
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

    >>> excel_safe(pd.DataFrame({"term": ["=1+1", "'x", "疫情"], "g2": [-3.5, 1.0, 2.0]})).to_dict("list")
    {'term': ["'=1+1", "''x", '疫情'], 'g2': [-3.5, 1.0, 2.0]}
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
    """The value `excel_safe` escaped: one leading `'` removed.

    >>> excel_unsafe("'=1+1"), excel_unsafe("疫情")
    ('=1+1', '疫情')
    """
    return value[1:] if value.startswith(_ESCAPE) else value


def write_table(table: pd.DataFrame, directory: Path, name: str) -> None:
    """`name`.parquet (exact) and `name`.csv (UTF-8 with BOM, so Excel shows the Chinese; formulas neutralised by
    `excel_safe`) in `directory`.

    >>> import tempfile
    >>> folder = Path((scratch := tempfile.TemporaryDirectory()).name)  # removed after the example
    >>> write_table(pd.DataFrame({"term": ["疫情"], "count": [50]}), folder, "counts")
    >>> sorted(p.name for p in folder.iterdir())
    ['counts.csv', 'counts.parquet']
    """
    atomic_write(directory / f"{name}.parquet", lambda tmp: table.to_parquet(tmp, index=False))
    safe = excel_safe(table)
    atomic_write(directory / f"{name}.csv", lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig"))


def read_table(directory: Path, name: str) -> pd.DataFrame:
    """A processed table; a clear error when the corpus has not been built yet.

    >>> import tempfile
    >>> folder = Path((scratch := tempfile.TemporaryDirectory()).name)  # removed after the example
    >>> write_table(pd.DataFrame({"term": ["疫情"], "count": [50]}), folder, "counts")
    >>> read_table(folder, "counts").to_dict("records")
    [{'term': '疫情', 'count': 50}]
    >>> read_table(folder, "turns")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    corpus.errors.CorpusError: .../turns.parquet: not built yet; run `corpus build` (or `make data`) first
    """
    path = directory / f"{name}.parquet"
    if not path.exists():
        raise CorpusError(f"{path}: not built yet; run `corpus build` (or `make data`) first")
    return pd.read_parquet(path)


def write_text(path: Path, text: str) -> None:
    """A UTF-8 text file, written atomically.

    >>> import tempfile
    >>> folder = Path((scratch := tempfile.TemporaryDirectory()).name)  # removed after the example
    >>> write_text(folder / "note.txt", "疫情")
    >>> (folder / "note.txt").read_text(encoding="utf-8")
    '疫情'
    """
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes.

    >>> import tempfile
    >>> folder = Path((scratch := tempfile.TemporaryDirectory()).name)  # removed after the example
    >>> write_text(folder / "a.txt", "abc")
    >>> file_digest(folder / "a.txt")
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    """
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_state(directory: Path) -> dict:
    """What the last build recorded about its inputs ({} when there was none).

    >>> import tempfile
    >>> folder = Path((scratch := tempfile.TemporaryDirectory()).name)  # removed after the example
    >>> read_state(folder)
    {}
    >>> write_state(folder, {"raw": {"a.txt": "ba78"}})
    >>> read_state(folder)
    {'raw': {'a.txt': 'ba78'}}
    """
    path = directory / STATE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def write_state(directory: Path, state: dict) -> None:
    """Record the inputs of a finished build.

    >>> import tempfile
    >>> folder = Path((scratch := tempfile.TemporaryDirectory()).name)  # removed after the example
    >>> write_state(folder, {"version": "0.1.0"})
    >>> json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    {'version': '0.1.0'}
    """
    write_text(directory / STATE_FILE, json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True))
