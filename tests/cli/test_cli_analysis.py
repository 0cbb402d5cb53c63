"""The analysis commands as a user runs them: keyness, kwic, themes; any number of years; one-line errors."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from corpus.cli import main
from corpus.tokens import units
from tests.conftest import SEED_2020, SEED_2021, make_project, run_cli


def built_project(root: Path, files: dict[str, Path]) -> Path:
    make_project(root, files)
    assert run_cli("build", root=root).returncode == 0
    return root


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"2020-05-24_王毅.txt": SEED_2020, "2021-03-07_王毅.txt": SEED_2021}
    return built_project(tmp_path_factory.mktemp("two"), files)


def test_keyness_both_ways(two_years: Path) -> None:
    result = run_cli("keyness", "--target", "2021", "--reference", "2020", "--top", "5", root=two_years)
    assert result.returncode == 0, result.stderr
    over, under = result.stdout.split("under-used terms")
    assert "year 2021 vs 2020: over-used terms" in over and "疫苗" in over and "疫情" not in over
    assert "疫情" in under and "Benjamini-Hochberg over" in under
    header = over.splitlines()[1].split()
    assert header == ["term", "freq_target", "freq_reference", "n_target", "n_reference", "g2", "log_ratio", "p",
                      "p_adjusted", "gloss"]  # fmt: skip


def test_keyness_csv(two_years: Path) -> None:
    result = run_cli("keyness", "--target", "2020", "--csv", "--top", "4", root=two_years)
    table = pd.read_csv(io.StringIO(result.stdout))
    assert table.direction.tolist() == ["over"] * 4 + ["under"] * 4
    assert table.term.iloc[0] == "疫情" and table.term.iloc[4] == "疫苗"
    assert {"g2", "log_ratio", "p", "p_adjusted", "correction"} <= set(table.columns)


def test_kwic(two_years: Path) -> None:
    result = run_cli("kwic", "缅甸", "--width", "8", root=two_years)
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) == 11 and all("【缅甸】" in line for line in lines)
    assert lines[0].startswith("2021 Q15 question") and lines[1].startswith("2021 Q15 answer")
    table = pd.read_csv(io.StringIO(run_cli("kwic", "中美关系", "--csv", root=two_years).stdout))
    assert set(table.year) == {2020, 2021} and set(table.keyword) == {"中美关系"}


def test_themes(two_years: Path) -> None:
    result = run_cli("themes", root=two_years)
    assert result.returncode == 0, result.stderr
    header, pandemic = result.stdout.splitlines()[1:3]
    assert header.split()[-2:] == ["2020", "2021"] and pandemic.split()[:2] == ["pandemic", "疫情与公共卫生"]
    origin = run_cli("themes", "--origin", "--csv", root=two_years)
    table = pd.read_csv(io.StringIO(origin.stdout))
    assert set(table.origin) == {"mainland", "foreign", "hk_macao_taiwan"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["keyness", "--target", "2019"], "corpus: error: year 2019 not in the corpus (it has: 2020, 2021)"),
        (["kwic", "欧盟"], "corpus: error: '欧盟' does not occur in the corpus (all turns)"),
        (["themes", "--lexicon", "no/such.yaml"], "corpus: error: no/such.yaml: no such theme file"),
    ],
)
def test_user_errors_are_one_line(two_years: Path, args: list[str], message: str) -> None:
    result = run_cli(*args, root=two_years)
    assert result.returncode == 2 and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_three_years_and_one(tmp_path: Path) -> None:
    files = {"2020-05-24_王毅.txt": SEED_2020, "2021-03-07_王毅.txt": SEED_2021, "2022-03-07_王毅.txt": SEED_2021}
    three = built_project(tmp_path / "three", files)
    result = run_cli("keyness", "--target", "2020", "--csv", root=three)
    table = pd.read_csv(io.StringIO(result.stdout))
    sizes = units.terms(units.load_tokens(three / "data" / "processed")).groupby("year").size()
    assert result.returncode == 0 and table.n_target.iloc[0] == sizes[2020]
    assert table.n_reference.iloc[0] == sizes[2021] + sizes[2022] == 2 * sizes[2021]  # default: all other years
    assert run_cli("themes", root=three).stdout.splitlines()[1].split()[-3:] == ["2020", "2021", "2022"]
    one = built_project(tmp_path / "one", {"2020-05-24_王毅.txt": SEED_2020})
    result = run_cli("keyness", "--target", "2020", root=one)
    assert result.returncode == 2 and "nothing to compare year 2020 with" in result.stderr


def test_csv_output_neutralises_formula_cells(capsysbinary):
    import pandas as pd

    from corpus.cli import print_table

    print_table(pd.DataFrame({"left": ['=HYPERLINK("x")', "中美"], "count": [-1, 2]}), csv=True)
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert out.startswith("\ufeffleft,count\n")
    assert "'=HYPERLINK" in out and "\n中美,2\n" in out and ",-1\n" in out


def test_csv_starts_with_a_utf8_bom(two_years: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary) -> None:
    monkeypatch.setenv("CORPUS_ROOT", str(two_years))
    for argv in (["keyness", "--target", "2021", "--csv"], ["kwic", "缅甸", "--csv"], ["themes", "--csv"]):
        assert main(argv) == 0
        out = capsysbinary.readouterr().out
        assert out.startswith(b"\xef\xbb\xbf") and out.count(b"\xef\xbb\xbf") == 1, argv
        assert pd.read_csv(io.BytesIO(out), encoding="utf-8-sig").columns[0] in {"term", "doc_id", "theme", "year"}


@pytest.fixture(scope="module")
def eight_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds alternating over 2015-2022: more groups than `corpus themes` prints side by side."""
    files = {f"{year}-03-07_王毅.txt": SEED_2020 if year % 2 else SEED_2021 for year in range(2015, 2023)}
    return built_project(tmp_path_factory.mktemp("eight"), files)


def test_kwic_limit_shows_the_first_lines_and_says_it_cut(eight_years: Path) -> None:
    every = run_cli("kwic", "缅甸", root=eight_years).stdout.splitlines()
    result = run_cli("kwic", "缅甸", "--limit", "3", root=eight_years)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == every[:3]
    assert "the first 3 occurrences (--limit all shows every one)" in result.stderr
    assert len(every) == 4 * 11  # 缅甸 is in the 2021 seed only, here four years of it
    table = pd.read_csv(io.StringIO(run_cli("kwic", "缅甸", "--csv", root=eight_years).stdout))
    cut = run_cli("kwic", "缅甸", "--limit", "5", "--csv", root=eight_years)
    assert pd.read_csv(io.StringIO(cut.stdout)).equals(table.head(5))  # the CSV stays a CSV: the note goes to stderr
    assert "the first 5 occurrences" in cut.stderr
    assert run_cli("kwic", "缅甸", "--limit", str(len(every)), root=eight_years).stdout.splitlines() == every
    assert run_cli("kwic", "缅甸", "--limit", "all", root=eight_years).stdout.splitlines() == every
    refused = run_cli("kwic", "缅甸", "--limit", "0", root=eight_years)
    assert refused.returncode == 2 and "expected a positive number or `all`, got '0'" in refused.stderr


def test_themes_prints_long_past_six_groups(eight_years: Path) -> None:
    shares = pd.read_csv(io.StringIO(run_cli("themes", "--csv", root=eight_years).stdout))
    result = run_cli("themes", root=eight_years)
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()[1:]
    assert header.split() == ["year", "theme", "name_zh", "rate", "interval"]
    assert len(rows) == len(shares) == 8 * shares.theme.nunique()
    printed = [row.split()[:4] for row in rows]
    expected = shares.sort_values("year", kind="stable")
    assert printed == [
        [str(y), t, z, f"{r:.1f}"] for y, t, z, r in expected[["year", "theme", "name_zh", "per_10k"]].values
    ]
    first = expected.iloc[0]
    assert rows[0].endswith(f"[{first.ci_low:.1f}, {first.ci_high:.1f}]")
    two = run_cli("themes", "--by", "period:2019-01-01", root=eight_years).stdout.splitlines()[1]
    assert two.split() == ["theme", "name_zh", "..2018-12-31", "2019-01-01.."]  # few groups: one column each
