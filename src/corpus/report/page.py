"""The HTML report: one self-contained page with the corpus summary, key tables, every chart and the parameters."""

from __future__ import annotations

import ast
import base64
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from PIL import Image

from corpus import __version__
from corpus.analysis import compare
from corpus.charts.fonts import subset_font
from corpus.paths import PACKAGE_DIR, Paths
from corpus.report import tables
from corpus.store import read_state, read_table, write_text

TEMPLATE = "report.html.j2"
FONT_FAMILY = "Corpus Noto Sans SC"  # the page's own name for the embedded subset, so no system font stands in
PAGE_WIDTH_PX = 1600  # figures are shown at most ~800 CSS px wide: twice that stays sharp on high-DPI screens
COMPARISON = ("years", "target", "reference")  # the notebook parameters that say what is compared
_SECTION = re.compile(r"^(\d\d)_")
_SAVED = re.compile(r"save_figure\([^\n]*?\"([a-z0-9][a-z0-9_\-]*)\"")  # the chart names a notebook saves


@dataclass(frozen=True)
class Figure:
    """One exported chart: its file stem, title (from the PNG's metadata) and a downscaled PNG for the page."""

    name: str
    title: str
    data_uri: str


def embed_png(path: Path) -> tuple[str, str]:
    """The PNG's title and a data URI of it shrunk to the page width, in 256 colours (the full file stays beside it).

    Charts hold few colours, so the palette costs nothing visible and makes the page about 2.7 times smaller.
    """
    with Image.open(path) as image:
        title = image.info.get("Title", "")
        if image.width > PAGE_WIDTH_PX:
            image = image.resize((PAGE_WIDTH_PX, round(image.height * PAGE_WIDTH_PX / image.width)), Image.BOX)
        image = image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
    return title, "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def collect_figures(directory: Path, order: list[str]) -> dict[str, list[Figure]]:
    """The PNG charts in `directory`, grouped by the notebook number their names start with ('' for none).

    Charts named in `order` (as the notebooks save them) come first, in that order; any others follow by name.
    """
    paths = sorted(directory.glob("*.png")) if directory.is_dir() else []
    rank = {name: i for i, name in enumerate(order)}
    sections: dict[str, list[Figure]] = {}
    for path in sorted(paths, key=lambda p: (rank.get(p.stem, len(rank)), p.stem)):
        match = _SECTION.match(path.stem)
        title, uri = embed_png(path)
        sections.setdefault(match.group(1) if match else "", []).append(Figure(path.stem, title or path.stem, uri))
    return sections


def run_parameters(notebook: dict) -> dict:
    """The parameters a notebook ran with: its parameters cell's values, overridden by those papermill injected."""
    cells = [c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", [])]
    values = {}
    for statement in ast.parse("".join(cells[0]["source"]) if cells else "").body:
        if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
            values[statement.targets[0].id] = ast.literal_eval(statement.value)
    return {**values, **notebook["metadata"].get("papermill", {}).get("parameters", {})}


def notebook_runs(directory: Path) -> dict[str, dict]:
    """Per executed notebook (by number): its title, HTML file and the parameters it ran with."""
    runs = {}
    for path in sorted(directory.glob("[0-9][0-9]_*.ipynb")) if directory.is_dir() else []:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = [c for c in notebook["cells"] if c["cell_type"] == "markdown"]
        title = "".join(cells[0]["source"]).splitlines()[0].lstrip("# ").strip() if cells else path.stem
        html = f"notebooks/{path.stem}.html"
        code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
        figures = _SAVED.findall(code)
        runs[path.name[:2]] = {"title": title, "html": html, "parameters": run_parameters(notebook), "figures": figures}
    return runs


def render(context: dict, *, font_uri: str = "") -> str:
    """The page from the template, every value HTML-escaped (jinja2 autoescape)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PACKAGE_DIR / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return environment.get_template(TEMPLATE).render(**context, font_family=FONT_FAMILY, font_uri=font_uri)


def report_context(paths: Paths) -> dict:
    """Everything the page shows, from data/processed and reports/ (figures, executed notebooks' parameters)."""
    documents, turns = read_table(paths.processed, "documents"), read_table(paths.processed, "turns")
    runs = notebook_runs(paths.reports / "notebooks")
    figures = collect_figures(paths.figures, [name for run in runs.values() for name in run["figures"]])
    chosen = {k: v for run in runs.values() for k, v in run["parameters"].items() if k in COMPARISON}
    comparison = compare.choose(documents, **chosen)
    documents = compare.keep_years(documents, comparison)
    turns = compare.keep_documents(turns, documents)
    untitled = {"html": "", "parameters": {}, "figures": []}
    return {
        "documents": documents.to_dict("records"),
        "comparison": comparison.note,
        "tables": [*tables.corpus_tables(documents, turns), *tables.analysis_tables(paths.processed, comparison)],
        "sections": [
            {"number": n, "title": f"Figures {n}" if n else "Other figures", **runs.get(n, untitled), "figures": f}
            for n, f in sorted(figures.items())
        ],
        "runs": runs,
        "inputs": read_state(paths.processed).get("raw", {}),
        "version": __version__,
    }


def font_uri(text: str) -> str:
    """A data URI of the CJK face subset to exactly the characters of `text` (woff2)."""
    font = subset_font("".join(sorted(set(text))), family=FONT_FAMILY, flavor="woff2")
    return "data:font/woff2;base64," + base64.b64encode(font).decode("ascii")


def embed_cjk_font(page: str) -> str:
    """An HTML page (e.g. a notebook exported by nbconvert) with the CJK face embedded as every font's fallback.

    Browsers fall back glyph by glyph along the font list, so Latin text keeps the page's fonts and Chinese
    draws with the embedded face even where no CJK font is installed.
    """
    fallback = f'"{FONT_FAMILY}"'
    style = (
        f'<style>@font-face {{ font-family: {fallback}; src: url("{font_uri(page)}") format("woff2"); }}\n'
        f":root {{ --jp-content-font-family: system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, {fallback},"
        f" sans-serif; --jp-ui-font-family: var(--jp-content-font-family);"
        f" --jp-code-font-family: Menlo, Consolas, 'DejaVu Sans Mono', {fallback}, monospace; }}\n"
        "body { font-family: var(--jp-content-font-family); }\n"
        # Chromium draws a table cell that starts in Latin (2020-05-24_王毅) wholly in the stack's first font,
        # boxes for the Chinese: cells take the embedded face first (the subset has the page's Latin too).
        f"table, th, td, caption {{ font-family: {fallback}, var(--jp-content-font-family); }}</style>"
    )
    return page.replace("</head>", style + "</head>", 1)


def write_report(paths: Paths) -> Path:
    """Write reports/index.html with a subset of the CJK font covering exactly the characters it uses."""
    context = report_context(paths)
    page = render(context, font_uri=font_uri(render(context)))
    target = paths.reports / "index.html"
    write_text(target, page)
    return target
