"""A scattertext-style chart: every term's frequency in two groups on log axes, the most distinctive labelled."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import Bbox

from corpus.charts.plots import ONE_GROUP_NOTE
from corpus.charts.style import INK, diverging_cmap, note_axes
from corpus.tokens.gloss import glossed_labels

__all__ = ["label_choice", "place_labels", "plot_frequency_scatter", "rates"]

HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]  # labels stay legible over the dots
# Label positions tried in turn (offset in points, alignment) before a label is dropped for lack of room.
OFFSETS = ((4, 3, "left", "bottom"), (-4, 3, "right", "bottom"), (4, -3, "left", "top"), (-4, -3, "right", "top"))


def rates(table: pd.DataFrame) -> pd.DataFrame:
    """Per-10,000 rates of a keyness table (freq_/n_ target and reference), zeros moved to a floor for log axes."""
    x = table.freq_reference / table.n_reference * 10_000
    y = table.freq_target / table.n_target * 10_000
    floor = 0.5 * min(x[x > 0].min(), y[y > 0].min())
    # Fixed jitter of +-12% so that terms with the same small counts do not hide behind each other.
    rng = np.random.default_rng(0)
    jitter = np.exp(rng.uniform(-0.12, 0.12, (2, len(table))))
    return table.assign(x=x.clip(lower=floor) * jitter[0], y=y.clip(lower=floor) * jitter[1], floor=floor)


def label_choice(table: pd.DataFrame, *, top: int) -> pd.DataFrame:
    """The terms worth a label, in priority order: the most over- and under-used by G2, then the most frequent."""
    by_g2 = table.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    over, under = by_g2[by_g2.log_ratio > 0][: top // 2], by_g2[by_g2.log_ratio < 0][: top // 2]
    common = table.assign(total=table.freq_target + table.freq_reference)
    common = common.sort_values(["total", "term"], ascending=[False, True], kind="stable")[: top // 3]
    picked = pd.concat([pd.concat([over, under]).sort_values("g2", ascending=False, kind="stable"), common])
    return picked.drop_duplicates("term")


def place_labels(ax: Axes, rows: pd.DataFrame, *, fontsize: float = 7.5) -> int:
    """Label rows (x, y, term) greedily, skipping any label that would overlap one already placed; returns the count."""
    renderer = ax.figure.canvas.get_renderer()
    frame, placed = ax.get_window_extent(renderer), []
    for row in rows.itertuples():
        for dx, dy, ha, va in OFFSETS:
            text = ax.annotate(
                row.term,
                (row.x, row.y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=fontsize,
                color=INK,
                path_effects=HALO,
            )
            box = text.get_window_extent(renderer).padded(1.5)
            if _fits(box, frame, placed):
                placed.append(box)
                break
            text.remove()
    return len(placed)


def _fits(box: Bbox, frame: Bbox, placed: list[Bbox]) -> bool:
    return (
        frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1) and not any(box.overlaps(b) for b in placed)
    )


def plot_frequency_scatter(
    table: pd.DataFrame,
    *,
    target: object,
    reference: object,
    labels: int = 30,
    gloss: bool = False,
    ax: Axes | None = None,
) -> Axes:
    """Every term at (rate in reference, rate in target), coloured by log ratio; the diagonal is equal use.
    `gloss=True` labels terms with their English (`疫苗 vaccine`)."""
    ax = ax if ax is not None else plt.figure(figsize=(7.0, 6.0)).add_subplot()
    if table.empty:
        return note_axes(ax, ONE_GROUP_NOTE, title="Term frequencies 词频对照")
    points = rates(table)
    ax.set(xscale="log", yscale="log")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))  # 10 and 100, not 10¹ and 10²
    low, high = points.floor.iloc[0] * 0.8, max(points.x.max(), points.y.max()) * 1.6
    ax.set(xlim=(low, high), ylim=(low, high))
    ax.plot([low, high], [low, high], color="#999999", linewidth=0.8, zorder=1)
    order = points.sort_values("log_ratio", key=abs, kind="stable")  # distinctive terms drawn on top
    dots = ax.scatter(
        order.x,
        order.y,
        c=order.log_ratio.clip(-4, 4),
        cmap=diverging_cmap(reference, target),
        vmin=-4,
        vmax=4,
        s=9,
        alpha=0.75,
        linewidths=0,
        zorder=2,
    )
    ax.figure.colorbar(dots, ax=ax, shrink=0.7, label=f"Log ratio: ← {reference} · {target} →")
    chosen = label_choice(points, top=labels)
    place_labels(ax, chosen.assign(term=glossed_labels(chosen.term, width=16)) if gloss else chosen)
    ax.set(
        title=f"Term frequencies 词频对照: {target} vs {reference}",
        xlabel=f"{reference}: per 10,000 tokens 每万词 (log)",
        ylabel=f"{target}: per 10,000 tokens 每万词 (log)",
    )
    return ax
