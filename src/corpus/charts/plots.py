"""Charts of the analysis tables: bars, keyness, scatter, topics, themes and trends; each draws and returns axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from corpus.charts.style import NEUTRAL, group_color, group_colors, label_of, note_axes, tick_step
from corpus.tokens.gloss import glossed_labels

__all__ = [
    "ONE_GROUP_NOTE", "panels", "plot_answer_lengths", "plot_collocations", "plot_grouped_bars", "plot_heatmap",
    "plot_keyness", "plot_origin_themes", "plot_theme_shares", "plot_top_terms", "plot_topic_shares",
    "plot_topic_terms", "plot_trends", "theme_labels",
]  # fmt: skip

LEGEND_OUTSIDE = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0)}
TOPIC_COLOR = "#4E6E8E"  # one colour: topics are told apart by panel, and year colours stay for years
# Past these many groups a chart changes form (bars per group become a heatmap, panels a matrix), because
# 25 years of side-by-side bars or 25 panels cannot be read.
MAX_BARS_PER_ROW = 6
MAX_PANELS = 8
MAX_HEATMAP_WIDTH = 10.0
ONE_GROUP_NOTE = "Only one year (or document) in the corpus: nothing to compare.\n语料中只有一个年份，无从比较。"


def _axes(ax: Axes | None, size: tuple[float, float] | None = None) -> Axes:
    return ax if ax is not None else plt.figure(figsize=size).add_subplot()


def panels(
    n: int, *, width: float = 7.0, height: float = 4.2, ncols: int | None = None, sharex: bool = False
) -> list[Axes]:
    """A row (or grid) of `n` panels sharing one figure, for one chart per year or topic."""
    ncols = ncols or n
    nrows = -(-n // ncols)
    size = (width, height * nrows)
    _, grid = plt.subplots(nrows, ncols, figsize=size, squeeze=False, sharex=sharex, layout="constrained")
    for extra in grid.flat[n:]:
        extra.remove()
    return list(grid.flat[:n])


def plot_grouped_bars(table: pd.DataFrame, *, title: str = "", xlabel: str = "", ax: Axes | None = None) -> Axes:
    """Horizontal bars per row label (origin, role, topic ...) with one bar per year column, in the year's colour."""
    if table.shape[1] > MAX_BARS_PER_ROW:
        return plot_heatmap(table.set_axis([label_of(i) for i in table.index]), title=title, fmt="{:.2f}", ax=ax)
    rows, years = [label_of(i) for i in table.index], list(table.columns)
    colors = group_colors(years)
    ax = _axes(ax, (7.0, 0.25 * len(rows) * max(len(years), 2) + 1.0))
    height = 0.8 / max(len(years), 1)
    positions = np.arange(len(rows))
    for i, year in enumerate(years):
        offset = (i - (len(years) - 1) / 2) * height
        ax.barh(positions + offset, table[year].to_numpy(), height=height, color=colors[year], label=str(year))
    ax.set_yticks(positions, rows)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set(title=title, xlabel=xlabel)
    ax.legend(title="Year 年份", **LEGEND_OUTSIDE)
    return ax


def plot_answer_lengths(lengths: pd.DataFrame, *, value: str = "n_chars", ax: Axes | None = None) -> Axes:
    """Box plot of answer lengths per year with every answer as a dot (jitter fixed, so the chart is stable)."""
    ax = _axes(ax)
    years = sorted(lengths.year.unique())
    colors, many = group_colors(years), len(years) > MAX_PANELS
    data = [lengths.loc[lengths.year.eq(y), value].to_numpy() for y in years]
    ax.boxplot(data, positions=range(len(years)), widths=0.5, showfliers=False, medianprops={"color": "black"})
    rng = np.random.default_rng(0)
    for i, (year, values) in enumerate(zip(years, data, strict=True)):
        dots = {"s": 4, "alpha": 0.35} if many else {"s": 14, "alpha": 0.8}  # thousands of answers: a haze
        ax.scatter(i + rng.uniform(-0.15, 0.15, len(values)), values, color=colors[year], zorder=3, **dots)
    _year_ticks(ax, years, room=12)
    ax.grid(axis="x", visible=False)
    ax.set(title="Answer length per year 每年回答长度", xlabel="Year 年份", ylabel="Characters per answer 字数")
    return ax


def plot_top_terms(
    table: pd.DataFrame,
    *,
    value: str,
    by: str = "year",
    top: int = 15,
    xlabel: str = "",
    title: str = "",
    gloss: bool = False,
) -> list[Axes]:
    """One horizontal bar panel per group (year) with its top terms by `value`, side by side; `gloss=True` labels
    each term with its English (`疫苗 vaccine`)."""
    groups = sorted(table[by].unique())
    if len(groups) > MAX_PANELS:
        return [_top_terms_matrix(table, value=value, by=by, top=2 * top, title=title)]
    colors = group_colors(groups)
    width, ncols = max(3.0 * min(len(groups), 4), 4.5), min(len(groups), 4)
    # One scale for all years, so that bar lengths compare across panels.
    axes = panels(len(groups), width=width, height=0.22 * top + 1.2, ncols=ncols, sharex=True)
    for ax, g in zip(axes, groups, strict=True):
        rows = table[table[by].eq(g)].sort_values([value, "term"], ascending=[False, True], kind="stable")[:top]
        ax.barh(range(len(rows)), rows[value], color=colors[g])
        ax.set_yticks(range(len(rows)), glossed_labels(rows.term) if gloss else rows.term)
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.set(title=str(g), xlabel=xlabel)
    if title:
        axes[0].figure.suptitle(title, x=0.01, ha="left", fontsize=11)
    return axes


def _top_terms_matrix(table: pd.DataFrame, *, value: str, by: str, top: int, title: str) -> Axes:
    """Many groups: the `top` terms of all groups together as rows, groups as columns, `value` as shade."""
    totals = table.groupby("term")[value].sum().reset_index()
    chosen = totals.sort_values([value, "term"], ascending=[False, True], kind="stable").term[:top]
    wide = table[table.term.isin(chosen)].pivot_table(index="term", columns=by, values=value, aggfunc="sum")
    wide = wide.reindex(index=list(chosen)).fillna(0)
    note = f"{title} — top {len(chosen)} terms over {wide.shape[1]} groups".lstrip(" —")
    return plot_heatmap(wide, title=note, fmt="", ax=None)


def _year_ticks(ax: Axes, years: list, *, room: int, positions: list | None = None) -> None:
    """Label every year while they fit, else every k-th (the first always), so labels never overlap."""
    positions = list(range(len(years))) if positions is None else positions
    step = tick_step(len(years), room=room)
    labels = [str(y) if i % step == 0 else "" for i, y in enumerate(years)]
    ax.set_xticks(positions, labels)


def plot_keyness(
    table: pd.DataFrame,
    *,
    target: object,
    reference: object,
    top: int = 15,
    gloss: bool = False,
    ax: Axes | None = None,
) -> Axes:
    """Diverging bars of log ratio (Hardie 2014) for the terms with the largest G2 (Dunning 1993) either way;
    `gloss=True` labels each term with its English (`疫苗 vaccine`).

    Solid bars are significant after the table's adjustment (`significant`, p_adjusted < 0.05); light hatched bars
    are not, and a note says so when none is.
    """
    ax = _axes(ax, (7.0, 0.2 * 2 * top + 1.5))
    if table.empty:
        return note_axes(ax, ONE_GROUP_NOTE, title="Keyness 关键词")
    over = table[table.log_ratio > 0].sort_values(["g2", "term"], ascending=[False, True], kind="stable")[:top]
    under = table[table.log_ratio < 0].sort_values(["g2", "term"], ascending=[False, True], kind="stable")[:top]
    rows = pd.concat([over.sort_values("log_ratio", ascending=False), under.sort_values("log_ratio", ascending=False)])
    colors = [group_color(target) if lr > 0 else group_color(reference) for lr in rows.log_ratio]
    significant = rows.significant.to_numpy(bool) if "significant" in rows else np.ones(len(rows), bool)
    bars = ax.barh(range(len(rows)), rows.log_ratio, color=colors)
    for bar, sure in zip(bars, significant, strict=True):
        if not sure:
            bar.set(alpha=0.35, hatch="///", edgecolor=bar.get_facecolor())
    for y, (lr, g2) in enumerate(zip(rows.log_ratio, rows.g2, strict=True)):
        ax.text(lr, y, f" G²={g2:.0f} ", va="center", ha="left" if lr > 0 else "right", fontsize=6.5, color=NEUTRAL)
    ax.set_yticks(range(len(rows)), glossed_labels(rows.term) if gloss else rows.term)
    ax.invert_yaxis()
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.grid(axis="y", visible=False)
    ax.margins(x=0.2)
    adjusted = str(rows.correction.iloc[0]) if "correction" in rows and len(rows) else "the adjustment"
    note = (
        f"Solid: significant after {adjusted} (p < 0.05); light, hatched: not. 实心：校正后显著"
        if significant.any()
        else f"No term is significant after {adjusted}: read the bars as description. 校正后无显著词"
    )
    ax.set(
        title=f"Keyness 关键词: {target} vs {reference}",
        xlabel=f"Log ratio (Hardie 2014): ← more in {reference} · more in {target} →\n{note}",
    )
    return ax


def theme_labels(table: pd.DataFrame, *, english: bool = True) -> pd.Series:
    """'疫情与公共卫生' over 'Pandemic and public health' from name_zh and name_en where given, else the theme id."""
    if "name_zh" not in table.columns:
        return table.theme.astype(str)
    return table.name_zh + "\n" + table.name_en if english and "name_en" in table.columns else table.name_zh


def plot_theme_shares(table: pd.DataFrame, *, gloss: bool = True, ax: Axes | None = None) -> Axes:
    """Dots with 95% interval whiskers: each theme's mentions per 10,000 tokens per year, themes in lexicon order;
    `gloss=True` puts the theme's English name under the Chinese.

    Hollow dots mark rates whose interval the coverage benchmark does not vouch for (`low_dispersion`: the theme sits
    in one or a few answers), when the table has that column.
    """
    table = table.assign(label=theme_labels(table, english=gloss))
    themes = list(dict.fromkeys(table.label))
    if table.year.nunique() > MAX_BARS_PER_ROW:  # 25 dots per theme cannot be told apart: rate as shade instead
        wide = table.pivot_table(index="label", columns="year", values="per_10k", aggfunc="sum").reindex(themes)
        return plot_heatmap(
            wide, title="Theme words per 10,000 tokens per year 主题占比 (intervals: see the table)", ax=ax
        )
    ax = _axes(ax, (7.0, 0.15 * len(themes) * max(len(table.year.unique()), 3) + 1.2))
    years = sorted(table.year.unique())
    colors = group_colors(years)
    step = 0.7 / max(len(years), 1)
    for i, year in enumerate(years):
        rows = table[table.year.eq(year)].set_index("label").reindex(themes)
        y = np.arange(len(themes)) + (i - (len(years) - 1) / 2) * step
        err = [rows.per_10k - rows.ci_low, rows.ci_high - rows.per_10k]
        ax.errorbar(rows.per_10k, y, xerr=err, fmt="o", ms=4, color=colors[year], label=str(year), capsize=2)
        if "low_dispersion" in rows:
            flagged = rows.low_dispersion.fillna(False).to_numpy(bool)
            ax.plot(rows.per_10k[flagged], y[flagged], "o", ms=4, color="white", markeredgecolor=colors[year])
    ax.set_yticks(range(len(themes)), themes)
    ax.invert_yaxis()
    ax.set(title="Theme shares per year 主题占比 (95% CI)", xlabel="Theme words per 10,000 tokens 每万词")
    if "low_dispersion" in table and table.low_dispersion.any():
        note = "Hollow: mentions clustered in few answers, interval less reliable. 空心：集中于少数回答"
        ax.set_xlabel(f"{ax.get_xlabel()}\n{note}")
    ax.legend(title="Year 年份", **LEGEND_OUTSIDE)
    return ax


def plot_heatmap(table: pd.DataFrame, *, title: str = "", fmt: str = "{:.0f}", ax: Axes | None = None) -> Axes:
    """An annotated heatmap of a wide table (rows x columns), e.g. outlet origin x theme."""
    ax = _axes(ax, (min(max(0.6 * table.shape[1] + 2.5, 5.0), MAX_HEATMAP_WIDTH), 0.3 * table.shape[0] + 1.5))
    values = table.to_numpy(dtype=float)
    annotate = table.shape[1] <= 12  # past a dozen columns the numbers would not fit their cells: shade only
    image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
    peak = np.nanmax(values) if values.size else 0
    for (r, c), v in np.ndenumerate(values):
        if not (annotate and fmt and v):  # empty cells stay empty, so the eye goes to what is there
            continue
        ink = "white" if v > peak * 0.6 else "black"
        ax.text(c, r, fmt.format(v), ha="center", va="center", fontsize=7.5, color=ink)
    columns = list(table.columns)
    if all(isinstance(c, (int, np.integer)) for c in columns):  # years: upright, thinned when many
        _year_ticks(ax, columns, room=14)
    else:
        ax.set_xticks(range(table.shape[1]), [label_of(c) for c in columns], rotation=40, ha="right")
    ax.set_yticks(range(table.shape[0]), [label_of(r) for r in table.index])
    ax.grid(False)
    ax.spines[:].set_visible(False)
    ax.figure.colorbar(image, ax=ax, shrink=0.8)
    ax.set_title(title)
    return ax


def plot_origin_themes(
    table: pd.DataFrame, *, value: str = "share", gloss: bool = False, ax: Axes | None = None
) -> Axes:
    """Heatmap of which outlet origins ask about which theme (rows origin, columns theme; share shown in %)."""
    table = table.assign(label=theme_labels(table, english=gloss))
    wide = table.pivot_table(index="origin", columns="label", values=value, aggfunc="sum", sort=False)
    wide = wide.reindex(columns=list(dict.fromkeys(table.label)))
    if "questions_total" in table.columns:  # a share means little without the number of questions behind it
        totals = table.drop_duplicates("origin").set_index("origin").questions_total
        wide.index = [f"{label_of(o)} (n={totals[o]})" for o in wide.index]
    percent = value == "share"
    title = "Themes by outlet origin 提问来源与主题" + (" (% of that origin's questions)" if percent else "")
    return plot_heatmap(wide * 100 if percent else wide, title=title, fmt="{:.0f}%" if percent else "{:.0f}", ax=ax)


def plot_trends(table: pd.DataFrame, *, value: str, by: str, title: str = "", ylabel: str = "") -> list[Axes]:
    """Small multiples, one panel per group (theme, term): its value across years, points in year colours,
    a grey band for the 95% interval when the table has ci_low and ci_high."""
    years = sorted(table.year.unique())
    if len(years) < 3:
        note = f"Trends need three or more years; this corpus has {len(years)}.\n趋势图需要至少三个年份。"
        return [note_axes(_axes(None, (7.0, 1.2)), note, title=title)]
    names = list(dict.fromkeys(table[by]))
    colors = group_colors(years)
    axes = panels(len(names), width=7.0, height=1.6, ncols=min(len(names), 4), sharex=True)
    for ax, name in zip(axes, names, strict=True):
        rows = table[table[by].eq(name)].sort_values("year", kind="stable")
        if {"ci_low", "ci_high"} <= set(rows):
            ax.fill_between(rows.year, rows.ci_low, rows.ci_high, color="#DDDDDD", linewidth=0)
        ax.plot(rows.year, rows[value], color=TOPIC_COLOR, linewidth=1.2, zorder=2)
        ax.scatter(rows.year, rows[value], c=[colors[y] for y in rows.year], s=14, zorder=3)
        step = tick_step(len(years), room=5)
        ax.set_xticks(years[::step], [f"'{y % 100:02d}" if len(years) > 4 else str(y) for y in years[::step]])
        ax.tick_params(labelsize=7)
        ax.set_title(label_of(name), fontsize=8.5)
    axes[0].figure.suptitle(f"{title} ({ylabel})" if ylabel else title, x=0.01, ha="left", fontsize=11)
    return axes


def plot_topic_terms(table: pd.DataFrame, *, top: int = 8, ncols: int = 3) -> list[Axes]:
    """One small bar panel per topic with its top terms by weight (columns topic, label, term, weight)."""
    topics = sorted(table.topic.unique())
    axes = panels(len(topics), width=7.0, height=0.2 * top + 0.9, ncols=min(ncols, len(topics)))
    for ax, topic in zip(axes, topics, strict=True):
        rows = table[table.topic.eq(topic)].sort_values(["weight", "term"], ascending=[False, True], kind="stable")
        rows = rows[:top]
        ax.barh(range(len(rows)), rows.weight, color=TOPIC_COLOR)
        ax.set_yticks(range(len(rows)), rows.term)
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(f"T{topic}", fontsize=9)
    axes[0].figure.suptitle("Topic terms 主题词 (NMF weights)", x=0.01, ha="left", fontsize=11)
    return axes


def plot_topic_shares(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Share of each topic per year (columns topic, label, year, share) as grouped bars in year colours."""
    names = table.drop_duplicates("topic").sort_values("topic", kind="stable")
    wide = table.pivot_table(index="topic", columns="year", values="share", aggfunc="sum", fill_value=0.0)
    wide.index = [f"T{t} {label}" for t, label in zip(names.topic, names.label, strict=True)]
    ax = _axes(ax, (7.0, 0.4 * len(wide) + 1.2))
    return plot_grouped_bars(
        wide, title="Topic share per year 各年主题占比", xlabel="Share of answers' topic weight", ax=ax
    )


def plot_collocations(table: pd.DataFrame, *, top: int = 10) -> list[Axes]:
    """One panel per node term: its collocates by logDice (Rychlý 2008), the co-occurrence count beside each bar."""
    nodes = list(dict.fromkeys(table.node))
    if not nodes:
        return [note_axes(_axes(None, (5.0, 1.5)), "No collocates above the frequency floor. 无搭配词。")]
    axes = panels(len(nodes), width=min(3.5 * len(nodes), 9.0), height=0.22 * top + 1.0, ncols=min(len(nodes), 3))
    for ax, node in zip(axes, nodes, strict=True):
        rows = table[table.node.eq(node) & table.collocate.ne(node)]
        rows = rows.sort_values(["logdice", "collocate"], ascending=[False, True], kind="stable")[:top]
        ax.scatter(rows.logdice, range(len(rows)), color=TOPIC_COLOR, s=18, zorder=3)
        for y, (score, freq) in enumerate(zip(rows.logdice, rows.freq, strict=True)):
            ax.text(score, y, f"  {freq}", va="center", fontsize=7, color=NEUTRAL)
        ax.set_yticks(range(len(rows)), rows.collocate)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlim((rows.logdice.min() if len(rows) else 10) - 1, 14.5)  # logDice tops out at 14
        ax.set(title=node, xlabel="logDice")
    axes[0].figure.suptitle("Collocates 搭配词 (window ±5 words; number = co-occurrences)", x=0.01, ha="left")
    return axes
