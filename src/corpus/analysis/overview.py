"""Corpus-level tables: who asked, who answered, and how long; tidy DataFrames for notebooks and reports."""

from __future__ import annotations

import pandas as pd

from corpus.tokens.units import turn_info


def with_year(table: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """`table` (with a doc_id column) joined to each document's date and year."""
    return table.merge(documents[["doc_id", "date", "year"]], on="doc_id", how="left", validate="many_to_one")


def corpus_summary(documents: pd.DataFrame, turns: pd.DataFrame) -> pd.DataFrame:
    """One row per document: date, year, speaker, event, questions, answers, characters of answers."""
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
    """Count of turns per role (rows) and year (columns)."""
    table = with_year(turns, documents).pivot_table(
        index="role", columns="year", values="turn", aggfunc="count", fill_value=0
    )
    order = [r for r in ("narration", "opening", "question", "answer", "closing") if r in table.index]
    return table.loc[order]


def questions_by_outlet(turns: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Questions per outlet and year, with the outlet's English name, origin and country."""
    questions = with_year(turns[turns.role.eq("question")], documents)
    keys = ["outlet", "outlet_en", "origin", "country"]
    table = questions.fillna({k: "" for k in keys}).pivot_table(
        index=keys, columns="year", values="turn", aggfunc="count", fill_value=0
    )
    table["total"] = table.sum(axis=1)
    return table.sort_values(["total", *keys], ascending=[False, True, True, True, True], kind="stable").reset_index()


def questions_by_origin(turns: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Questions per outlet origin (mainland, hk_macao_taiwan, foreign) and year."""
    questions = with_year(turns[turns.role.eq("question")], documents)
    return questions.pivot_table(index="origin", columns="year", values="turn", aggfunc="count", fill_value=0)


def answer_lengths(turns: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One row per answer: year, question number, the asking outlet and the answer's length in characters."""
    answers = turns.loc[turns.role.eq("answer"), ["doc_id", "turn", "n_chars"]]
    table = answers.merge(turn_info(turns, documents), on=["doc_id", "turn"], how="left", validate="one_to_one")
    table = table[["doc_id", "date", "year", "question", "n_chars", "outlet", "origin"]]
    return table.sort_values(["date", "doc_id", "question"], kind="stable").reset_index(drop=True)
