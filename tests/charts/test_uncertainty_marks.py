"""The keyness and theme-share charts show which results are sure: significant bars solid, clustered themes hollow."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from corpus.analysis import keyness, themes
from corpus.charts import plots
from corpus.tokens import units
from tests.charts.conftest import draw_strictly


@pytest.fixture(scope="module")
def key(seed_tokens: pd.DataFrame) -> pd.DataFrame:
    return keyness.keyness(units.terms(seed_tokens), 2021, 2020)


def test_significant_bars_are_solid_the_others_light(key: pd.DataFrame) -> None:
    ax = plots.plot_keyness(key, target=2021, reference=2020, top=8)
    draw_strictly(ax.figure)
    terms = [t.get_text() for t in ax.get_yticklabels()]
    sure = key.set_index("term").significant.reindex(terms).to_numpy()
    assert sure.any() and not sure.all()  # the seeds have both
    assert [p.get_alpha() in (None, 1) and not p.get_hatch() for p in ax.patches] == list(sure)
    assert "Solid: significant after Benjamini-Hochberg" in ax.get_xlabel()


def test_a_note_when_no_bar_is_significant(key: pd.DataFrame) -> None:
    ax = plots.plot_keyness(key.assign(significant=False), target=2021, reference=2020, top=5)
    draw_strictly(ax.figure)
    assert all(p.get_hatch() == "///" for p in ax.patches)
    assert "No term is significant" in ax.get_xlabel()


def test_theme_shares_hollow_where_the_interval_is_not_vouched_for(seed_tokens: pd.DataFrame) -> None:
    shares = themes.theme_shares(seed_tokens)
    ax = plots.plot_theme_shares(shares)
    draw_strictly(ax.figure)
    hollow = [line for line in ax.get_lines() if line.get_markerfacecolor() == "white"]
    assert sum(len(line.get_xdata()) for line in hollow) == int(shares.low_dispersion.sum())
    assert "Hollow" in ax.get_xlabel()
