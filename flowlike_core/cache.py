"""The result cache: pure nodes (and exec nodes that declare themselves idempotent) are not run again for inputs
they have already seen, and every run says why each node ran.

    cache = ResultCache(max_bytes=256 * 2**20)
    run_board(board, cache=cache)                               # everything runs, results are kept
    board.apply(commands.UpdateNode("right", defaults={"b": 10}))  # edit a default
    run = run_board(board, cache=cache)                         # only what the edit affects runs again
    print(run.why("right"))                                     # 'right' ran: input 'b' changed (default edited)
    print(run.why("total"))                  # 'total' ran: input 'b' changed (upstream node 'right' changed)

A node's key is its type, its code version (`fingerprint.code_version`), its pack and pack version, and the
content hash of each input (the hash of an upstream pure node's output, so a chain costs one hash per value).
Variables a node reads are tracked as it runs and checked when its result is reused. Nodes whose result changes
from run to run opt out (`cacheable = False` on the type, `@node(cacheable=False)`, a module's `CACHEABLE`);
types that reach the network, files or processes are not cached unless they declare `cacheable = True`; exec
nodes are cached only when they do (idempotent: their effect is their outputs and the exec output they take).

A result keeps the log lines its execution wrote (the first `FOLDED_LOGS`, as a folded trace keeps them), with
their levels, also those below the run's log level (the first `FOLDED_LOGS` of them): a node served from the cache
tells again those its run's log level lets through, into its trace and to the listeners, as `ReplayedLogLine`s.

A key keeps up to `VARIANTS` results, one per value of the variables the node read (the last used), so a variable
switched back to a value it had is served. The cache is bounded by bytes (least recently used results go first)
and can keep results in the content store (`persist()`), keyed by their content hash, so that another kernel or a
papermill run reuses them: one file per result, written as it is kept; what each node last ran with (the memory
behind "why") goes in one file per board, written when the run ends (`flush`).

A kept result is read back with pickle, which runs code: whoever can write the store could run code in the process
that reads it. So in a local store the cache keeps its files in a folder of its own (`<store>/cache`, made readable
and writable by its user only) and refuses a folder another user owns or others (its group too) can write; and it
loads only plain files (not links) of its user (or root) that nobody else can write: another is skipped with a
warning naming it, and its node runs again, its result replacing the file. A store that is not a local folder (S3,
GCS, a server) cannot be checked so: persist to one only if you would run code from whoever can write it.
"""

from __future__ import annotations

import copy
import dataclasses
import errno
import hashlib
import os
import pickle
import stat
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from flowlike_core.board import LogLevel
from flowlike_core.errors import RunError, StorageError
from flowlike_core.fingerprint import (
    Fingerprint,
    chance_calls,
    code_parts,
    code_version,
    fingerprint,
    global_reads,
    held_bytes,
    quick_check,
)
from flowlike_core.plan import CONST, PURE, NodePlan
from flowlike_core.policy import Capability
from flowlike_core.reasons import (
    ALWAYS,
    CATALOG,
    CODE,
    DEFAULT,
    EVICTED,
    EXEC_RUNS,
    EXEC_VALUE,
    GLOBAL,
    INPUT,
    MUTATED,
    NEW,
    UPSTREAM,
    VARIABLE,
    Change,
    Reason,
)
from flowlike_core.run import FOLDED_LOGS, LEVEL_ORDER, LogLine, NodeStatus
from flowlike_core.wording import byte_size, counted

if TYPE_CHECKING:
    from flowlike_core.context import Context
    from flowlike_core.executor import Executor
    from flowlike_core.node import NodeType
    from flowlike_core.storage import Storage
    from flowlike_core.storage.bucket import Bucket

DEFAULT_MAX_BYTES = 512 * 2**20
ENV_PERSIST = "FLOWLIKE_CACHE_PERSIST"
"""Set to 1: caches made by `ResultCache.from_env` (every notebook board's) keep results in the configured store,
so that a papermill run of a notebook reuses what the last one computed without a change to the notebook."""
ENV_MAX_BYTES = "FLOWLIKE_CACHE_MAX_BYTES"
ENTRY_OVERHEAD = 512
"""Bytes counted per kept result besides its values (the entry, its key, its hashes)."""
FORMAT = 3
"""Version of the stored entry layout: entries of another format are ignored."""
VARIANTS = 8
"""Results kept per key: one per value of the variables the node read, the last used."""
PLAIN = "plain"
"""The variant of a result whose execution read no variable."""
FILE = "file"
"""A `Change` kind: a file an input names changed on disk (its path did not)."""
UNREADABLE = "unreadable"
"""A `Change` kind: the kept result of the node's key was in the store, damaged."""
_POSIX = hasattr(os, "getuid")
"""Files have owners and modes to check (`untrusted`)."""
_REACHING = frozenset({Capability.NETWORK, Capability.FILES, Capability.PROCESSES})
"""What a node may reach that can change between two runs with the same inputs."""


def always_runs(node_type: type[NodeType], pure: bool) -> str | None:
    """Why a node of this type is never served from the cache, or None when it can be."""
    declared = node_type.cacheable
    if declared is True:
        return None
    if declared is False:
        return f"its type {node_type.name!r} declares cacheable=False: its result changes between runs"
    if not pure:
        return EXEC_RUNS
    reaches = sorted(c.value for c in node_type.capabilities if c in _REACHING)
    if reaches:
        return f"it reaches {' and '.join(reaches)}, which can change between runs"
    if not node_type.pack_version:  # (a notebook's or script's: a pack's types say it themselves)
        calls = chance_calls(node_type)
        if calls:
            return (f"its code uses {', '.join(calls)}, which changes between runs (a node whose result should be "
                    f"kept anyway, seeded for instance, declares cacheable=True)")
    return None


def file_state(value: Any) -> tuple[str, str] | None:
    """(path, modified time and size) of the local file or folder a text or path names, if one is there: a node of
    a notebook reading it gives another result when it changes, though the text is the same."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str) or not value or len(value) > 4096 or "\n" in value or "://" in value:
        return None
    try:
        found = os.stat(value)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(found.st_mode) and not stat.S_ISDIR(found.st_mode):
        return None
    return value, f"{found.st_mtime_ns}:{found.st_size}"


class Untrusted(StorageError):
    """A stored result or folder someone other than the cache's user could have written: not to be unpickled."""


def untrusted(found: os.stat_result, kind: Callable[[int], bool] = stat.S_ISREG) -> str | None:
    """Why what `found` describes (a kept result's file, or the cache's folder, with `kind=stat.S_ISDIR`) could
    hold what another user wrote, or None: not of that kind (a link), owned by another user than this one and root,
    or writable by its group or others."""
    if not kind(found.st_mode):
        return "it is a link or not a plain " + ("folder" if kind is stat.S_ISDIR else "file")
    if found.st_uid not in (os.getuid(), 0):
        return f"it belongs to another user (uid {found.st_uid})"
    writers = [who for bit, who in ((stat.S_IWGRP, "its group"), (stat.S_IWOTH, "others")) if found.st_mode & bit]
    if writers:
        return f"{' and '.join(writers)} can write it (mode {stat.S_IMODE(found.st_mode):o})"
    return None


def read_own(path: str) -> bytes:
    """The bytes of a local file the cache may unpickle (opened once: checked and read through the same handle);
    Untrusted saying why not, FileNotFoundError when there is none."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # (a pipe planted there does not block)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Untrusted("it is a link or not a plain file") from None
        raise
    with os.fdopen(handle, "rb") as file:
        why = untrusted(os.fstat(file.fileno()))
        if why:
            raise Untrusted(why)
        return file.read()


def own_folder(store: Bucket, prefix: str) -> None:
    """Make the cache's folder in a local store for its user only, if it is not there; StorageError when it is there
    and someone else could write it (`untrusted`). A folder that cannot be made or is no folder is left to the
    reads and writes, which warn."""
    folder = store.path(prefix)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        found = os.stat(folder)
    except OSError:
        return
    why = untrusted(found, stat.S_ISDIR) if stat.S_ISDIR(found.st_mode) else None
    if why:
        raise StorageError(f"the result cache will not use {folder}: {why}. It reads the results it keeps there with "
                           f"pickle, which runs code, so whoever can write the folder could run code in this process; "
                           f"make it yours and writable by you only (chown, then chmod go-w {folder}), or keep the "
                           f"cache in a store of your own")


def held(value: Any, found: Fingerprint) -> int:
    """Bytes a kept output counts against the cache's bound: what it holds in memory."""
    return held_bytes(value) if type(value) in (list, tuple, dict) else found.size


def catalog_version(node_type: type[NodeType]) -> tuple[str, str]:
    """(pack, pack version) of a registered node type."""
    return node_type.pack, node_type.pack_version


@dataclass(frozen=True)
class Signature:
    """What a node last ran (or was served) with: compared with the next time to say what changed."""

    code: str
    catalog: tuple[str, str]
    inputs: tuple[tuple[str, str, str, str], ...]
    """(pin name, content hash, where it came from, the upstream output's value key "node id/pin id") per input pin,
    in pin order (a node id alone in signatures kept before the pin was)."""
    variables: tuple[tuple[str, str], ...] = ()
    """(variable name, content hash) of the variables it read."""
    globals: tuple[tuple[str, str], ...] = ()
    """(name, content hash) of the module-level data its code reads (types from a notebook or script)."""
    files: tuple[tuple[str, str, str], ...] = ()
    """(input pin, path, modified time and size) of the files its inputs name (types from a notebook or script)."""
    code_parts: tuple[tuple[str, str, bool], ...] = ()
    """`fingerprint.code_parts` of its type (types from a notebook or script): which function was redefined."""


Studied = tuple[str, tuple[tuple[dict[str, Any], str], ...], tuple[tuple[str, str, bool], ...]]
"""A type's code version, the module data its code reads and the parts of its code (`RunCache._studied`)."""


def redefined(last: Signature, now: Signature) -> str:
    """Which functions of a type of a notebook or script were redefined since `last`, said for `why` ("" when
    not known: a pack's type, or a signature kept before they were)."""
    before = {name: digest for name, digest, _ in getattr(last, "code_parts", ())}  # (older why files)
    if not before:
        return ""
    changed = [(name, own) for name, digest, own in now.code_parts if before.get(name, digest) != digest]
    if not changed or any(own for _, own in changed):
        return ""
    return ", ".join(f"{'method' if '.' in name.replace('.<locals>.', '') else 'helper'} {name!r}"
                     for name, _ in changed) + \
        (" were" if len(changed) > 1 else " was") + " redefined"


@dataclass(slots=True)
class ReplayedLogLine(LogLine):
    """A line a cached node's original execution logged, told again as the cache serves its result."""

    logged: float = 0.0
    """When the original execution logged it (`time` is when it was replayed)."""
    replayed: ClassVar[bool] = True
    """The mark a listener reads (`getattr(line, "replayed", False)`) without importing this module."""


def kept_logs(ctx: Context, quiet: list[tuple[LogLevel, str, float]]) -> tuple[tuple[tuple[LogLevel, str, float],
                                                                                         ...], int]:
    """The lines an execution logged, as a result keeps them: the first `FOLDED_LOGS` its run's log level let
    through, with the `quiet` ones it held back, in the order they were logged; and how many more it let through."""
    lines = ctx.trace.logs
    shown = [(line.level, line.message, line.time) for line in lines[:FOLDED_LOGS]]
    return tuple(sorted(shown + quiet, key=lambda line: line[2])) if quiet else tuple(shown), \
        max(len(lines) - FOLDED_LOGS, 0)


def replay_logs(ctx: Context, entry: Entry) -> None:
    """Tell a cached node's original log lines again: into its trace and to the run's listeners."""
    executor, trace = ctx._executor, ctx.trace
    node_id = trace.node_id
    lines = [ReplayedLogLine(level, executor.redactor.text(message) if executor.redactor else message, time.time(),
                             node_id, logged)
             for level, message, logged in entry.logs if LEVEL_ORDER[level] >= executor.log_floor]
    if entry.dropped_logs and LEVEL_ORDER[LogLevel.INFO] >= executor.log_floor:
        lines.append(ReplayedLogLine(LogLevel.INFO, f"... not kept: {counted(entry.dropped_logs, 'more line')} of "
                                                    f"the original execution", time.time(), node_id))
    if not lines:
        return
    if not trace.logs:
        trace.logs = []
    for line in lines:
        trace.logs.append(line)
        if executor.on_log:
            executor.notify(executor.on_log, line)


@dataclass
class Entry:
    """A kept result: the outputs by pin name (not by node, so equal nodes anywhere share it)."""

    outputs: dict[str, Any]
    prints: dict[str, str]
    """Content hash of each output."""
    variables: dict[str, str]
    """Content hash of each variable the node read while it ran: the result holds while they are unchanged."""
    activated: tuple[str, ...] = ()
    """Exec outputs an idempotent exec node took."""
    size: int = ENTRY_OVERHEAD
    checks: tuple[str, ...] = ()
    """Outputs that can change in place (lists, arrays): hashed again before they are reused."""
    held: tuple[Any, ...] = field(default=(), repr=False)
    """Inputs and outputs compared by identity: kept alive so that no other object takes their id."""
    opaque: dict[str, Fingerprint] = field(default_factory=dict, repr=False)
    """The fingerprints of outputs compared by identity, by pin name."""
    logs: tuple[tuple[LogLevel, str, float], ...] = ()
    """(level, message, time) of the first `FOLDED_LOGS` lines the execution logged, and of the first `FOLDED_LOGS`
    below its run's log level, to replay those the replaying run's level lets through."""
    dropped_logs: int = 0
    """Lines it logged beyond those: counted, not kept."""
    events: tuple[tuple[str, Any], ...] = ()
    """(event type, payload) of the first `FOLDED_LOGS` events it emitted (`ctx.emit`): emitted again when served."""
    variant: str = ""
    """Names the variables' values it read (`variant_of`): one of the results kept under its key."""
    secret: bool = False
    """Made from a secret (it read a secret variable, or an input holds or was made from one): kept in memory only,
    so that no secret reaches a disk."""
    quick: dict[str, str] = field(default_factory=dict, repr=False)
    """`quick_check` of the outputs in `checks` that have one (arrays, frames of numbers): what tells cheaply that
    they were not changed in place."""

    @property
    def persistable(self) -> bool:
        return not self.held and not self.secret


def variant_of(variables: dict[str, str]) -> str:
    """The name of a result among those of its key: a hash of the variables it read and their content hashes."""
    if not variables:
        return PLAIN
    text = "\0".join(f"{name}={digest}" for name, digest in sorted(variables.items()))
    return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()


class ResultCache:
    """Results of node executions by key, least recently used first out once over `max_bytes`."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, *, store: Bucket | None = None,
                 prefix: str = "cache") -> None:
        self.max_bytes = max_bytes
        if store is not None and store.local and _POSIX:
            own_folder(store, prefix)
        self.store = store
        """Where results are also kept (a content bucket), or None for memory only."""
        self.prefix = prefix
        self._entries: OrderedDict[tuple[str, str], Entry] = OrderedDict()
        """By (key, variant), least recently used first."""
        self._variants: dict[str, list[str]] = {}
        """Key -> the variants kept in memory, most recently used first (at most `VARIANTS`)."""
        self.bytes = 0
        self.last: dict[tuple[str, str], Signature] = {}
        """Per (board id, node id), what the node last ran with: the memory behind "why"."""
        self._unsaved: dict[str, dict[str, Signature]] = {}
        """Board id -> node id -> what `last` holds and the store does not yet (`flush` writes it)."""
        self._why_read: set[str] = set()
        """Boards whose "why" file this cache has read (again once per run: `RunCache`)."""
        self.evictions = 0
        self._lock = threading.RLock()
        self._making: dict[str, tuple[int, Any, threading.Event]] = {}
        """Key -> (thread, trace, done) of a pure node's result being made now: a parallel branch or run that needs
        the same result on another thread waits for it instead of making it again (`RunCache.replayed`)."""
        self.waiting = 0
        """Threads waiting now for a result another one is making."""
        self._failures: set[str] = set()
        """What the store refused ("read", "write", "untrusted" files): said once each, then the results stay in
        memory."""
        self.unreadable: set[str] = set()
        """Keys whose kept result the store gave back damaged (or not at all): why their nodes run again."""
        self.mutators: dict[tuple[str, str], str] = {}
        """(node type, code version) -> why its nodes always run: one changed an input in place as it ran, which a
        result served from the cache would not do."""

    @classmethod
    def from_env(cls) -> ResultCache:
        """A cache as the environment asks: FLOWLIKE_CACHE_MAX_BYTES bounds it, FLOWLIKE_CACHE_PERSIST=1 keeps its
        results in the configured store (`flowlike_core.storage.configure`, else FLOWLIKE_STORE)."""
        limit = os.environ.get(ENV_MAX_BYTES, "")
        try:
            cache = cls(int(limit) if limit else DEFAULT_MAX_BYTES)
        except ValueError:
            raise ValueError(f"{ENV_MAX_BYTES}={limit!r} is not a number of bytes") from None
        if os.environ.get(ENV_PERSIST, "") in ("", "0"):
            return cache
        try:
            return cache.persist()
        except StorageError as exc:
            warnings.warn(f"{ENV_PERSIST}=1: {exc}; results are kept in memory only", RuntimeWarning, stacklevel=2)
            return cache

    # ---- the store -----------------------------------------------------------------------------------

    def persist(self, store: Storage | Bucket | None = None) -> ResultCache:
        """Keep results in a store's content bucket too (the configured store's when none is given); StorageError
        when the cache's folder there could hold what another user wrote (see the module doc)."""
        from flowlike_core.storage import Storage, current

        if store is None:
            store = current()
        bucket = store.content if isinstance(store, Storage) else store
        if bucket.local and _POSIX:
            own_folder(bucket, self.prefix)
        self.store = bucket
        return self

    def _path(self, key: str, variant: str = "") -> str:
        return f"{self.prefix}/{key[:2]}/{key}" + (f"/{variant}" if variant else "")

    def _refused(self, doing: str, exc: Exception) -> None:
        """The store failed to `doing` ("read", "write"): warn once for each (a run goes on: what it cannot read
        runs, what it cannot write stays in memory)."""
        if doing in self._failures:
            return
        self._failures.add(doing)
        then = "what it cannot read runs again, and its results are kept in memory" if doing == "read" else \
            "results are kept in memory only, for this process"
        warnings.warn(f"the result cache cannot {doing} its store {self.store.url} ({exc}): {then}; the runs go "  # type: ignore[union-attr]
                      f"on", RuntimeWarning, stacklevel=2)

    def _read(self, path: str) -> bytes:
        """A stored file's bytes, to unpickle: from a local store only a file no other user could have written
        (Untrusted)."""
        store: Bucket = self.store  # type: ignore[assignment]
        return read_own(store.path(path)) if store.local and _POSIX else store.read(path)

    def _write(self, path: str, data: bytes) -> None:
        """Write a stored file: in a local store, readable and writable by this user only (`read_own` loads no
        other)."""
        self.store.write(path, data, sync=False, mode=0o600)  # type: ignore[union-attr]

    def _untrusted(self, path: str, exc: Untrusted) -> None:
        """Say once that a stored file was not loaded, as another user could have written it."""
        if "untrusted" in self._failures:
            return
        self._failures.add("untrusted")
        warnings.warn(f"the result cache did not load {self.store.path(path)}: {exc}. It reads kept results with "  # type: ignore[union-attr]
                      f"pickle, which runs code, so it loads only plain files of its user that nobody else can write; "
                      f"the node runs again and its result replaces the file (other such files are skipped too, "
                      f"without another warning)", RuntimeWarning, stacklevel=3)

    def _load(self, key: str, variant: str) -> Entry | None:
        path = self._path(key, variant)
        try:
            data = self._read(path)
        except FileNotFoundError:
            return None
        except Untrusted as exc:
            self._untrusted(path, exc)
            self.unreadable.add(key)
            return None
        except (StorageError, OSError) as exc:
            self._refused("read", exc)
            self.unreadable.add(key)
            return None
        try:
            stored = pickle.loads(data)
        except Exception as exc:  # written by another version of a node's output type, or damaged
            warnings.warn(f"result {key} in {self.store.url} cannot be read back ({exc}): its node runs again and "  # type: ignore[union-attr]
                          f"its result replaces it", RuntimeWarning, stacklevel=3)
            self.unreadable.add(key)
            return None
        if not isinstance(stored, dict) or stored.get("format") != FORMAT:
            return None
        return Entry(stored["outputs"], stored["prints"], stored["variables"], tuple(stored["activated"]),
                     stored["size"], tuple(stored["checks"]), logs=tuple(stored["logs"]),
                     dropped_logs=stored["dropped_logs"], events=tuple(stored.get("events", ())), variant=variant)

    def remember(self, board_id: str, node_id: str, signature: Signature, *, secret: bool = False) -> None:
        """What a node ran with, for the next "why" (kept in the store too when the run ends, for the next kernel
        to explain: `flush`; in memory only when it was made from a secret, whose hash is no business of a disk)."""
        self.last[(board_id, node_id)] = signature
        if self.store is not None and not secret:
            with self._lock:
                self._unsaved.setdefault(board_id, {})[node_id] = signature

    def recall(self, board_id: str, node_id: str) -> Signature | None:
        """What a node last ran with here, or in an earlier kernel over the same store."""
        found = self.last.get((board_id, node_id))
        if found is None and self.store is not None and board_id not in self._why_read:
            self._why_read.add(board_id)
            for node, signature in self._read_why(board_id).items():
                self.last.setdefault((board_id, node), signature)
            found = self.last.get((board_id, node_id))
        return found

    def flush(self) -> None:
        """Write what nodes last ran with to the store: one file per board, merged with what other processes
        wrote there (two processes ending runs of one board at the same moment may lose a node's memory: it then
        explains its next run as new)."""
        with self._lock:
            unsaved, self._unsaved = self._unsaved, {}
        for board_id, signatures in unsaved.items():
            kept = self._read_why(board_id)
            kept.update(signatures)
            try:
                self._write(self._why_path(board_id), pickle.dumps(kept))
            except (StorageError, OSError) as exc:
                self._refused("write", exc)

    def _read_why(self, board_id: str) -> dict[str, Signature]:
        path = self._why_path(board_id)
        try:
            found = pickle.loads(self._read(path))
        except Untrusted as exc:
            self._untrusted(path, exc)
            return {}
        except Exception:  # none yet, or written by another version: no memory, as for nodes never run
            return {}
        return found if isinstance(found, dict) else {}

    def _why_path(self, board_id: str) -> str:
        name = hashlib.blake2b(board_id.encode(), digest_size=16).hexdigest()
        return f"{self.prefix}/why/{name}"

    def _save(self, key: str, entry: Entry) -> str | None:
        """Write a result to the store; a note saying why not when it cannot be."""
        if entry.secret:
            return "its result is made from a secret, so it is kept in memory only"
        if not entry.persistable:
            return "its result holds values compared by identity, so it is kept in memory only"
        try:
            data = pickle.dumps({"format": FORMAT, "outputs": entry.outputs, "prints": entry.prints,
                                 "variables": entry.variables, "activated": list(entry.activated),
                                 "size": entry.size, "checks": list(entry.checks), "logs": list(entry.logs),
                                 "dropped_logs": entry.dropped_logs, "events": list(entry.events)},
                                protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            return f"its result cannot be pickled ({type(exc).__name__}: {exc}), so it is kept in memory only"
        try:
            self._write(self._path(key, entry.variant), data)
        except (StorageError, OSError) as exc:
            self._refused("write", exc)
            return "its result could not be written to the store (the warning says why), so it is kept in memory only"
        return None

    # ---- entries -------------------------------------------------------------------------------------

    def results(self, key: str) -> Iterator[Entry]:
        """The results kept under a key, lazily: those in memory, most recently used first, then those only in the
        store (read as they are reached)."""
        with self._lock:
            variants = list(self._variants.get(key, ()))
        for variant in variants:
            entry = self._entries.get((key, variant))
            if entry is not None:
                yield entry
        if self.store is None:
            return
        if PLAIN not in variants:  # (most nodes read no variable: one read finds their result, no listing)
            entry = self._load(key, PLAIN)
            if entry is not None:
                self._keep(key, entry, newest=False)
                yield entry
        try:
            paths = self.store.list(self._path(key))
        except (StorageError, OSError) as exc:
            self._refused("read", exc)
            return
        for path in paths:
            variant = path.rsplit("/", 1)[-1]
            if variant not in variants and variant != PLAIN:
                entry = self._load(key, variant)
                if entry is not None:
                    self._keep(key, entry, newest=False)
                    yield entry

    def get(self, key: str) -> Entry | None:
        """The most recently used result of a key, if any."""
        return next(self.results(key), None)

    def used(self, key: str, entry: Entry) -> None:
        """A result was served: it is the most recently used."""
        with self._lock:
            if (key, entry.variant) in self._entries:
                self._entries.move_to_end((key, entry.variant))
                variants = self._variants[key]
                variants.remove(entry.variant)
                variants.insert(0, entry.variant)

    def put(self, key: str, entry: Entry) -> str | None:
        """Keep a result (and write it to the store); a note when it could not be stored."""
        pushed_out = self._keep(key, entry)
        if self.store is None:
            return None
        for variant in pushed_out:
            try:
                self.store.delete(self._path(key, variant))
            except FileNotFoundError:
                pass
            except (StorageError, OSError) as exc:
                self._refused("write", exc)
        return self._save(key, entry)

    def _keep(self, key: str, entry: Entry, *, newest: bool = True) -> list[str]:
        """Keep a result in memory; the variants of its key it pushed out (beyond `VARIANTS`)."""
        with self._lock:
            self._drop(key, entry.variant)
            if entry.size > self.max_bytes:
                return []
            self._entries[key, entry.variant] = entry
            self.bytes += entry.size
            variants = self._variants.setdefault(key, [])
            variants.insert(0 if newest else len(variants), entry.variant)
            pushed_out = variants[VARIANTS:]
            for variant in pushed_out:
                self._drop(key, variant)
            while self.bytes > self.max_bytes:
                (old_key, old_variant), _ = next(iter(self._entries.items()))
                self._drop(old_key, old_variant)
                self.evictions += 1
            return pushed_out

    def _drop(self, key: str, variant: str) -> None:
        old = self._entries.pop((key, variant), None)
        if old is None:
            return
        self.bytes -= old.size
        variants = self._variants[key]
        variants.remove(variant)
        if not variants:
            del self._variants[key]

    def discard(self, key: str, entry: Entry) -> None:
        with self._lock:
            self._drop(key, entry.variant)

    def clear(self, *, store: bool = False) -> None:
        """Forget every result in memory (and in the store, with `store=True`). Runs after it say which nodes'
        results were cleared."""
        with self._lock:
            self._entries.clear()
            self._variants.clear()
            self.bytes = 0
        if store and self.store is not None:
            self._unsaved.clear()
            for folder in self.store.dirs(self.prefix):
                for key in self.store.dirs(f"{self.prefix}/{folder}"):
                    for path in self.store.list(f"{self.prefix}/{folder}/{key}"):
                        self.store.delete(path)
                for path in self.store.list(f"{self.prefix}/{folder}"):  # ("why" files)
                    self.store.delete(path)

    def claim(self, key: str, trace: Any) -> tuple[int, Any, threading.Event] | None:
        """This thread (making a pure node's result of `key`, its `trace`) is to make it: None; or the claim of another
        thread making it now, to wait for (`wait_for`). Called with the lock held, after a lookup that missed."""
        me = threading.get_ident()
        found = self._making.get(key)
        if found is None or found[0] == me or found[1].status is not NodeStatus.RUNNING:
            self._making[key] = (me, trace, threading.Event())
            return None
        return found

    def wait_for(self, claim: tuple[int, Any, threading.Event], cancelled: Callable[[], bool]) -> None:
        """Wait until another thread's claim is made (or it failed, or `cancelled()`)."""
        with self._lock:
            self.waiting += 1
        try:
            while not claim[2].wait(0.05) and claim[1].status is NodeStatus.RUNNING and not cancelled():
                pass
        finally:
            with self._lock:
                self.waiting -= 1

    def made(self, key: str) -> None:
        """The result of `key` is kept (or its maker gave up): whoever waits for it looks again."""
        with self._lock:
            found = self._making.get(key)
            if found is not None and found[0] == threading.get_ident():
                del self._making[key]
                found[2].set()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._variants

    def __repr__(self) -> str:
        where = f", stored in {self.store.url}/{self.prefix}" if self.store is not None else ""
        return (f"<ResultCache: {counted(len(self), 'result')}, {byte_size(self.bytes)} of "
                f"{byte_size(self.max_bytes)}{where}>")

    def session(self, executor: Executor) -> RunCache:
        return RunCache(self, executor)

    def shared(self, backend: str) -> SharedCache:
        """What a worker of another process needs to use this cache: its store (results travel through it)."""
        if self.store is None:
            raise RunError(f"a result cache reaches {backend} workers through a store, and this one keeps its "
                           f"results in memory: persist() it first, or run on the thread backend")
        return SharedCache(self.store, self.prefix, self.max_bytes)


@dataclass(frozen=True, eq=False)
class SharedCache:
    """A cache as it travels to a worker process: where its results are kept, not the results themselves."""

    store: Bucket
    prefix: str
    max_bytes: int

    def open(self) -> ResultCache:
        """This process's cache over the store (one per store and prefix, so a warm worker remembers too)."""
        key = (self.store.url, self.prefix)
        with _opened_lock:
            cache = _opened.get(key)
            if cache is None:
                cache = _opened[key] = ResultCache(self.max_bytes, store=self.store, prefix=self.prefix)
        return cache


_opened: dict[tuple[str, str], ResultCache] = {}
_opened_lock = threading.Lock()


# ---- one run ---------------------------------------------------------------------------------------------


_reading: ContextVar[dict[str, str] | None] = ContextVar("flowlike_variable_reads", default=None)
"""The variables read by the node computing now (name -> content hash), when its result is to be kept."""


class _ReadVariables(dict):  # type: ignore[type-arg]
    """A run's variables that note which ones a cached node reads (through `ctx.get_variable`)."""

    def __getitem__(self, name: str) -> Any:
        value = dict.__getitem__(self, name)
        reads = _reading.get()
        if reads is not None and name not in reads:
            reads[name] = fingerprint(value).digest
        return value


@dataclass
class _Pending:
    key: str
    signature: Signature
    changes: tuple[Change, ...]
    notes: tuple[str, ...]
    held: tuple[Any, ...]
    secret: bool
    """An input holds or was made from a secret."""
    watched: tuple[tuple[str, Any, str, str | None], ...]
    """(pin, value, content hash, `quick_check`) of the inputs that can change in place: checked again once it
    ran."""
    reading: Token[dict[str, str] | None] | None = None
    quiet: list[tuple[LogLevel, str, float]] = field(default_factory=list)
    """Lines it logged below its run's log level (the first `FOLDED_LOGS`): kept with its result."""
    events: list[tuple[str, Any]] = field(default_factory=list)
    """What it emitted (the first `FOLDED_LOGS` events): kept with its result."""


class RunCache:
    """The cache as one run uses it: keys, lookups and reasons for the executor's nodes."""

    def __init__(self, cache: ResultCache, executor: Executor) -> None:
        self.cache = cache
        self.executor = executor
        run = executor.run
        self.board_id = run.board.id
        self.reasons: dict[str, Reason] = {}
        run.reasons = self.reasons
        self.prints: dict[str, str] = {}
        """Content hash of the value now under a pure output's value key."""
        self.opaque: dict[str, Fingerprint] = {}
        """The fingerprints among those made by identity: a node reading one says so."""
        self.secret: set[str] = set()
        """Value keys of pure outputs made from a secret: what reads them is made from one too (shared by forks)."""
        self.pending: dict[str, _Pending] = {}
        self.refusals: dict[str, str | None] = {}
        self.codes: dict[type, Studied] = {}
        """Code version, module data read (`global_reads`) and code parts per node type, made (or checked) once per
        run."""
        self.kinds: dict[tuple[type, bool], str | None] = {}
        """`always_runs` per node type (and whether its nodes are pure), asked once per run."""
        self.changeable: set[str] = set()
        """Value keys of pure outputs that can change in place (lists, arrays, frames): a node reading one is
        watched for changing it."""
        executor.variables = run.variables = _ReadVariables(run.variables)
        if cache.store is not None:
            cache._why_read.discard(self.board_id)  # (another process may have run the board since)

    def ended(self, run: Any) -> None:
        """The run has ended (`executor.end` calls it, before the listeners hear of it): what its nodes ran with
        goes to the store."""
        if self.cache.store is not None:
            self.cache.flush()

    def _label(self, node_id: str) -> str:
        node = self.executor.run.board.nodes.get(node_id)
        return node.label() if node is not None else repr(node_id)

    def _fork(self, executor: Executor) -> RunCache:
        """The cache as a fork of the run uses it (a parallel branch or iteration, `flowlike_core.parallel`): the
        same results, reasons and memory, but hashes of its own values; made on its first node."""
        if isinstance(executor.results, RunCache) and executor.results.executor is executor:
            return executor.results
        fork = copy.copy(self)
        fork.executor = executor
        fork.prints, fork.opaque, fork.pending, fork.changeable = {}, {}, {}, set()
        executor.results = fork
        return fork

    def replayed(self, plan: NodePlan, ctx: Context) -> bool:
        """Serve the node from the cache (outputs set, exec outputs taken, trace marked cached): True; else note
        why it runs and start tracking what it reads: False."""
        if ctx._executor is not self.executor:
            return self._fork(ctx._executor).replayed(plan, ctx)
        node_id = plan.node_id
        refusal = self.refusals.get(node_id, "")
        if refusal == "":
            kind = (type(plan.impl), plan.pure)
            refusal = self.kinds.get(kind, "")
            if refusal == "":
                refusal = self.kinds[kind] = always_runs(*kind) or self._checks_paths(kind[0])
            if refusal is None and self.cache.mutators:
                refusal = self.cache.mutators.get((kind[0].name, self._studied(kind[0])[0]))
            self.refusals[node_id] = refusal
        if refusal is not None:
            if plan.pure or type(plan.impl).cacheable is False:  # (the run says it of other exec nodes by itself)
                self.reasons[node_id] = Reason(node_id, self._label(node_id), False, (Change(ALWAYS, detail=refusal),))
            return False
        key, signature, notes, held, secret, watched = self._key(plan)
        entry, changes = self._claimed(key, plan, ctx)
        if entry is not None:
            self.cache.used(key, entry)
            for name, value in entry.outputs.items():
                ctx.set_output(name, value)
                self._printed(plan.outputs[name], entry.prints[name], entry.opaque.get(name))
            if entry.secret:
                self.secret.update(plan.outputs.values())
            for name, value_key in plan.outputs.items():
                (self.changeable.add if name in entry.checks else self.changeable.discard)(value_key)
            ctx.clear_activations()
            for name in entry.activated:
                ctx.activate(name)
            ctx.trace.cached = True
            if entry.logs or entry.dropped_logs:
                replay_logs(ctx, entry)
            for event_type, payload in entry.events:
                ctx.emit(event_type, payload)
            served = dataclasses.replace(signature, variables=tuple(sorted(entry.variables.items())))
            if self.cache.recall(self.board_id, node_id) != served:  # (into the store's why file too, which may
                self.cache.remember(self.board_id, node_id, served, secret=entry.secret)  # have lost it)
            told = self.reasons.get(node_id)
            if told is None or told.cached:  # (a node that ran earlier in this run: why it ran says more)
                self.reasons[node_id] = Reason(node_id, self._label(node_id), True, notes=notes)
            return True
        changes = changes or self._explain(plan, signature, key)
        ctx.trace  # noqa: B018 - made now, so that an execution past the node's full traces logs into it, to be kept
        self.pending[node_id] = _Pending(key, signature, changes, notes, held, secret, watched, _reading.set({}))
        self.reasons[node_id] = Reason(node_id, self._label(node_id), False, changes, notes)
        return False

    def _checks_paths(self, node_type: type[NodeType]) -> str | None:
        """Why a type that declares itself cacheable but reads or writes files runs in this run anyway: the run's
        policy checks each path as the node runs (`allowed_path`), which a result served would skip."""
        policy = self.executor.policy
        if policy is None or Capability.FILES not in node_type.capabilities or Capability.FILES in policy.allow:
            return None
        return ("it reaches files, and this run's policy checks each path as the node runs, which a result served "
                "from the cache would skip")

    def _claimed(self, key: str, plan: NodePlan, ctx: Context) -> tuple[Entry | None, tuple[Change, ...]]:
        """A result of `key` to serve; else, for a pure node, this thread makes it, after waiting for another that
        is making it now (a parallel branch or run: the result it makes is looked up again)."""
        for _ in range(2):
            with self.cache._lock:
                entry, changes = self._lookup(key)
                claim = None if entry is not None or not plan.pure else self.cache.claim(key, ctx.trace)
            if claim is None:
                break
            self.cache.wait_for(claim, lambda: ctx._executor.cancelled)
        return entry, changes

    def _lookup(self, key: str) -> tuple[Entry | None, tuple[Change, ...]]:
        """A result of `key` that is not stale, or what changed since the most recently used one."""
        changes: tuple[Change, ...] = ()
        for found in self.cache.results(key):
            stale = self._stale(found)
            if stale and any(c.kind == MUTATED for c in stale):
                self.cache.discard(key, found)
            if not stale:
                return found, ()
            changes = changes or stale  # (the most recently used result's: what changed since it)
        return None, changes

    def _pending_for(self, ctx: Context) -> _Pending | None:
        """The result being made by the node `ctx` runs (in its fork of the run), if it is to be kept."""
        cache = self if ctx._executor is self.executor else self._fork(ctx._executor)
        return cache.pending.get(ctx._plan.node_id)

    def quiet_line(self, ctx: Context, level: LogLevel, message: str) -> None:
        """A line below the run's log level, logged by a node whose result is to be kept: kept with it."""
        pending = self._pending_for(ctx)
        if pending is not None and len(pending.quiet) < FOLDED_LOGS:
            redactor = ctx._executor.redactor
            pending.quiet.append((level, redactor.text(message) if redactor else message, time.time()))

    def emitted(self, ctx: Context, event_type: str, payload: Any) -> None:
        """An event emitted by a node whose result is to be kept (payload JSON-native, redacted): kept with it."""
        pending = self._pending_for(ctx)
        if pending is not None and len(pending.events) < FOLDED_LOGS:
            pending.events.append((event_type, payload))

    def stored(self, plan: NodePlan, ctx: Context) -> None:
        """After the node ran and succeeded: keep its result under the key it missed."""
        if ctx._executor is not self.executor:
            self._fork(ctx._executor).stored(plan, ctx)
            return
        pending = self.pending.pop(plan.node_id, None)
        if pending is None:
            if self.refusals.get(plan.node_id) is not None:  # it always runs: what it made is hashed when read
                for key in plan.outputs.values():
                    self._printed(key, None, None)
            return
        reads = _reading.get() or {}
        if pending.reading is not None:
            try:
                _reading.reset(pending.reading)  # back to the reads of what computes around it, if anything does
            except ValueError:  # (set in another context: an async node finished elsewhere)
                _reading.set(None)
        outer = _reading.get()
        if outer is not None:
            outer.update((name, digest) for name, digest in reads.items() if name not in outer)
        values = self.executor.pure_cache if plan.pure else self.executor.values  # (this step's, for a pure node)
        outputs = {name: values[key] for name, key in plan.outputs.items() if key in values}
        prints = {name: fingerprint(value) for name, value in outputs.items()}
        for name, found in prints.items():
            (self.changeable.add if found.mutable else self.changeable.discard)(plan.outputs[name])
        changed = [name for name, value, digest, quick in pending.watched
                   if (quick_check(value) != quick if quick is not None else fingerprint(value).digest != digest)]
        if changed:
            self._changed_inputs(plan, pending, changed)
            return
        notes = list(pending.notes)
        for name, found in prints.items():
            self._printed(plan.outputs[name], found.digest, found if found.identity else None)
            if found.identity:
                notes.append(f"output {name!r} ({', '.join(found.identity)}) is compared by identity: it cannot be "
                             f"hashed by content")
        logs, dropped = kept_logs(ctx, pending.quiet)
        secret = pending.secret or not self.executor.run.secret_variables.isdisjoint(reads)
        if secret:
            self.secret.update(plan.outputs.values())
        entry = Entry(outputs, {name: p.digest for name, p in prints.items()}, reads, tuple(ctx.activated),
                      ENTRY_OVERHEAD + sum(map(held, outputs.values(), prints.values())) +
                      sum(len(m) + 64 for _, m, _ in logs),
                      tuple(name for name, p in prints.items() if p.mutable),
                      pending.held + tuple(held for p in prints.values() for held in p.held),
                      {name: p for name, p in prints.items() if p.identity}, logs, dropped, tuple(pending.events),
                      variant_of(reads), secret)
        for name in entry.checks:
            quick = quick_check(outputs[name])
            if quick is not None:
                entry.quick[name] = quick
        with self.cache._lock:  # (a lookup and a claim see it kept and its claim gone at once)
            note = self.cache.put(pending.key, entry)
            self.cache.made(pending.key)
        if note is not None and self.cache.store is not None:
            notes.append(note)
        signature = pending.signature
        self.cache.remember(self.board_id, plan.node_id, dataclasses.replace(
            signature, variables=tuple(sorted(reads.items()))), secret=secret)
        self.reasons[plan.node_id] = Reason(plan.node_id, self._label(plan.node_id), False, pending.changes,
                                            tuple(notes))

    def _changed_inputs(self, plan: NodePlan, pending: _Pending, changed: list[str]) -> None:
        """The node changed inputs in place as it ran: a result served would not, so it is not kept, and nodes of
        its type (and code) run every time from now on."""
        for key in plan.outputs.values():
            self._printed(key, None, None)
        with self.cache._lock:
            self.cache.made(pending.key)
        node_type = type(plan.impl)
        why = (f"it changes its input {' and '.join(map(repr, changed))} in place as it runs, which a result served "
               f"from the cache would not do, so its nodes run every time (a node should copy what it changes)")
        self.cache.mutators[(node_type.name, self._studied(node_type)[0])] = why
        self.refusals[plan.node_id] = why
        self.reasons[plan.node_id] = Reason(plan.node_id, self._label(plan.node_id), False,
                                            (Change(ALWAYS, detail=why),), pending.notes)

    # ---- keys ----------------------------------------------------------------------------------------

    def _studied(self, node_type: type[NodeType]) -> Studied:
        """A type's code version, the module data its code reads and the parts of its code (of a notebook's or
        script's type), asked once per run."""
        studied = self.codes.get(node_type)
        if studied is None:
            studied = self.codes[node_type] = (code_version(node_type), global_reads(node_type),
                                               () if catalog_version(node_type)[1] else code_parts(node_type))
        return studied

    def _key(self, plan: NodePlan) -> tuple[str, Signature, tuple[str, ...], tuple[Any, ...], bool,
                                            tuple[tuple[str, Any, str, str | None], ...]]:
        """The node's key, signature, notes on its inputs, what they hold by identity, whether one of them holds
        or was made from a secret, and those that can change in place (pin, value, content hash)."""
        node_type = type(plan.impl)
        code, reads, parts = self._studied(node_type)
        watched: list[tuple[str, Any, str, str | None]] = []
        catalog = catalog_version(node_type)
        inputs: list[tuple[str, str, str, str]] = []
        notes: list[str] = []
        held: list[Any] = []
        executor = self.executor
        secret = plan.node_id in executor.sensitive
        for name, sources in plan.inputs.items():
            for source in sources:
                if source.kind == PURE:
                    if source.node_id not in executor.pure_done:  # an exec node's input, not pulled yet
                        executor.pull(source.node_id, source.key)
                    found = self.prints.get(source.key)
                    if found is None:
                        print_ = fingerprint(executor.pure_cache.get(source.key))
                        self._printed(source.key, print_.digest, print_ if print_.identity else None)
                        found = print_.digest
                        (self.changeable.add if print_.mutable else self.changeable.discard)(source.key)
                    opaque = self.opaque.get(source.key)
                    if opaque is not None:
                        self._note(name, opaque, notes, held)
                    secret = secret or source.key in self.secret or (  # (a node that always runs is not tracked)
                        self.refusals.get(source.node_id) is not None and
                        self._holds_secret(executor.pure_cache.get(source.key)))
                    if source.key in self.changeable:
                        value = executor.pure_cache.get(source.key)
                        watched.append((name, value, found, quick_check(value)))
                    inputs.append((name, found, UPSTREAM, source.key))
                elif source.kind == CONST:
                    print_ = fingerprint(source.value)
                    self._note(name, print_, notes, held)
                    secret = secret or self._holds_secret(source.value)
                    if print_.mutable and not print_.identity:
                        watched.append((name, source.value, print_.digest, quick_check(source.value)))
                    inputs.append((name, print_.digest, DEFAULT, ""))
                else:
                    value = executor.values.get(source.key)
                    print_ = fingerprint(value)
                    self._note(name, print_, notes, held)
                    secret = secret or self._holds_secret(value)
                    if print_.mutable and not print_.identity:
                        watched.append((name, value, print_.digest, quick_check(value)))
                    inputs.append((name, print_.digest, EXEC_VALUE, source.key))
        read: list[tuple[str, str]] = []
        files: list[tuple[str, str, str]] = []
        if not catalog[1]:  # a type of a notebook or script, not of a versioned pack: the data its code reads counts,
            for scope, name in reads:  # and the files its inputs name
                print_ = fingerprint(scope.get(name))
                held.extend(print_.held)  # (by identity, quietly: a logger or a client is no data to explain)
                read.append((name, print_.digest))
            for name, sources in plan.inputs.items():
                for source in sources:
                    value = source.value if source.kind == CONST else \
                        (executor.pure_cache if source.kind == PURE else executor.values).get(source.key)
                    found_file = file_state(value)
                    if found_file is not None:
                        files.append((name, *found_file))
        text = "\0".join((node_type.name, code, *catalog, *(f"{name}={found}" for name, found, _, _ in inputs),
                          *(f"global {name}={found}" for name, found in read),
                          *(f"file {name}={path}={state}" for name, path, state in files)))
        key = hashlib.blake2b(text.encode(), digest_size=20).hexdigest()
        return key, Signature(code, catalog, tuple(inputs), globals=tuple(read), files=tuple(files),
                              code_parts=parts), tuple(notes), \
            tuple(held), secret, tuple(watched)

    def _holds_secret(self, value: Any) -> bool:
        """Whether a text (or a list or map of them) holds one of the run's secrets."""
        redactor = self.executor.redactor
        if not redactor or not isinstance(value, str | list | tuple | dict):
            return False
        return redactor.value(value) != (list(value) if isinstance(value, tuple) else value)

    def _printed(self, key: str, digest: str | None, opaque: Fingerprint | None) -> None:
        """The value under a value key now hashes to `digest` (None: not known until read)."""
        if digest is None:
            self.prints.pop(key, None)
        else:
            self.prints[key] = digest
        if opaque is None:
            self.opaque.pop(key, None)
        else:
            self.opaque[key] = opaque

    @staticmethod
    def _note(name: str, found: Any, notes: list[str], held: list[Any]) -> None:
        if found.identity:
            notes.append(f"input {name!r} ({', '.join(found.identity)}) is compared by identity: it cannot be "
                         f"hashed by content, so an equal copy makes the node run again")
            held.extend(found.held)

    def _current(self, name: str) -> str:
        variables = self.executor.variables
        return fingerprint(dict.get(variables, name)).digest if name in variables else ""

    def _stale(self, entry: Entry) -> tuple[Change, ...]:
        """What keeps a kept result from being reused: variables it read have changed, or an output of it was
        changed in place since."""
        changes = [Change(VARIABLE, name) for name, digest in entry.variables.items() if self._current(name) != digest]
        changes += [Change(MUTATED, name) for name in entry.checks if self._changed(entry, name)]
        return tuple(changes)

    @staticmethod
    def _changed(entry: Entry, name: str) -> bool:
        """Whether a kept output was changed in place: its quick check when it has one (hashed in full once, for a
        result read from the store)."""
        value, quick = entry.outputs[name], entry.quick.get(name)
        if quick is not None:
            return quick_check(value) != quick
        if fingerprint(value).digest != entry.prints[name]:
            return True
        quick = quick_check(value)
        if quick is not None:
            entry.quick[name] = quick
        return False

    def _input_change(self, name: str, where: str, upstream: str, was: str) -> Change:
        """An input whose value changed, read now from the output `upstream` ("node id/pin id", "" for a default)
        and before from `was`: the upstream node changed, or the input is wired from another node, from another
        output of the same node, or no longer wired."""
        node_id, _, pin_id = upstream.partition("/")
        was_node, _, was_pin = was.partition("/")
        if not upstream:
            if not was:
                return Change(INPUT, name, where)
            return Change(INPUT, name, where, before=self._label(was_node), rewired=True)
        label = self._label(node_id)
        if was_node != node_id:
            return Change(INPUT, name, where, node_id, label, before=self._label(was_node) if was else "",
                          rewired=True)
        if was_pin and pin_id and was_pin != pin_id:  # (a signature kept before pins were names no pin)
            return Change(INPUT, name, where, node_id, label, rewired=True, pin=self._pin(node_id, pin_id),
                          pin_before=self._pin(node_id, was_pin))
        return Change(INPUT, name, where, node_id, label)

    def _pin(self, node_id: str, pin_id: str) -> str:
        node = self.executor.run.board.nodes.get(node_id)
        pin = node.pins.get(pin_id) if node is not None else None
        return pin.name if pin is not None else pin_id

    def _explain(self, plan: NodePlan, signature: Signature, key: str) -> tuple[Change, ...]:
        """Why a node missed the cache: what differs from the last time it ran or was served here."""
        if key in self.cache.unreadable:
            return (Change(UNREADABLE, detail=f"its kept result in {self.cache.store.url} could not be read back "  # type: ignore[union-attr]
                                              f"(the warning says why)"),)
        last = self.cache.recall(self.board_id, plan.node_id)
        if last is None:
            return (Change(NEW),)
        changes: list[Change] = []
        if last.code != signature.code:
            changes.append(Change(CODE, type(plan.impl).name, detail=redefined(last, signature)))
        if last.catalog != signature.catalog:
            changes.append(Change(CATALOG, signature.catalog[0] or last.catalog[0], before=last.catalog[1],
                                  after=signature.catalog[1]))
        before = {(name, index): (digest, where, upstream)
                  for index, (name, digest, where, upstream) in enumerate(last.inputs)}
        for index, (name, digest, where, upstream) in enumerate(signature.inputs):
            previous = before.get((name, index))
            if previous is None or previous[0] != digest:
                changes.append(self._input_change(name, where, upstream, previous[2] if previous else upstream))
        changes += [Change(VARIABLE, name) for name, digest in last.variables if self._current(name) != digest]
        before_globals = dict(last.globals)
        changes += [Change(GLOBAL, name) for name, digest in signature.globals if before_globals.get(name) != digest]
        before_files = {(name, path): state for name, path, state in getattr(last, "files", ())}  # (older why files)
        changes += [Change(FILE, name, detail=f"file {path!r} (input {name!r}) changed on disk")
                    for name, path, state in signature.files if before_files.get((name, path), state) != state]
        return tuple(changes) or (Change(EVICTED),)
