"""Themes counted from the built dataset (SQL turn sizes, lexicon matched in candidate runs) equal the pandas path."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest

from corpus.analysis import themes
from corpus.dataset.build import build
from corpus.paths import get_paths
from corpus.tokens import units
from tests.conftest import make_project


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two seeds, built: their processed folder."""
    root = make_project(tmp_path_factory.mktemp("themes_sql"))
    build(get_paths(root))
    return get_paths(root).processed


@pytest.mark.parametrize("roles", [("answer",), ("question",), None])
def test_turn_counts_from_sql_equal_the_token_path(processed: Path, roles: tuple[str, ...] | None) -> None:
    lexicon = themes.load_themes()
    tokens = units.load_tokens(processed, roles=roles)
    expected = themes.turn_theme_counts(tokens, lexicon, roles)
    got = themes.load_turn_theme_counts(processed, lexicon, roles=roles)
    assert expected[themes.theme_names(lexicon).theme].to_numpy().sum() > 50  # the seeds mention the themes
    pd.testing.assert_frame_equal(got, expected)


def test_a_term_split_across_tokens_and_an_exclusion_count_as_in_the_text(processed: Path, tmp_path: Path) -> None:
    tokens = units.load_tokens(processed, roles=["answer"])
    joined = tokens.token.iloc[:400].tolist()
    pairs = [a + b for a, b in itertools.pairwise(joined) if len(a) > 1 and len(b) > 1]
    lexicon_file = tmp_path / "themes.yaml"
    lexicon_file.write_text(
        f"- id: split\n  terms: [{pairs[0]}, {pairs[3]}]\n- id: partial\n  terms: [中]\n  exclude: [中国]\n",
        encoding="utf-8",
    )
    lexicon = themes.load_themes(lexicon_file)
    expected = themes.turn_theme_counts(tokens, lexicon, ["answer"])
    got = themes.load_turn_theme_counts(processed, lexicon)
    assert expected.split.sum() >= 2 and expected.partial.sum() > 0
    pd.testing.assert_frame_equal(got, expected)


def test_shares_from_sql_counts_equal_theme_shares(processed: Path) -> None:
    lexicon = themes.load_themes()
    tokens = units.load_tokens(processed)
    counts = themes.load_turn_theme_counts(processed, lexicon, columns=["speaker"])
    for by in ("year", "month", units.periods(["2021-01-01"])):
        expected = themes.theme_shares(tokens, lexicon, by=by)
        pd.testing.assert_frame_equal(themes.shares_from_counts(counts, lexicon, by=by), expected)
    by_speaker = themes.shares_from_counts(counts, lexicon, by="speaker")  # a document column the SQL path carries
    assert by_speaker.groupby("theme", sort=False).hits.sum().tolist() == counts[lexicon.theme.unique()].sum().tolist()
