"""Keyness scored from SQL term x side counts equals keyness of the loaded term table (its pooled columns)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from corpus.analysis.keyness import KEYNESS_COLUMNS, keyness, keyness_from_counts
from corpus.dataset.build import build
from corpus.dataset.engine import term_side_counts
from corpus.errors import CorpusError
from corpus.paths import get_paths
from corpus.tokens import units
from tests.conftest import make_project

POOLED = KEYNESS_COLUMNS[: KEYNESS_COLUMNS.index("docs_target")]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two seeds, built."""
    root = make_project(tmp_path_factory.mktemp("keyness_sql"))
    build(get_paths(root))
    return root


@pytest.mark.parametrize(
    ("by", "target", "measure", "min_freq"),
    [("year", 2021, "g2", 3), ("year", 2020, "g2_williams", 1), ("month", "2020-05", "chi2_yates", 5)],
)
def test_from_counts_equals_the_term_table(seeds: Path, by: str, target: object, measure: str, min_freq: int) -> None:
    terms = units.load_terms(get_paths(seeds).processed, columns=["doc_id", "turn", "date", "year"])
    expected = keyness(terms, target, by=by, measure=measure, min_freq=min_freq)  # type: ignore[arg-type]
    counts = term_side_counts(target, by=by, root=seeds)
    got = keyness_from_counts(counts, measure=measure, min_freq=min_freq)  # type: ignore[arg-type]
    assert len(got) > 100 and got.significant.any()
    pd.testing.assert_frame_equal(got[POOLED], expected[POOLED])
    assert got.drop(columns=POOLED).isna().all().all()  # the answer-level columns need the terms


def test_from_counts_errors() -> None:
    counts = pd.DataFrame({"term": ["中国", "美国"], "freq_target": [0, 0], "freq_reference": [3, 4]})
    with pytest.raises(CorpusError, match="the target year has none"):
        keyness_from_counts(counts, column="year")
    with pytest.raises(CorpusError, match="unknown correction"):
        keyness_from_counts(counts.assign(freq_target=1), correction="holm")  # type: ignore[arg-type]
