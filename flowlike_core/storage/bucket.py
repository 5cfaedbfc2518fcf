"""A bucket: one fsspec URL as a key-value store of bytes with atomic writes and content revisions.

Atomic means a reader sees the old object or the new one, never a half-written one:
- on a local disk the bytes go to a hidden temporary file beside the target, are fsynced, then
  `os.replace`d over it (see `flowlike_core.files`);
- on object stores (S3, GCS, Azure) and `memory://` one `pipe_file` is one PUT, which the store applies
  whole or not at all, so no temporary key is needed.

`swap` checks what is stored and writes in one step, so two processes saving the same document cannot
both succeed on the same base: a file lock on a local disk, a process lock for `memory://` (it lives in
one process), conditional writes on S3 (`If-Match` the ETag that was read, `If-None-Match: *` for a new
object), and a lease object on stores without them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from filelock import Timeout as LockTimeout
from fsspec.core import url_to_fs
from fsspec.implementations.local import LocalFileSystem
from fsspec.implementations.memory import MemoryFileSystem

from flowlike_core.errors import SaveConflict, StorageError
from flowlike_core.files import atomic_write, is_temporary, locked, remove_stale
from flowlike_core.storage.paths import check_key

Check = Callable[[bytes | None], None]
"""Called with the stored bytes (None: nothing stored) inside a `swap`; raises to refuse the write."""

LEASE_SECONDS = 30.0
"""How long a lease holds when its owner dies without releasing it."""
LEASE_SETTLE = 0.05
"""Wait after claiming a lease before reading it back: a rival claim written meanwhile wins instead."""
_memory_lock = threading.Lock()
_conditional: dict[tuple[str, str], bool] = {}
"""(store endpoint, bucket root) -> whether the object store honours conditional writes (probed once)."""


def revision_of(data: bytes) -> str:
    """The revision of a stored document: a hash of its bytes, the same on every kind of store."""
    return hashlib.sha256(data).hexdigest()[:16]


def _precondition_failed(exc: BaseException) -> bool:
    """Whether an S3 error is a refused conditional write (412, or 409 for a concurrent one)."""
    cause = exc.__cause__ or exc.__context__
    response = getattr(cause, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return code in ("PreconditionFailed", "ConditionalRequestConflict") or status in (409, 412)


class Bucket:
    def __init__(self, url: str, options: dict[str, Any] | None = None) -> None:
        self.url = url
        try:
            self.fs, root = url_to_fs(os.path.expanduser(url) if "://" not in url else url, **(options or {}))
        except (ImportError, ValueError) as exc:
            raise StorageError(f"cannot open store {url!r}: {exc}") from exc
        self.root = root.rstrip("/")
        self.local = isinstance(self.fs, LocalFileSystem)
        self.memory = isinstance(self.fs, MemoryFileSystem)

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
                atomic_write(Path(path), data, sync=sync)
            else:
                self.fs.pipe_file(path, data)
        except OSError as exc:
            raise StorageError(f"cannot write {key!r} to {self.url}: {exc}; the previous version is kept") from exc

    def swap(self, key: str, data: bytes, check: Check | None = None) -> None:
        """Write atomically after `check(stored bytes or None)` passed, as one step against every other
        `swap` of the key in any process (see the module docstring). A write that lost a race to another
        raises `SaveConflict`; without `check` the write only waits for its turn."""
        path = self.path(key)
        try:
            if self.local:
                with locked(Path(path)):
                    self._check(key, check)
                    atomic_write(Path(path), data)
            elif self.memory:
                with _memory_lock:
                    self._check(key, check)
                    self.fs.pipe_file(path, data)
            elif self._conditional_writes():
                self._swap_conditionally(key, path, data, check)
            else:
                with self._lease(key, path):
                    self._check(key, check)
                    self.fs.pipe_file(path, data)
        except LockTimeout as exc:  # the lock stayed taken: refused like a lease that stays taken
            raise SaveConflict(f"{key!r} in {self.url} is being written by another process ({exc}); "
                               f"nothing was written") from exc
        except OSError as exc:
            raise StorageError(f"cannot write {key!r} to {self.url}: {exc}; the previous version is kept") from exc

    def _check(self, key: str, check: Check | None) -> None:
        if check is not None:
            try:
                stored: bytes | None = self.read(key)
            except FileNotFoundError:
                stored = None
            check(stored)

    def _swap_conditionally(self, key: str, path: str, data: bytes, check: Check | None) -> None:
        """S3: read the ETag first, then the bytes; write only if the ETag is still the one read. A write
        landing in between changes the ETag, so the check can only be stricter than needed, never looser."""
        self.fs.invalidate_cache(path)
        try:
            etag = self.fs.info(path)["ETag"]
        except FileNotFoundError:
            etag = None
        self._check(key, check)
        condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
        try:
            self.fs.pipe_file(path, data, **condition)
        except OSError as exc:
            if _precondition_failed(exc):
                raise SaveConflict(f"{key!r} in {self.url} was written by another process during this save; "
                                   f"nothing was written") from exc
            raise

    def _conditional_writes(self) -> bool:
        """Whether this object store refuses writes whose If-Match/If-None-Match fails (probed once)."""
        if "s3" not in (self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)):
            return False
        endpoint = str(getattr(self.fs, "client_kwargs", {}).get("endpoint_url", ""))
        where = (endpoint, self.root)
        if where not in _conditional:
            probe = f"{self.root}/.flowlike-conditional-probe-{secrets.token_hex(6)}"  # hidden: never a key
            self.fs.pipe_file(probe, b"probe")
            refused = 0
            for condition in ({"IfNoneMatch": "*"}, {"IfMatch": '"0"'}):
                try:
                    self.fs.pipe_file(probe, b"overwritten", **condition)
                except OSError as exc:
                    refused += _precondition_failed(exc)
            with contextlib.suppress(OSError):
                self.fs.rm_file(probe)
            _conditional[where] = refused == 2
        return _conditional[where]

    @contextlib.contextmanager
    def _lease(self, key: str, path: str, timeout: float = 60.0) -> Iterator[None]:
        """A lease object beside the key, for stores without conditional writes: claim it when it is free
        or expired, read it back after a moment, and go ahead only if the claim that stuck is ours."""
        lease = f"{path.rsplit('/', 1)[0]}/.{path.rsplit('/', 1)[-1]}.lease"
        token = secrets.token_hex(8)
        deadline = time.monotonic() + timeout
        while True:
            holder = self._lease_holder(lease)
            if holder is None or holder["expires"] < time.time():
                self.fs.pipe_file(lease, json.dumps({"token": token, "expires": time.time() + LEASE_SECONDS}).encode())
                time.sleep(LEASE_SETTLE)
                if (self._lease_holder(lease) or {}).get("token") == token:
                    break
            if time.monotonic() > deadline:
                raise SaveConflict(f"{key!r} in {self.url} is being written by another process (lease {lease} "
                                   f"held for over {timeout:.0f} s); nothing was written")
            time.sleep(LEASE_SETTLE * (1 + secrets.randbelow(4)))
        try:
            yield
        finally:
            if (self._lease_holder(lease) or {}).get("token") == token:
                with contextlib.suppress(OSError):
                    self.fs.rm_file(lease)

    def _lease_holder(self, lease: str) -> dict[str, Any] | None:
        self.fs.invalidate_cache(lease)
        try:
            return json.loads(self.fs.cat_file(lease))
        except (FileNotFoundError, ValueError):
            return None

    def write_new(self, key: str, data: bytes) -> None:
        """Write an object that must not exist yet (immutable versions, blobs)."""

        def absent(stored: bytes | None) -> None:
            if stored is not None:
                raise StorageError(f"{key!r} already exists in {self.url} and is immutable")

        try:
            self.swap(key, data, absent)
        except SaveConflict:
            absent(b"")

    def remove_stale(self, prefix: str) -> None:
        """Remove the temporary files killed writers left under `prefix` (only local disks have them)."""
        if self.local:
            remove_stale(Path(self.path(prefix)))

    def delete(self, key: str) -> None:
        self.fs.rm_file(self.path(key))

    def list(self, prefix: str) -> list[str]:
        """Keys of the files directly under `prefix`, relative to the bucket root, sorted; hidden and
        temporary files (a killed writer's, locks, leases) are not keys."""
        folder = self.path(prefix)
        self.fs.invalidate_cache(folder)
        try:
            entries = self.fs.ls(folder, detail=True)
        except FileNotFoundError:
            return []
        strip = len(self.root) + 1
        names = (e["name"].rstrip("/") for e in entries if e["type"] == "file")
        return sorted(name[strip:] for name in names  # S3 may list a folder's marker object
                      if name != folder and not is_temporary(name.rsplit("/", 1)[-1]))

    def dirs(self, prefix: str = "") -> list[str]:
        folder = self.path(prefix) if prefix else self.root
        self.fs.invalidate_cache(folder)
        try:
            entries = self.fs.ls(folder, detail=True)
        except FileNotFoundError:
            return []
        names = (e["name"].rstrip("/").rsplit("/", 1)[-1] for e in entries if e["type"] == "directory")
        return sorted(name for name in names if not name.startswith("."))

    def __repr__(self) -> str:
        return f"Bucket({self.url!r})"
