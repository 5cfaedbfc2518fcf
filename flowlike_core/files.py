"""Local files written whole or not at all, and a lock per file for check-then-write steps.

A write goes to a hidden temporary file beside the target (`.<name>.<random>.tmp`), is fsynced, then
`os.replace`d over it: a rename within one directory is atomic, so a reader sees the old file or the new
one. The temporary file is created like any new file (mode 0666 less the umask); when the target exists,
it takes the target's permissions, so a save never changes who may read a file (unless the writer names the
mode: the result cache's files are its user's only). Temporary files left by
a killed writer are skipped by listings (`is_temporary`) and removed by the next locked write.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from flowlike_core.errors import BoardFileError

TEMPORARY_SUFFIX = ".tmp"
LOCK_SUFFIX = ".lock"
LOCK_TIMEOUT = 60.0
"""Seconds a writer waits for another to release a file's lock before giving up (filelock.Timeout)."""
STALE_AFTER = 3600.0
"""Seconds after which an unlocked writer's temporary file is surely a dead writer's."""


def is_temporary(name: str) -> bool:
    """Hidden files (temporary files, locks) are never documents: every stored name starts with a letter/digit."""
    return name.startswith(".") or name.endswith((TEMPORARY_SUFFIX, LOCK_SUFFIX))


def atomic_write(path: Path, data: bytes, *, sync: bool = True, mode: int | None = None) -> None:
    """Replace `path` with `data` atomically. `sync=False` skips the fsync (survives a killed process,
    not an operating-system crash). `mode`: the new file's permissions (less the umask), whatever the old one's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}{TEMPORARY_SUFFIX}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else mode)  # (less the umask)
    try:
        if mode is None:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(fd, stat.S_IMODE(os.stat(path).st_mode))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of `path` (a hidden `.<name>.lock` beside it) across processes; clean stale temporary
    files of `path` meanwhile: every writer of a locked file holds the lock, so any left is a dead writer's."""
    from filelock import FileLock  # here: loading or running a board takes no lock (and a cold start skips it)

    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(path.with_name(f".{path.name}{LOCK_SUFFIX}"), timeout=LOCK_TIMEOUT):
        for stale in path.parent.glob(f".{glob.escape(path.name)}.*{TEMPORARY_SUFFIX}"):
            stale.unlink(missing_ok=True)
        yield


def remove_stale(folder: Path, older_than: float = STALE_AFTER) -> None:
    """Remove temporary files in `folder` last written over `older_than` seconds ago."""
    cutoff = time.time() - older_than
    for entry in folder.glob(f".*{TEMPORARY_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            if entry.stat().st_mtime < cutoff:
                entry.unlink()


def refuse_to_replace(path: Path, not_a: str, doing: str, foreign: Callable[[bytes], str | None]) -> None:
    """Refuse to write over someone's work: a file at `path` with something in it that `foreign` finds is not
    `not_a` (its answer says what it is instead; None: ours, which may be replaced). A CSV, a package.json, another
    system's board must not go because a save or an export was given the wrong name. An empty file may."""
    try:
        data = path.read_bytes()
    except OSError:  # nothing there (or a folder, which the write itself refuses, naming it)
        return
    what = foreign(data) if data.strip() else None
    if what is not None:
        raise BoardFileError(f"{path} holds a file that is not {not_a} ({what}); {doing} would replace it: choose "
                             "another name, or remove that file first")
