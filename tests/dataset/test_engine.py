"""The DuckDB engine over the dataset: its views, corpus.query, `corpus sql`, and the term x side counts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import corpus
from corpus.analysis.keyness import keyness
from corpus.dataset.build import build
from corpus.dataset.engine import connect, query, term_side_counts
from corpus.errors import CorpusError
from corpus.paths import get_paths
from corpus.store import read_table
from corpus.tokens import units
from tests.conftest import make_project, run_cli


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two seeds, built."""
    root = make_project(tmp_path_factory.mktemp("engine"))
    build(get_paths(root))
    return root


def test_views_hold_the_processed_tables(seeds: Path) -> None:
    processed = get_paths(seeds).processed
    for name in ("documents", "turns", "tokens"):
        assert query(f"SELECT count(*) AS n FROM {name}", root=seeds).n[0] == len(read_table(processed, name))
    with connect(seeds) as con:
        views = {row[0] for row in con.sql("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert views == {"documents", "turns", "tokens", "terms"}


def test_terms_view_is_the_annotated_token_table(seeds: Path) -> None:
    processed = get_paths(seeds).processed
    expected = units.annotate(*(read_table(processed, name) for name in ("tokens", "turns", "documents")))
    pd.testing.assert_frame_equal(units.load_tokens(processed), expected)
    months = query("SELECT DISTINCT month, quarter FROM terms ORDER BY month", root=seeds)
    assert months.to_dict("records") == [
        {"month": "2020-05", "quarter": "2020-Q2"},
        {"month": "2021-03", "quarter": "2021-Q1"},
    ]


def test_answers_take_the_asking_outlet_in_sql(seeds: Path) -> None:
    table = query(
        "SELECT DISTINCT role, outlet, origin FROM terms WHERE year = 2021 AND question = 15 ORDER BY role",
        root=seeds,
    )
    assert table.to_dict("records") == [
        {"role": "answer", "outlet": "澎湃新闻", "origin": "mainland"},
        {"role": "question", "outlet": "澎湃新闻", "origin": "mainland"},
    ]


def test_query_is_exported_and_bad_sql_is_one_line(seeds: Path) -> None:
    assert corpus.query("SELECT count(*) AS n FROM documents", root=seeds).n[0] == 2
    with pytest.raises(CorpusError, match="SQL error"):
        query("SELEC 1", root=seeds)


def test_term_side_counts_match_the_pandas_counts(seeds: Path) -> None:
    counts = term_side_counts(2021, root=seeds)
    terms = units.terms(units.load_tokens(get_paths(seeds).processed))
    expected = terms.assign(side=terms.year.eq(2021)).groupby(["term", "side"]).size().unstack(fill_value=0)
    assert counts.set_index("term").freq_target.to_dict() == expected[True].to_dict()
    assert counts.set_index("term").freq_reference.to_dict() == expected[False].to_dict()
    # the same figures keyness counts from the full term table
    scored = keyness(terms, 2021, min_freq=1).set_index("term")
    merged = counts.merge(scored.reset_index()[["term", "freq_target"]], on="term", suffixes=("", "_keyness"))
    assert len(merged) == len(scored) and (merged.freq_target == merged.freq_target_keyness).all()


def test_term_side_counts_by_period_and_filter(seeds: Path) -> None:
    by = units.periods(["2021-01-01"])
    counts = term_side_counts("2021-01-01..", by=by, where="origin = 'mainland'", root=seeds)
    terms = units.terms(units.load_tokens(get_paths(seeds).processed))
    mainland = terms[terms.origin.eq("mainland")]
    assert counts.freq_target.sum() == mainland.year.eq(2021).sum()
    assert counts.freq_reference.sum() == mainland.year.eq(2020).sum()
    with pytest.raises(CorpusError, match="not in the corpus"):
        term_side_counts(1999, root=seeds)


def test_cli_sql_prints_a_table_and_csv(seeds: Path) -> None:
    result = run_cli(
        "sql",
        "SELECT year, count(*) AS questions FROM turns JOIN documents USING (doc_id) "
        "WHERE role = 'question' GROUP BY year ORDER BY year",
        root=seeds,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["year", "questions", "2020", "14", "2021", "16"]
    csv = run_cli("sql", "SELECT speaker FROM documents ORDER BY date", "--csv", root=seeds)
    assert csv.stdout == "\ufeffspeaker\n王毅\n王毅\n"
    bad = run_cli("sql", "SELECT nothing FROM nowhere", root=seeds)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_cli_by_and_where_on_the_analyses(seeds: Path) -> None:
    period = run_cli("keyness", "--by", "period:2021-01-01", "--target", "2021-01-01..", "--top", "3", root=seeds)
    by_year = run_cli("keyness", "--target", "2021", "--top", "3", root=seeds)
    assert period.returncode == 0, period.stderr
    assert period.stdout.splitlines()[2] == by_year.stdout.splitlines()[2]  # the same split, the same top term
    mainland = run_cli("keyness", "--target", "2021", "--where", "origin = 'mainland'", "--csv", root=seeds)
    everything = run_cli("keyness", "--target", "2021", "--csv", root=seeds)
    assert mainland.returncode == 0 and mainland.stdout != everything.stdout
    themes = run_cli("themes", "--by", "quarter", root=seeds)
    assert themes.returncode == 0 and "2020-Q2" in themes.stdout and "2021-Q1" in themes.stdout, themes.stderr
    kwic = run_cli("kwic", "多边主义", "--by", "month", "--where", "year = 2021", root=seeds)
    lines = kwic.stdout.splitlines()
    assert kwic.returncode == 0 and lines and all(line.startswith("2021-03 ") for line in lines)
    bad = run_cli("themes", "--where", "colour = 'red'", root=seeds)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
