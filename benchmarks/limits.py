"""How fast inputs past the limits are refused, against parsing the 2021 seed in the same run.

    .venv/bin/python benchmarks/limits.py

Prints, for each oversized input of issue 17 (100,000 questions without answers, a 20,000-page PDF, a .docx
holding 1 GB of spaces, a 100 MB file, 3 million characters), the time `corpus parse` takes to refuse it
(wall-clock and CPU, in-process) and its ratio to parsing the seed, and the peak memory of the process that
refused the .docx bomb. Then the unanswered-questions refusal at growing sizes: time per question stays flat when
the parse is linear (it grew with the square of the questions before).
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfWriter

from corpus.dataset.build import load_document
from corpus.errors import CorpusError

REPO = Path(__file__).resolve().parents[1]
SEED_2021 = REPO / "seeds" / "004_2549616181697210.txt"
HEAD = "十三届全国人大四次会议7日在人民大会堂举行视频记者会，外交部长王毅答中外记者问。\n\n"


def timed(run: Callable[[], object]) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds of run(), and the first words of its CorpusError (or 'parsed')."""
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        run()
        outcome = "parsed"
    except CorpusError as exc:
        outcome = str(exc).split(": ", 1)[-1][:70]
    return time.perf_counter() - wall, time.process_time() - cpu, outcome


def unanswered(n: int) -> str:
    return HEAD + "\n\n".join(f"记者：问{i}？" for i in range(n))


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def spaces_docx(path: Path, megabytes: int) -> None:
    """A .docx whose document.xml is `megabytes` MB of spaces inside one paragraph (deflated to about 1 MB)."""
    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head + b"<w:body><w:p><w:r><w:t>")
            for _ in range(megabytes):
                member.write(b" " * 2**20)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")


def peak_memory_refusing(path: Path) -> float:
    """Peak resident memory (MB) of a fresh process that reads `path` as a transcript (and may be refused)."""
    code = (
        "import resource, sys\n"
        "from corpus.ingest.readers import read_text\n"
        "from corpus.errors import CorpusError\n"
        "try:\n    read_text(sys.argv[1])\nexcept CorpusError as exc:\n    print(exc, file=sys.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return int(result.stdout.split()[-1]) / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "q.txt").write_text(unanswered(100_000), encoding="utf-8")
        (folder / "pages.pdf").write_bytes(blank_pdf(20_000))
        spaces_docx(folder / "spaces.docx", 1024)
        with (folder / "big.txt").open("wb") as big:
            big.truncate(100 * 2**20)
        (folder / "chars.txt").write_text("王毅：" + "好" * 3_000_000, encoding="utf-8")

        load_document(SEED_2021)  # warm the caches (resources, OpenCC) so the baseline is one parse
        base_wall, base_cpu, _ = timed(lambda: load_document(SEED_2021))
        print(f"baseline: parse the 2021 seed: {base_wall:.3f} s wall, {base_cpu:.3f} s CPU")
        cases = {
            "100,000 questions without answers": "q.txt",
            "a 20,000-page PDF": "pages.pdf",
            "a .docx of 1 GB of spaces (1 MB on disk)": "spaces.docx",
            "a 100 MB file": "big.txt",
            "3,000,000 characters": "chars.txt",
        }
        print(f"{'input':<42} {'wall s':>7} {'CPU s':>7} {'x seed (CPU)':>12}  outcome")
        for label, name in cases.items():
            wall, cpu, outcome = timed(lambda name=name: load_document(folder / name))
            print(f"{label:<42} {wall:7.3f} {cpu:7.3f} {cpu / base_cpu:12.1f}  {outcome}")
        size = (folder / "spaces.docx").stat().st_size / 2**20
        print(
            f".docx bomb ({size:.1f} MB on disk): peak memory of the refusing process "
            f"{peak_memory_refusing(folder / 'spaces.docx'):.0f} MB; of one reading the seed "
            f"{peak_memory_refusing(SEED_2021):.0f} MB"
        )

    print("\nunanswered questions, refused: time per question (flat = linear)")
    for n in (10_000, 25_000, 50_000, 100_000):
        text = unanswered(n)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as file:
            file.write(text)
        wall, cpu, _ = timed(lambda path=file.name: load_document(Path(path)))
        Path(file.name).unlink()
        print(f"{n:>8,} questions: {cpu:6.2f} s CPU, {cpu / n * 1e6:6.1f} µs per question")


if __name__ == "__main__":
    main()
