"""Loading the researcher-editable tables under corpus/resources (outlets, speakers, ...)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from corpus.errors import CorpusError
from corpus.paths import RESOURCES_DIR


@cache
def load_yaml(name: str, directory: Path = RESOURCES_DIR) -> list | dict:
    """A YAML resource file, parsed; a clear error when a researcher's edit broke it."""
    path = directory / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path}: not valid YAML ({exc.problem if hasattr(exc, 'problem') else exc})") from None


@cache
def outlet_table() -> dict[str, dict]:
    """Outlet rows keyed by every name and alias a transcript may print."""
    table: dict[str, dict] = {}
    for row in load_yaml("outlets.yaml"):
        for key in [row["name"], *row.get("aliases", [])]:
            table[key] = row
    return table


@cache
def known_speakers() -> dict[str, dict]:
    """Answering speakers keyed by their Chinese name."""
    return {row["name"]: row for row in load_yaml("speakers.yaml")}
