"""Term counts per unit, per 10,000 terms, and type/token figures against hand counts and brute force."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corpus.analysis import frequency
from corpus.tokens import units
from tests.conftest import token_table


def test_counts_and_rates_by_hand() -> None:
    table = pd.concat(
        [token_table("疫情 疫情 合作 的_", year=2020), token_table("疫苗 合作 合作 合作 合作", doc_id="e", year=2021)]
    )
    counts = frequency.term_counts(units.terms(table))
    rows = {(r.year, r.term): (r.count, r.total, r.per_10k, r.rank) for r in counts.itertuples()}
    assert rows == {
        (2020, "疫情"): (2, 3, 2 / 3 * 10_000, 1),
        (2020, "合作"): (1, 3, 1 / 3 * 10_000, 2),
        (2021, "合作"): (4, 5, 8_000, 1),
        (2021, "疫苗"): (1, 5, 2_000, 2),
    }


def test_top_and_ties_by_term() -> None:
    counts = frequency.term_counts(units.terms(token_table("乙 甲 丙 丙")), top=2)
    assert counts.term.tolist() == ["丙", "乙"]  # 乙 and 甲 tie at 1; the tie goes to the first by code point


@pytest.mark.parametrize("by", ["year", "document", "answer", "role", "origin"])
def test_counts_add_up_on_the_seeds(seed_tokens: pd.DataFrame, by: str) -> None:
    terms = units.terms(seed_tokens, roles=None)
    counts = frequency.term_counts(terms, by=by)
    column = units.UNIT_COLUMN[by]
    assert (counts.groupby(column)["count"].sum() == counts.groupby(column).total.first()).all()
    if by in ("year", "document", "role"):
        assert counts["count"].sum() == len(terms)


def test_seed_frequencies(seed_tokens: pd.DataFrame) -> None:
    counts = frequency.term_counts(units.terms(seed_tokens)).set_index(["year", "term"])
    assert counts.loc[(2020, "疫情"), "count"] > 5 * counts.loc[(2021, "疫情"), "count"]
    # 29 of 31 in 2021's answers: the domain dictionary keeps 疫苗民族主义 and 新冠疫苗实施计划 as terms of their own
    assert (2020, "疫苗") not in counts.index and counts.loc[(2021, "疫苗"), "count"] >= 25


def test_bigrams_on_the_seeds(seed_tokens: pd.DataFrame) -> None:
    counts = frequency.term_counts(units.terms(seed_tokens, ngram=2)).set_index(["year", "term"])
    assert counts.loc[(2021, "习近平 主席"), "count"] >= 5


def brute_force_mattr(terms: list[str], window: int) -> float:
    return float(np.mean([len(set(terms[s : s + window])) / window for s in range(len(terms) - window + 1)]))


@pytest.mark.parametrize("window", [1, 2, 5, 50, 500])
def test_mattr_against_brute_force(seed_tokens: pd.DataFrame, window: int) -> None:
    terms = units.terms(seed_tokens).term.head(1200)
    assert frequency.moving_average_ttr(terms, window) == pytest.approx(brute_force_mattr(terms.tolist(), window))


def test_type_token_by_hand() -> None:
    table = frequency.type_token(units.terms(token_table("甲 乙 甲 丙 甲 的_")), window=2)
    row = table.iloc[0]
    assert (row.tokens, row.types, row.hapax) == (5, 3, 2)
    assert row.ttr == pytest.approx(3 / 5) and row.root_ttr == pytest.approx(3 / np.sqrt(5))
    assert row.mattr == pytest.approx(1.0)  # every pair of neighbours differs


def test_type_token_per_answer(seed_tokens: pd.DataFrame) -> None:
    table = frequency.type_token(units.terms(seed_tokens), by="answer")
    assert len(table) == 30 and (table.types <= table.tokens).all() and (table.mattr <= 1).all()
