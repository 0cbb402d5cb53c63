"""Phrase matching in the token stream: whole words, parts of compounds, and coincidences across two words."""

from __future__ import annotations

import pandas as pd
import pytest

from corpus.tokens.match import find_phrases, longest_first
from tests.conftest import token_table


@pytest.mark.parametrize(
    ("tokens", "phrase", "fits"),
    [
        ("中美关系 日益 紧张", "中美关系", ["whole"]),
        ("中美 关系 日益 紧张", "中美关系", ["whole"]),  # split by the segmenter, still found
        ("中美 关系 日益 紧张", "中美 关系", ["whole"]),  # an n-gram as the term tables write it
        ("台湾当局 顽固 坚持", "台湾", ["part"]),  # inside a compound kept whole
        ("其中 美国 对 中国", "中美", ["across"]),  # characters straddling two words
        ("进程 中 非常 不 平凡", "中非", ["across"]),
        ("中非 合作 其中 非洲", "中非", ["whole", "across"]),
        ("印度尼西亚", "印度", ["part"]),
        ("疫情 疫情", "疫情", ["whole", "whole"]),
        ("欧亚 经济 联盟", "欧盟", []),
    ],
)
def test_fit(tokens: str, phrase: str, fits: list[str]) -> None:
    assert find_phrases(token_table(tokens), [phrase]).fit.tolist() == fits


def test_never_across_turns() -> None:
    table = token_table("合作 中", "美 关系")
    assert find_phrases(table, ["中美"]).empty
    assert find_phrases(table, ["美关系"]).fit.tolist() == ["whole"]


def test_rows_and_offsets_point_at_the_tokens() -> None:
    table = token_table("我们 支持 一带一路", "推动 一带 一路 合作")
    hits = find_phrases(table, ["一带一路"])
    assert table.token.iloc[hits.row].tolist() == ["一带一路", "一带"]
    assert table.turn.iloc[hits.row].tolist() == [0, 1]
    assert hits.fit.tolist() == ["whole", "whole"]


def test_longest_first_within_each_group() -> None:
    hits = pd.DataFrame(
        {
            "theme": ["a", "a", "a", "b"],
            "start": [0, 0, 2, 2],
            "end": [2, 4, 4, 4],
            "term": ["新冠", "新冠肺炎", "肺炎", "肺炎"],
        }
    )
    kept = longest_first(hits, by="theme")
    assert sorted(zip(kept.theme, kept.term, strict=True)) == [("a", "新冠肺炎"), ("b", "肺炎")]


def test_seed_counts_match_the_text(seed_tokens: pd.DataFrame, parsed_2021) -> None:
    # 缅甸 is never split or merged: the token stream and the raw text agree.
    text = "".join(parsed_2021[1].text)
    hits = find_phrases(seed_tokens, ["缅甸"])
    assert len(hits) == text.count("缅甸") == 11
