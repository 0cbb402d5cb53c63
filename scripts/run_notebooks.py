"""Execute notebooks with papermill into reports/notebooks/ and export each to HTML (used by `make all`)."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter

from corpus.paths import get_paths


def run(notebook: Path, out_dir: Path, parameters: dict) -> Path:
    """Execute one notebook, save it executed, and write its HTML beside it."""
    executed = out_dir / notebook.name
    papermill.execute_notebook(
        str(notebook),
        str(executed),
        parameters=parameters,
        cwd=str(notebook.parent),
        progress_bar=False,
        kernel_name="python3",
    )
    html, _ = HTMLExporter().from_notebook_node(nbformat.read(executed, as_version=4))
    executed.with_suffix(".html").write_text(html, encoding="utf-8")
    return executed


def main(notebooks: list[str]) -> int:
    paths = get_paths()
    out_dir = paths.reports / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in notebooks:
        executed = run(Path(name), out_dir, {"root": str(paths.root)})
        print(f"executed {name} -> {executed.relative_to(paths.root)} (+ .html)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
