"""The theme lexicon: loading and validation, matching rules, shares with intervals, origin x theme."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corpus.analysis import themes
from corpus.errors import CorpusError
from tests.conftest import token_table

REQUIRED = [
    "pandemic", "china_us", "multilateralism", "hong_kong", "taiwan", "xinjiang", "belt_and_road", "development",
    "vaccines", "europe", "africa", "russia", "neighbourhood", "party", "consular",
]  # fmt: skip


def test_the_packaged_lexicon() -> None:
    lexicon = themes.load_themes()
    names = themes.theme_names(lexicon)
    assert set(REQUIRED) <= set(names.theme)
    assert names.name_zh.str.match(r"^[\u4e00-\u9fff、]+$").all() and names.name_en.str.len().gt(3).all()
    terms = lexicon[~lexicon.exclude]
    assert terms.groupby("theme").size().min() >= 5
    assert not terms.duplicated(["theme", "term"]).any()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- id: a\n  terms: [甲\n", "not valid YAML"),
        ("- id: a\n  en: A\n", "theme #1 needs an id and a list of terms"),
        ("- id: a\n  terms: [甲]\n- terms: [乙]\n", "theme #2 needs an id"),
        ("- id: a\n  terms: [甲]\n- id: a\n  terms: [乙]\n", "theme id 'a' appears twice"),
    ],
)
def test_broken_lexicon_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=message) as error:
        themes.load_themes(path)
    assert str(path) in str(error.value)


def lexicon(**themes_terms: str) -> pd.DataFrame:
    rows = [
        (theme, theme, theme, term.lstrip("-"), term.startswith("-"))
        for theme, terms in themes_terms.items()
        for term in terms.split()
    ]
    return pd.DataFrame(rows, columns=themes.LEXICON_COLUMNS)


@pytest.mark.parametrize(
    ("text", "terms", "expected"),
    [
        ("中美 关系 其中 美国", "中美 美国", ["中美", "美国"]),  # 其中/美国 is not 中美
        ("台湾当局 挑衅", "台湾", ["台湾"]),  # part of a compound counts
        ("中美洲 国家", "中美 -中美洲", []),  # inside an excluded phrase
        ("新冠肺炎 疫情", "新冠 新冠肺炎 疫情", ["新冠肺炎", "疫情"]),  # overlapping terms count once, longest
        ("新冠 肺炎 疫情", "新冠 新冠肺炎", ["新冠肺炎"]),
    ],
)
def test_matching_rules(text: str, terms: str, expected: list[str]) -> None:
    assert themes.theme_hits(token_table(text), lexicon(t=terms)).term.tolist() == expected


def test_a_term_counts_for_every_theme_listing_it() -> None:
    hits = themes.theme_hits(token_table("疫苗 接种"), lexicon(vaccines="疫苗 接种", pandemic="疫苗"))
    assert set(zip(hits.theme, hits.term, strict=True)) == {
        ("pandemic", "疫苗"),
        ("vaccines", "疫苗"),
        ("vaccines", "接种"),
    }


def test_bootstrap_percentile_against_a_plain_loop() -> None:
    hits, tokens = np.array([3.0, 0, 5, 1, 2]), np.array([100.0, 50, 200, 80, 120])
    low, high = themes.bootstrap_rate(hits, tokens, n_boot=200, rng=np.random.default_rng(7), kind="percentile")
    # scipy.stats.bootstrap draws every resample's indices at once from the generator.
    draws = np.random.default_rng(7).integers(0, 5, size=(200, 5))
    rates = [hits[d].sum() / tokens[d].sum() * 10_000 for d in draws]
    assert np.allclose([low, high], np.percentile(rates, [2.5, 97.5]))


@pytest.fixture(scope="module")
def shares(seed_tokens: pd.DataFrame) -> pd.DataFrame:
    return themes.theme_shares(seed_tokens).set_index(["year", "theme"])


def test_shares_by_hand(seed_tokens: pd.DataFrame, shares: pd.DataFrame) -> None:
    pooled = themes.theme_shares(seed_tokens, method="quasi").set_index(["year", "theme"])  # its rate: hits / tokens
    hits = themes.theme_hits(seed_tokens)
    answers = seed_tokens[seed_tokens.role.eq("answer")]
    for year in (2020, 2021):
        size = int((~answers[answers.year.eq(year)].is_stopword).sum())
        count = int((hits.year.eq(year) & hits.theme.eq("pandemic")).sum())
        row = shares.loc[(year, "pandemic")]
        assert (row.hits, row.tokens, row.turns) == (count, size, {2020: 14, 2021: 16}[year])
        assert pooled.loc[(year, "pandemic")].per_10k == pytest.approx(count / size * 10_000)
    assert (shares.ci_low <= shares.per_10k + 1e-9).all() and (shares.per_10k <= shares.ci_high + 1e-9).all()


def test_the_pandemic_recedes_and_vaccines_arrive(shares: pd.DataFrame) -> None:
    assert shares.loc[(2020, "pandemic"), "ci_low"] > shares.loc[(2021, "pandemic"), "ci_high"]
    assert shares.loc[(2020, "vaccines"), "hits"] == 0 and shares.loc[(2021, "vaccines"), "hits"] >= 30
    assert shares.loc[(2021, "xinjiang"), "hits"] > 0 == shares.loc[(2020, "xinjiang"), "hits"]


def test_shares_are_reproducible_and_independent_of_other_years(
    seed_tokens: pd.DataFrame, three_years: pd.DataFrame, shares: pd.DataFrame
) -> None:
    again = themes.theme_shares(seed_tokens).set_index(["year", "theme"])
    pd.testing.assert_frame_equal(again, shares)
    three = themes.theme_shares(three_years).set_index(["year", "theme"])
    pd.testing.assert_frame_equal(three.loc[[2020, 2021]], shares)  # adding a year changes nothing else
    assert np.allclose(three.loc[2022].per_10k, three.loc[2021].per_10k)


def test_who_asks_about_what(seed_tokens: pd.DataFrame) -> None:
    table = themes.themes_by_origin(seed_tokens).set_index(["origin", "theme"])
    totals = table.groupby("origin").questions_total.first().to_dict()
    assert totals == {"foreign": 10, "hk_macao_taiwan": 3, "mainland": 17}
    # Hong Kong: Reuters (2020) and NBC (2021) from abroad, 中评社 from Hong Kong; no mainland outlet asked.
    assert table.loc[("foreign", "hong_kong"), "questions"] == 2
    assert table.loc[("hk_macao_taiwan", "hong_kong"), "questions"] == 1
    assert table.loc[("mainland", "hong_kong"), "questions"] == 0
    assert len(table) == 3 * len(themes.theme_names(themes.load_themes()))


def test_question_themes(seed_tokens: pd.DataFrame) -> None:
    table = themes.question_themes(seed_tokens)
    myanmar = table[table.year.eq(2021) & table.question.eq(15)]
    assert myanmar.theme.tolist() == ["neighbourhood"] and myanmar.outlet.tolist() == ["澎湃新闻"]
    via_answers = themes.question_themes(seed_tokens, via="answer")
    assert len(via_answers) > len(table)


def test_the_rate_lies_inside_its_interval_when_one_long_answer_carries_the_theme() -> None:
    # NB2 weights answers, so its rate is not hits / tokens when one long answer is full of the theme (here 4,000
    # tokens with 200-400 mentions beside 24 short answers with 0-3): the rate shown is the centre of the interval
    # shown. The pooled hits / tokens (279-606 per 10,000 here) fell outside its own NB interval.
    tokens = np.array([4000.0] + [150.0] * 24)
    for big in (200, 300, 400):
        for small in (0, 1, 2):
            hits = np.array([big] + [small, small + 1] * 12, float)
            rate, low, high, *_ = themes.glm_rate(hits, tokens)
            assert low <= rate <= high
            assert rate < hits.sum() / tokens.sum() * 10_000  # the long answer weighs as one answer, not 4,000 tokens
