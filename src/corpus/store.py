"""Reading and writing the processed tables (Parquet plus an Excel-friendly CSV copy) in whole generations.

data/processed/current is a one-line file naming one generation folder (g-...), replaced in one step by the build
(a file, not a symlink, so a copied or zipped project keeps working): a table there is one `name.parquet` or a
folder `name/` of per-transcript parts, read in the order the build recorded.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as ds

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
CURRENT = "current"
GENERATION_PREFIX = "g-"
PARTS_KEY = "parts"  # in the build state: the part names, in table order
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


def write_table(table: pd.DataFrame, directory: Path, name: str, *, csv: bool = True) -> None:
    """`name`.parquet (exact) and, with `csv`, `name`.csv (UTF-8 with BOM, so Excel shows the Chinese; formulas
    neutralised by `excel_safe`) in `directory` (its current generation when it has one: the table then replaces
    that generation's parts of `name`).

    >>> import tempfile
    >>> folder = Path((scratch := tempfile.TemporaryDirectory()).name)  # removed after the example
    >>> write_table(pd.DataFrame({"term": ["疫情"], "count": [50]}), folder, "counts")
    >>> sorted(p.name for p in folder.iterdir())
    ['counts.csv', 'counts.parquet']
    """
    directory = generation(directory) or directory
    atomic_write(directory / f"{name}.parquet", lambda tmp: table.to_parquet(tmp, index=False))
    if (directory / name).is_dir():
        shutil.rmtree(directory / name)
    if csv:
        write_csv(table, directory / f"{name}.csv")


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """An Excel-friendly CSV copy of a table (UTF-8 with BOM, formulas neutralised), written atomically."""
    safe = excel_safe(table)
    atomic_write(path, lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig"))


def generation(processed: Path) -> Path | None:
    """The generation folder data/processed/current names (None before the first build)."""
    try:
        name = (processed / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, UnicodeDecodeError):
        return None
    folder = processed / name
    return folder if name.startswith(GENERATION_PREFIX) and "/" not in name and folder.is_dir() else None


def built(processed: Path) -> Path:
    """The folder holding the processed tables: the current generation (or an older one-folder layout)."""
    return generation(processed) or processed


def table_files(processed: Path, name: str) -> list[Path]:
    """The Parquet file(s) of a processed table, in table order; a clear error when it is not built yet."""
    folder = built(processed)
    if (folder / f"{name}.parquet").exists():
        return [folder / f"{name}.parquet"]
    if (folder / name).is_dir():
        return [folder / name / f"{part}.parquet" for part in read_state(processed).get(PARTS_KEY, [])]
    raise CorpusError(f"{processed / name}.parquet: not built yet; run `corpus build` (or `make data`) first")


def read_table(directory: Path, name: str) -> pd.DataFrame:
    """A processed table (its parts joined in order); a clear error when the corpus has not been built yet.

    >>> import tempfile
    >>> folder = Path((scratch := tempfile.TemporaryDirectory()).name)  # removed after the example
    >>> write_table(pd.DataFrame({"term": ["疫情"], "count": [50]}), folder, "counts")
    >>> read_table(folder, "counts").to_dict("records")
    [{'term': '疫情', 'count': 50}]
    >>> read_table(folder, "turns")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    corpus.errors.CorpusError: .../turns.parquet: not built yet; run `corpus build` (or `make data`) first
    """
    files = table_files(directory, name)
    return pd.read_parquet(files[0]) if len(files) == 1 else _read_files(files)


def read_parts(folder: Path, name: str, parts: list[str]) -> pd.DataFrame:
    """A table of generation `folder` from its parts in the order given (or its one file when it has no parts)."""
    if (folder / f"{name}.parquet").exists():
        return pd.read_parquet(folder / f"{name}.parquet")
    return _read_files([folder / name / f"{part}.parquet" for part in parts])


def _read_files(files: list[Path]) -> pd.DataFrame:
    """Parquet files of one schema as one table, in the order given (Arrow reads them in parallel)."""
    return ds.dataset([str(path) for path in files], format="parquet").to_table().to_pandas()


TABLES = ("documents", "turns", "tokens")


def connect(processed: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a view per processed table (documents, turns, tokens) over the
    Parquet files of the current generation, resolved once: the views never mix two generations."""
    folder = built(processed)
    con = duckdb.connect()
    # No progress bar on the terminal; in Jupyter DuckDB refuses the setting without ipywidgets (and draws none).
    with contextlib.suppress(duckdb.Error):
        con.execute("SET enable_progress_bar = false")
    for name in TABLES:
        table_files(processed, name)  # a clear error when not built
        source = folder / f"{name}.parquet" if (folder / f"{name}.parquet").exists() else folder / name / "*.parquet"
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{_sql_text(source)}')")
    return con


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def new_generation(processed: Path) -> Path:
    """A fresh, empty generation folder in data/processed, not yet current."""
    processed.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=GENERATION_PREFIX, dir=processed))
    os.chmod(folder, 0o777 & ~_umask())  # mkdtemp makes 0700 folders; give the usual permissions
    return folder


def switch_generation(processed: Path, folder: Path) -> None:
    """Make `folder` the current generation in one step (a new `current` file renamed over the old), then remove
    every other generation but the one before (a reader that resolved it just before the switch can still
    finish) and the tables of the one-folder layout of earlier versions."""
    before = generation(processed)
    pointer = processed / f".{CURRENT}.{folder.name}.tmp"
    _fsync_tree(folder)
    with open(pointer, "w", encoding="utf-8") as handle:
        handle.write(folder.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, processed / CURRENT)
    _fsync(processed)
    for stale in processed.glob(f".{CURRENT}.*.tmp"):  # pointers of switches that never finished
        stale.unlink(missing_ok=True)
    for old in processed.glob(f"{GENERATION_PREFIX}*"):
        if old.is_dir() and old not in (folder, before):
            shutil.rmtree(old, ignore_errors=True)
    for legacy in ("documents", "turns", "tokens"):
        for suffix in (".parquet", ".csv"):
            (processed / f"{legacy}{suffix}").unlink(missing_ok=True)
    (processed / STATE_FILE).unlink(missing_ok=True)


def discard_generation(folder: Path) -> None:
    """Remove a generation that was never switched in (a build that failed)."""
    shutil.rmtree(folder, ignore_errors=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder
        pass
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    """Flush a new generation to disk before it is switched in: its new files (a part linked from the generation
    before has more than one link and was flushed then), then its folders."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_dir() or path.stat().st_nlink == 1:
            _fsync(path)
    _fsync(folder)


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
    path = built(directory) / STATE_FILE
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
