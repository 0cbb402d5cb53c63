"""Execute notebooks with papermill into reports/notebooks/ and export each to HTML (used by `make all`).

Notebooks run two at a time (one kernel per core) on the project's Jupyter kernel "corpus" (`make venv` registers
it), over IPC sockets; each writes its own charts, so they do not depend on each other. Each HTML copy embeds a
subset of the CJK font covering its own characters, so its Chinese, tables included, draws on any machine.
"""

from __future__ import annotations

import os
import sys
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from nbconvert import HTMLExporter

from corpus.dataset.build import build
from corpus.paths import get_paths
from corpus.report.page import embed_cjk_font
from corpus.store import write_text

# Make's MPLBACKEND=Agg would keep charts out of the executed notebooks; the kernel should draw them inline.
INLINE = "module://matplotlib_inline.backend_inline"
KERNEL = "corpus"  # the notebooks' kernelspec; `make venv` registers it inside .venv


class IPCKernelManager(AsyncKernelManager):
    """A kernel on local IPC sockets rather than TCP: nothing leaves the machine, and the kernel prints no
    "Kernel is running over TCP without encryption" warning for each notebook."""

    def __init__(self, **kwargs) -> None:
        # Each kernel its own socket names: the default prefix (kernel-ipc in the working folder) is shared by
        # notebooks starting at once, whose kernels would then answer each other ("Invalid Signature").
        runtime = Path(jupyter_runtime_dir())
        runtime.mkdir(parents=True, exist_ok=True)
        super().__init__(transport="ipc", ip=str(runtime / f"corpus-{uuid.uuid4().hex[:12]}"), **kwargs)


def run(notebook: Path, out_dir: Path, parameters: dict) -> Path:
    """Execute one notebook, save it executed, and write its HTML beside it."""
    os.environ["MPLBACKEND"] = INLINE
    executed = out_dir / notebook.name
    papermill.execute_notebook(
        str(notebook),
        str(executed),
        parameters=parameters,
        cwd=str(notebook.parent),
        progress_bar=False,
        kernel_name=KERNEL,
        kernel_manager_class=IPCKernelManager,
        # jupyter_client interrupts a kernel before shutting it down; the kernel would log that as an ERROR
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
    )
    html, _ = HTMLExporter().from_notebook_node(nbformat.read(executed, as_version=4))
    # the HTML copy brings its own CJK font, like the report, so its Chinese (tables too) shows on any machine
    write_text(executed.with_suffix(".html"), embed_cjk_font(html))
    return executed


def main(notebooks: list[str], *, workers: int = 2) -> int:
    paths = get_paths()
    out_dir = paths.reports / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    build(paths)  # once here, so that parallel notebooks find the tables built and do not race to write them
    with ProcessPoolExecutor(max_workers=workers) as pool:
        jobs = [pool.submit(run, Path(name), out_dir, {"root": str(paths.root)}) for name in notebooks]
        for name, job in zip(notebooks, jobs, strict=True):
            print(f"executed {name} -> {job.result().relative_to(paths.root)} (+ .html)")
    print(f"charts -> {paths.figures} (PNG, SVG, PDF; index.json lists them)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], workers=int(os.environ.get("NOTEBOOK_WORKERS", "2"))))
