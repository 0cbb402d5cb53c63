"""Notebooks are committed as documents: outputs stripped, a parameters cell, no logic of their own."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import papermill
import pytest
from PIL import Image

from corpus.dataset.build import build
from corpus.paths import get_paths
from tests.conftest import REPO, SEED_2020, SEED_2021, make_project

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


def _execute(notebook: str, root: Path) -> dict:
    out = root / "reports" / "notebooks" / notebook
    out.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(REPO / "notebooks" / notebook), str(out), parameters={"root": str(root)}, progress_bar=False, cwd=str(root)
    )
    return json.loads(out.read_text(encoding="utf-8"))


def _text(notebook: dict) -> str:
    outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    return "\n".join("".join(o.get("data", {}).get("text/plain", o.get("text", ""))) for o in outputs)


# One year: comparisons become notes. Three years (the third a copy of 2021 under a 2022 name): the target is
# compared with the two others pooled, and trends appear. Two notebooks each, run two at a time.
CASES = {
    "one_year": (
        {"2021-03-07_王毅.txt": SEED_2021},
        ["03_tfidf_keyness.ipynb", "06_context.ipynb", "07_formulations.ipynb"],
    ),
    "three_years": (
        {"2020-05-24_王毅.txt": SEED_2020, "2021-03-07_王毅.txt": SEED_2021, "2022-03-07_王毅.txt": SEED_2021},
        ["03_tfidf_keyness.ipynb", "05_themes.ipynb"],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_notebooks_run_with_one_or_three_years(case, tmp_path) -> None:
    raw, notebooks = CASES[case]
    root = make_project(tmp_path, raw)
    build(get_paths(root))
    with ThreadPoolExecutor(max_workers=2) as pool:
        executed = dict(zip(notebooks, pool.map(lambda nb: _execute(nb, root), notebooks), strict=True))
    figures = sorted(p.name for p in (root / "reports" / "figures").glob("*.png"))
    if case == "one_year":
        assert "nothing to compare" in _text(executed["03_tfidf_keyness.ipynb"])
        assert "06_collocations.png" in figures
        # one year: keyness and the scatter are notes in the notebook, not files a paper could pick up
        assert not {"03_keyness.png", "03_frequency_scatter.png"} & set(figures)
        assert "03_keyness: not exported" in _text(executed["03_tfidf_keyness.ipynb"])
        assert "['中国', '疫苗']" in _text(executed["06_context.ipynb"]), "most frequent words when nothing is key"
    else:
        assert "Target 2022 against reference 2020–2021 (years kept: 2020, 2021, 2022)" in _text(
            executed["03_tfidf_keyness.ipynb"]
        )
        assert {"03_keyness.png", "05_theme_trends.png", "05_theme_shares.png"} <= set(figures)
        with Image.open(root / "reports" / "figures" / "05_theme_trends.png") as trends:
            assert trends.height > 1000, "panels of trends, not the one-line note of fewer than three years"
