"""What changed between two boards: a structured list of nodes, pins, wires, variables and comments."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from flowlike_core.board import Board

Kind = Literal["added", "removed", "changed"]
Item = Literal["board", "node", "pin", "wire", "variable", "comment", "layer"]

_BOARD_FIELDS = ("name", "description", "version", "log_level")


class BoardChange(BaseModel):
    kind: Kind
    item: Item
    id: str
    label: str
    """Human-readable: a node's name, `node.pin`, or `source.pin -> target.pin` for a wire."""
    fields: dict[str, tuple[Any, Any]] = Field(default_factory=dict)
    """For `changed`: field name -> (old value, new value)."""

    def __str__(self) -> str:
        sign = {"added": "+", "removed": "-", "changed": "~"}[self.kind]
        detail = ", ".join(f"{k}: {old!r} -> {new!r}" for k, (old, new) in self.fields.items())
        return f"{sign} {self.item} {self.label}" + (f" ({detail})" if detail else "")


def diff_boards(old: Board, new: Board) -> list[BoardChange]:
    """Changes that turn `old` into `new`, in a stable order (board, nodes and their pins, wires, the rest)."""
    a, b = old.to_dict(), new.to_dict()
    changes = [BoardChange(kind="changed", item="board", id=b["id"], label=b["name"], fields=fields)
               for fields in [_changed(a, b, _BOARD_FIELDS)] if fields]
    for kind, node_id, before, after in _keyed(a["nodes"], b["nodes"]):
        label = _node_label(after or before)
        if kind != "changed":
            changes.append(BoardChange(kind=kind, item="node", id=node_id, label=label))
            continue
        fields = _changed(before, after, [k for k in after if k != "pins"])
        if fields:
            changes.append(BoardChange(kind="changed", item="node", id=node_id, label=label, fields=fields))
        for pin_kind, pin_id, pin_before, pin_after in _keyed(before["pins"], after["pins"]):
            pin = pin_after or pin_before
            pin_fields = _changed(pin_before, pin_after, list(pin_after)) if pin_kind == "changed" else {}
            if pin_kind != "changed" or pin_fields:
                changes.append(BoardChange(kind=pin_kind, item="pin", id=pin_id, label=f"{label}.{pin['name']}",
                                           fields=pin_fields))
    wires_a, wires_b = ({tuple(w.values()): w for w in doc["connections"]} for doc in (a, b))
    for kind, keys, doc, wires in (("removed", wires_a.keys() - wires_b.keys(), a, wires_a),
                                   ("added", wires_b.keys() - wires_a.keys(), b, wires_b)):
        for key in sorted(keys):
            changes.append(BoardChange(kind=kind, item="wire", id="/".join(key), label=_wire_label(doc, wires[key])))
    for item, section, name_field in (("variable", "variables", "name"), ("comment", "comments", "content"),
                                      ("layer", "layers", "name")):
        for kind, item_id, before, after in _keyed(a[section], b[section]):
            fields = _changed(before, after, list(after)) if kind == "changed" else {}
            if kind != "changed" or fields:
                label = str((after or before)[name_field])[:40]
                changes.append(BoardChange(kind=kind, item=item, id=item_id, label=label, fields=fields))
    return changes


def _keyed(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[Kind, str, Any, Any]]:
    """Entries by id: removed, then added, then present in both (changed or not), each sorted by id."""
    return ([("removed", k, a[k], None) for k in sorted(a.keys() - b.keys())]
            + [("added", k, None, b[k]) for k in sorted(b.keys() - a.keys())]
            + [("changed", k, a[k], b[k]) for k in sorted(a.keys() & b.keys())])


def _changed(a: dict[str, Any], b: dict[str, Any], keys: Any) -> dict[str, tuple[Any, Any]]:
    return {k: (a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)}


def _node_label(node: dict[str, Any]) -> str:
    return f"{node['friendly_name'] or node['name']} ({node['id']})"


def _wire_label(doc: dict[str, Any], wire: dict[str, str]) -> str:
    def end(node_id: str, pin_id: str) -> str:
        node = doc["nodes"].get(node_id)
        if node is None:
            return f"{node_id}.{pin_id}"
        pin = node["pins"].get(pin_id, {"name": pin_id})
        return f"{node['friendly_name'] or node['name']}.{pin['name']}"

    return f"{end(wire['from_node'], wire['from_pin'])} -> {end(wire['to_node'], wire['to_pin'])}"
