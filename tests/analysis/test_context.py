"""Concordances (KWIC) with their turn, and collocation scores (PMI, logDice) against hand computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.analysis import context
from corpus.tokens import units
from tests.conftest import token_table


def test_kwic_every_occurrence_with_its_turn(seed_tokens: pd.DataFrame, parsed_2021) -> None:
    table = context.kwic(seed_tokens, "缅甸", width=8)
    assert len(table) == "".join(parsed_2021[1].text).count("缅甸") == 11
    assert set(table.year) == {2021} and set(table.question) == {15} and set(table.outlet) == {"澎湃新闻"}
    assert table.role.tolist()[0] == "question" and set(table.role[1:]) == {"answer"}
    first = table.iloc[0]
    assert (first.left, first.keyword, first.right) == ("中方对", "缅甸", "局势持何立场？")  # stops at the turn's end


def test_kwic_context_is_the_text_around(seed_tokens: pd.DataFrame, parsed_2020) -> None:
    turns = parsed_2020[1]
    for row in context.kwic(seed_tokens[seed_tokens.year.eq(2020)], "世卫组织", width=15).itertuples():
        text = "".join(turns.loc[turns.turn.eq(row.turn), "text"].iloc[0].split())
        assert row.left + row.keyword + row.right in text


@pytest.mark.parametrize(
    ("term", "fits", "expected"),
    [
        ("中美", ("whole", "part"), ["中美"]),  # 其中/美国 is not 中美
        ("中美", ("whole", "part", "across"), ["中美", "中美"]),
        ("中美 关系", ("whole", "part"), ["中美关系"]),  # an n-gram from the term tables
        ("台湾", ("whole", "part"), ["台湾"]),  # inside 台湾当局
    ],
)
def test_kwic_matches_words_not_coincidences(term: str, fits: tuple[str, ...], expected: list[str]) -> None:
    table = token_table("中美 关系 其中 美国", "台湾当局 挑衅")
    assert context.kwic(table, term, fits=fits).keyword.tolist() == expected


def test_kwic_roles_and_absent_terms(seed_tokens: pd.DataFrame) -> None:
    assert set(context.kwic(seed_tokens, "疫苗", roles=["question"]).role) == {"question"}
    assert context.kwic(seed_tokens, "欧盟").empty


def test_collocation_scores_by_hand() -> None:
    terms = units.terms(token_table("甲 乙 丙 甲 乙 丁 戊 己 庚 辛"))
    table = context.collocations(terms, "甲", window=1, min_freq=1).set_index("collocate")
    # 甲 at 0 and 3; neighbours within 1: 乙 (twice) and 丙 (once).
    assert table["freq"].to_dict() == {"乙": 2, "丙": 1}
    n, f_node = 10, 2
    assert table.loc["乙", "pmi"] == pytest.approx(np.log2(2 * n / (f_node * 2 * 2)))
    assert table.loc["丙", "logdice"] == pytest.approx(14 + np.log2(2 * 1 / (2 + 1)))
    assert context.collocations(terms, "甲", window=1, min_freq=2).collocate.tolist() == ["乙"]


def test_collocation_window_stays_in_the_turn() -> None:
    terms = units.terms(token_table("甲 乙", "丙 丁"))
    assert context.collocations(terms, "乙", window=3, min_freq=1).collocate.tolist() == ["甲"]


def test_collocates_of_the_epidemic(seed_tokens: pd.DataFrame) -> None:
    table = context.collocations(units.terms(seed_tokens), "疫情", window=5, min_freq=3)
    assert {"战胜", "新冠肺炎", "抗击"} <= set(table.collocate.head(10))
    assert (table.logdice <= 14).all() and (table["freq"] >= 3).all()
    assert table.logdice.is_monotonic_decreasing


def test_collocate_counted_no_more_often_than_it_occurs() -> None:
    terms = units.terms(token_table("甲 乙 甲 丙 甲 乙 乙 乙"))
    table = context.collocations(terms, "甲", window=2, min_freq=1).set_index("collocate")
    # 丙 occurs once, within reach of all three 甲: one pair, not three. 乙 at 1 is the only 乙 the 甲 at 0 and 2
    # reach, so 乙 pairs twice (with 甲 at 0 or 2, and 甲 at 4). 甲 is not its own collocate.
    assert table["freq"].to_dict() == {"乙": 2, "丙": 1}
    assert table.loc["乙", "logdice"] == pytest.approx(14 + np.log2(2 * 2 / (3 + 4)))
    alone = context.collocations(units.terms(token_table("乙 乙 甲 乙")), "甲", window=3, min_freq=1)
    # One 甲 pairs once (counting 乙 three times gave logDice 14 + log2(6 / 4), above 14).
    assert alone["freq"].tolist() == [1] and alone.logdice.tolist() == [14 + np.log2(2 / 4)]


def _reference_pairs(turns: list[list[str]], node: str, collocate: str, window: int) -> int:
    """Brute force: a maximum matching (Kuhn's augmenting paths) between node and collocate occurrences."""
    nodes, colls = [], []
    for t, words in enumerate(turns):
        nodes += [(t, i) for i, w in enumerate(words) if w == node]
        colls += [(t, i) for i, w in enumerate(words) if w == collocate]
    edges = {a: [b for b in colls if b[0] == a[0] and abs(b[1] - a[1]) <= window] for a in nodes}
    partner: dict[tuple[int, int], tuple[int, int]] = {}

    def augment(a: tuple[int, int], seen: set) -> bool:
        for b in edges[a]:
            if b not in seen:
                seen.add(b)
                if b not in partner or augment(partner[b], seen):
                    partner[b] = a
                    return True
        return False

    return sum(augment(a, set()) for a in nodes)


@settings(max_examples=150, deadline=None)
@given(
    turns=st.lists(st.lists(st.sampled_from("甲乙丙丁"), min_size=1, max_size=12), min_size=1, max_size=3),
    node=st.sampled_from("甲乙丙丁"),
    window=st.integers(1, 4),
)
def test_collocation_counts_match_brute_force(turns: list[list[str]], node: str, window: int) -> None:
    terms = units.terms(token_table(*(" ".join(words) for words in turns)))
    table = context.collocations(terms, node, window=window, min_freq=1)
    assert node not in set(table.collocate)
    assert (table["freq"] <= table.freq_node).all() and (table["freq"] <= table.freq_collocate).all()
    assert (table.logdice <= 14).all()
    expected = {c: _reference_pairs(turns, node, c, window) for c in "甲乙丙丁" if c != node}
    assert dict(zip(table.collocate, table["freq"], strict=True)) == {c: f for c, f in expected.items() if f}
    words = [w for words in turns for w in words]
    assert (table.n == len(words)).all() and (table.freq_node == words.count(node)).all()
    assert all(f == words.count(c) for c, f in zip(table.collocate, table.freq_collocate, strict=True))


def test_pmi_nltk_convention_reproduces_nltk_examples() -> None:
    # nltk/test/collocations.doctest, "Pointwise Mutual Information: examples from Manning and Schutze 5.4":
    #   bigram_measures.pmi(20, (42, 20), 14307668) -> 18.38
    #   bigram_measures.pmi(20, (15019, 15629), 14307668) -> 0.29
    # Plain bigrams there, i.e. from_words(window_size=2): window=1 here.
    scores = context.pmi([20, 20], [42, 15019], [20, 15629], 14307668, window=1, convention="nltk")
    assert np.round(scores, 2).tolist() == [18.38, 0.29]
    span = context.pmi([20, 20], [42, 15019], [20, 15629], 14307668, window=1)
    assert span == pytest.approx(scores - 1)  # both sides of the node: twice the expected count, one bit lower
    with pytest.raises(ValueError, match="convention"):
        context.pmi(1, 1, 1, 10, window=1, convention="bigram")


def test_collocations_nltk_convention_one_sided_pairs() -> None:
    # The tokens of the doctest's sample "I do not like green eggs and ham, I do not like them Sam I am!"
    # (nltk.wordpunct_tokenize, 18 tokens), one turn. With window_size=2 NLTK scores (do, not) as
    # log2(n_ii * N / (f_do * f_not)) = log2(2 * 18 / (2 * 2)) and (I, do) as log2(2 * 18 / (3 * 2)).
    words = "I do not like green eggs and ham , I do not like them Sam I am !"
    terms = units.terms(token_table(words))
    assert len(terms) == 18
    nltk = context.collocations(terms, "do", window=1, min_freq=1, pmi_convention="nltk").set_index("collocate")
    assert nltk.pmi.to_dict() == pytest.approx({"not": np.log2(9), "I": np.log2(6)})
    span = context.collocations(terms, "do", window=1, min_freq=1).set_index("collocate")
    assert span.pmi.to_dict() == pytest.approx({"not": np.log2(9) - 1, "I": np.log2(6) - 1})
