"""Charts: Chinese drawn in the Simplified Chinese face with no missing glyph, saved in three formats, stable."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from PIL import Image

from corpus.analysis.keyness import keyness
from corpus.analysis.overview import with_year
from corpus.charts import clouds, fonts, plots, scatter, style
from corpus.charts.save import save_figure
from corpus.dataset.build import build
from corpus.errors import CorpusError
from corpus.paths import get_paths
from corpus.store import read_table
from tests.charts.conftest import draw_strictly
from tests.conftest import make_project

CHINESE = "中国 疫情 多边主义 人类命运共同体 一带一路 港澳台"


def test_font_is_the_simplified_chinese_face() -> None:
    font = TTFont(fonts.cjk_font_path(), lazy=True)
    assert font["name"].getDebugName(1) == "Noto Sans CJK SC"
    assert all(ord(ch) in font.getBestCmap() for ch in CHINESE.replace(" ", ""))
    font.close()


def test_chinese_labels_draw_in_the_cjk_face_without_missing_glyphs() -> None:
    fig, ax = plt.subplots()
    title = ax.set_title(f"Keyness 关键词 {CHINESE} −1.5")
    ax.set_yticks([0, 1], ["疫苗", "新疆"])
    draw_strictly(fig)
    used = font_manager.findfont(title.get_fontproperties(), fallback_to_default=False)
    assert Path(used) == fonts.cjk_font_path()
    assert Path(font_manager.findfont(ax.get_yticklabels()[0].get_fontproperties())) == fonts.cjk_font_path()


def test_the_strict_check_fails_without_the_cjk_font() -> None:
    """The check above can fail: with a Latin-only font matplotlib warns about each missing glyph."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("中国")
        with pytest.raises(UserWarning, match="missing from font"):
            draw_strictly(fig)


def test_no_cjk_font_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setattr(fonts, "font_collections", lambda: [])
    fonts.cjk_font_path.cache_clear()
    try:
        with pytest.raises(CorpusError, match="no CJK font found"):
            fonts.cjk_font_path()
    finally:
        monkeypatch.undo()
        fonts.cjk_font_path.cache_clear()


def test_extract_face_refuses_a_family_the_collection_lacks(tmp_path) -> None:
    with pytest.raises(CorpusError, match="no face named"):
        fonts.extract_face(fonts.font_collections()[0], "Noto Sans CJK XX", tmp_path)


def test_subset_font_keeps_only_the_page_characters_under_its_own_name() -> None:
    data = fonts.subset_font("中国疫情", family="Page Font", flavor=None)
    font = TTFont(io.BytesIO(data))
    assert {ord(c) for c in "中国疫情"} <= set(font.getBestCmap())
    assert ord("苗") not in font.getBestCmap() and len(data) < 100_000
    assert font["name"].getDebugName(1) == "Page Font"
    assert fonts.subset_font("中国疫情", family="Page Font", flavor=None) == data, "no timestamp: same bytes"


@pytest.mark.parametrize(
    ("years", "distinct"),
    [([2020, 2021], 2), (list(range(2018, 2026)), 8), ([2021], 1)],
)
def test_each_year_has_its_own_colour_whatever_the_chart(years, distinct) -> None:
    colors = style.year_colors(years)
    assert len(set(colors.values())) == distinct
    assert all(style.year_color(y) == style.year_colors([y, 1999])[y] for y in years)
    assert style.group_color("2018–2020") == style.NEUTRAL and style.group_color(2021) == style.year_color(2021)


def test_save_figure_writes_png_svg_pdf_reproducibly(tmp_path) -> None:
    fig, ax = plt.subplots()
    ax.bar(["疫情", "疫苗"], [3, 5])
    ax.set_title("Frequencies 词频")
    first = save_figure(fig, "02_frequency_bars", directory=tmp_path / "figures")
    assert [p.name for p in first] == ["02_frequency_bars.png", "02_frequency_bars.svg", "02_frequency_bars.pdf"]
    before = [p.read_bytes() for p in first]
    save_figure(fig, "02_frequency_bars", directory=tmp_path / "figures")
    assert [p.read_bytes() for p in first] == before, "same figure, same bytes"
    png = Image.open(first[0])
    assert round(png.info["dpi"][0]) == 300 and png.info["Title"] == "Frequencies 词频"
    assert before[1].startswith(b"<?xml") and before[2].startswith(b"%PDF")
    assert not list((tmp_path / "figures").glob("*.tmp"))


@pytest.mark.parametrize("name", ["", "词频", "Keyness Chart", "../escape", "a/b"])
def test_save_figure_refuses_unstable_names(tmp_path, name) -> None:
    with pytest.raises(ValueError, match="figure name"):
        save_figure(plt.figure(), name, directory=tmp_path)


def test_word_cloud_draws_glyphs_not_boxes() -> None:
    """Two different words give different images; as empty boxes (no CJK font) they would look the same."""
    first = clouds.cloud_image(pd.Series({"疫情": 1.0}), color="#000000")
    second = clouds.cloud_image(pd.Series({"疫苗": 1.0}), color="#000000")
    ink = (first < 128).any(axis=2)
    assert ink.mean() > 0.01
    assert ((first < 128) != (second < 128)).any(axis=2).mean() > 0.001


@pytest.fixture(scope="module")
def frequencies(tmp_path_factory) -> pd.DataFrame:
    """Words per year in the seeds' answers (count and per 10,000), from the real token table."""
    root = make_project(tmp_path_factory.mktemp("seeds"))
    paths = get_paths(root)
    build(paths)
    tokens = read_table(paths.processed, "tokens")
    tokens = with_year(tokens[~tokens.is_stopword & tokens.role.eq("answer")], read_table(paths.processed, "documents"))
    table = tokens.groupby(["year", "token"]).size().rename("count").reset_index().rename(columns={"token": "term"})
    return table.assign(per_10k=table["count"] / table.groupby("year")["count"].transform("sum") * 10_000)


def test_charts_of_the_seeds_draw_every_year_in_its_colour(frequencies) -> None:
    axes = plots.plot_top_terms(frequencies, value="per_10k", top=10, title="Most frequent 高频词")
    draw_strictly(axes[0].figure)
    assert [ax.get_title("left") for ax in axes] == ["2020", "2021"]
    assert [ax.patches[0].get_facecolor()[:3] for ax in axes] == [
        matplotlib.colors.to_rgb(style.year_color(y)) for y in (2020, 2021)
    ]
    assert axes[0].get_yticklabels()[0].get_text() == "中国"


def test_comparison_cloud_gives_each_year_its_own_terms(frequencies) -> None:
    weights = clouds.comparison_weights(frequencies, value="per_10k")
    assert weights.term.is_unique
    top = weights.sort_values("weight", ascending=False).drop_duplicates("year").set_index("year").term
    assert top[2020] == "疫情" and top[2021] == "疫苗"
    ax = clouds.plot_comparison_cloud(frequencies, value="per_10k")
    draw_strictly(ax.figure)
    assert [t.get_text() for t in ax.texts] == ["2020", "2021"]


def test_comparison_cloud_keeps_a_sector_for_every_year(frequencies) -> None:
    """A third year identical to 2021 over-uses nothing (ties go to 2021), yet it keeps its labelled sector."""
    three = pd.concat([frequencies, frequencies[frequencies.year.eq(2021)].assign(year=2022)])
    assert 2022 not in set(clouds.comparison_weights(three, value="per_10k").year)
    ax = clouds.plot_comparison_cloud(three, value="per_10k")
    assert [t.get_text() for t in ax.texts] == ["2020", "2021", "2022"]
    assert [t.get_color() for t in ax.texts] == [style.year_color(y) for y in (2020, 2021, 2022)]


@pytest.mark.parametrize(
    ("rates", "expected"),
    [
        # term: (rate in 2020, rate in 2021) -> (year that over-uses it, rate minus the mean rate)
        (
            {"疫情": (30.0, 10.0), "疫苗": (0.0, 20.0), "中国": (50.0, 50.0)},
            {"疫情": (2020, 10.0), "疫苗": (2021, 10.0)},
        ),
        ({"合作": (4.0, 2.0)}, {"合作": (2020, 1.0)}),
    ],
)
def test_comparison_weights_by_hand(rates, expected) -> None:
    table = pd.DataFrame(
        [(term, year, r) for term, pair in rates.items() for year, r in zip((2020, 2021), pair, strict=True)],
        columns=["term", "year", "per_10k"],
    )
    got = clouds.comparison_weights(table, value="per_10k").set_index("term")
    assert {t: (int(r.year), pytest.approx(r.weight)) for t, r in got.iterrows()} == expected


def test_sectors_of_a_comparison_cloud_do_not_overlap() -> None:
    masks = [clouds.sector_mask(i, 3) == 0 for i in range(3)]
    assert all(m.mean() > 0.15 for m in masks)
    assert not (masks[0] & masks[1]).any() and not (masks[1] & masks[2]).any() and not (masks[0] & masks[2]).any()


def test_one_year_gets_a_note_not_a_crash(frequencies) -> None:
    one_year = frequencies[frequencies.year.eq(2021)]
    ax = clouds.plot_comparison_cloud(one_year, value="per_10k")
    assert "nothing to compare" in ax.texts[0].get_text()
    (trend,) = plots.plot_trends(one_year.assign(theme="疫苗"), value="per_10k", by="theme")
    assert "three or more years" in trend.texts[0].get_text()
    draw_strictly(trend.figure)
    assert trend.figure.get_figheight() < 2, "a note is a strip, not a page of white"
    assert "nothing to compare" in plots.plot_keyness(pd.DataFrame(), target=2021, reference="none").texts[0].get_text()


def test_trend_lines_with_three_years_draw_one_panel_per_theme() -> None:
    table = pd.DataFrame(
        {"theme": ["疫苗", "疫情"] * 3, "year": [2020, 2020, 2021, 2021, 2022, 2022], "per_10k": [1, 9, 4, 6, 2, 3.0]}
    )
    axes = plots.plot_trends(table, value="per_10k", by="theme", title="Trends 趋势")
    draw_strictly(axes[0].figure)
    assert [ax.get_title("left") for ax in axes] == ["疫苗", "疫情"], "in the table's order (the lexicon's)"
    assert list(axes[1].get_lines()[0].get_ydata()) == [9, 6, 3]
    assert [t.get_text() for t in axes[0].get_xticklabels()] == ["2020", "2021", "2022"]
    points = axes[0].collections[-1].get_facecolors()[:, :3]
    assert [matplotlib.colors.to_hex(c) for c in points] == [style.year_color(y).lower() for y in (2020, 2021, 2022)]


@pytest.fixture(scope="module")
def key(frequencies) -> pd.DataFrame:
    """Keyness of 2021 against 2020 on the seeds' answers (corpus.analysis.keyness)."""
    terms = frequencies.loc[frequencies.index.repeat(frequencies["count"]), ["year", "term"]]
    return keyness(terms, 2021, 2020)


def test_keyness_bars_put_over_use_right_in_the_target_colour(key) -> None:
    ax = plots.plot_keyness(key, target=2021, reference=2020, top=5)
    draw_strictly(ax.figure)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "疫苗" and "疫情" in labels[5:] and len(labels) == 10
    colors = [matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches]
    assert colors == [style.year_color(2021).lower()] * 5 + [style.year_color(2020).lower()] * 5
    assert all(p.get_width() > 0 for p in ax.patches[:5]) and all(p.get_width() < 0 for p in ax.patches[5:])


def test_scatter_labels_the_distinctive_terms_without_overlap(key) -> None:
    ax = scatter.plot_frequency_scatter(key, target=2021, reference=2020, labels=30)
    draw_strictly(ax.figure)
    renderer = ax.figure.canvas.get_renderer()
    texts = [t for t in ax.texts if t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    assert {"疫苗", "疫情", "中国"} <= {t.get_text() for t in texts} and len(texts) >= 15
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert ax.get_xscale() == ax.get_yscale() == "log"
