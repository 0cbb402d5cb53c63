"""Saving charts: PNG (300 dpi), SVG and PDF atomically and reproducibly, with their provenance in a manifest."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from corpus import __version__
from corpus.store import STATE_FILE, atomic_write, read_state, write_text
from corpus.store import built as built_folder

try:  # a lock so that notebooks saving at once do not lose each other's manifest entries
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock
    fcntl = None

__all__ = ["FORMATS", "MANIFEST", "figure_title", "provenance", "read_manifest", "save_figure"]

FORMATS = ("png", "svg", "pdf")
MANIFEST = "index.json"  # beside the figures: one entry per figure name
LIBRARIES = ("matplotlib", "numpy", "pandas", "pyarrow", "scikit-learn", "scipy", "wordcloud")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


def figure_title(fig: Figure) -> str:
    """The figure's suptitle, else its first axes title, else ''; kept in each file's metadata."""
    if fig._suptitle is not None and fig._suptitle.get_text():
        return fig._suptitle.get_text()
    titles = [t for ax in fig.axes for t in (ax.get_title("left"), ax.get_title(), ax.get_title("right")) if t]
    return titles[0] if titles else ""


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def provenance(processed: Path) -> dict:
    """What the tables in `processed` were built from, as recorded by the build (store.read_state).

    Keys: transcripts (file -> SHA-256), manifest (SHA-256 of data/manifest.csv or None), resources (the shipped
    dictionary, stopword lists, theme lexicon, outlets and speakers: file -> SHA-256), dictionaries (the
    researcher's own files -> SHA-256), package (corpus version), built_with (corpus version of the build),
    libraries (name -> version: the segmenters the build used and the plotting and analysis libraries), built
    (UTC time the build state was written, from the state file, so the same build gives the same bytes).
    {} values where nothing was built.
    """
    state = read_state(processed)
    state_file = built_folder(Path(processed)) / STATE_FILE  # the current generation's
    built = (
        datetime.fromtimestamp(int(state_file.stat().st_mtime), tz=timezone.utc).isoformat()
        if state and state_file.exists()
        else None
    )
    return {
        "transcripts": state.get("raw", {}),
        "manifest": state.get("manifest"),
        "resources": state.get("resources", {}),
        "dictionaries": state.get("dictionaries", {}),
        "package": __version__,
        "built_with": state.get("version"),
        "libraries": {**state.get("libraries", {}), **{p: _version(p) for p in LIBRARIES}},
        "built": built,
    }


def _record(name: str, title: str, notebook: str | None, parameters: dict | None, inputs: dict | None) -> dict:
    return {
        "name": name,
        "title": title,
        "notebook": notebook,
        "parameters": dict(parameters or {}),
        "provenance": dict(inputs or {}),
    }


def _described(record: dict) -> str:
    """The record as compact ASCII JSON (fits PNG tEXt, which is Latin-1 only)."""
    return json.dumps(record, sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str)


def _metadata(fmt: str, title: str, record: dict | None = None) -> dict:
    # No dates of saving and no version strings of the writer: the same chart and inputs give the same bytes.
    described = _described(record) if record is not None else None
    digests = ",".join(f"sha256:{d}" for d in (record or {}).get("provenance", {}).get("transcripts", {}).values())
    return {
        "png": {"Title": title, "Software": None, "Description": described},
        "svg": {"Title": title, "Date": None, "Creator": None, "Description": described},
        "pdf": {
            "Title": title,
            "CreationDate": None,
            "ModDate": None,
            "Creator": None,
            "Producer": None,
            "Subject": described,
            "Keywords": digests or None,
        },
    }[fmt]


def read_manifest(directory: Path) -> dict:
    """The figures recorded in `directory`/index.json: name -> entry ({} when there is none or it is unreadable).

    Each entry: name, title, notebook, parameters, provenance (see `provenance`), files (file name -> SHA-256) and
    order (0, 1, ... in the order its notebook first saved its figures).
    """
    try:
        return json.loads((Path(directory) / MANIFEST).read_text(encoding="utf-8")).get("figures", {})
    except (FileNotFoundError, json.JSONDecodeError, AttributeError):
        return {}


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    if fcntl is None:  # pragma: no cover
        yield
        return
    with open(directory / f".{MANIFEST}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _add_to_manifest(directory: Path, entry: dict) -> None:
    """Merge `entry` into index.json (figures saved by other notebooks kept), atomically and under a lock."""
    with _locked(directory):
        figures = read_manifest(directory)
        before = figures.get(entry["name"], {})
        same = [e for e in figures.values() if e.get("notebook") == entry["notebook"]]
        order = before.get("order", max((e.get("order", 0) for e in same), default=-1) + 1)
        figures[entry["name"]] = {**entry, "order": order}
        text = json.dumps({"figures": dict(sorted(figures.items()))}, ensure_ascii=False, indent=1, sort_keys=True)
        write_text(directory / MANIFEST, text + "\n")


def save_figure(
    fig: Figure,
    name: str,
    *,
    directory: Path,
    dpi: int = 300,
    notebook: str | None = None,
    parameters: dict | None = None,
    provenance: dict | None = None,
) -> list[Path]:
    """Write `name`.png/.svg/.pdf into `directory` (created if needed), record them in its index.json, and return
    the three paths.

    The notebook, its parameters and the provenance of the inputs (see `provenance`) go into the manifest entry and,
    as JSON, into each file's metadata: PNG text chunk `Description`, SVG `dc:description`, PDF `Subject` (and the
    transcripts' digests as PDF `Keywords`).
    """
    if not _NAME.match(name):
        raise ValueError(f"figure name {name!r}: use lower-case ASCII letters, digits, '_' and '-' (e.g. 02_wordcloud)")
    if (note := getattr(fig, "placeholder", None)) is not None:  # e.g. "needs three years": no file for a paper
        for fmt in FORMATS:  # nor one left from an earlier run with more data
            (Path(directory) / f"{name}.{fmt}").unlink(missing_ok=True)
        print(f"{name}: not exported, {' '.join(note.split())}")
        return []
    title, written = figure_title(fig), []
    record = _record(name, title, notebook, parameters, provenance)
    for fmt in FORMATS:
        path = Path(directory) / f"{name}.{fmt}"
        with mpl.rc_context({"svg.hashsalt": name}):  # fixed SVG ids instead of random ones
            atomic_write(
                path,
                lambda tmp, fmt=fmt: fig.savefig(
                    tmp, format=fmt, dpi=dpi, bbox_inches="tight", metadata=_metadata(fmt, title, record)
                ),
            )
        written.append(path)
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in written}
    _add_to_manifest(Path(directory), {**record, "files": files})
    return written
