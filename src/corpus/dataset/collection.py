"""Adding a transcript to data/raw under a canonical name, recorded in the manifest, and removing it again: under
the project lock, journaled so that the next command completes or rolls back a step a crash interrupted."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import signal
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from corpus.dataset.build import BuildResult, build, load_document, raw_files
from corpus.dataset.lock import create_exclusive, fsync_dir, project_lock
from corpus.dataset.manifest import (
    MANIFEST_COLUMNS,
    clear_journal,
    is_raw_name,
    read_journal,
    read_manifest,
    write_journal,
    write_manifest,
)
from corpus.errors import CorpusError
from corpus.ingest.clean import clean_text, to_simplified
from corpus.ingest.readers import SUFFIXES, extract_text, read_bytes, shown_name, sniff_format
from corpus.paths import Paths
from corpus.store import file_digest, read_table
from corpus.transcripts.parse import Document, parse_transcript

__all__ = [
    "OVERLAP", "Added", "add_file", "check_date", "check_options", "locked_build", "recover", "remove_file",
    "text_digest",
]  # fmt: skip

_CANONICAL_SUFFIX = {"text": ".txt", "html": ".html", "pdf": ".pdf", "docx": ".docx"}
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\s]+')
_SPOKEN = ("opening", "question", "answer", "closing")
_COMPARED = ("question", "answer")
_SPACE = re.compile(r"\s+")
# A new transcript is refused when this share of its questions and answers repeat one transcript in the corpus.
OVERLAP = 2 / 3
FIRST_YEAR, LAST_YEAR = 1949, 2100
MAX_STEM_BYTES = 200  # a name in data/raw: the stem, then -N and the suffix, within 255 bytes
MAX_OPTION_CHARS = 200


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
    source: str | Path,
    paths: Paths,
    *,
    date: str | None = None,
    speaker: str | None = None,
    event: str | None = None,
    allow_overlap: bool = False,
) -> Added:
    """Copy a transcript byte for byte into data/raw, record it in the manifest and rebuild; nothing kept on error.

    Holds the project lock throughout; the journal (data/manifest.pending) lets the next command complete or roll
    back an add interrupted by a crash. A transcript whose spoken turns largely repeat one already in the corpus
    is refused unless `allow_overlap`.
    """
    source = Path(source)
    check_options(speaker=speaker, event=event)
    data = read_bytes(source)
    name = shown_name(source)  # printable even when the name is not UTF-8
    text = clean_text(extract_text(data, name=name, suffix=source.suffix.lower()))
    document, turns = parse_transcript(text, name=name, date=date, speaker=speaker, event=event)
    check_date(document.date, name=name)
    with project_lock(paths):
        recover(paths)
        manifest = read_manifest(paths.manifest)
        digests = {"sha256": hashlib.sha256(data).hexdigest(), "text_sha256": text_digest(turns)}
        _refuse_duplicate(name, digests, manifest, paths)
        if not allow_overlap:
            _refuse_overlap(name, turns, paths)
        stem = _name_stem(f"{document.date}_{_UNSAFE_IN_NAME.sub('_', document.speaker)}")
        target = _free_name(paths.raw, stem, _suffix(source, data))
        row = {
            "file": target.name,
            "source": shown_name(source.name),
            **digests,
            "date": document.date,
            "speaker": speaker or document.speaker,
            "event": event or document.event or "",
            "added_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        journal = {
            "op": "add",
            "file": target.name,
            "sha256": digests["sha256"],
            "row": row,
            "stage": "started",
            "new_manifest": not paths.manifest.exists(),  # a roll-back then deletes the manifest again
        }
        paths.raw.mkdir(parents=True, exist_ok=True)
        write_journal(paths.manifest, journal)
        _crash_point("add:journal")
        try:
            create_exclusive(target, data)
            _crash_point("add:copy")
            write_manifest(pd.concat([manifest, pd.DataFrame([row])], ignore_index=True), paths.manifest)
            _crash_point("add:manifest")
            result = _build_step(paths, journal)
        except BaseException as exc:
            _undo(paths, journal, exc)
            raise
    return Added(target, document, int((turns.role == "question").sum()), result)


def remove_file(name: str, paths: Paths) -> BuildResult:
    """Undo `add_file`: delete the copy in data/raw and its manifest row, then rebuild; all undone if the rebuild
    fails. `name` is the copy's name (with or without suffix) or the name of the file it was added from. Holds the
    project lock; an interrupted remove is completed or rolled back by the next command."""
    with project_lock(paths):
        recover(paths)
        manifest = read_manifest(paths.manifest)
        wanted = Path(name).name
        rows = manifest[(manifest.file == wanted) | (manifest.file.map(lambda f: Path(f).stem) == wanted)]
        if rows.empty:  # the name the file was added under (`corpus add ~/Downloads/王毅答记者问2022.html`)
            rows = manifest[manifest.source.map(lambda s: Path(str(s)).name) == wanted]
            if len(rows) > 1:
                added = ", ".join(rows.file)
                raise CorpusError(f"{name}: added {len(rows)} times, as {added}; give one of these names")
        if rows.empty:
            raise CorpusError(
                f"{name}: not in the manifest {paths.manifest} "
                "(only files added with `corpus add` are removed this way)"
            )
        file = rows.file.iloc[0]
        target = paths.raw / file
        if target.parent != paths.raw or not is_raw_name(file):  # read_manifest checked it; never delete elsewhere
            raise CorpusError(f"{paths.manifest}: the file {file!r} is not inside {paths.raw}")
        journal = {"op": "remove", "file": file, "row": rows.iloc[0].to_dict(), "stage": "started"}
        write_journal(paths.manifest, journal)
        _crash_point("remove:journal")
        try:
            if target.exists():
                os.replace(target, _trash(paths, file))  # kept aside (hidden: not read) until the rebuild succeeds
                fsync_dir(paths.raw)
            _crash_point("remove:trash")
            write_manifest(manifest[manifest.file != file], paths.manifest)
            _crash_point("remove:manifest")
            result = _build_step(paths, journal)
        except BaseException as exc:
            _undo(paths, journal, exc)
            raise
        _trash(paths, file).unlink(missing_ok=True)
        clear_journal(paths.manifest)
        return result


def locked_build(paths: Paths, **options: bool) -> BuildResult:
    """`build(paths, **options)` under the project lock, after completing or rolling back an add/remove a crash
    interrupted."""
    with project_lock(paths):
        recover(paths)
        return build(paths, **options)


def recover(paths: Paths) -> None:
    """Complete or roll back the add or remove the journal says was under way when its command died.

    A step whose rebuild finished is completed; any other is rolled back (its raw file deleted or restored, its
    manifest row taken out or put back) and the tables are rebuilt from scratch, since the dead build may have
    written some of them. Idempotent: a crash during recovery is recovered by the next command.
    """
    journal = read_journal(paths.manifest)
    if journal is None:
        return
    if journal.get("stage") == "built":
        _trash(paths, journal["file"]).unlink(missing_ok=True)
    else:
        _roll_back(paths, journal)
        if journal.get("stage") == "building":
            build(paths, force=True)
    clear_journal(paths.manifest)


def _build_step(paths: Paths, journal: dict) -> BuildResult:
    """The build after an add or remove, recorded in the journal before (the tables may change from here) and
    after (the step is complete)."""
    journal["stage"] = "building"
    write_journal(paths.manifest, journal)
    _crash_point(f"{journal['op']}:build")
    result = build(paths)
    journal["stage"] = "built"
    if journal["op"] == "add":
        _crash_point("add:built")
        clear_journal(paths.manifest)  # an add is complete when its journal is gone
    else:
        write_journal(paths.manifest, journal)  # a remove then only deletes the copy it kept aside
        _crash_point("remove:built")
    return result


def _undo(paths: Paths, journal: dict, error: BaseException) -> None:
    """Roll back a failed add or remove in this process. The tables are rebuilt from the old inputs when the build
    may have begun writing them (it parses everything before writing, so a CorpusError means it had not). If even
    that fails (a full or read-only disk), the journal stays for the next command to finish the roll-back."""
    if journal.get("stage") == "built":
        return
    try:
        _roll_back(paths, journal)
        if journal.get("stage") == "building" and not isinstance(error, CorpusError):
            build(paths, force=True)
    except Exception:
        return
    clear_journal(paths.manifest)


def _roll_back(paths: Paths, journal: dict) -> None:
    """The raw file and manifest row as they were before the journal's step (whatever part of it was done)."""
    file, target = journal["file"], paths.raw / journal["file"]
    manifest = read_manifest(paths.manifest)
    if journal["op"] == "add":
        if target.exists() and file_digest(target) == journal["sha256"]:
            target.unlink()
            fsync_dir(paths.raw)
        rest = manifest[manifest.file != file]
        if rest.empty and journal.get("new_manifest") and paths.manifest.exists():
            paths.manifest.unlink()  # the add made the manifest: gone with it
            fsync_dir(paths.manifest.parent)
        elif len(rest) < len(manifest):
            write_manifest(rest, paths.manifest)
        return
    trash = _trash(paths, file)
    if trash.exists() and not target.exists():
        os.replace(trash, target)
        fsync_dir(paths.raw)
    if not (manifest.file == file).any():
        row = pd.DataFrame([{column: str(journal["row"].get(column, "")) for column in MANIFEST_COLUMNS}])
        write_manifest(pd.concat([manifest, row], ignore_index=True), paths.manifest)


def _trash(paths: Paths, file: str) -> Path:
    return paths.raw / f".removing.{file}"


def _crash_point(step: str) -> None:
    """For the crash tests: CORPUS_CRASH_AT=step kills this process with SIGKILL (kill -9) at that step."""
    if os.environ.get("CORPUS_CRASH_AT") == step:
        os.kill(os.getpid(), signal.SIGKILL)


def check_options(*, speaker: str | None, event: str | None) -> None:
    """A CorpusError for a --speaker or --event holding control or bidi characters (they end up in file names,
    tables and spreadsheets)."""
    for option, value in (("--speaker", speaker), ("--event", event)):
        if value and (bad := next((ch for ch in value if _is_control(ch)), None)):
            raise CorpusError(f"{option} {value!r}: contains the control character U+{ord(bad):04X}")
        if value and len(value) > MAX_OPTION_CHARS:
            raise CorpusError(f"{option}: longer than {MAX_OPTION_CHARS} characters")


def check_date(date: str, *, name: str) -> None:
    """A CorpusError for a conference date outside the years the tool covers (1949-2100)."""
    if not FIRST_YEAR <= int(date[:4]) <= LAST_YEAR:
        raise CorpusError(f"{name}: date {date} is outside {FIRST_YEAR}-{LAST_YEAR}")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch not in "\u200c\u200d"


def _refuse_overlap(source: str, turns: pd.DataFrame, paths: Paths) -> None:
    """A CorpusError naming the transcript in the corpus that the new one largely repeats: at least OVERLAP of its
    question and answer turns identical (after cleaning) to turns of that one. Read from the built turns table,
    not by parsing the raw files again."""
    new = [key for key in _turn_keys(turns) if key]
    try:
        built = read_table(paths.processed, "turns")
    except CorpusError:  # not built yet: nothing to overlap with (the first add builds it)
        return
    built = built[built.role.isin(_COMPARED)]
    if not new or built.empty:
        return
    known = pd.DataFrame({"doc_id": built.doc_id.to_numpy(), "key": _turn_keys(built)}).drop_duplicates()
    shared = known[known.key.isin(set(new))]
    if shared.empty:
        return
    repeated = pd.Series(new).value_counts()
    counts = shared.assign(n=shared.key.map(repeated)).groupby("doc_id").n.sum()
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    doc_id, n = counts.index[0], int(counts.iloc[0])
    if n >= OVERLAP * len(new):
        other = next((p for p in raw_files(paths.raw) if p.stem == doc_id), paths.raw / doc_id)
        raise CorpusError(
            f"{source}: {n} of its {len(new)} questions and answers repeat {other}, already in the corpus; "
            "give --allow-overlap to add it anyway"
        )


def _turn_keys(turns: pd.DataFrame) -> list[str]:
    """What identifies a question or answer across formats: role and Simplified text without spaces."""
    spoken = turns[turns.role.isin(_COMPARED)]
    return [
        f"{role}\x1f{_SPACE.sub('', to_simplified(text))}" if text else ""
        for role, text in zip(spoken.role, spoken.text, strict=True)
    ]


def _refuse_duplicate(source: str, digests: dict[str, str], manifest: pd.DataFrame, paths: Paths) -> None:
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


def _name_stem(stem: str) -> str:
    """The stem cut to MAX_STEM_BYTES of UTF-8, at a character boundary (file systems allow 255 bytes a name)."""
    return stem.encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", errors="ignore")


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    """folder/stem+suffix, or with -2, -3 ... when that name is taken: files in data/raw are never overwritten."""
    candidate, n = folder / f"{stem}{suffix}", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{n}{suffix}"
    return candidate
