"""Loading the researcher-editable tables under corpus/resources (outlets, speakers, ...).

Parsed files are cached by their bytes, never by their name: an edited file is read afresh in the same process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from corpus.errors import CorpusError
from corpus.paths import RESOURCES_DIR

__all__ = ["known_speakers", "load_yaml", "outlet_table"]


def load_yaml(name: str, directory: Path | None = None) -> list | dict:
    """A YAML resource file (in `directory`, default corpus/resources), parsed; a clear error when a researcher's
    edit broke it. Read on every call; parsed once per distinct content."""
    path = (RESOURCES_DIR if directory is None else Path(directory)) / name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror})") from None
    return _parse_yaml(data, str(path))


@cache
def _parse_yaml(data: bytes, path: str) -> list | dict:
    try:
        parsed = yaml.safe_load(data.decode("utf-8")) or []
    except UnicodeDecodeError:
        raise CorpusError(f"{path}: not UTF-8 text (save it as UTF-8)") from None
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path}: not valid YAML ({exc.problem if hasattr(exc, 'problem') else exc})") from None
    if not isinstance(parsed, list | dict):
        raise CorpusError(f"{path}: expected a list or a mapping of entries, found {type(parsed).__name__}")
    return parsed


def outlet_table() -> dict[str, dict]:
    """Outlet rows keyed by every name and alias a transcript may print."""
    return _outlet_table((RESOURCES_DIR / "outlets.yaml").read_bytes())


@cache
def _outlet_table(data: bytes) -> dict[str, dict]:
    table: dict[str, dict] = {}
    for row in _parse_yaml(data, str(RESOURCES_DIR / "outlets.yaml")):
        for key in [row["name"], *row.get("aliases", [])]:
            table[key] = row
    return table


def known_speakers() -> dict[str, dict]:
    """Answering speakers keyed by their Chinese name."""
    return _known_speakers((RESOURCES_DIR / "speakers.yaml").read_bytes())


@cache
def _known_speakers(data: bytes) -> dict[str, dict]:
    return {row["name"]: row for row in _parse_yaml(data, str(RESOURCES_DIR / "speakers.yaml"))}
