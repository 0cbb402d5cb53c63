"""styled(table): the notebooks' tables as a reader wants them, on the seeds' real keyness and overview tables."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from corpus.analysis.keyness import keyness
from corpus.analysis.overview import corpus_summary
from corpus.report.styling import decimals, p_value, styled
from corpus.tokens import units
from corpus.transcripts.parse import document_record


def cells(html: str) -> list[list[str]]:
    """The body rows of a rendered table, cell texts only."""
    body = html.split("<tbody>")[1]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in body.split("</tr>")[:-1]]


def test_keyness_reads_with_rounded_numbers_and_small_p_in_scientific_notation(seed_tokens) -> None:
    table = keyness(units.terms(seed_tokens), target=2021, reference=2020).head(5)
    columns = ["term", "freq_target", "freq_reference", "g2", "log_ratio", "p", "p_adjusted"]
    html = styled(table[columns]).to_html()
    rows = cells(html)
    first = dict(zip(columns, rows[0], strict=True))
    assert first["term"] == "疫苗" and first["freq_target"] == str(table.freq_target.iloc[0])
    assert first["g2"] == f"{table.g2.iloc[0]:.1f}" and first["log_ratio"] == f"{table.log_ratio.iloc[0]:.2f}"
    assert re.fullmatch(r"\d\.\de-\d+", first["p"])  # 1.9e-12, not 0.000000000001866
    assert all(re.fullmatch(r"\d\.\de-\d+|0\.\d{3}", row[6]) for row in rows)
    assert "row_heading" not in html and "blank level0" not in html  # no index column
    assert re.search(r"th\.col_heading\.col0 \{\s*text-align: left;", html)  # the Chinese column's header too


def test_overview_keeps_years_and_counts_as_integers(parsed_2020, parsed_2021) -> None:
    documents = pd.DataFrame([document_record(doc) for doc, _ in (parsed_2020, parsed_2021)])
    turns = pd.concat([parsed_2020[1], parsed_2021[1]], ignore_index=True)
    summary = corpus_summary(documents, turns)
    html = styled(summary.set_index("doc_id")).to_html()  # a meaningful index becomes a column
    rows = cells(html)
    assert rows[0][0] == summary.doc_id.iloc[0] and "2020" in rows[0] and "2,020" not in html
    assert "doc_id" in summary.columns and isinstance(summary.index, pd.RangeIndex)  # the caller's table unchanged


def test_missing_values_are_blank_and_decimals_follow_the_largest_value() -> None:
    table = pd.DataFrame({"share": [0.04567, None], "per_10k": [1234.5, 7.25], "p": [0.0432, None]})
    assert cells(styled(table).to_html()) == [["0.0457", "1,234", "0.043"], ["", "7", ""]]


@given(st.floats(min_value=1e-300, max_value=1.0))
def test_p_value_is_close_to_the_number(p: float) -> None:
    shown = p_value(p)
    assert abs(float(shown) - p) <= (0.051 * p if "e" in shown else 0.0005)
    assert ("e" in shown) == (p < 0.001)


@given(st.lists(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), min_size=1, max_size=20))
def test_decimals_keep_three_significant_digits_of_the_largest_value(values: list[float]) -> None:
    places = decimals(pd.Series(values))
    largest = max(abs(v) for v in values)
    assert 0 <= places <= 6
    if largest >= 1e-3:  # shown to `places` decimals, the largest value is off by at most half a unit in 3 digits
        assert abs(float(f"{largest:.{places}f}") - largest) <= 0.0051 * largest


def test_row_numbers_are_dropped_and_whole_floats_lose_their_decimals(seed_tokens) -> None:
    lengths = seed_tokens.groupby(["doc_id", "year"]).size().rename("tokens").reset_index()
    shuffled = lengths.sort_values("tokens")  # an index of row numbers out of order: noise to a reader
    html = styled(shuffled).to_html()
    assert [row[0] for row in cells(html)] == shuffled.doc_id.tolist() and "index" not in html
    described = seed_tokens.groupby("year").position.describe()  # count is a float column of whole numbers
    rows = cells(styled(described).to_html())
    assert rows[0][:2] == ["2020", f"{int(described['count'].iloc[0]):,}"]
    html = styled(lengths).to_html()
    assert re.search(r"_col0 \{\s*white-space: nowrap;\s*text-align: left;", html)  # doc_id: text, one line
