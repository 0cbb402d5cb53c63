"""Where the project's files live: every path in one place, overridable by CORPUS_ROOT or a parameter."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PACKAGE_DIR", "RESOURCES_DIR", "Paths", "get_paths"]

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"


def _default_root() -> Path:
    if env := os.environ.get("CORPUS_ROOT"):
        return Path(env).expanduser().resolve()
    checkout = PACKAGE_DIR.parents[1]  # src/corpus -> repository root in an editable install
    return checkout if (checkout / "pyproject.toml").exists() else Path.cwd()


@dataclass(frozen=True)
class Paths:
    """The project's folders under one root."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def token_cache(self) -> Path:
        return self.processed / "token_cache"

    @property
    def dictionaries(self) -> Path:
        """The researcher's own dictionaries and stopword lists (*.txt), added to the shipped ones."""
        return self.root / "dictionaries"

    @property
    def manifest(self) -> Path:
        return self.root / "data" / "manifest.csv"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def figures(self) -> Path:
        return self.reports / "figures"


def get_paths(root: str | Path | None = None) -> Paths:
    """The project's paths under `root`, or under CORPUS_ROOT / the checkout when not given."""
    return Paths(Path(root).expanduser().resolve() if root else _default_root())


ROOT = _default_root()
RAW_DIR = ROOT / "data" / "raw"
PROCESSED_DIR = ROOT / "data" / "processed"
REPORTS_DIR = ROOT / "reports"
FIGURES_DIR = REPORTS_DIR / "figures"
