"""The HTML report: one self-contained page with the corpus summary, key tables, every chart and the parameters."""

from __future__ import annotations

import base64
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd
from PIL import Image

from corpus import __version__, analysis
from corpus.fonts import subset_font
from corpus.paths import PACKAGE_DIR, Paths
from corpus.store import read_state, read_table, write_text

TEMPLATE = "report.html.j2"
FONT_FAMILY = "Corpus Noto Sans SC"  # the page's own name for the embedded subset, so no system font stands in
PAGE_WIDTH_PX = 1600  # figures are shown at most ~800 CSS px wide: twice that stays sharp on high-DPI screens
_SECTION = re.compile(r"^(\d\d)_")


@dataclass(frozen=True)
class Figure:
    """One exported chart: its file stem, title (from the PNG's metadata) and a downscaled PNG for the page."""

    name: str
    title: str
    data_uri: str


def embed_png(path: Path) -> tuple[str, str]:
    """The PNG's title and a data URI of the image shrunk to the page width (the full file stays beside it)."""
    with Image.open(path) as image:
        title = image.info.get("Title", "")
        if image.width > PAGE_WIDTH_PX:
            image = image.resize((PAGE_WIDTH_PX, round(image.height * PAGE_WIDTH_PX / image.width)), Image.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
    return title, "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def collect_figures(directory: Path) -> dict[str, list[Figure]]:
    """The PNG charts in `directory`, grouped by the notebook number their names start with ('' for none)."""
    sections: dict[str, list[Figure]] = {}
    for path in sorted(directory.glob("*.png")) if directory.is_dir() else []:
        match = _SECTION.match(path.stem)
        title, uri = embed_png(path)
        sections.setdefault(match.group(1) if match else "", []).append(Figure(path.stem, title or path.stem, uri))
    return sections


def notebook_runs(directory: Path) -> dict[str, dict]:
    """Per executed notebook (by number): its title, file name and the parameters papermill ran it with."""
    runs = {}
    for path in sorted(directory.glob("[0-9][0-9]_*.ipynb")) if directory.is_dir() else []:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = [c for c in notebook["cells"] if c["cell_type"] == "markdown"]
        title = "".join(cells[0]["source"]).splitlines()[0].lstrip("# ").strip() if cells else path.stem
        parameters = notebook["metadata"].get("papermill", {}).get("parameters", {})
        runs[path.name[:2]] = {"title": title, "html": f"notebooks/{path.stem}.html", "parameters": parameters}
    return runs


def table(frame: pd.DataFrame, *, caption: str) -> dict:
    """A DataFrame as header and rows of display strings for the template (which escapes them)."""
    shown = frame.reset_index() if frame.index.name or isinstance(frame.index, pd.MultiIndex) else frame
    rows = [["" if pd.isna(v) else f"{v:,.0f}" if isinstance(v, float) else str(v) for v in r] for r in shown.values]
    return {"caption": caption, "columns": [str(c) for c in shown.columns], "rows": rows}


def key_tables(documents: pd.DataFrame, turns: pd.DataFrame) -> list[dict]:
    """The tables a reader needs first: the documents, who asked, and every question as asked."""
    asked = analysis.with_year(turns[turns.role.eq("question")], documents)
    questions = asked[["year", "question", "outlet", "outlet_en", "origin", "headline", "text"]]
    return [
        table(analysis.corpus_summary(documents, turns), caption="Press conferences 记者会"),
        table(analysis.questions_by_origin(turns, documents), caption="Questions by outlet origin 提问来源"),
        table(questions.rename(columns={"text": "question text 提问"}), caption="Every question 全部提问"),
    ]


def render(context: dict, *, font_uri: str = "") -> str:
    """The page from the template, every value HTML-escaped (jinja2 autoescape)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PACKAGE_DIR / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return environment.get_template(TEMPLATE).render(**context, font_family=FONT_FAMILY, font_uri=font_uri)


def report_context(paths: Paths) -> dict:
    """Everything the page shows, read from data/processed and reports/ (figures, executed notebooks)."""
    documents, turns = read_table(paths.processed, "documents"), read_table(paths.processed, "turns")
    runs, sections = notebook_runs(paths.reports / "notebooks"), collect_figures(paths.figures)
    return {
        "documents": documents.to_dict("records"),
        "tables": key_tables(documents, turns),
        "sections": [
            {"number": n, **runs.get(n, {"title": f"Figures {n}".strip(), "html": "", "parameters": {}}), "figures": f}
            for n, f in sorted(sections.items())
        ],
        "runs": runs,
        "inputs": read_state(paths.processed).get("raw", {}),
        "version": __version__,
    }


def write_report(paths: Paths) -> Path:
    """Write reports/index.html with a subset of the CJK font covering exactly the characters it uses."""
    context = report_context(paths)
    draft = render(context)
    font = subset_font("".join(sorted(set(draft))), family=FONT_FAMILY, flavor="woff2")
    page = render(context, font_uri="data:font/woff2;base64," + base64.b64encode(font).decode("ascii"))
    target = paths.reports / "index.html"
    write_text(target, page)
    return target
