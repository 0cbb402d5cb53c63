"""The layout gallery: every transcript in tests/fixtures/layouts parses with no options into its expected turns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from corpus.cli import main
from corpus.dataset.build import load_document
from corpus.errors import CorpusError
from corpus.ingest.clean import clean_text
from corpus.ingest.readers import read_text
from corpus.transcripts.parse import explain_transcript, parse_transcript

LAYOUTS = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"
FIXTURES = sorted(p for p in LAYOUTS.iterdir() if not p.name.endswith(".expected.yaml"))


def expected_for(path: Path) -> dict:
    return yaml.safe_load((LAYOUTS / f"{path.name.rsplit('.', 1)[0]}.expected.yaml").read_text(encoding="utf-8"))


def test_every_fixture_has_its_expected_result() -> None:
    expected = sorted(LAYOUTS.glob("*.expected.yaml"))
    assert len(FIXTURES) == len(expected) >= 10
    for path in FIXTURES:
        assert expected_for(path)["turns"], path.name


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_layout_parses_with_no_options(path: Path, capsys) -> None:
    expected = expected_for(path)
    document, turns = load_document(path)
    assert (document.date, document.speaker, document.event) == (
        str(expected["date"]),
        expected["speaker"],
        expected["event"],
    )
    who = turns.outlet.where(turns.role == "question", turns.speaker)
    found = [(role, None if pd.isna(w) else w, text) for role, w, text in zip(turns.role, who, turns.text, strict=True)]
    assert [(role, who) for role, who, _ in found] == [(role, who) for role, who, _ in expected["turns"]]
    for (_, _, text), (_, _, start) in zip(found, expected["turns"], strict=True):
        assert len(start) >= 8 and text.startswith(start), (text[:20], start)
    questions = turns[turns.role == "question"].question.tolist()
    assert questions == list(range(1, len(questions) + 1))
    assert turns[turns.role == "answer"].question.tolist() == questions
    if "headlines" in expected:
        assert turns.headline.dropna().tolist() == expected["headlines"]
    warnings = capsys.readouterr().err.strip().splitlines()
    assert len(warnings) == (1 if expected.get("warning") else 0), warnings


def test_unnamed_answerer_is_named_by_the_speaker_option(capsys) -> None:
    path = LAYOUTS / "answerer_unnamed.txt"
    document, turns = load_document(path, speaker="耿爽")
    assert document.speaker == "耿爽" and set(turns[turns.role == "answer"].speaker) == {"耿爽"}
    assert capsys.readouterr().err == ""
    load_document(path)
    assert "--speaker" in capsys.readouterr().err


def test_no_date_anywhere_says_where_to_give_it() -> None:
    text = clean_text((LAYOUTS / "2019-03-08_no_title.txt").read_text(encoding="utf-8"))
    with pytest.raises(CorpusError, match=r"^briefing\.txt: no date found.*--date.*file name"):
        parse_transcript(text, name="briefing.txt")
    assert parse_transcript(text, name="briefing.txt", date="2019-03-08")[0].date == "2019-03-08"


@pytest.mark.parametrize(
    ("first_line", "message"),
    [
        ("新华社北京2022年3月8日电　十三届全国人大三次会议记者会", r"2022-03-08.*dateline.*2020.*十三届全国人大三次"),
        ("2023年6月21日外交部发言人毛宁主持例行记者会（2023年6月22日）", r"2023-06-21.*2023-06-22"),
    ],
)
def test_two_dates_that_disagree_are_refused_naming_both(first_line: str, message: str) -> None:
    body = (LAYOUTS / "2019-03-08_no_title.txt").read_text(encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        parse_transcript(clean_text(f"{first_line}\n{body}"), name="x.txt")


@pytest.mark.parametrize(
    ("first_line", "date"),
    [
        ("新华社北京3月8日电　十三届全国人大一次会议记者会", "2018-03-08"),
        ("国台办新闻发布会辑录（2016-12-14）", "2016-12-14"),
        ("2023年6月21日外交部发言人毛宁主持例行记者会", "2023-06-21"),
        ("十三届全国人大三次会议新闻中心5月24日举行记者会", "2020-05-24"),
        ("2018年7月6日外交部发言人陆慷主持例行记者会\n2018-07-07 08:15 来源：新华网", "2018-07-06"),
        ("外交部发言人例行记者会\n2018-07-06 21:05", "2018-07-06"),
    ],
)
def test_date_from_title_dateline_or_session(first_line: str, date: str) -> None:
    body = (LAYOUTS / "2019-03-08_no_title.txt").read_text(encoding="utf-8")
    assert parse_transcript(clean_text(f"{first_line}\n{body}"), name="x.txt")[0].date == date


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_character_is_in_a_turn_or_dropped_for_a_reason(path: Path) -> None:
    explanation = explain_transcript(read_text(path), name=str(path))
    _, turns = load_document(path)
    assert explanation.turn_chars == turns.text.str.replace(r"\s", "", regex=True).str.len().sum()
    assert explanation.balanced and explanation.dropped["labels"] > 0
    assert explanation.turns == turns.role.value_counts().reindex(explanation.turns, fill_value=0).to_dict()


def test_parse_explain_says_how_the_file_was_read(capsys) -> None:
    path = LAYOUTS / "tao_unknown_label.txt"
    assert main(["parse", str(path), "--explain"]) == 0
    lines = dict(line.split(":", 1) for line in capsys.readouterr().out.splitlines() if not line.startswith(" "))
    assert "answerer label not in speakers.yaml: 安峰山" in lines["layout"]
    assert lines["answerer"].strip() == "安峰山 (from the labels: 安峰山：)"
    assert lines["date"].strip() == "2016-12-14 (from the title's 2016-12-14)"
    assert lines["turns"].strip() == "opening 1, question 3, answer 3, closing 0, narration 1"
    assert "MISMATCH" not in lines["text"] and "unplaced" in lines


def test_the_readme_shows_the_explain_output_as_printed(capsys) -> None:
    readme = (LAYOUTS.parents[2] / "README.md").read_text(encoding="utf-8")
    command = "$ corpus parse tests/fixtures/layouts/tao_unknown_label.txt --explain\n"
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    assert main(["parse", str(LAYOUTS / "tao_unknown_label.txt"), "--explain"]) == 0
    assert capsys.readouterr().out == shown
