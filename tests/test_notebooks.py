"""Notebooks are committed as documents: outputs stripped, a parameters cell, no logic of their own."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_there_are_notebooks() -> None:
    assert [nb.name[:3] for nb in NOTEBOOKS] == [f"{i:02d}_" for i in range(1, len(NOTEBOOKS) + 1)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stripped_thin_and_parameterised(path) -> None:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code), "outputs must be stripped"
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")
    assert sum("parameters" in c["metadata"].get("tags", []) for c in code) == 1
    source = "\n".join("".join(c["source"]) for c in code)
    assert "def " not in source and "class " not in source, "logic belongs in the corpus package"
