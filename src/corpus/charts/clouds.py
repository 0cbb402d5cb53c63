"""Word clouds in the CJK font: one per year, and a comparison cloud of the terms each year over-uses."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from wordcloud import WordCloud

from corpus.charts.fonts import cjk_font_path
from corpus.charts.plots import ONE_GROUP_NOTE, panels
from corpus.charts.style import group_colors, note_axes

__all__ = [
    "MAX_CLOUDS", "cloud_image", "comparison_weights", "latest_groups", "plot_comparison_cloud", "plot_word_cloud",
    "plot_word_clouds", "sector_mask",
]  # fmt: skip

CLOUD_SIZE = (720, 480)  # layout size in pixels (time grows with its area); `scale` doubles it for print
# A cloud per group past these many is unreadable (and slow: each takes a second); the latest groups are drawn.
MAX_CLOUDS = 6
MAX_SECTORS = 6


def latest_groups(groups: list, limit: int) -> tuple[list, str]:
    """The last `limit` groups in order, and a note saying what was left out ('' when nothing was)."""
    if len(groups) <= limit:
        return groups, ""
    return groups[-limit:], f" (the latest {limit} of {len(groups)} groups 仅显示最近{limit}组)"


def cloud_image(
    weights: pd.Series,
    *,
    color: str,
    size: tuple[int, int] = CLOUD_SIZE,
    mask: np.ndarray | None = None,
    max_words: int = 80,
) -> np.ndarray:
    """An RGB word cloud of `weights` (term -> weight > 0) in one colour, laid out with a fixed random state."""
    cloud = WordCloud(
        font_path=str(cjk_font_path()),
        width=size[0],
        height=size[1],
        mask=mask,
        scale=2,
        max_words=max_words,
        background_color="white",
        prefer_horizontal=1.0,  # Chinese reads best horizontally
        relative_scaling=0.5,
        margin=3,
        random_state=0,
        color_func=lambda *args, **kwargs: color,
    )
    positive = weights[weights > 0].sort_index(kind="stable")
    return cloud.generate_from_frequencies(positive.to_dict()).to_array()


def plot_word_cloud(
    weights: pd.Series, *, color: str, title: str = "", max_words: int = 80, ax: Axes | None = None
) -> Axes:
    """One word cloud (term -> weight) drawn into an axes."""
    ax = ax if ax is not None else plt.figure(figsize=(6.0, 4.0)).add_subplot()
    if (weights > 0).sum() == 0:
        return note_axes(ax, "No terms to show. 无词可示。")
    ax.imshow(cloud_image(weights, color=color, max_words=max_words), interpolation="bilinear")
    ax.set_axis_off()
    ax.set_title(title)
    return ax


def plot_word_clouds(table: pd.DataFrame, *, value: str, by: str = "year", max_words: int = 80) -> list[Axes]:
    """One word cloud per group (year) from a long table of term, group and `value`, in the group's colour."""
    groups, note = latest_groups(sorted(table[by].unique()), MAX_CLOUDS)
    colors = group_colors(groups)
    axes = panels(len(groups), width=min(4.5 * len(groups), 9.0), height=3.2, ncols=min(len(groups), 2))
    for ax, g in zip(axes, groups, strict=True):
        weights = table[table[by].eq(g)].set_index("term")[value]
        plot_word_cloud(weights, color=colors[g], title=str(g), max_words=max_words, ax=ax)
    axes[0].figure.suptitle(f"Word clouds per year 各年词云{note}", x=0.01, ha="left", fontsize=11)
    return axes


def comparison_weights(table: pd.DataFrame, *, value: str, by: str = "year") -> pd.DataFrame:
    """Each term's over-use: its rate minus its mean rate over groups, kept for the group where that is largest.

    The weighting of comparison.cloud in R's wordcloud package (Fellows 2018); `value` should be a rate such as
    per_10k so that groups of different sizes compare.
    """
    rates = table.pivot_table(index="term", columns=by, values=value, aggfunc="sum", fill_value=0.0)
    excess = rates.sub(rates.mean(axis=1), axis=0)
    best = excess.idxmax(axis=1)
    weights = pd.DataFrame({"term": excess.index, by: best.to_numpy(), "weight": excess.max(axis=1).to_numpy()})
    return weights[weights.weight > 0].sort_values([by, "weight", "term"], ascending=[True, False, True])


def sector_mask(index: int, n: int, size: tuple[int, int] = CLOUD_SIZE, gap: float = 0.06) -> np.ndarray:
    """WordCloud mask (255 = keep out) leaving free the `index`-th of `n` sectors of an ellipse."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w]
    dx, dy = (x - w / 2) / (w / 2), (y - h / 2) / (h / 2)
    angle = (np.arctan2(dy, dx) + np.pi / 2 + np.pi / n * (n == 2)) % (2 * np.pi)  # two groups: top | bottom
    width = 2 * np.pi / n
    inside = (dx**2 + dy**2 <= 1) & (angle >= index * width + gap) & (angle <= (index + 1) * width - gap)
    return np.where(inside, 0, 255).astype(np.uint8)


def plot_comparison_cloud(
    table: pd.DataFrame, *, value: str, by: str = "year", max_words: int = 150, ax: Axes | None = None
) -> Axes:
    """Every group (year) in one cloud, each in its own sector and colour, terms sized by comparison_weights.

    A year gets its sector even when no term is above its average, so every year of the table shows. Past
    MAX_SECTORS groups only the latest are drawn, compared among themselves, and the title says so.
    """
    ax = ax if ax is not None else plt.figure(figsize=(7.0, 4.8)).add_subplot()
    groups, note = latest_groups(sorted(table[by].unique()), MAX_SECTORS)
    if len(groups) < 2:
        return note_axes(ax, ONE_GROUP_NOTE, title="Comparison cloud 对比词云")
    colors = group_colors(groups)
    weights = comparison_weights(table[table[by].isin(groups)], value=value, by=by)
    image = np.full((CLOUD_SIZE[1] * 2, CLOUD_SIZE[0] * 2, 3), 255, dtype=np.uint8)
    for i, g in enumerate(groups):
        rows = weights[weights[by].eq(g)].set_index("term").weight
        if len(rows):
            mask = sector_mask(i, len(groups))
            image = np.minimum(image, cloud_image(rows, color=colors[g], mask=mask, max_words=max_words // len(groups)))
    ax.imshow(image, interpolation="bilinear")
    for i, g in enumerate(groups):
        x, y = _sector_anchor(i, len(groups))
        ax.text(x, y, str(g), transform=ax.transAxes, ha="center", va="center", fontsize=12, color=colors[g])
    ax.set_axis_off()
    ax.set_title(f"Comparison cloud 对比词云: terms each year uses more than the others{note}", pad=22)
    return ax


def _sector_anchor(index: int, n: int) -> tuple[float, float]:
    """Where a sector's label sits, just outside the ellipse at the sector's middle angle (axes coordinates)."""
    angle = (index + 0.5) * 2 * np.pi / n - np.pi / 2 - np.pi / n * (n == 2)
    return 0.5 + 0.53 * np.cos(angle), 0.5 - 0.53 * np.sin(angle)
