"""Charts at archive scale: 25 years stay legible (labels apart, bounded size, no repeated colours)."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from corpus.charts import clouds, plots, style

YEARS_2 = [2020, 2021]
YEARS_25 = list(range(2000, 2025))
MAX_INCHES = 12.0


def term_table(years: list[int]) -> pd.DataFrame:
    """term, year, per_10k: 60 terms a year with rates that drift over the years (deterministic)."""
    rng = np.random.default_rng(1)
    terms = [f"词{i:02d}" for i in range(60)]
    rows = [(t, y, float(rng.gamma(2.0, 10.0))) for y in years for t in terms]
    return pd.DataFrame(rows, columns=["term", "year", "per_10k"])


def theme_table(years: list[int]) -> pd.DataFrame:
    rng = np.random.default_rng(2)
    rows = []
    for theme, year in itertools.product(["pandemic", "us", "multilateral", "taiwan"], years):
        rate = float(rng.gamma(3.0, 20.0))
        rows.append((theme, f"{theme} zh", theme, year, rate, rate * 0.6, rate * 1.5))
    return pd.DataFrame(rows, columns=["theme", "name_zh", "name_en", "year", "per_10k", "ci_low", "ci_high"])


def lengths_table(years: list[int]) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = [(y, int(rng.integers(50, 900))) for y in years for _ in range(40)]
    return pd.DataFrame(rows, columns=["year", "n_chars"])


def topic_table(years: list[int]) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    rows = [(t, f"话题{t}", y, float(rng.uniform())) for t in range(1, 7) for y in years]
    return pd.DataFrame(rows, columns=["topic", "label", "year", "share"])


def charts(years: list[int]) -> dict[str, plt.Figure]:
    drawn = {
        "top_terms": plots.plot_top_terms(term_table(years), value="per_10k", top=10),
        "lengths": plots.plot_answer_lengths(lengths_table(years)),
        "theme_shares": plots.plot_theme_shares(theme_table(years)),
        "trend": plots.plot_trends(theme_table(years), value="per_10k", by="theme"),
        "topic_shares": plots.plot_topic_shares(topic_table(years)),
    }
    return {name: (axes[0] if isinstance(axes, list) else axes).figure for name, axes in drawn.items()}


def tick_labels_overlap(fig: plt.Figure) -> list[str]:
    """Pairs of visible x tick labels on one axes whose drawn boxes intersect."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    clashes = []
    for ax in fig.axes:
        labels = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
        boxes = [t.get_window_extent(renderer) for t in labels]
        for (a, box_a), (b, box_b) in itertools.combinations(zip(labels, boxes, strict=True), 2):
            if box_a.overlaps(box_b):
                clashes.append(f"{a.get_text()}/{b.get_text()}")
    return clashes


@pytest.mark.parametrize("years", [YEARS_2, YEARS_25], ids=["2 years", "25 years"])
def test_year_labels_never_overlap_and_figures_stay_page_sized(years) -> None:
    for name, fig in charts(years).items():
        assert not tick_labels_overlap(fig), name
        width, height = fig.get_size_inches()
        assert width <= MAX_INCHES and height <= MAX_INCHES, (name, width, height)


def test_25_years_get_25_distinct_colours_in_time_order() -> None:
    colors = style.group_colors(YEARS_25)
    assert len(set(colors.values())) == 25
    # Sequential: lightness grows with the year, so neighbouring years are neighbouring shades.
    lightness = [np.mean(matplotlib.colors.to_rgb(colors[y])) for y in YEARS_25]
    assert lightness == sorted(lightness)


def test_years_keep_their_fixed_colour_while_no_two_collide() -> None:
    assert style.group_colors([2020, 2021]) == {2020: style.year_color(2020), 2021: style.year_color(2021)}
    # 2000 and 2008 share a colour on the fixed palette: the chart switches to the sequential scale.
    clashing = style.group_colors([2000, 2008])
    assert clashing[2000] != clashing[2008]


def test_other_groups_take_the_categorical_palette_then_the_scale() -> None:
    speakers = [f"发言人{i}" for i in range(12)]
    assert len(set(style.group_colors(speakers[:5]).values())) == 5
    assert len(set(style.group_colors(speakers).values())) == 12


def test_many_groups_change_the_chart_form() -> None:
    # 25 side-by-side bars per row, or 25 panels, become one heatmap with one column per year.
    fig = charts(YEARS_25)["top_terms"]
    assert len([ax for ax in fig.axes if ax.images]) == 1
    assert len(fig.axes[0].get_xticks()) == 25
    shares = charts(YEARS_25)["theme_shares"]
    assert shares.axes[0].images, "theme shares at 25 years are a heatmap"
    assert not charts(YEARS_2)["theme_shares"].axes[0].images, "at 2 years they stay dots with intervals"


def test_legends_are_never_taller_than_their_plot() -> None:
    for name, fig in charts(YEARS_25).items():
        fig.canvas.draw()
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend is not None:
                assert legend.get_window_extent().height <= ax.get_window_extent().height * 1.05, name


def test_clouds_are_capped_with_a_note() -> None:
    table = term_table(YEARS_25)
    axes = clouds.plot_word_clouds(table, value="per_10k", max_words=10)
    assert len(axes) == clouds.MAX_CLOUDS
    assert "6 of 25" in axes[0].figure._suptitle.get_text()
    ax = clouds.plot_comparison_cloud(table, value="per_10k", max_words=30)
    assert "6 of 25" in ax.get_title("left")
    assert [t.get_text() for t in ax.texts] == [str(y) for y in YEARS_25[-6:]]
