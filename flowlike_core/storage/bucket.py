"""A bucket: one fsspec URL as a key-value store of bytes with atomic writes and content revisions.

Atomic means a reader sees the old object or the new one, never a half-written one:
- on a local disk the bytes go to a hidden temporary file beside the target, are fsynced, then
  `os.replace`d over it (see `flowlike_core.files`);
- on object stores (S3, GCS, Azure) and `memory://` one `pipe_file` is one PUT, which the store applies
  whole or not at all, so no temporary key is needed.

`swap` checks what is stored and writes in one step, so two processes saving the same document cannot
both succeed on the same base: a file lock on a local disk, a process lock for `memory://` (it lives in
one process), conditional writes on S3 (`If-Match` the ETag that was read, `If-None-Match: *` for a new
object), and a lease (Lamport's bakery over ticket objects, `Bucket._lease`) on stores without them.
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
"""How long a lease ticket holds when its owner dies without releasing it."""
LEASE_POLL = 0.02
"""Base wait between two looks at the tickets ahead (1-4 times it, at random, so waiters spread out)."""
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
        try:  # a fresh filesystem: a cached one keeps the credentials (or their absence) of its first use
            self.fs, root = url_to_fs(os.path.expanduser(url) if "://" not in url else url, skip_instance_cache=True,
                                      **(options or {}))
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
            raise StorageError(f"cannot read {key!r} from {self.url}: {self.failure(exc)}") from exc

    def exists(self, key: str) -> bool:
        path = self.path(key)
        self.fs.invalidate_cache(path)  # another process may have written it: ask the store, not a cache
        return self.fs.exists(path)

    def write(self, key: str, data: bytes, *, sync: bool = True, mode: int | None = None) -> None:
        """Write atomically (see the module docstring); on failure the previous object is untouched.

        `sync=False` skips the local fsync: the write still survives the process being killed, but an
        operating-system crash may lose it (for logs written often, where that is the right trade). `mode`: a
        local file's permissions, whatever the umask and the file it replaces (`files.atomic_write`)."""
        path = self.path(key)
        try:
            if self.local:
                atomic_write(Path(path), data, sync=sync, mode=mode)
            else:
                self.fs.pipe_file(path, data)
        except OSError as exc:
            raise StorageError(f"cannot write {key!r} to {self.url}: {self.failure(exc)}; the previous version is "
                               f"kept") from exc
        except Exception as exc:  # noqa: BLE001 - the store's client's own errors (botocore: a server that is down)
            raise StorageError(f"cannot write {key!r} to {self.url}: {type(exc).__name__}: {exc}") from exc

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
                with self._lease(key, path) as still_held:
                    self._check(key, check)
                    still_held()
                    self.fs.pipe_file(path, data)
        except LockTimeout as exc:  # the lock stayed taken: refused like a lease that stays taken
            raise SaveConflict(f"{key!r} in {self.url} is being written by another process ({exc}); "
                               f"nothing was written") from exc
        except OSError as exc:
            raise StorageError(f"cannot write {key!r} to {self.url}: {self.failure(exc)}; the previous version is "
                               f"kept") from exc

    def missing_bucket(self) -> str | None:
        """The bucket of this URL when its object store says there is no such bucket (a typo in the URL): a store
        that keeps nothing. Local folders and `memory://` are made as they are written, so never."""
        if self.local or self.memory:
            return None
        name = self.root.split("/", 1)[0]
        self.fs.invalidate_cache(name)
        try:
            self.fs.info(name)
        except FileNotFoundError:
            return name
        except Exception:  # noqa: BLE001 - any other answer (no permission to look, ...) is not "no such bucket"
            return None
        return None

    def file_in_the_way(self) -> str | None:
        """The file standing where a folder of this local store's path must be (so nothing can ever be written to
        it), if one does: `--store notes.txt` is a typo a run would find out only when keeping its record."""
        if not self.local:
            return None
        folder = Path(self.root)
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        return None if folder.is_dir() else str(folder)

    def failure(self, exc: BaseException) -> str:
        """What a failed call on the store means: that the bucket does not exist, where the store only said
        "Access Denied" or "Not Found"."""
        name = self.missing_bucket()
        return f"bucket {name!r} does not exist ({exc})" if name else str(exc)

    def _absent(self, folder: str) -> list[str]:
        """An empty listing for a folder nothing was written to, after checking that its bucket is there."""
        if name := self.missing_bucket():
            raise StorageError(f"cannot list {folder!r} in {self.url}: bucket {name!r} does not exist")
        return []

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
    def _lease(self, key: str, path: str, timeout: float = 60.0) -> Iterator[Callable[[], None]]:
        """Mutual exclusion for stores without conditional writes: Lamport's bakery over ticket objects.

        Every writer of the key puts a ticket (a hidden object named by a random token) in a hidden folder
        beside it: first "choosing", then a number one above every ticket it lists, and waits until no ticket
        is choosing or holds a smaller (number, token). A writer that lists after another finished choosing
        sees its number and takes a larger one, so two writers never hold the lease together, whatever the
        latency of the store. That needs a store whose reads and listings see every finished write (S3 since
        2020, SeaweedFS, MinIO, GCS) and no other primitive.

        A ticket expires LEASE_SECONDS after it was last written, so that a dead writer does not block the key
        for ever; waiters rewrite theirs as they wait. The holder gets a `check` to call right before its write:
        it refuses (SaveConflict) once half the lease has passed, which leaves LEASE_SECONDS / 2 for clock
        differences between machines and for the write itself. That last part is the one assumption on time:
        a holder stalled for longer than that between its `check` and the end of its write could overlap with
        the next holder."""
        folder = f"{path.rsplit('/', 1)[0]}/.{path.rsplit('/', 1)[-1]}.lease"
        token = secrets.token_hex(8)
        mine = f"{folder}/{token}"
        deadline = time.monotonic() + timeout
        try:
            written, number = self._take_number(folder, token)
            while True:
                tickets = self._tickets(folder, token)
                if time.monotonic() - written > LEASE_SECONDS / 2:  # others may count ours expired: choose again
                    written, number = self._take_number(folder, token)
                    continue
                if not any(t.get("choosing") or (t.get("number", 0), other) < (number, token)
                           for other, t in tickets.items()):
                    break
                if time.monotonic() > deadline:
                    raise SaveConflict(f"{key!r} in {self.url} is being written by another process (waited "
                                       f"{timeout:.0f} s for the lease {folder}); nothing was written")
                if time.monotonic() - written > LEASE_SECONDS / 4:
                    written = self._ticket(mine, number)
                time.sleep(LEASE_POLL * (1 + secrets.randbelow(4)))

            def check() -> None:
                if time.monotonic() - written > LEASE_SECONDS / 2:
                    raise SaveConflict(f"{key!r} in {self.url}: this save held the lease too long to write "
                                       f"safely; nothing was written")

            yield check
        finally:
            with contextlib.suppress(OSError):
                self.fs.rm_file(mine)

    def _take_number(self, folder: str, token: str) -> tuple[float, int]:
        """The bakery's doorway: mark the ticket choosing, list the others, take a number above theirs. Gives the
        time the numbered ticket was written and the number; done again if it took so long that the choosing
        mark may have expired for the others meanwhile."""
        mine = f"{folder}/{token}"
        while True:
            started = self._ticket(mine, 0, choosing=True)
            number = 1 + max((t.get("number", 0) for t in self._tickets(folder, token).values()), default=0)
            written = self._ticket(mine, number)
            if written - started < LEASE_SECONDS / 2:
                return written, number

    def _ticket(self, path: str, number: int, choosing: bool = False) -> float:
        """Write a lease ticket; gives the monotonic time it was started (its expiry counts from then)."""
        started = time.monotonic()
        ticket = {"number": number, "choosing": choosing, "expires": time.time() + LEASE_SECONDS}
        self.fs.pipe_file(path, json.dumps(ticket).encode())
        return started

    def _tickets(self, folder: str, token: str) -> dict[str, dict[str, Any]]:
        """The live tickets of other writers in a lease folder, by token (expired ones are removed)."""
        self.fs.invalidate_cache(folder)
        try:
            names = self.fs.ls(folder, detail=False)
        except FileNotFoundError:
            return {}
        tickets = {}
        for name in names:
            other = name.rstrip("/").rsplit("/", 1)[-1]
            if other == token:
                continue
            try:
                ticket = json.loads(self.fs.cat_file(name))
            except (FileNotFoundError, ValueError):
                continue  # released meanwhile (or half a name on a store that lists oddly)
            if ticket.get("expires", 0) < time.time():
                with contextlib.suppress(OSError):
                    self.fs.rm_file(name)
                continue
            tickets[other] = ticket
        return tickets

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
            return self._absent(prefix)
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
            return self._absent(prefix)
        names = (e["name"].rstrip("/").rsplit("/", 1)[-1] for e in entries if e["type"] == "directory")
        return sorted(name for name in names if not name.startswith("."))

    def __repr__(self) -> str:
        return f"Bucket({self.url!r})"
