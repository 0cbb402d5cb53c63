"""corpus.notebook.session: the notebooks' one setup call reads the built tables and never builds."""

from __future__ import annotations

import ast
import hashlib
import shutil
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from corpus.charts.save import read_manifest
from corpus.dataset.build import build
from corpus.errors import CorpusError
from corpus.notebook import session
from corpus.paths import get_paths
from tests.conftest import REPO, SEED_2021, make_project


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("project"))
    build(get_paths(root))
    return root


def test_unbuilt_project_says_to_build_and_builds_nothing(tmp_path) -> None:
    root = make_project(tmp_path)
    with pytest.raises(CorpusError, match=r"run `make data` \(or `corpus build`\) first"):
        session(root)
    assert not (root / "data" / "processed").exists()


def test_comparison_and_kept_tables(root) -> None:
    s = session(root, years=[2021], top=5)
    assert s.comparison.target == 2021 and not s.comparison.possible
    assert "tokens" not in s.__dict__, "tables load on first use"
    assert set(s.documents.year) == {2021} and set(s.tokens.year) == {2021}
    assert set(s.turns.doc_id) == set(s.documents.doc_id) and s.terms.role.eq("answer").all()
    assert s.figures == get_paths(root).figures
    assert matplotlib.rcParams["font.family"], "the chart style is applied"


def test_default_compares_the_latest_year_with_the_rest(root) -> None:
    s = session(root)
    assert (s.comparison.target, s.comparison.reference) == (2021, (2020,))
    assert sorted(s.documents.year) == [2020, 2021]


def test_unknown_year_is_a_corpus_error(root) -> None:
    with pytest.raises(CorpusError, match="year 2019 not in the corpus"):
        session(root, target=2019)


def test_save_records_notebook_parameters_and_transcripts(root, tmp_path) -> None:
    s = session(root, figures=tmp_path, notebook="03_tfidf_keyness", top=7, target=2020)
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([1, 2])
    s.save(fig, "03_test")
    plt.close(fig)
    entry = read_manifest(tmp_path)["03_test"]
    assert entry["notebook"] == "03_tfidf_keyness"
    assert entry["parameters"] == {"years": None, "target": 2020, "reference": None, "by": "year", "top": 7}
    digest = hashlib.sha256(SEED_2021.read_bytes()).hexdigest()
    assert entry["provenance"]["transcripts"]["2021-03-07_王毅.txt"] == digest


def test_a_fresh_build_gives_no_warning(root) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        session(root)


def test_stale_build_warns(tmp_path) -> None:
    root = make_project(tmp_path)
    build(get_paths(root))
    shutil.copy(SEED_2021, root / "data" / "raw" / "2022-03-07_王毅.txt")
    with pytest.warns(UserWarning, match="changed since the last build"):
        s = session(root)
    assert s.comparison.years == (2020, 2021), "reads what was built; building is `make data`'s job"


def test_nothing_in_the_package_imports_the_notebook_module() -> None:
    for path in (REPO / "src" / "corpus").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
                assert "corpus.notebook" not in names, path
            elif isinstance(node, ast.Import):
                assert "corpus.notebook" not in {a.name for a in node.names}, path
