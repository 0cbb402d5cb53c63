"""A notebook's session: the built tables read (never built), the comparison chosen, the style set, figures recorded.

Every numbered notebook starts with one call instead of a setup cell of its own::

    s = session(root, years=years, target=target, reference=reference, figures=figures, notebook="03_tfidf_keyness")
    s.terms  # content words of the kept years' answers, loaded on first use
    s.save(fig, "03_keyness")  # PNG/SVG/PDF + an entry in reports/figures/index.json with the parameters

`corpus.notebook` may import any stage; no module of the package imports it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from corpus import store
from corpus.analysis import compare
from corpus.charts import style
from corpus.charts.save import provenance, save_figure
from corpus.dataset.build import fingerprint, raw_files
from corpus.errors import CorpusError
from corpus.paths import Paths, get_paths
from corpus.tokens import units

__all__ = ["Session", "require_built", "session"]

NOT_BUILT = "run `make data` (or `corpus build`) first"


@dataclass
class Session:
    """What a notebook reads and where it writes: kept tables (loaded lazily), the comparison, the figures folder.

    `parameters` are the notebook's own parameters as recorded with every figure it saves (the project root is
    left out: it says where the data is, not what was computed).
    """

    paths: Paths
    comparison: compare.Comparison
    figures: Path
    notebook: str | None = None
    by: str = "year"
    parameters: dict = field(default_factory=dict)

    @cached_property
    def documents(self) -> pd.DataFrame:
        """The documents table (see the README's processed tables) in the kept years."""
        return compare.keep_years(store.read_table(self.paths.processed, "documents"), self.comparison)

    @cached_property
    def turns(self) -> pd.DataFrame:
        """The turns table of the kept documents."""
        return compare.keep_documents(store.read_table(self.paths.processed, "turns"), self.documents)

    @cached_property
    def tokens(self) -> pd.DataFrame:
        """The annotated token table (units.load_tokens) of the kept years."""
        return compare.keep_years(units.load_tokens(self.paths.processed), self.comparison)

    @cached_property
    def terms(self) -> pd.DataFrame:
        """Content words of the answers (units.terms): stopwords, punctuation and numbers left out."""
        return units.terms(self.tokens)

    @cached_property
    def provenance(self) -> dict:
        """The inputs every figure of this session came from (charts.save.provenance of the build)."""
        return provenance(self.paths.processed)

    def save(self, fig: Figure, name: str, *, directory: Path | None = None) -> list[Path]:
        """save_figure into the session's figures folder, recording this notebook, its parameters and inputs."""
        return save_figure(
            fig,
            name,
            directory=self.figures if directory is None else Path(directory),
            notebook=self.notebook,
            parameters=self.parameters,
            provenance=self.provenance,
        )


def require_built(paths: Paths) -> dict:
    """The build state of `paths`; a CorpusError when the tables were never built, a warning when they are stale."""
    state = store.read_state(paths.processed)
    if not state:
        raise CorpusError(f"{paths.processed}: no processed tables; {NOT_BUILT}")
    inputs = fingerprint(raw_files(paths.raw), paths.manifest, dictionaries=paths.dictionaries)
    if {key: state.get(key) for key in inputs} != inputs:  # the state also holds what the build made of them
        warnings.warn(f"{paths.raw} or the dictionaries changed since the last build; {NOT_BUILT}", stacklevel=3)
    return state


def session(
    root: str | Path | None = None,
    *,
    years: list[int] | None = None,
    target: int | None = None,
    reference: list[int] | None = None,
    figures: str | Path | None = None,
    by: str = "year",
    notebook: str | None = None,
    **parameters: object,
) -> Session:
    """Read the built project at `root`, choose the comparison, apply the chart style; the notebook's setup cell.

    Never builds: a CorpusError says to run `make data` when data/processed is missing. Extra keyword arguments
    (e.g. top=20, n_topics=6) are recorded as the notebook's parameters with every figure it saves.

    >>> s = session(notebook="03_tfidf_keyness", top=20)  # doctest: +SKIP
    >>> s.comparison.note  # doctest: +SKIP
    'Target 2021 against reference 2020 (years kept: 2020, 2021).'
    """
    paths = get_paths(root)
    require_built(paths)
    documents = store.read_table(paths.processed, "documents")
    comparison = compare.choose(documents, years=years, target=target, reference=reference)
    style.use_style()
    recorded = {"years": years, "target": target, "reference": reference, "by": by, **parameters}
    return Session(
        paths=paths,
        comparison=comparison,
        figures=Path(figures) if figures else paths.figures,
        notebook=notebook,
        by=by,
        parameters=recorded,
    )
