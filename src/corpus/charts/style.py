"""How every chart looks: the publication rc settings, colour-blind-safe palettes and one colour per year."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import matplotlib as mpl
from cycler import cycler
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_hex

from corpus.charts.fonts import SC_FAMILY, cjk_font_path

__all__ = [
    "INK", "LABELS", "NEUTRAL", "OKABE_ITO", "diverging_cmap", "group_color", "group_colors", "label_of",
    "note_axes", "publication_style", "tick_step", "use_cjk_font", "use_style", "year_color", "year_colors",
]  # fmt: skip

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "reddish_purple": "#CC79A7",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "black": "#000000",
    "yellow": "#F0E442",
}
YEAR_PALETTE = tuple(OKABE_ITO.values())
# Years are coloured by their value, not their place in a chart, so 2021 has one colour in every chart.
YEAR_ANCHOR = 2020
# Matplotlib's 'tableau-colorblind10' (Tableau's colour-blind palette) for themes, its greys moved last.
CATEGORY_PALETTE = (
    "#006BA4",
    "#FF800E",
    "#5F9ED1",
    "#C85200",
    "#A2C8EC",
    "#FFBC79",
    "#595959",
    "#898989",
    "#ABABAB",
    "#CFCFCF",
)
# Chinese first, English for a paper's reader; codes not listed here print as they are.
LABELS = {
    "mainland": "内地 Mainland",
    "hk_macao_taiwan": "港澳台 HK, Macao, Taiwan",
    "foreign": "外国 Foreign",
    "unknown": "未知 Unknown",
    "narration": "叙述 Narration",
    "opening": "开场 Opening",
    "question": "提问 Questions",
    "answer": "回答 Answers",
    "closing": "结束语 Closing",
}
NEUTRAL = "#8C8C8C"
INK = "#222222"

STYLE = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "savefig.dpi": 300,
    "savefig.facecolor": "white",
    "font.family": [SC_FAMILY, "DejaVu Sans"],  # DejaVu only for the few symbols the CJK face lacks (e.g. ₂)
    "font.sans-serif": [SC_FAMILY, "DejaVu Sans"],
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "axes.prop_cycle": cycler(color=CATEGORY_PALETTE),
    "grid.color": "#E6E6E6",
    "grid.linewidth": 0.6,
    "xtick.color": "#555555",
    "ytick.color": "#555555",
    "text.color": INK,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "image.cmap": "cividis",
    # Type 3 glyph outlines: fast (0.3 s a chart). A journal that refuses Type 3 fonts gets Type 42 (embedded
    # font subset, searchable text) with rcParams["pdf.fonttype"] = 42 before saving, at ~1.2 s a chart.
    "pdf.fonttype": 3,
    "svg.fonttype": "path",  # glyphs as outlines: the SVG shows Chinese on machines without the font
    "figure.max_open_warning": 0,  # notebooks run under Agg (nbmake) keep every chart open; that is fine
}


def use_cjk_font() -> str:
    """Register the Simplified Chinese face with matplotlib (once) and return its family name."""
    path = str(cjk_font_path())
    if all(entry.fname != path for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    return SC_FAMILY


def use_style() -> None:
    """Register the CJK font and apply the publication style to every chart drawn after this call."""
    use_cjk_font()
    mpl.rcParams.update(STYLE)


@contextmanager
def publication_style() -> Iterator[None]:
    """The publication style (and the CJK font) for the charts drawn inside the `with` block only."""
    use_cjk_font()
    with mpl.rc_context(STYLE):
        yield


def year_color(year: int) -> str:
    """The colour of a year, the same in every chart whatever other years it shows."""
    return YEAR_PALETTE[(int(year) - YEAR_ANCHOR) % len(YEAR_PALETTE)]


def year_colors(years: Iterable[int]) -> dict[int, str]:
    """Colour per year, as a mapping for legends and bars."""
    return {int(year): year_color(year) for year in years}


def group_color(group: object) -> str:
    """A year's colour when the group is one year, a neutral grey for pooled groups ('2018–2020', 'others')."""
    return year_color(group) if _is_year(group) else NEUTRAL


def group_colors(groups: Iterable[object]) -> dict[object, str]:
    """A distinct colour per group, in the groups' order.

    Years keep their fixed colour (`year_color`) while no two of them share one (up to 8 years, none 8 apart);
    more years take a sequential scale (cividis, colour-blind safe) in time order, so neighbouring years get
    neighbouring shades and no colour repeats. Other groups (speakers, events, periods) take the categorical
    palette while it lasts, then the same sequential scale.
    """
    groups = list(dict.fromkeys(groups))
    if all(_is_year(g) for g in groups):
        fixed = {g: year_color(g) for g in groups}
        if len(set(fixed.values())) == len(groups):
            return fixed
        groups = sorted(groups, key=int)
    elif len(groups) <= len(CATEGORY_PALETTE):
        return {g: group_color(g) if _is_year(g) else CATEGORY_PALETTE[i] for i, g in enumerate(groups)}
    cmap = mpl.colormaps["cividis"]
    steps = [0.5] if len(groups) == 1 else [0.05 + 0.85 * i / (len(groups) - 1) for i in range(len(groups))]
    return {g: to_hex(cmap(x)) for g, x in zip(groups, steps, strict=True)}


def tick_step(n: int, *, room: int) -> int:
    """Every how many ticks to label so that at most `room` of `n` labels show (1: all)."""
    return max(1, -(-n // max(room, 1)))


def diverging_cmap(low: object, high: object) -> LinearSegmentedColormap:
    """A colour map from one group's colour through light grey to the other's (e.g. reference -> target)."""
    return LinearSegmentedColormap.from_list("groups", [group_color(low), "#DDDDDD", group_color(high)])


def note_axes(ax: Axes, text: str, *, title: str = "") -> Axes:
    """An empty panel, titled as the chart it replaces, that says why there is no chart (e.g. one year only)."""
    ax.set_axis_off()
    ax.set_title(title)
    if len(ax.figure.axes) == 1:  # a figure of its own: shrink it to a strip, not a page of white
        ax.figure.set_size_inches(ax.figure.get_figwidth(), 1.2)
        ax.figure.placeholder = text  # a note, not a chart: save_figure shows it and exports nothing
    ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True, color=NEUTRAL, transform=ax.transAxes)
    return ax


def label_of(value: object) -> str:
    """The bilingual label of a code (origin, role), or the value itself as text."""
    return LABELS.get(value, str(value)) if isinstance(value, str) else str(value)


def _is_year(value: object) -> bool:
    try:
        return 1000 <= int(value) <= 9999 and str(int(value)) == str(value).strip()
    except (TypeError, ValueError):
        return False
