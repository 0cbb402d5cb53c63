"""Guarding data/ against concurrent runs and crashes: the project lock and durable (fsynced) writes."""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from corpus.errors import CorpusError
from corpus.paths import Paths

__all__ = ["LOCK_NAME", "create_exclusive", "fsync_dir", "lock_file", "project_lock", "write_durably"]

LOCK_NAME = ".corpus.lock"
# How long a second command waits for the first before refusing (seconds); CORPUS_LOCK_TIMEOUT overrides it.
LOCK_TIMEOUT = 30.0
_POLL = 0.05
_held: dict[Path, int] = {}  # lock file -> depth, so that add/remove may call a locked build in the same process


def lock_file(paths: Paths) -> Path:
    """The lock file, beside data/ in the project folder."""
    return paths.root / LOCK_NAME


@contextmanager
def project_lock(paths: Paths, *, timeout: float | None = None) -> Iterator[Path]:
    """Hold the project's lock for the block: one add, remove or build at a time on a project.

    Waits up to `timeout` seconds (default CORPUS_LOCK_TIMEOUT or 30) for another command to finish, then raises a
    one-line CorpusError naming the process that holds it. The lock is an flock, released by the OS when its holder
    exits or is killed, so a crash never leaves the project locked. Re-entrant within one process.
    """
    path = lock_file(paths)
    if path in _held:
        _held[path] += 1
        try:
            yield path
        finally:
            _held[path] -= 1
        return
    limit = float(os.environ.get("CORPUS_LOCK_TIMEOUT", LOCK_TIMEOUT)) if timeout is None else timeout
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + limit
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CorpusError(
                        f"another corpus command is running on {paths.root} (pid {_holder(path)}); "
                        f"wait for it or remove {path} if it crashed"
                    ) from None
                time.sleep(_POLL)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        _held[path] = 1
        try:
            yield path
        finally:
            del _held[path]
    finally:
        os.close(fd)  # releases the flock


def _holder(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip() or "unknown"
    except (OSError, UnicodeDecodeError):
        return "unknown"


def fsync_dir(folder: Path) -> None:
    """Make a folder's entries (files created, renamed or deleted in it) survive a power loss."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_fsynced(path: Path, data: bytes, flags: int) -> None:
    """Open `path` with `flags`, write all of `data` and fsync it; a file this call created is removed on error."""
    fd = os.open(path, os.O_WRONLY | flags, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def write_durably(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically (a fsynced temporary file renamed over it, then the folder fsynced)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _write_fsynced(tmp, data, os.O_CREAT | os.O_TRUNC)
    try:
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def create_exclusive(path: Path, data: bytes) -> None:
    """Write `data` to a new file `path`, fsynced with its folder; never replaces a file: the name is taken with
    O_EXCL, so a concurrent writer cannot take it too (a CorpusError if it exists)."""
    try:
        _write_fsynced(path, data, os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        raise CorpusError(f"{path}: already exists; files in {path.parent} are never overwritten") from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise CorpusError(f"{path.name[:40]}…: the file name is too long for the file system") from None
        raise
    fsync_dir(path.parent)
