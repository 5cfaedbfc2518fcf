"""What a run lets its nodes reach: the network, files outside the store, processes, native code.

Node types declare what they reach (`NodeType.capabilities`, `@node(capabilities=...)`); a run takes a
`Policy`. The executor fails a node whose type declares a refused capability before the node starts. Files are
checked path by path instead (a file node may well stay inside the store): file nodes pass every path through
`allowed_path` before they open it, which accepts the configured store, the policy's allowed roots, and any
path when the policy allows `files`.

`flowlike run`, `sweep` and `serve` refuse everything but the store unless told (`--allow network --allow-path
DIR`); a notebook, a script, `flowlike notebook` and Jupyter's run API (`FlowlikeRuns.allow`) allow everything by
default, since their user runs any code there anyway.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from flowlike_core.errors import RunError

if TYPE_CHECKING:
    from flowlike_core.node import NodeType


class Capability(StrEnum):
    NETWORK = "network"
    """Connects to other machines (HTTP, mail, databases, brokers, model servers)."""
    FILES = "files"
    """Reads or writes files outside the configured store."""
    PROCESSES = "processes"
    """Starts other programs."""
    NATIVE = "native"
    """Loads native code or runs a model file in a native runtime (ONNX, compiled libraries)."""


class CapabilityRefused(RunError):
    """A node needs something the run's policy does not allow."""


@dataclass(frozen=True)
class Policy:
    """The capabilities a run allows, and the folders (or URL prefixes) its file nodes may use besides the store."""

    allow: frozenset[Capability] = frozenset()
    paths: tuple[str, ...] = ()

    @classmethod
    def everything(cls) -> Policy:
        return cls(frozenset(Capability))

    @classmethod
    def of(cls, allow: Iterable[str] = (), paths: Iterable[str | os.PathLike[str]] = ()) -> Policy:
        """A policy from names (`["network"]`) and folders; an unknown name is an error that lists the known ones."""
        known = {c.value for c in Capability}
        unknown = sorted(set(allow) - known)
        if unknown:
            raise ValueError(f"unknown capability {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        return cls(frozenset(Capability(name) for name in allow), tuple(_root(p) for p in paths))

    def refused(self, node_type: type[NodeType]) -> list[Capability]:
        """What the type declares that this policy refuses before it starts (files are checked per path)."""
        return [c for c in node_type.capabilities if c not in self.allow and c is not Capability.FILES]

    def check_path(self, path: str | os.PathLike[str], what: str = "path") -> str:
        """The path (absolute, links resolved, for a local one) when the run may use it; else CapabilityRefused."""
        text = os.fspath(path)
        is_url = "://" in text and not text.startswith("file://")
        where = text if is_url else os.path.realpath(os.path.expanduser(text.removeprefix("file://")))
        if Capability.FILES in self.allow or any(_inside(where, root) for root in (*self.paths, *_store_roots())):
            return text if is_url else where
        raise CapabilityRefused(
            f"{what} {text!r} is outside the store and the allowed paths; allow it with "
            f"--allow-path DIR (or any path: --allow files), or run(policy=Policy.of(paths=[...])) in Python")


def _root(path: str | os.PathLike[str]) -> str:
    text = os.fspath(path).removeprefix("file://")
    return text.rstrip("/") if "://" in text else os.path.realpath(os.path.expanduser(text))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _store_roots() -> tuple[str, ...]:
    from flowlike_core.storage import current

    config = current().config
    return tuple(_root(url) for url in (config.meta_url, config.content_url))


active: ContextVar[Policy | None] = ContextVar("flowlike_policy", default=None)
"""The policy of the run whose nodes are running (set by the executor); None (everything) outside a run."""


def allowed_path(path: str | os.PathLike[str], what: str = "path") -> str:
    """`check_path` under the running run's policy: file nodes call this before they open anything."""
    return (active.get() or Policy.everything()).check_path(path, what)


def sql_roots() -> list[str] | None:
    """The folders and URL prefixes (each ending in "/") an embedded SQL engine may open under the running run's
    policy: the store, the allowed roots (URL ones only when the network is allowed) and every local file when
    files are allowed; None when nothing needs confining (no policy, or one that allows files and the network).

    SQL text names files itself (`read_csv('/etc/passwd')`, COPY, ATTACH, URLs), past the checks file nodes make
    with `allowed_path`: engines confine themselves to these roots instead."""
    policy = active.get()
    if policy is None or {Capability.FILES, Capability.NETWORK} <= policy.allow:
        return None
    network = Capability.NETWORK in policy.allow
    roots = [*_store_roots(), *(root for root in policy.paths if network or "://" not in root)]
    if Capability.FILES in policy.allow:
        roots.append("/")
    return list(dict.fromkeys(root if root.endswith("/") else root + "/" for root in roots))


def refusal(node_label: str, refused: list[Capability]) -> CapabilityRefused:
    names = ", ".join(c.value for c in refused)
    return CapabilityRefused(f"node {node_label} needs {names}, which this run does not allow "
                             f"({how_to_allow(refused)})")


def how_to_allow(refused: list[Capability]) -> str:
    """What grants `refused`, as every refusal says it: the option of the commands that run under a policy, or a
    policy in Python."""
    flags = " ".join(f"--allow {c.value}" for c in refused)
    return f"{flags} on flowlike run, sweep or serve; run(policy=Policy.of(allow=[...])) in Python"
