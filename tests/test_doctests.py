"""The docstring examples of the public API run, and every public function has one."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

MODULES = [
    "corpus.analysis.overview",
    "corpus.analysis.frequency",
    "corpus.analysis.tfidf",
    "corpus.analysis.topics",
    "corpus.tokens.match",
    "corpus.store",
    "corpus.tokens.gloss",
    "corpus.report.styling",
]
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS  # pandas pads the header of an index with spaces


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS, report=True)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_has_an_example(name: str) -> None:
    module = importlib.import_module(name)
    functions = [n for n in module.__all__ if inspect.isfunction(getattr(module, n))]
    assert functions, f"{name}.__all__ lists no function"
    missing = [n for n in functions if ">>> " not in (inspect.getdoc(getattr(module, n)) or "")]
    assert not missing, f"{name}: no example in {missing}"
