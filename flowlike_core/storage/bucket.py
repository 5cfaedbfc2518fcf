"""A bucket: one fsspec URL as a key-value store of bytes with atomic writes and content revisions.

Atomic means a reader sees the old object or the new one, never a half-written one:
- on a local disk the bytes go to a temporary file beside the target, are fsynced, then `os.replace`d
  over it (a rename within one directory is atomic on POSIX and Windows);
- on object stores (S3, GCS, Azure) and `memory://` one `pipe_file` is one PUT, which the store applies
  whole or not at all, so no temporary key is needed (a copy-then-delete "rename" there would be slower
  and no safer).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from fsspec.core import url_to_fs
from fsspec.implementations.local import LocalFileSystem

from flowlike_core.errors import StorageError
from flowlike_core.storage.paths import check_key


def revision_of(data: bytes) -> str:
    """The revision of a stored document: a hash of its bytes, the same on every kind of store."""
    return hashlib.sha256(data).hexdigest()[:16]


class Bucket:
    def __init__(self, url: str, options: dict[str, Any] | None = None) -> None:
        self.url = url
        try:
            self.fs, root = url_to_fs(os.path.expanduser(url) if "://" not in url else url, **(options or {}))
        except (ImportError, ValueError) as exc:
            raise StorageError(f"cannot open store {url!r}: {exc}") from exc
        self.root = root.rstrip("/")
        self.local = isinstance(self.fs, LocalFileSystem)

    def path(self, key: str) -> str:
        return f"{self.root}/{check_key(key)}"

    def read(self, key: str) -> bytes:
        try:
            return self.fs.cat_file(self.path(key))
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise StorageError(f"cannot read {key!r} from {self.url}: {exc}") from exc

    def exists(self, key: str) -> bool:
        path = self.path(key)
        self.fs.invalidate_cache(path)  # another process may have written it: ask the store, not a cache
        return self.fs.exists(path)

    def write(self, key: str, data: bytes, *, sync: bool = True) -> None:
        """Write atomically (see the module docstring); on failure the previous object is untouched.

        `sync=False` skips the local fsync: the write still survives the process being killed, but an
        operating-system crash may lose it (for logs written often, where that is the right trade)."""
        path = self.path(key)
        try:
            if self.local:
                _replace_file(Path(path), data, sync)
            else:
                self.fs.pipe_file(path, data)
        except OSError as exc:
            raise StorageError(f"cannot write {key!r} to {self.url}: {exc}; the previous version is kept") from exc

    def write_new(self, key: str, data: bytes) -> None:
        """Write an object that must not exist yet (immutable versions, blobs)."""
        if self.exists(key):
            raise StorageError(f"{key!r} already exists in {self.url} and is immutable")
        self.write(key, data)

    def delete(self, key: str) -> None:
        self.fs.rm_file(self.path(key))

    def list(self, prefix: str) -> list[str]:
        """Keys of the files directly under `prefix`, relative to the bucket root, sorted."""
        folder = self.path(prefix)
        self.fs.invalidate_cache(folder)
        try:
            entries = self.fs.ls(folder, detail=True)
        except FileNotFoundError:
            return []
        strip = len(self.root) + 1
        names = (e["name"].rstrip("/") for e in entries if e["type"] == "file")
        return sorted(name[strip:] for name in names if name != folder)  # S3 may list a folder's marker object

    def dirs(self, prefix: str = "") -> list[str]:
        folder = self.path(prefix) if prefix else self.root
        self.fs.invalidate_cache(folder)
        try:
            entries = self.fs.ls(folder, detail=True)
        except FileNotFoundError:
            return []
        return sorted(e["name"].rstrip("/").rsplit("/", 1)[-1] for e in entries if e["type"] == "directory")

    def __repr__(self) -> str:
        return f"Bucket({self.url!r})"


def _replace_file(path: Path, data: bytes, sync: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
