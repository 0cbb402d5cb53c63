"""What a notebook compares and reads closely: years kept, target (latest) and reference (the rest), focus terms."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from corpus.analysis import context, keyness
from corpus.errors import CorpusError

__all__ = [
    "TOP", "Comparison", "choose", "collocations", "concordances", "focus_terms", "keep_documents", "keep_years",
    "keyness_table",
]  # fmt: skip

TOP = 20  # terms per table and chart: the notebooks' `top` parameter and the report's tables
NOTHING_TO_COMPARE = "Only one year in the corpus: nothing to compare. 语料中只有一个年份，无从比较。"


@dataclass(frozen=True)
class Comparison:
    """The years an analysis keeps, the target year and the reference years it is compared with."""

    years: tuple[int, ...]
    target: int
    reference: tuple[int, ...]

    @property
    def possible(self) -> bool:
        """Whether there is a reference at all (False with one year)."""
        return bool(self.reference)

    @property
    def reference_label(self) -> int | str:
        """The reference as a chart labels it: the year itself, or e.g. '2018–2020' for several."""
        if len(self.reference) <= 1:
            return self.reference[0] if self.reference else "none"
        consecutive = list(self.reference) == list(range(self.reference[0], self.reference[-1] + 1))
        return f"{self.reference[0]}–{self.reference[-1]}" if consecutive else "+".join(map(str, self.reference))

    @property
    def note(self) -> str:
        """One line saying what is compared, or why nothing is."""
        if not self.possible:
            return NOTHING_TO_COMPARE
        return f"Target {self.target} against reference {self.reference_label} (years kept: {_years(self.years)})."


def choose(
    documents: pd.DataFrame,
    *,
    years: Iterable[int] | None = None,
    target: int | None = None,
    reference: Iterable[int] | None = None,
) -> Comparison:
    """The comparison the parameters ask for: all years, the latest as target and the rest as reference by default."""
    available = sorted(int(y) for y in documents.year.dropna().unique())
    if not available:
        raise CorpusError("no documents: add transcripts to data/raw and run `corpus build`")
    kept = _known(available if years is None else years, available)
    chosen = kept[-1] if target is None else _known([target], kept)[0]
    rest = [y for y in kept if y != chosen] if reference is None else _known(reference, kept)
    if chosen in rest:
        raise CorpusError(f"year {chosen} is both the target and in the reference")
    return Comparison(tuple(kept), chosen, tuple(rest))


def keep_years(table: pd.DataFrame, comparison: Comparison) -> pd.DataFrame:
    """The rows of `table` (with a year column) in the comparison's years."""
    return table[table.year.isin(comparison.years)]


def keep_documents(table: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The rows of `table` (with a doc_id column) belonging to `documents`, e.g. after keep_years."""
    return table[table.doc_id.isin(documents.doc_id)]


def _known(wanted: Iterable[int], available: list[int]) -> list[int]:
    wanted = sorted({int(y) for y in wanted})
    if unknown := [y for y in wanted if y not in available]:
        raise CorpusError(f"year {_years(unknown)} not in the corpus (it has {_years(available)})")
    return wanted


def _years(years: Iterable[int]) -> str:
    return ", ".join(map(str, years))


def keyness_table(terms: pd.DataFrame, comparison: Comparison, **options: object) -> pd.DataFrame:
    """keyness.keyness of the target against the reference; an empty table (same columns) with one year."""
    if not comparison.possible:
        return pd.DataFrame(columns=keyness.KEYNESS_COLUMNS)
    return keyness.keyness(terms, comparison.target, list(comparison.reference), **options)


def focus_terms(key: pd.DataFrame, counts: pd.DataFrame, *, top: int = 2) -> list[str]:
    """Terms worth reading in context: the most significant over- and under-used (by G2), else the most frequent."""
    significant = key[key.significant.astype(bool)] if len(key) else key
    significant = significant.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    over = significant[significant.direction.eq("over")].term.head(top).tolist()
    under = significant[significant.direction.eq("under")].term.head(top).tolist()
    chosen = [t for i in range(top) for t in (over[i : i + 1] + under[i : i + 1])]  # over, under, over, ...
    frequent = counts.sort_values(["count", "term"], ascending=[False, True], kind="stable").term
    return list(dict.fromkeys([*chosen, *frequent]))[:top]


def concordances(tokens: pd.DataFrame, terms: list[str], *, width: int = 20, top: int = 10) -> pd.DataFrame:
    """context.kwic for each term, the first `top` lines of each, in the order the terms are given."""
    lines = [context.kwic(tokens, term, width=width).head(top) for term in terms]
    columns = ["year", "outlet", "role", "left", "keyword", "right"]
    return pd.concat(lines, ignore_index=True)[columns] if lines else pd.DataFrame(columns=columns)


def collocations(terms: pd.DataFrame, nodes: list[str], **options: object) -> pd.DataFrame:
    """context.collocations for each node term, one table (the node column tells them apart)."""
    tables = [context.collocations(terms, node, **options) for node in nodes]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=context.COLLOCATION_COLUMNS)
