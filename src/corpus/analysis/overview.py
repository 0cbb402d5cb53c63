"""Corpus-level tables: who asked, who answered, and how long; tidy DataFrames for notebooks and reports."""

from __future__ import annotations

import pandas as pd

from corpus.tokens.units import turn_info

__all__ = [
    "answer_lengths",
    "corpus_summary",
    "questions_by_origin",
    "questions_by_outlet",
    "turns_per_role",
    "with_year",
]


def with_year(table: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """`table` (with a doc_id column) joined to each document's date and year.

    >>> documents = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2020-05-24", "2021-03-07"], "year": [2020, 2021],
    ...     "speaker": "王毅", "event": ["十三届全国人大三次会议", "十三届全国人大四次会议"]})
    >>> turns = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "b", "b"], "turn": [1, 2, 1, 2, 3, 4],
    ...     "role": ["question", "answer"] * 3, "question": [1, 1, 1, 1, 2, 2], "n_chars": [30, 400, 25, 350, 40, 500],
    ...     "outlet": ["路透社", "", "新华社", "", "路透社", ""],
    ...     "outlet_en": ["Reuters", "", "Xinhua", "", "Reuters", ""],
    ...     "origin": ["foreign", "", "mainland", "", "foreign", ""], "country": ["UK", "", "CN", "", "UK", ""]})
    >>> with_year(turns[turns.role.eq("question")], documents)[["doc_id", "question", "outlet", "year"]]
      doc_id  question outlet  year
    0      a         1    路透社  2020
    1      b         1    新华社  2021
    2      b         2    路透社  2021
    """
    return table.merge(documents[["doc_id", "date", "year"]], on="doc_id", how="left", validate="many_to_one")


def corpus_summary(documents: pd.DataFrame, turns: pd.DataFrame) -> pd.DataFrame:
    """One row per document: date, year, speaker, event, questions, answers, characters of answers.

    >>> documents = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2020-05-24", "2021-03-07"], "year": [2020, 2021],
    ...     "speaker": "王毅", "event": ["十三届全国人大三次会议", "十三届全国人大四次会议"]})
    >>> turns = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "b", "b"], "turn": [1, 2, 1, 2, 3, 4],
    ...     "role": ["question", "answer"] * 3, "question": [1, 1, 1, 1, 2, 2], "n_chars": [30, 400, 25, 350, 40, 500],
    ...     "outlet": ["路透社", "", "新华社", "", "路透社", ""],
    ...     "outlet_en": ["Reuters", "", "Xinhua", "", "Reuters", ""],
    ...     "origin": ["foreign", "", "mainland", "", "foreign", ""], "country": ["UK", "", "CN", "", "UK", ""]})
    >>> corpus_summary(documents, turns)[["doc_id", "year", "questions", "answers", "answer_chars", "all_chars"]]
      doc_id  year  questions  answers  answer_chars  all_chars
    0      a  2020          1        1           400        430
    1      b  2021          2        2           850        915
    """
    answers = turns[turns.role.eq("answer")]
    counts = pd.DataFrame(
        {
            "questions": turns[turns.role.eq("question")].groupby("doc_id").size(),
            "answers": answers.groupby("doc_id").size(),
            "answer_chars": answers.groupby("doc_id").n_chars.sum(),
            "all_chars": turns.groupby("doc_id").n_chars.sum(),
        }
    )
    table = documents[["doc_id", "date", "year", "speaker", "event"]].merge(
        counts, left_on="doc_id", right_index=True, how="left"
    )
    return (
        table.fillna({"questions": 0, "answers": 0})
        .sort_values(["date", "doc_id"], kind="stable")
        .reset_index(drop=True)
    )


def turns_per_role(turns: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Count of turns per role (rows) and year (columns).

    >>> documents = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2020-05-24", "2021-03-07"], "year": [2020, 2021],
    ...     "speaker": "王毅", "event": ["十三届全国人大三次会议", "十三届全国人大四次会议"]})
    >>> turns = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "b", "b"], "turn": [1, 2, 1, 2, 3, 4],
    ...     "role": ["question", "answer"] * 3, "question": [1, 1, 1, 1, 2, 2], "n_chars": [30, 400, 25, 350, 40, 500],
    ...     "outlet": ["路透社", "", "新华社", "", "路透社", ""],
    ...     "outlet_en": ["Reuters", "", "Xinhua", "", "Reuters", ""],
    ...     "origin": ["foreign", "", "mainland", "", "foreign", ""], "country": ["UK", "", "CN", "", "UK", ""]})
    >>> turns_per_role(turns, documents)
    year      2020  2021
    role
    question     1     2
    answer       1     2
    """
    table = with_year(turns, documents).pivot_table(
        index="role", columns="year", values="turn", aggfunc="count", fill_value=0
    )
    order = [r for r in ("narration", "opening", "question", "answer", "closing") if r in table.index]
    return table.loc[order]


def questions_by_outlet(turns: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Questions per outlet and year, with the outlet's English name, origin and country.

    >>> documents = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2020-05-24", "2021-03-07"], "year": [2020, 2021],
    ...     "speaker": "王毅", "event": ["十三届全国人大三次会议", "十三届全国人大四次会议"]})
    >>> turns = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "b", "b"], "turn": [1, 2, 1, 2, 3, 4],
    ...     "role": ["question", "answer"] * 3, "question": [1, 1, 1, 1, 2, 2], "n_chars": [30, 400, 25, 350, 40, 500],
    ...     "outlet": ["路透社", "", "新华社", "", "路透社", ""],
    ...     "outlet_en": ["Reuters", "", "Xinhua", "", "Reuters", ""],
    ...     "origin": ["foreign", "", "mainland", "", "foreign", ""], "country": ["UK", "", "CN", "", "UK", ""]})
    >>> questions_by_outlet(turns, documents)
    year outlet outlet_en    origin country  2020  2021  total
    0       路透社   Reuters   foreign      UK     1     1      2
    1       新华社    Xinhua  mainland      CN     0     1      1
    """
    questions = with_year(turns[turns.role.eq("question")], documents)
    keys = ["outlet", "outlet_en", "origin", "country"]
    table = questions.fillna({k: "" for k in keys}).pivot_table(
        index=keys, columns="year", values="turn", aggfunc="count", fill_value=0
    )
    table["total"] = table.sum(axis=1)
    return table.sort_values(["total", *keys], ascending=[False, True, True, True, True], kind="stable").reset_index()


def questions_by_origin(turns: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Questions per outlet origin (mainland, hk_macao_taiwan, foreign) and year.

    >>> documents = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2020-05-24", "2021-03-07"], "year": [2020, 2021],
    ...     "speaker": "王毅", "event": ["十三届全国人大三次会议", "十三届全国人大四次会议"]})
    >>> turns = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "b", "b"], "turn": [1, 2, 1, 2, 3, 4],
    ...     "role": ["question", "answer"] * 3, "question": [1, 1, 1, 1, 2, 2], "n_chars": [30, 400, 25, 350, 40, 500],
    ...     "outlet": ["路透社", "", "新华社", "", "路透社", ""],
    ...     "outlet_en": ["Reuters", "", "Xinhua", "", "Reuters", ""],
    ...     "origin": ["foreign", "", "mainland", "", "foreign", ""], "country": ["UK", "", "CN", "", "UK", ""]})
    >>> questions_by_origin(turns, documents)
    year      2020  2021
    origin
    foreign      1     1
    mainland     0     1
    """
    questions = with_year(turns[turns.role.eq("question")], documents)
    return questions.pivot_table(index="origin", columns="year", values="turn", aggfunc="count", fill_value=0)


def answer_lengths(turns: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One row per answer: year, question number, the asking outlet and the answer's length in characters.

    >>> documents = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2020-05-24", "2021-03-07"], "year": [2020, 2021],
    ...     "speaker": "王毅", "event": ["十三届全国人大三次会议", "十三届全国人大四次会议"]})
    >>> turns = pd.DataFrame({"doc_id": ["a", "a", "b", "b", "b", "b"], "turn": [1, 2, 1, 2, 3, 4],
    ...     "role": ["question", "answer"] * 3, "question": [1, 1, 1, 1, 2, 2], "n_chars": [30, 400, 25, 350, 40, 500],
    ...     "outlet": ["路透社", "", "新华社", "", "路透社", ""],
    ...     "outlet_en": ["Reuters", "", "Xinhua", "", "Reuters", ""],
    ...     "origin": ["foreign", "", "mainland", "", "foreign", ""], "country": ["UK", "", "CN", "", "UK", ""]})
    >>> answer_lengths(turns, documents)
      doc_id        date  year  question  n_chars outlet    origin
    0      a  2020-05-24  2020         1      400    路透社   foreign
    1      b  2021-03-07  2021         1      350    新华社  mainland
    2      b  2021-03-07  2021         2      500    路透社   foreign
    """
    answers = turns.loc[turns.role.eq("answer"), ["doc_id", "turn", "n_chars"]]
    table = answers.merge(turn_info(turns, documents), on=["doc_id", "turn"], how="left", validate="one_to_one")
    table = table[["doc_id", "date", "year", "question", "n_chars", "outlet", "origin"]]
    return table.sort_values(["date", "doc_id", "question"], kind="stable").reset_index(drop=True)
