"""The formulation timeline chart: formulations as rows, years (or any groups) as columns, marks sized by use."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from corpus.charts.style import INK, NEUTRAL, OKABE_ITO, label_of, note_axes

__all__ = ["VARIANT_COLORS", "plot_formulation_timeline", "timeline_rows"]

# Colour of the form a group used in a column: its most used form overall, the second, any other.
VARIANT_COLORS = (OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["green"], NEUTRAL)
VARIANT_LABELS = ("main form 主要提法", "2nd form 第二变体", "3rd form 第三变体", "other form 其他变体")
MAX_AREA = 260.0  # points², the largest mark: a column 0.3 inch wide holds it without touching its neighbours
NO_TIMELINE = "No formulation to show.\n没有可显示的提法。"


def timeline_rows(timeline: pd.DataFrame, *, by: str = "year", top: int | None = 30) -> list[str]:
    """The groups the chart shows, in its row order: the `top` most used, ordered by the first column they appear
    in, then most used, then group."""
    totals = timeline.groupby("group")["count"].sum()
    chosen = totals.sort_index().sort_values(ascending=False, kind="stable")
    chosen = chosen if top is None else chosen.iloc[:top]
    first = timeline[timeline.group.isin(chosen.index)].groupby("group")[by].min()
    order = pd.DataFrame({"first": first, "total": chosen}).sort_values(
        ["first", "total"], ascending=[True, False], kind="stable"
    )
    return [str(g) for g in order.index]


def _row_label(group: str, en: str) -> str:
    return f"{group}  {en}" if en else group


def plot_formulation_timeline(
    timeline: pd.DataFrame, *, by: str = "year", top: int | None = 30, english: bool = True, ax: Axes | None = None
) -> Axes:
    """Dot timeline of formulations (from analysis.formulations.formulation_timeline): one row per formulation,
    one column per `by` group; a mark's area is the count in that column (the largest mark, the largest count),
    its colour which of the group's forms was used most there (its main form, the second, the third, another).
    Rows: the `top` most used, in order of first appearance; labels Chinese with the English rendering."""
    if timeline.empty:
        return note_axes(ax or plt.figure().add_subplot(), NO_TIMELINE, title="Formulations 提法")
    rows = timeline_rows(timeline, by=by, top=top)
    columns = sorted(timeline[by].unique())
    shown = timeline[timeline.group.isin(rows)]
    english_of = shown.drop_duplicates("group").set_index("group").en if english else pd.Series(dtype=str)
    labels = [_row_label(g, str(english_of.get(g, "") or "")) for g in rows]
    longest = max(len(label) for label in labels)
    if ax is None:
        width = min(2.0 + 0.09 * longest + 0.32 * len(columns) + 1.6, 16.0)
        ax = plt.figure(figsize=(width, 0.27 * len(rows) + 1.6), layout="constrained").add_subplot()
    x = shown[by].map({c: i for i, c in enumerate(columns)}).to_numpy()
    y = shown.group.map({g: i for i, g in enumerate(rows)}).to_numpy()
    peak = shown["count"].max()
    area = MAX_AREA * shown["count"].to_numpy() / peak
    rank = np.minimum(shown.variant_rank.to_numpy(int), len(VARIANT_COLORS)) - 1
    ax.scatter(x, y, s=area, c=[VARIANT_COLORS[r] for r in rank], edgecolors="white", linewidths=0.5, zorder=3)
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xticks(range(len(columns)), [label_of(c) for c in columns], rotation=90 if len(columns) > 8 else 0)
    ax.set_xlim(-0.6, len(columns) - 0.4)
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", color="#EEEEEE", linewidth=0.6)
    title_by = "Year 年份" if by == "year" else str(by)
    ax.set(title="Formulations over time 提法时间线", xlabel=title_by)
    ax.legend(handles=_legend(peak, sorted(set(rank))), loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def _legend(peak: int, ranks: list[int]) -> list[Line2D]:
    """Legend entries: the variant colours used, then open marks for a few counts up to the peak."""
    handles = [Line2D([], [], ls="", marker="o", ms=7, color=VARIANT_COLORS[r], label=VARIANT_LABELS[r]) for r in ranks]
    steps = sorted({1, max(round(peak / 2), 1), int(peak)})
    handles += [
        Line2D([], [], ls="", marker="o", ms=float(np.sqrt(MAX_AREA * s / peak)), mfc="none", color=INK, label=f"{s}×")
        for s in steps
    ]
    return handles
