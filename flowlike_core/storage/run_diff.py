"""What differs between two runs of the run history: board version, status, variables, result, error, steps, and per
node how often it ran, how it ended and what it logged. `diff_runs(old, new)`, `store.runs.diff(a, b)`,
`flowlike runs A B`.

Values kept as blobs are compared by reference (a blob's key is the hash of its bytes, so equal keys are equal
values) and shown by their size, so a diff never reads a large value back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from flowlike_core.run import RunRecord
from flowlike_core.wording import counted

Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class RunChange:
    kind: Kind
    item: Literal["run", "variable", "node"]
    label: str
    """The field (`status`, `result`...), the variable's name, or the node as `name (id)`."""
    old: Any = None
    new: Any = None
    detail: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """For a node: what changed (`executions`, `status`, `error`, `logs`) -> (old, new)."""

    def __str__(self) -> str:
        sign = {"added": "+", "removed": "-", "changed": "~"}[self.kind]
        if self.detail:
            what = ", ".join(f"{key}: {shown(old)} -> {shown(new)}" for key, (old, new) in self.detail.items())
            return f"{sign} {self.item} {self.label}: {what}"
        if self.kind == "changed":
            return f"{sign} {self.item} {self.label}: {shown(self.old)} -> {shown(self.new)}"
        return f"{sign} {self.item} {self.label}: {shown(self.new if self.kind == 'added' else self.old)}"

    __repr__ = __str__  # a list of changes in a notebook cell reads as the lines `flowlike runs A B` prints


RUN_FIELDS = ("board_name", "board_version", "start_node", "status", "result", "error", "error_node", "steps")


def diff_runs(old: RunRecord, new: RunRecord) -> list[RunChange]:
    """Changes from `old` to `new` in a stable order: run fields, variables by name, nodes by id. Times and durations
    are not changes (every run has its own); `flowlike runs A B` prints the durations beside the changes."""
    changes = [RunChange("changed", "run", name, getattr(old, name), getattr(new, name))
               for name in RUN_FIELDS if _plain(getattr(old, name)) != _plain(getattr(new, name))]
    changes += _keyed("variable", old.variables, new.variables)
    nodes_old, nodes_new = _nodes(old), _nodes(new)
    for node_id in [*nodes_old, *(n for n in nodes_new if n not in nodes_old)]:
        before, after = nodes_old.get(node_id), nodes_new.get(node_id)
        label = f"{(after or before)['name']} ({node_id})"
        if before is None or after is None:
            kind: Kind = "added" if before is None else "removed"
            changes.append(RunChange(kind, "node", label, detail={"executions": (
                0 if before is None else before["executions"], 0 if after is None else after["executions"])}))
            continue
        detail = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
        if detail:
            changes.append(RunChange("changed", "node", label, detail=detail))
    return changes


def _keyed(item: Literal["variable"], old: dict[str, Any], new: dict[str, Any]) -> list[RunChange]:
    changes = [RunChange("removed", item, name, old=old[name]) for name in old if name not in new]
    changes += [RunChange("added", item, name, new=new[name]) for name in new if name not in old]
    changes += [RunChange("changed", item, name, old[name], new[name]) for name in old
                if name in new and _plain(old[name]) != _plain(new[name])]
    return changes


def _nodes(record: RunRecord) -> dict[str, dict[str, Any]]:
    """Per node, in the order they first ran: its name, executions, last status and error, and log line count."""
    nodes: dict[str, dict[str, Any]] = {}
    for trace in record.traces:
        node = nodes.setdefault(trace.node_id, {"name": trace.node_name, "executions": 0, "status": "", "error": None,
                                                "logs": 0})
        node["executions"] += 1
        node["status"], node["error"] = trace.status.value, trace.error
        node["logs"] += len(trace.logs)
    for folded in record.folded:
        node = nodes.setdefault(folded.node_id, {"name": folded.node_name, "executions": 0, "status": "",
                                                 "error": None, "logs": 0})
        node["executions"] += folded.count
        node["logs"] += len(folded.logs) + folded.dropped_logs
        if folded.last_error:
            node["error"] = folded.last_error
    return nodes


def _plain(value: Any) -> Any:
    """A value as comparable JSON-native data (enums by value, tuples as lists)."""
    return json.loads(json.dumps(value, default=lambda v: getattr(v, "value", str(v))))


def shown(value: Any, width: int = 80) -> str:
    """A value in a diff line: a blob by its size, text and numbers as JSON, cut at `width`."""
    if isinstance(value, dict) and set(value) in ({"bytes", "size"}, {"json", "size"}):
        return f"<{value['size']:,} bytes>" if "bytes" in value else f"<JSON, {value['size']:,} characters>"
    if isinstance(value, dict) and set(value) == {"arrow_table", "rows", "columns"}:
        return f"<table, {counted(value['rows'], 'row')}: {', '.join(value['columns'])}>"
    text = json.dumps(_plain(value), separators=(",", ":"))
    return text if len(text) <= width else text[:width - 3] + "..."
