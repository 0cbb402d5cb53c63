"""Notebooks only read the built tables (building is `make data`'s job): build them once before pytest runs any."""

from __future__ import annotations

from corpus.dataset.build import build
from corpus.paths import get_paths


def pytest_collection_modifyitems(session, config, items) -> None:
    if any(str(item.path).endswith(".ipynb") for item in items):
        build(get_paths())  # no work when nothing changed
