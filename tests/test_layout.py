"""The package's layout: subpackages in pipeline order, imports that run one way, and the README's folder table."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "src" / "corpus"
# Data flows ingest -> transcripts -> tokens -> dataset -> analysis -> charts -> report -> cli; a stage may import
# an earlier stage, never a later one. The foundation modules (errors, paths, store, resources) sit below them all.
STAGES = ["ingest", "transcripts", "tokens", "dataset", "analysis", "charts", "report", "cli"]
FOUNDATION = {"errors", "paths", "store", "resources"}


def stage_of(module: str) -> str | None:
    """The stage (or 'foundation') a dotted corpus module belongs to; None for the package itself."""
    parts = module.split(".")
    if parts[0] != "corpus" or len(parts) == 1:
        return None
    return parts[1] if parts[1] in STAGES else "foundation" if parts[1] in FOUNDATION else parts[1]


def corpus_imports(path: Path) -> list[tuple[int, str]]:
    """Every `corpus.*` module a file imports (at any depth, lazy imports included), with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("corpus"):
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("corpus")]
    return found


def rank(stage: str) -> int:
    return -1 if stage == "foundation" else STAGES.index(stage)


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE or p.stem in FOUNDATION)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path):
    own = "foundation" if path.parent == PACKAGE else path.relative_to(PACKAGE).parts[0]
    assert own in STAGES or own == "foundation", f"{path} is in no known stage"
    for line, module in corpus_imports(path):
        target = stage_of(module)
        if target is None or (target not in STAGES and target != "foundation"):
            continue  # `from corpus import __version__`, or a name imported from a module (checked via the module)
        assert rank(target) <= rank(own), f"{path.relative_to(PACKAGE)}:{line} ({own}) imports {module} ({target})"


def test_every_module_says_what_it_owns():
    for path in PACKAGE.rglob("*.py"):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc and doc.strip(), f"{path.relative_to(PACKAGE)} has no docstring"


def test_the_checker_sees_a_backward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""x."""\n\ndef f():\n    from corpus.charts.style import INK\n', encoding="utf-8")
    assert (4, "corpus.charts.style") in corpus_imports(bad)
    assert rank(stage_of("corpus.charts.style")) > rank("tokens")


def test_readme_folder_table_names_every_subpackage():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`src/corpus/([a-z_]+)/`", readme))
    on_disk = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert on_disk <= listed, f"README's folder table misses {sorted(on_disk - listed)}"
    for stage in on_disk:
        for module in (PACKAGE / stage).glob("*.py"):
            if module.stem != "__init__":
                assert f"`{module.stem}`" in readme, f"README's folder table does not name {stage}/{module.name}"
