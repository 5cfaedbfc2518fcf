"""Why a node ran or was served from the result cache: what `run.why("node")` answers.

    print(run.why("total"))
    # total ran: input 'b' changed (default edited)
    run.why("total").changes[0].kind      # "input"

A `Reason` is structured (`changes`, `notes`, `as_dict()`) and reads as one line of text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

INPUT, VARIABLE, GLOBAL, CODE, CATALOG, NEW, EVICTED, MUTATED, ALWAYS, NO_CACHE, NOT_RUN = (
    "input", "variable", "global", "code", "catalog", "new", "evicted", "mutated", "always", "no cache", "not run")
"""Kinds of `Change`."""
DEFAULT, UPSTREAM, EXEC_VALUE = "default", "upstream", "exec value"
"""Where a changed input's value came from."""
EXEC_RUNS = "an exec node acts: it runs every time unless its type declares itself idempotent (cacheable=True)"


@dataclass(frozen=True)
class Change:
    """One thing that made a node run."""

    kind: str
    name: str = ""
    """The input pin or variable that changed; the pack for a catalog change."""
    source: str = ""
    """For an input: `default` (edited on the node), `upstream` (a pure node) or `exec value` (an exec node's
    output)."""
    node_id: str = ""
    node: str = ""
    """The upstream node's label, for an input that comes from one."""
    before: str = ""
    """For an input: the node it was wired from before, if any; for a catalog change: the pack's version before."""
    after: str = ""
    detail: str = ""
    rewired: bool = False
    """For an input: its wire changed since the last time: from another node (`node`; `before`: the last one, if
    it was wired), from another output of the same node (`pin`, `pin_before`), or removed (`node` empty, `before`
    the node it was wired from)."""
    pin: str = ""
    """For an input wired from another output of the same node: that output's name."""
    pin_before: str = ""
    """For an input wired from another output of the same node: the output it was wired from."""

    def text(self) -> str:
        if self.kind == INPUT:
            if self.rewired and not self.node:
                return f"input {self.name!r} changed (no longer wired from node {self.before}: its default is read)"
            if self.rewired and self.pin:
                return (f"input {self.name!r} changed (now wired from output {self.pin!r} of node {self.node} instead "
                        f"of its output {self.pin_before!r})")
            if self.rewired:
                instead = f" instead of node {self.before}" if self.before else ""
                return f"input {self.name!r} changed (now wired from node {self.node}{instead})"
            where = {DEFAULT: "default edited", UPSTREAM: f"upstream node {self.node} changed",
                     EXEC_VALUE: f"value from node {self.node} changed"}.get(self.source, self.source)
            return f"input {self.name!r} changed ({where})"
        if self.kind == VARIABLE:
            return f"variable {self.name!r} changed"
        if self.kind == GLOBAL:
            return f"global {self.name!r} changed (its code reads it)"
        if self.kind == CODE:
            return f"its code changed ({self.detail or f'node type {self.name!r} was redefined'})"
        if self.kind == CATALOG:
            return f"catalog version changed (pack {self.name!r} {self.before or '?'} -> {self.after or '?'})"
        if self.kind == NEW:
            return "never cached (first run of these inputs with this cache)"
        if self.kind == EVICTED:
            return "its cached result was evicted or cleared"
        if self.kind == MUTATED:
            return f"its cached output {self.name!r} was changed in place by a later node"
        return self.detail or self.kind


@dataclass(frozen=True)
class Reason:
    """Why one node ran (or did not) in a run: its last execution that ran there, else that it was served from the
    cache (a loop's later executions served from the cache do not hide why the first one ran)."""

    node_id: str
    node: str
    """The node's label (friendly name and id)."""
    cached: bool
    changes: tuple[Change, ...] = ()
    notes: tuple[str, ...] = field(default=())
    """Side remarks: inputs compared by identity, results that could not be kept in the store."""

    @property
    def ran(self) -> bool:
        return not self.cached and not any(c.kind == NOT_RUN for c in self.changes)

    @property
    def text(self) -> str:
        if self.cached:
            head = f"{self.node} was cached: same code and inputs as before"
        elif not self.ran:
            head = f"{self.node} did not run: {self.changes[0].text()}"
        else:
            head = f"{self.node} ran: " + "; ".join(c.text() for c in self.changes)
        return head + "".join(f"\n  note: {note}" for note in self.notes)

    def as_dict(self) -> dict[str, Any]:
        return {"node_id": self.node_id, "node": self.node, "cached": self.cached, "why": self.text,
                "changes": [asdict(c) for c in self.changes], "notes": list(self.notes)}

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text
