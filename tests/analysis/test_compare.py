"""What the notebooks compare: years kept, target and reference, and the words read in context, on the seeds."""

from __future__ import annotations

import pandas as pd
import pytest

from corpus.analysis import compare, frequency
from corpus.analysis.keyness import KEYNESS_COLUMNS
from corpus.errors import CorpusError
from corpus.tokens import units


def documents(*years: int) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"{y}-03-07_王毅" for y in years], "year": list(years)})


@pytest.mark.parametrize(
    ("years", "options", "expected", "label"),
    [
        ((2020, 2021), {}, ((2020, 2021), 2021, (2020,)), 2020),
        ((2018, 2019, 2020, 2021), {}, ((2018, 2019, 2020, 2021), 2021, (2018, 2019, 2020)), "2018–2020"),
        (
            (2018, 2019, 2020, 2021),
            {"target": 2019},
            ((2018, 2019, 2020, 2021), 2019, (2018, 2020, 2021)),
            "2018+2020+2021",
        ),
        ((2018, 2019, 2020, 2021), {"years": [2020, 2018]}, ((2018, 2020), 2020, (2018,)), 2018),
        (
            (2018, 2019, 2020, 2021),
            {"target": "2021", "reference": ["2018"]},
            ((2018, 2019, 2020, 2021), 2021, (2018,)),
            2018,
        ),
        ((2021,), {}, ((2021,), 2021, ()), "none"),
    ],
)
def test_choose_defaults_to_latest_against_the_rest(years, options, expected, label) -> None:
    chosen = compare.choose(documents(*years), **options)
    assert (chosen.years, chosen.target, chosen.reference) == expected
    assert chosen.reference_label == label
    assert chosen.possible == bool(expected[2])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"target": 2019}, "year 2019 not in the corpus (it has 2020, 2021)"),
        ({"years": [2020, 2030]}, "year 2030 not in the corpus"),
        ({"target": 2021, "reference": [2021]}, "year 2021 is both the target and in the reference"),
        ({"years": [2020], "target": 2021}, "year 2021 not in the corpus (it has 2020)"),
    ],
)
def test_choose_names_the_year_it_cannot_use(options, message) -> None:
    with pytest.raises(CorpusError, match=message.replace("(", r"\(").replace(")", r"\)")):
        compare.choose(documents(2020, 2021), **options)


def test_one_year_says_so_and_keyness_is_empty_not_an_error() -> None:
    chosen = compare.choose(documents(2021))
    assert "nothing to compare" in chosen.note
    table = compare.keyness_table(pd.DataFrame({"term": ["疫苗"], "year": [2021]}), chosen)
    assert table.empty and list(table.columns) == KEYNESS_COLUMNS


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):

    from corpus.dataset.build import build
    from corpus.paths import get_paths
    from corpus.store import read_table
    from tests.conftest import make_project

    root = make_project(tmp_path_factory.mktemp("compare"))
    paths = get_paths(root)
    build(paths)
    tokens = units.load_tokens(paths.processed)
    return read_table(paths.processed, "documents"), tokens, units.terms(tokens)


def test_focus_terms_are_the_most_over_and_under_used_of_the_seeds(seeds) -> None:
    docs, _, terms = seeds
    chosen = compare.choose(docs)
    key = compare.keyness_table(terms, chosen)
    assert compare.focus_terms(key, frequency.term_counts(terms), top=2) == ["疫苗", "疫情"]
    one = compare.choose(docs, years=[2021])
    empty = compare.keyness_table(compare.keep_years(terms, one), one)
    assert compare.focus_terms(empty, frequency.term_counts(compare.keep_years(terms, one)), top=2) == ["中国", "疫苗"]


def test_concordances_and_collocations_of_several_terms(seeds) -> None:
    _, tokens, terms = seeds
    lines = compare.concordances(tokens, ["疫苗", "世卫组织"], top=3)
    assert list(lines.keyword) == ["疫苗"] * 3 + ["世卫组织"] * 3
    assert lines.left.str.len().max() <= 20 and set(lines.year) == {2020, 2021}
    collocates = compare.collocations(terms, ["疫苗", "世卫组织"], min_freq=2)
    assert list(dict.fromkeys(collocates.node)) == ["疫苗", "世卫组织"]
    assert "接种" in set(collocates[collocates.node.eq("疫苗")].collocate)
