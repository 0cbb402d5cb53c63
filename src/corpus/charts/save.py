"""Saving charts: every figure as PNG (300 dpi), SVG and PDF under stable names, atomically and reproducibly."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from corpus.store import atomic_write

FORMATS = ("png", "svg", "pdf")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


def figure_title(fig: Figure) -> str:
    """The figure's suptitle, else its first axes title, else ''; kept in each file's metadata."""
    if fig._suptitle is not None and fig._suptitle.get_text():
        return fig._suptitle.get_text()
    titles = [t for ax in fig.axes for t in (ax.get_title("left"), ax.get_title(), ax.get_title("right")) if t]
    return titles[0] if titles else ""


def _metadata(fmt: str, title: str) -> dict:
    # No dates and no version strings: the same chart gives the same bytes on every run.
    return {
        "png": {"Title": title, "Software": None},
        "svg": {"Title": title, "Date": None, "Creator": None},
        "pdf": {"Title": title, "CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    }[fmt]


def save_figure(fig: Figure, name: str, *, directory: Path, dpi: int = 300) -> list[Path]:
    """Write `name`.png/.svg/.pdf into `directory` (created if needed) and return the three paths."""
    if not _NAME.match(name):
        raise ValueError(f"figure name {name!r}: use lower-case ASCII letters, digits, '_' and '-' (e.g. 02_wordcloud)")
    title, written = figure_title(fig), []
    for fmt in FORMATS:
        path = Path(directory) / f"{name}.{fmt}"
        with mpl.rc_context({"svg.hashsalt": name}):  # fixed SVG ids instead of random ones
            atomic_write(
                path,
                lambda tmp, fmt=fmt: fig.savefig(
                    tmp, format=fmt, dpi=dpi, bbox_inches="tight", metadata=_metadata(fmt, title)
                ),
            )
        written.append(path)
    return written
