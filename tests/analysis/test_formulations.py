"""Formulations: the list and dictionary entries, n-gram candidates, variant groups, hits, timeline and changes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.analysis import formulations as F
from corpus.errors import CorpusError
from tests.conftest import token_table


def groups_of(*forms: str, **kwargs) -> dict[str, str]:
    return dict(F.group_variants(forms, **kwargs).itertuples(index=False))


# --- the researcher's list and the dictionary ---------------------------------------------------------------------


def test_the_packaged_list() -> None:
    listed = F.load_formulations()
    heads = listed.drop_duplicates("canonical")
    assert len(heads) >= 20
    assert heads.en.str.len().gt(3).all()
    assert listed.form.str.match(r"^[\u4e00-\u9fff]+$").all() and listed.form.is_unique
    assert (listed.groupby("canonical").form.first() == listed.groupby("canonical").canonical.first()).all()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- canonical: [甲\n", "not valid YAML"),
        ("- en: A\n", "formulation #1 needs a canonical form"),
        ("- canonical: 甲乙\n  variants: 丙甲乙\n", "formulation #1 needs a canonical form and a list"),
        ("- canonical: 甲乙\n- canonical: 丙丁\n  variants: [甲乙]\n", "'甲乙' is listed under both '甲乙' and '丙丁'"),
    ],
)
def test_broken_list_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=message) as error:
        F.load_formulations(path)
    assert str(path) in str(error.value)


def test_dictionary_formulations_are_that_section_only() -> None:
    forms = F.dictionary_formulations()
    assert {"人类命运共同体", "一带一路", "战狼外交", "中国特色大国外交"} <= set(forms)
    assert all(len(f) >= 4 for f in forms)
    assert "共赢" not in forms  # in the section, but two characters
    assert "一国两制" in forms and "粤港澳大湾区" not in forms  # a place, in another section
    assert "团结合作" not in forms  # a split (frequency 0), not a formulation


# --- variants -----------------------------------------------------------------------------------------------------


def test_verbs_put_in_front_are_one_group() -> None:
    groups = groups_of("构建人类命运共同体", "推动构建人类命运共同体", "携手构建人类命运共同体")
    assert set(groups.values()) == {"构建人类命运共同体"}


def test_a_form_extended_at_the_end_is_another_formulation() -> None:
    groups = groups_of("一个中国原则", "一个中国政策", "坚持一个中国原则")
    assert groups["坚持一个中国原则"] == groups["一个中国原则"] == "一个中国原则"
    assert groups["一个中国政策"] == "一个中国政策"


def test_the_list_heads_its_groups() -> None:
    listed = {"人类命运共同体": "人类命运共同体", "港人治港": "爱国者治港", "爱国者治港": "爱国者治港"}
    groups = groups_of("命运共同体", "中非命运共同体", "推动构建人类命运共同体", "港人治港", listed=listed)
    assert groups["推动构建人类命运共同体"] == "人类命运共同体"  # not 命运共同体: a canonical form heads its group
    assert groups["中非命运共同体"] == groups["命运共同体"] == "命运共同体"
    assert groups["港人治港"] == "爱国者治港"  # placed by the list, though neither ends with the other


def test_one_character_edits_only_join_long_forms() -> None:
    assert len(set(groups_of("全面战略协作伙伴关系", "全面战略合作伙伴关系").values())) == 1
    canonical = {"全面战略协作伙伴关系": "全面战略协作伙伴关系", "全面战略合作伙伴关系": "全面战略合作伙伴关系"}
    assert len(set(groups_of(listed=canonical).values())) == 2  # both listed: kept apart
    assert len(set(groups_of("中美关系", "中俄关系").values())) == 2  # four characters: too short to join by an edit


# --- candidates ---------------------------------------------------------------------------------------------------


def test_candidates_stay_in_one_clause_and_one_turn() -> None:
    tokens = token_table("中国 外交 。 中国 外交 ， 中国", "外交 中国 外交 的_ 原则", "原则 中国 外交 的_")
    found = F.candidates(tokens, min_freq=1, min_chars=1, closed=False)
    grams = set(found.tokens)
    assert {"中国 外交", "外交 中国", "外交 中国 外交", "中国 外交 的 原则"} <= grams
    assert not any("。" in g or "，" in g for g in grams)  # never across punctuation
    assert "原则 原则" not in grams and "外交 原则" not in grams  # never across a turn
    assert not any(g.endswith(" 的") or g.startswith("的 ") for g in grams)  # no stopword at either end
    row = found.set_index("tokens").loc["中国 外交"]
    assert (row["count"], row.rarest, row.fixedness) == (4, 5, 4 / 5)  # 中国 5x, 外交 5x; the pair 4x


def test_closed_drops_a_sequence_that_never_occurs_apart() -> None:
    tokens = token_table("人类 命运 共同体 。 人类 命运 共同体 。 人类 命运 共同体 。 人类 发展")
    assert set(F.candidates(tokens, min_chars=1).tokens) == {"人类 命运 共同体"}
    every = {"人类 命运", "命运 共同体", "人类 命运 共同体"}
    assert set(F.candidates(tokens, min_chars=1, closed=False).tokens) == every


WORDS = ["甲", "乙", "丙", "的_", "，", "。"]


def brute_force(turns: list[list[str]], sizes: range) -> Counter:
    counts: Counter = Counter()
    for turn in turns:
        for n in sizes:
            for i in range(len(turn) - n + 1):
                window = turn[i : i + n]
                if any(w in "，。" for w in window) or window[0].endswith("_") or window[-1].endswith("_"):
                    continue
                counts[" ".join(w.rstrip("_") for w in window)] += 1
    return counts


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25), min_size=1, max_size=4))
def test_candidate_counts_equal_a_brute_force_count(turns: list[list[str]]) -> None:
    tokens = token_table(*(" ".join(t) for t in turns))
    found = F.candidates(tokens, min_freq=1, min_chars=1, closed=False)
    assert dict(zip(found.tokens, found["count"], strict=True)) == dict(brute_force(turns, range(2, 7)))
    assert found.fixedness.between(0, 1, inclusive="right").all()


# --- hits, sentences, timeline ------------------------------------------------------------------------------------


def test_hits_count_each_stretch_once_with_its_sentence() -> None:
    tokens = token_table(
        "我们 愿 推动 构建 人类命运共同体 。 携手 构建 人类命运共同体 ！ 人类命运共同体 理念",
        "一个 中国 原则 与 一个 中国 政策 不同 。",
    )
    forms = ["构建人类命运共同体", "推动构建人类命运共同体", "携手构建人类命运共同体", "人类命运共同体"]
    table = F.group_variants([*forms, "一个中国原则", "一个中国政策"]).assign(en="", source="list")
    hits = F.formulation_hits(tokens, table, roles=None)
    assert hits.form.tolist() == [*forms[1:], "一个中国原则", "一个中国政策"]
    assert hits.group.tolist()[:3] == ["人类命运共同体"] * 3  # 人类命运共同体 is each form's tail: all one group
    sentences = ["我们愿推动构建人类命运共同体。", "携手构建人类命运共同体！", "人类命运共同体理念"]
    assert hits.sentence.tolist()[:3] == sentences


def test_overlapping_uses_of_two_formulations_both_count() -> None:
    table = F.group_variants(["一位海外", "海外中国公民", "中国公民"]).assign(en="", source="candidate")
    hits = F.formulation_hits(token_table("一位 海外 中国 公民 ， 中国 公民"), table, roles=None)
    assert hits.form.tolist() == ["一位海外", "海外中国公民", "中国公民"]  # the first 中国公民 is inside 海外中国公民
    assert F.formulation_hits(token_table("其中 国际 合作"), table, roles=None).empty


@pytest.fixture(scope="module")
def seeds(seed_tokens: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    table = F.formulation_table(seed_tokens)
    hits = F.formulation_hits(seed_tokens, table)
    return table, hits, F.formulation_timeline(seed_tokens, table, hits=hits)


def spoken(parsed) -> str:
    turns = parsed[1]
    return "".join("".join(t.split()) for t in turns[turns.role.isin(F.BOTH_ROLES)].text)


def test_hits_are_in_their_sentences_and_their_turns(seeds, parsed_2020, parsed_2021) -> None:
    _, hits, _ = seeds
    assert hits.apply(lambda h: h.form in h.sentence, axis=1).all()
    assert hits.sentence.str.count("[。！？；]").le(1).all()  # one sentence, not more
    text = {2020: spoken(parsed_2020), 2021: spoken(parsed_2021)}
    assert hits.apply(lambda h: "".join(h.sentence.split()) in text[h.year], axis=1).all()


def test_concordance_is_every_sentence_of_a_formulation(seeds) -> None:
    _, hits, _ = seeds
    lines = F.concordance(hits, "人类命运共同体")
    assert len(lines) == (hits.group == "人类命运共同体").sum() == 5
    assert lines.sentence.str.contains("人类命运共同体").all() and lines.year.tolist() == [2020] * 4 + [2021]


def test_timeline_adds_up(seeds, seed_tokens: pd.DataFrame) -> None:
    _, hits, timeline = seeds
    assert timeline["count"].sum() == len(hits)
    assert (timeline.in_answers + timeline.in_questions == timeline["count"]).all()
    content = seed_tokens[seed_tokens.role.isin(F.BOTH_ROLES) & ~seed_tokens.is_stopword].groupby("year").size()
    row = timeline.set_index(["year", "group"]).loc[(2021, "多边主义")]
    assert row.per_10k == pytest.approx(row["count"] * 10_000 / content[2021])
    assert row.variant == "多边主义" and "真正的多边主义×2" in row.variants and row.first_date == "2021-03-07"
    by_origin = F.formulation_timeline(seed_tokens, seeds[0], by="origin", hits=hits)
    assert by_origin["count"].sum() == hits.origin.notna().sum()
    with pytest.raises(CorpusError, match="cannot group by 'colour'"):
        F.formulation_timeline(seed_tokens, seeds[0], by="colour", hits=hits)


def test_what_2021_adds_drops_rewords_and_keeps(seeds, parsed_2020, parsed_2021) -> None:
    _, hits, timeline = seeds
    changes = F.formulation_changes(timeline, 2021, 2020).set_index("group")
    text = {2020: spoken(parsed_2020), 2021: spoken(parsed_2021)}

    def said(group: str, year: int) -> bool:
        forms = hits[hits.group.eq(group)].form.unique()
        return any(f in text[year] for f in forms)

    new = {"爱国者治港", "新发展格局", "中国特色大国外交", "全面战略协作伙伴关系", "全球公共产品"}
    dropped = {"战狼外交", "人类卫生健康共同体", "新冷战", "污名化"}
    kept = {"一国两制", "一个中国原则", "多边主义", "政治病毒", "合作共赢"}
    assert new <= set(changes.index[changes.change.eq("new")])
    assert dropped <= set(changes.index[changes.change.eq("dropped")])
    assert kept <= set(changes.index[changes.change.eq("kept")])
    assert all(said(g, 2021) and not said(g, 2020) for g in new)
    assert all(said(g, 2020) and not said(g, 2021) for g in dropped)
    assert all(said(g, 2020) and said(g, 2021) for g in kept)
    reworded = changes.loc["东盟国家"]  # 中国与东盟国家 in 2020, 中国和东盟国家 in 2021
    assert reworded.change == "reworded"
    assert (reworded.variant_reference, reworded.variant_target) == ("中国与东盟国家", "中国和东盟国家")
    assert text[2021].count("中国和东盟国家") > text[2021].count("中国与东盟国家")
    assert text[2020].count("中国和东盟国家") < text[2020].count("中国与东盟国家")
    tie = changes.loc["人类命运共同体"]  # 2020: 人类命运共同体 and 构建人类命运共同体 twice each; 2021: the latter
    assert tie.change == "kept" and tie.variants_reference == "人类命运共同体×2, 构建人类命运共同体×2"
    assert tie.variants_target == "构建人类命运共同体×1"
    assert changes.change.tolist() == sorted(changes.change, key=F.CHANGES.index)
    with pytest.raises(CorpusError, match="year 2019 not in the corpus"):
        F.formulation_changes(timeline, 2019)
