"""One API: every module declares its public names, chart functions are named plot_*, counts are top= and groups by=."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

import pytest

import corpus

# themes.py is being reworked by the perf branch; it gets its __all__ when that work lands.
PENDING_ALL: set[str] = set()
# Modules whose __all__ is deliberately a subset: cli's interface is main(argv) and its command table; store's lists
# the functions with a docstring example (tests/test_doctests.py asks one of each), its generation helpers are internal.
PARTIAL_ALL = {"corpus.cli", "corpus.store"}
MODULES = sorted(m.name for m in pkgutil.walk_packages(corpus.__path__, "corpus.") if m.name != "corpus.__main__")
CHART_MODULES = ["corpus.charts.plots", "corpus.charts.clouds", "corpus.charts.scatter", "corpus.charts.formulations"]
OLD_KEYWORDS = {"n", "n_terms", "per_term", "unit", "group"}  # the names by= and top= replaced


@pytest.mark.parametrize("name", [m for m in MODULES if m not in PENDING_ALL])
def test_every_module_lists_its_public_names_and_they_exist(name: str) -> None:
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what it does not define: {missing}"
    if name in PARTIAL_ALL:
        return
    tree = ast.parse(inspect.getsource(module))
    defined = [n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef) and n.name[0] != "_"]
    assert not set(defined) - set(module.__all__), f"{name} leaves public functions out of __all__"


@pytest.mark.parametrize("name", CHART_MODULES)
def test_chart_functions_are_named_plot_and_return_axes(name: str) -> None:
    module = importlib.import_module(name)
    for fname in module.__all__:
        function = getattr(module, fname)
        if not inspect.isfunction(function):
            continue
        returns = str(inspect.signature(function).return_annotation)
        draws = returns in {"Axes", "list[Axes]"}
        assert draws == fname.startswith("plot_") or fname in {"panels", "note_axes"}, (
            f"{name}.{fname} returns {returns}: charts are plot_*, helpers are not"
        )


@pytest.mark.parametrize("name", [m for m in MODULES if m.split(".")[1] in {"analysis", "charts", "report"}])
def test_public_functions_take_top_and_by_not_the_old_keywords(name: str) -> None:
    module = importlib.import_module(name)
    for fname in getattr(module, "__all__", []):
        function = getattr(module, fname)
        if not inspect.isfunction(function):
            continue
        keywords = {p.name for p in inspect.signature(function).parameters.values() if p.kind == p.KEYWORD_ONLY}
        deprecated = {"unit"} if name == "corpus.analysis.tfidf" else {"n_terms"} if fname == "fit_topics" else set()
        assert not (keywords & OLD_KEYWORDS) - deprecated, f"{name}.{fname} takes {keywords & OLD_KEYWORDS}"
