"""`gloss=True` charts and the report's keyness tables: every Chinese term label carries its English."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from corpus.analysis.frequency import term_counts
from corpus.analysis.keyness import keyness
from corpus.analysis.themes import theme_shares
from corpus.charts import plots, scatter
from corpus.tokens import units
from corpus.tokens.gloss import gloss, glossed_labels
from tests.charts.conftest import draw_strictly


@pytest.fixture(scope="module")
def answers(seed_tokens: pd.DataFrame) -> pd.DataFrame:
    return units.terms(seed_tokens)


@pytest.fixture(scope="module")
def key(answers: pd.DataFrame) -> pd.DataFrame:
    return keyness(answers, target=2021, reference=2020)


def tick_texts(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def test_keyness_bars_label_each_term_with_its_english(key) -> None:
    ax = plots.plot_keyness(key, target=2021, reference=2020, top=8, gloss=True)
    draw_strictly(ax.figure)
    labels = tick_texts(ax)
    assert len(labels) == 16
    terms = [label.split(" ", 1)[0] for label in labels]
    assert gloss(terms).str.len().gt(0).all() and labels == glossed_labels(terms)
    assert "疫苗 vaccine" in labels and "疫情 epidemic" in labels
    plain = plots.plot_keyness(key, target=2021, reference=2020, top=8)
    assert tick_texts(plain) == terms  # gloss=False keeps the Chinese alone


def test_long_glosses_are_shortened_on_a_label(key) -> None:
    label = glossed_labels(["人类命运共同体"])[0]
    assert label.startswith("人类命运共同体 community with a") and label.endswith("…") and len(label) <= 8 + 26


def test_top_terms_and_scatter_carry_glosses(answers, key) -> None:
    counts = term_counts(answers, by="year", top=10)
    axes = plots.plot_top_terms(counts, value="per_10k", top=10, gloss=True)
    draw_strictly(axes[0].figure)
    assert all(" " in label for ax in axes for label in tick_texts(ax))
    assert tick_texts(axes[1])[0].split(" ", 1)[0] == counts[counts.year.eq(2021)].sort_values("rank").term.iloc[0]

    ax = scatter.plot_frequency_scatter(key, target=2021, reference=2020, labels=30, gloss=True)
    draw_strictly(ax.figure)
    texts = [t.get_text() for t in ax.texts if t.get_text()]
    assert "疫苗 vaccine" in texts and len(texts) >= 10
    boxes = [t.get_window_extent() for t in ax.texts if t.get_text()]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_theme_chart_puts_the_english_name_under_the_chinese(seed_tokens) -> None:
    shares = theme_shares(seed_tokens, n_boot=20)
    ax = plots.plot_theme_shares(shares, gloss=True)
    draw_strictly(ax.figure)
    labels = tick_texts(ax)
    assert labels and all(len(label.split("\n")) == 2 for label in labels)
    assert [label.split("\n")[0] for label in tick_texts(plots.plot_theme_shares(shares, gloss=False))] == [
        label.split("\n")[0] for label in labels
    ]


def test_report_keyness_tables_carry_the_gloss_beside_the_term(seed_tokens, answers) -> None:
    from corpus.analysis import compare
    from corpus.report import tables

    documents = seed_tokens[["doc_id", "date", "year"]].drop_duplicates("doc_id")
    comparison = compare.choose(documents, target=2021)
    over, under = tables.keyness_tables(answers, comparison, top=5)
    assert over["columns"][:2] == ["term", "gloss"]
    glosses = {row[0]["text"]: row[1]["text"] for row in over["rows"] + under["rows"]}
    assert glosses["疫苗"] == "vaccine" and glosses["疫情"] == "epidemic"
