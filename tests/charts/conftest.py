"""Every chart test draws in the publication style with the CJK font, and closes its figures afterwards."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from corpus.charts import style


@pytest.fixture(autouse=True)
def _publication_style():
    with style.publication_style():
        yield
    plt.close("all")


def draw_strictly(fig) -> None:
    """Render a figure with every warning (matplotlib's 'Glyph ... missing from font(s)' above all) an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()
