"""The HTML report: one self-contained page with the corpus summary, key tables, every chart and the parameters."""

from __future__ import annotations

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
from corpus.charts.save import provenance, read_manifest
from corpus.paths import PACKAGE_DIR, Paths
from corpus.report import tables
from corpus.report.tables import write_csv
from corpus.store import read_table, write_text

__all__ = [
    "FONT_FAMILY", "TEMPLATE", "Figure", "collect_figures", "embed_cjk_font", "embed_png", "font_uri",
    "notebook_parameters", "notebook_runs", "render", "report_context", "write_report",
]  # fmt: skip

TEMPLATE = "report.html.j2"
FONT_FAMILY = "Corpus Noto Sans SC"  # the page's own name for the embedded subset, so no system font stands in
PAGE_WIDTH_PX = 1600  # figures are shown at most ~800 CSS px wide: twice that stays sharp on high-DPI screens
COMPARISON = ("years", "target", "reference")  # the notebook parameters that say what is compared
_SECTION = re.compile(r"^(\d\d)_")


@dataclass(frozen=True)
class Figure:
    """One exported chart: its file stem, title (from the manifest or the PNG's metadata) and a PNG for the page."""

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


def collect_figures(directory: Path, manifest: dict[str, dict]) -> dict[str, list[Figure]]:
    """The PNG charts in `directory`, grouped by the notebook number their names start with ('' for none).

    Charts recorded in the manifest (charts.save.read_manifest) come first, in the order each notebook saved them,
    titled as recorded; any others follow by name.
    """
    paths = sorted(directory.glob("*.png")) if directory.is_dir() else []
    order = {name: (entry.get("notebook") or "", entry.get("order", 0)) for name, entry in manifest.items()}
    sections: dict[str, list[Figure]] = {}
    for path in sorted(paths, key=lambda p: (p.stem not in order, order.get(p.stem, ("", 0)), p.stem)):
        match = _SECTION.match(path.stem)
        title, uri = embed_png(path)
        title = manifest.get(path.stem, {}).get("title") or title or path.stem
        sections.setdefault(match.group(1) if match else "", []).append(Figure(path.stem, title, uri))
    return sections


def notebook_parameters(manifest: dict[str, dict]) -> dict[str, dict]:
    """Per notebook (by name, e.g. 03_tfidf_keyness): the parameters its figures were saved with."""
    return {e["notebook"]: e.get("parameters", {}) for _, e in sorted(manifest.items()) if e.get("notebook")}


def notebook_runs(directory: Path, manifest: dict[str, dict]) -> dict[str, dict]:
    """Per notebook (by number): its title, executed HTML copy, the parameters it ran with and the charts it saved.

    Parameters and charts come from the figure manifest; the title from the executed notebook's first heading.
    """
    parameters = notebook_parameters(manifest)
    saved: dict[str, list[str]] = {}
    for name, entry in sorted(manifest.items(), key=lambda item: (item[1].get("order", 0), item[0])):
        saved.setdefault(entry.get("notebook") or "", []).append(name)
    names = {p.stem for p in directory.glob("[0-9][0-9]_*.ipynb")} if directory.is_dir() else set()
    runs = {}
    for stem in sorted(names | set(parameters)):
        path = directory / f"{stem}.ipynb"
        title = stem
        if path.exists():
            cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "markdown"]
            title = "".join(cells[0]["source"]).splitlines()[0].lstrip("# ").strip() if cells else stem
        html = f"notebooks/{stem}.html" if path.exists() else ""
        runs[stem[:2]] = {
            "title": title,
            "html": html,
            "parameters": parameters.get(stem, {}),
            "figures": saved.get(stem, []),
        }
    return runs


def render(context: dict, *, font_uri: str = "") -> str:
    """The page from the template, every value HTML-escaped (jinja2 autoescape)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PACKAGE_DIR / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return environment.get_template(TEMPLATE).render(**context, font_family=FONT_FAMILY, font_uri=font_uri)


def report_context(paths: Paths) -> dict:
    """Everything the page shows, from data/processed and reports/ (the figure manifest, executed notebooks).

    The comparison and `top` are those the notebooks saved their figures with (the defaults when none did), and the
    tables come from the same functions the notebooks call.
    """
    documents, turns = read_table(paths.processed, "documents"), read_table(paths.processed, "turns")
    manifest = read_manifest(paths.figures)
    runs = notebook_runs(paths.reports / "notebooks", manifest)
    figures = collect_figures(paths.figures, manifest)
    used = [run["parameters"] for run in runs.values()]
    chosen = {k: v for parameters in used for k, v in parameters.items() if k in COMPARISON}
    top = next((p["top"] for p in used if p.get("top") is not None), compare.TOP)
    comparison = compare.choose(documents, **chosen)
    documents = compare.keep_years(documents, comparison)
    turns = compare.keep_documents(turns, documents)
    untitled = {"html": "", "parameters": {}, "figures": []}
    inputs = next((e["provenance"] for _, e in sorted(manifest.items()) if e.get("provenance")), None)
    return {
        "documents": documents.to_dict("records"),
        "comparison": comparison.note,
        "tables": [
            *tables.corpus_tables(documents, turns),
            *tables.analysis_tables(paths.processed, comparison, top=top),
        ],
        "sections": [
            {"number": n, "title": f"Figures {n}" if n else "Other figures", **runs.get(n, untitled), "figures": f}
            for n, f in sorted(figures.items())
        ],
        "runs": runs,
        "provenance": inputs or provenance(paths.processed),
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
    """Write reports/index.html with a subset of the CJK font covering exactly the characters it uses, and beside it
    the full CSV of each table the page shows only the first rows of."""
    context = report_context(paths)
    for shown in context["tables"]:
        if shown["full"] is not None:
            write_csv(shown["full"], paths.reports / shown["csv"])
    page = render(context, font_uri=font_uri(render(context)))
    target = paths.reports / "index.html"
    write_text(target, page)
    return target
