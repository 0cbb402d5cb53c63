"""The formulation timeline: one mark per formulation and column, area by count, colour by form; legible at 30 x 25."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from PIL import Image

from corpus.analysis import formulations as F
from corpus.charts.formulations import MAX_AREA, VARIANT_COLORS, plot_formulation_timeline, timeline_rows
from corpus.charts.save import save_figure
from tests.charts.conftest import draw_strictly


def synthetic(n_rows: int = 30, n_years: int = 25, seed: int = 0) -> pd.DataFrame:
    """A timeline of n_rows formulations over n_years years, counts and variant ranks drawn at random."""
    rng = np.random.default_rng(seed)
    listed = F.load_formulations().drop_duplicates("canonical")
    names = [*listed.canonical, *(f"提法{i}" for i in range(n_rows))][:n_rows]
    english = dict(zip(listed.canonical, listed.en, strict=True))
    rows = [
        {"year": 2000 + y, "group": g, "en": english.get(g, ""), "count": int(rng.integers(1, 30)),
         "variant_rank": int(rng.integers(1, 5))}
        for g in names
        for y in range(n_years)
        if rng.random() < 0.6
    ]  # fmt: skip
    return pd.DataFrame(rows)


def test_marks_are_sized_by_count_and_coloured_by_form(tmp_path: Path) -> None:
    timeline = synthetic()
    ax = plot_formulation_timeline(timeline)
    draw_strictly(ax.figure)
    rows = timeline_rows(timeline)
    assert [t.get_text().split()[0] for t in ax.get_yticklabels()] == rows
    assert len(ax.get_xticklabels()) == 25
    marks = ax.collections[0]
    shown = timeline[timeline.group.isin(rows)]
    assert len(marks.get_offsets()) == len(shown)
    sizes = marks.get_sizes()
    assert sizes.max() == pytest.approx(MAX_AREA)
    assert np.allclose(sizes / sizes.max(), shown["count"] / shown["count"].max())
    colours = [to_hex(c) for c in marks.get_facecolors()]
    assert colours == [VARIANT_COLORS[min(r, 4) - 1].lower() for r in shown.variant_rank]
    paths = save_figure(ax.figure, "formulations_30x25", directory=Path(os.environ.get("FORMULATIONS_PNG", tmp_path)))
    png = next(p for p in paths if p.suffix == ".png")
    width, height = Image.open(png).size
    assert height / 300 >= 0.25 * 30  # at least a quarter inch per row at 300 dpi
    assert width / 300 <= 16.5


def test_rows_first_appearance_then_use() -> None:
    timeline = pd.DataFrame(
        {"year": [2021, 2020, 2021, 2021], "group": ["乙", "甲", "甲", "丙"], "en": "", "count": [5, 1, 1, 9],
         "variant_rank": 1}
    )  # fmt: skip
    assert timeline_rows(timeline) == ["甲", "丙", "乙"]
    assert timeline_rows(timeline, top=2) == ["丙", "乙"]


def test_the_seeds_timeline_draws(seed_tokens: pd.DataFrame) -> None:
    table = F.formulation_table(seed_tokens)
    timeline = F.formulation_timeline(seed_tokens, table)
    ax = plot_formulation_timeline(timeline, top=30)
    draw_strictly(ax.figure)
    assert len(ax.get_yticklabels()) == 30 and [t.get_text() for t in ax.get_xticklabels()] == ["2020", "2021"]
    assert "多边主义  multilateralism" in [t.get_text() for t in ax.get_yticklabels()]


def test_an_empty_timeline_says_so() -> None:
    ax = plot_formulation_timeline(pd.DataFrame(columns=["year", *F.TIMELINE_COLUMNS]))
    assert "No formulation" in ax.texts[0].get_text()
