"""Adding a transcript to data/raw under a canonical name, recorded in the manifest, and removing it again."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from corpus.dataset.build import BuildResult, build, load_document, raw_files
from corpus.dataset.manifest import is_raw_name, read_manifest, write_manifest
from corpus.errors import CorpusError
from corpus.ingest.clean import clean_text, to_simplified
from corpus.ingest.readers import SUFFIXES, extract_text, read_bytes, sniff_format
from corpus.paths import Paths
from corpus.store import atomic_write, file_digest
from corpus.transcripts.parse import Document, parse_transcript

_CANONICAL_SUFFIX = {"text": ".txt", "html": ".html", "pdf": ".pdf", "docx": ".docx"}
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\s]+')
_SPOKEN = ("opening", "question", "answer", "closing")


@dataclass(frozen=True)
class Added:
    """What `add_file` did: the copy it made, the document as parsed, and the build that followed."""

    file: Path
    document: Document
    n_questions: int
    build: BuildResult


def text_digest(turns: pd.DataFrame) -> str:
    """SHA-256 of what was said (roles and Simplified text of the spoken turns), whatever the file's format."""
    spoken = turns[turns.role.isin(_SPOKEN)]
    joined = "\x1e".join(
        f"{role}\x1f{to_simplified(text)}" for role, text in zip(spoken.role, spoken.text, strict=True)
    )
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def add_file(
    source: str | Path, paths: Paths, *, date: str | None = None, speaker: str | None = None, event: str | None = None
) -> Added:
    """Copy a transcript byte for byte into data/raw, record it in the manifest and rebuild; nothing kept on error."""
    source = Path(source)
    data = read_bytes(source)
    text = clean_text(extract_text(data, name=str(source), suffix=source.suffix.lower()))
    document, turns = parse_transcript(text, name=str(source), date=date, speaker=speaker, event=event)
    manifest = read_manifest(paths.manifest)
    digests = {"sha256": hashlib.sha256(data).hexdigest(), "text_sha256": text_digest(turns)}
    _refuse_duplicate(source, digests, manifest, paths)
    target = _free_name(
        paths.raw, f"{document.date}_{_UNSAFE_IN_NAME.sub('_', document.speaker)}", _suffix(source, data)
    )
    row = {
        "file": target.name,
        "source": source.name,
        **digests,
        "date": document.date,
        "speaker": speaker or document.speaker,
        "event": event or document.event or "",
        "added_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    before = paths.manifest.read_bytes() if paths.manifest.exists() else None
    atomic_write(target, lambda tmp: tmp.write_bytes(data))
    try:
        write_manifest(pd.concat([manifest, pd.DataFrame([row])], ignore_index=True), paths.manifest)
        result = build(paths)
    except Exception:  # undo the copy and the manifest row, whatever stopped the build, then report it
        target.unlink(missing_ok=True)
        _restore(paths.manifest, before)
        raise
    return Added(target, document, int((turns.role == "question").sum()), result)


def remove_file(name: str, paths: Paths) -> BuildResult:
    """Undo `add_file`: delete the copy in data/raw and its manifest row, then rebuild. `name` is the copy's name
    (with or without suffix) or the name of the file it was added from."""
    manifest = read_manifest(paths.manifest)
    wanted = Path(name).name
    rows = manifest[(manifest.file == wanted) | (manifest.file.map(lambda f: Path(f).stem) == wanted)]
    if rows.empty:  # the name the file was added under (`corpus add ~/Downloads/王毅答记者问2022.html`)
        rows = manifest[manifest.source.map(lambda s: Path(str(s)).name) == wanted]
        if len(rows) > 1:
            raise CorpusError(f"{name}: added {len(rows)} times, as {', '.join(rows.file)}; give one of these names")
    if rows.empty:
        raise CorpusError(
            f"{name}: not in the manifest {paths.manifest} (only files added with `corpus add` are removed this way)"
        )
    file = rows.file.iloc[0]
    target = paths.raw / file
    if target.parent != paths.raw or not is_raw_name(file):  # read_manifest checked it; never delete elsewhere
        raise CorpusError(f"{paths.manifest}: the file {file!r} is not inside {paths.raw}")
    write_manifest(manifest[manifest.file != file], paths.manifest)
    target.unlink(missing_ok=True)
    return build(paths)


def _refuse_duplicate(source: Path, digests: dict[str, str], manifest: pd.DataFrame, paths: Paths) -> None:
    """A CorpusError naming the copy already in data/raw with the same bytes or the same spoken text."""
    known = manifest[["file", "sha256", "text_sha256"]].to_dict("records")
    listed = set(manifest.file)
    for path in raw_files(paths.raw):
        if path.name not in listed:  # put there by hand: checksums computed now
            known.append({"file": path.name, "sha256": file_digest(path), "text_sha256": _text_digest_of(path)})
    for row in known:
        same = "the same file" if row["sha256"] == digests["sha256"] else None
        same = same or ("the same text" if row["text_sha256"] == digests["text_sha256"] else None)
        if same:
            raise CorpusError(f"{source}: {same} is already in the corpus as {paths.raw / row['file']}")


def _text_digest_of(path: Path) -> str | None:
    try:
        return text_digest(load_document(path)[1])
    except CorpusError:
        return None  # a broken file cannot equal a valid one; the build reports it


def _suffix(source: Path, data: bytes) -> str:
    suffix = source.suffix.lower()
    if suffix and suffix in SUFFIXES:
        return suffix
    return _CANONICAL_SUFFIX[sniff_format(data, name=str(source), suffix=suffix)]


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    """folder/stem+suffix, or with -2, -3 ... when that name is taken: files in data/raw are never overwritten."""
    candidate, n = folder / f"{stem}{suffix}", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{n}{suffix}"
    return candidate


def _restore(path: Path, content: bytes | None) -> None:
    if content is None:
        path.unlink(missing_ok=True)
    else:
        atomic_write(path, lambda tmp: tmp.write_bytes(content))
