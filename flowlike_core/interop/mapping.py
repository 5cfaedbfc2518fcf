"""Flow-Like boards (serde form) onto our Board, and back: nodes by key, pins by name, never by id.

Import keeps Flow-Like's node and pin ids, so that a board exported from here and read back is the same
board. What cannot map is kept or told: unknown keys become placeholder nodes, pins our type lacks are
dropped (kept aside, wires and all, for export), pins Flow-Like's node lacked are added with our defaults,
wires recorded on one pin only are repaired, and each of these lands in the `ImportReport`. Fields our
models have no place for ride in their `flowlike` dict, so that export writes back what it read.
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flowlike_core import wiring
from flowlike_core.board import (
    Board,
    Comment,
    Connection,
    Layer,
    LogLevel,
    Node,
    Pin,
    PinDirection,
    PinOptions,
    Variable,
    new_id,
)
from flowlike_core.interop.placeholders import flowlike_catalog, pack_of
from flowlike_core.interop.report import ImportReport
from flowlike_core.node import ERROR_EXEC, ERROR_MESSAGE, NodeType
from flowlike_core.registry import Registry
from flowlike_core.types import DataType, ValueType, fits, type_label

RAW_SCHEMA = "x-flowlike-schema"
"""A Flow-Like pin schema that is not a JSON object (a type name, say) is kept under this key."""
_HASH = re.compile(r"\d{6,20}")
_MISSING: Any = object()


@dataclass(frozen=True)
class Alias:
    """A Flow-Like key whose concept a node of ours with another key covers, and the pin names that differ."""

    key: str
    pins: tuple[tuple[str, str], ...] = ()


IMPORT_ALIASES: dict[str, Alias] = {
    "open_local_db": Alias("vectors_open_table", (("database", "table"),)),
    "insert_local_db": Alias("vectors_insert", (("database", "table"), ("value", "records"))),
    "upsert_local_db": Alias("vectors_upsert", (("database", "table"), ("value", "records"), ("id_row", "key"))),
    "count_local_db": Alias("vectors_count", (("database", "table"),)),
    "filter_local_db": Alias("vectors_filter", (("database", "table"), ("values", "results"))),
    "vector_search_local_db": Alias("vectors_search", (("database", "table"), ("values", "results"))),
    "fts_search_local_db": Alias("vectors_fts_search", (("database", "table"), ("search", "query"),
                                                        ("values", "results"))),
    "hybrid_search_local_db": Alias("vectors_hybrid_search", (("database", "table"), ("search", "query"),
                                                              ("values", "results"))),
    "index_local_db": Alias("vectors_create_index", (("database", "table"),)),
}
"""Flow-Like's LanceDB nodes map onto the local-database (vectors) pack; used when that pack is installed."""

EXEC_REROUTE = (("route_in", "exec_in"), ("route_out", "exec_out"))
"""Flow-Like's one `reroute` is retyped by what it carries; ours has one for execution and one for data."""

# What each of Flow-Like's tables holds that our models hold too (the rest is kept in the model's `flowlike`),
# and the values export writes where nothing was kept (which import therefore need not keep).
NODE_FIELDS = frozenset({"id", "name", "friendly_name", "description", "coordinates", "category", "pins", "comment",
                         "layer"})
VARIABLE_FIELDS = frozenset({"id", "name", "description", "default_value", "data_type", "value_type", "exposed",
                             "secret", "editable", "schema"})
COMMENT_FIELDS = frozenset({"id", "content", "coordinates", "width", "height", "color"})
LAYER_FIELDS = frozenset({"id", "parent_id", "name", "coordinates", "comment", "nodes", "variables", "comments",
                          "pins"})
"""A layer's bridge pins are not kept: Flow-Like adds them again when it loads the board."""
SAVED_SINGLE = {"value_type": ValueType.NORMAL.value}
"""Kept on a variable that Flow-Like saved as a single Struct holding a JSON array (the pins reading it whole keep a
`SAVED_TYPE`): Flow-Like edits a single Struct as free JSON, so that is how it keeps a list of records; here it is
Array<Struct>."""
WHOLE_VALUE_PINS = {"variable_get": ("value_ref",), "variable_set": ("value_in", "value_ref")}
BOARD_FIELDS = frozenset({"id", "name", "description", "nodes", "variables", "comments", "version", "log_level",
                          "layers", "updated_at"})
"""`updated_at` is the time of the export."""
VARIABLE_DEFAULTS = {"category": None, "hash": None, "runtime_configured": False}
COMMENT_DEFAULTS = {"comment_type": "Text"}
COMMENT_SIZE = {"width": 240.0, "height": 120.0}
"""What a comment Flow-Like sizes by itself (no width or height) measures here."""
AUTO_SIZE = "auto_size"
"""In a comment's `flowlike`: the sides Flow-Like sized by itself; export leaves them out again unless resized."""
LAYER_DEFAULTS = {"type": "Collapsed"}
BOARD_DEFAULTS = {"viewport": [0.0, 0.0, 1.0], "stage": "Dev", "execution_mode": "Hybrid", "refs": {},
                  "page_ids": []}
PIN_FIELDS = frozenset({"id", "name", "friendly_name", "description", "pin_type", "data_type", "schema", "value_type",
                        "depends_on", "connected_to", "default_value", "index", "options"})
SAVED_DEFAULT = "saved_default"
"""In a pin's kept fields: the default Flow-Like saved that our pin could not hold (Flow-Like's Struct is any JSON,
ours an object), as its bytes, and the value our pin took instead: export writes the bytes back while it holds that."""
SAVED_SCHEMA = "saved_schema"
"""In a pin's kept fields: the schema Flow-Like saved (text, or a hash into the board's refs) where our pin's type
has its own, and ours: export writes Flow-Like's back while the pin has ours (Flow-Like checks and edits by it)."""
SAVED_TYPE = "saved_type"
"""In a pin's kept fields: the type Flow-Like saved where ours won (reported as type-kept), and ours: export writes
Flow-Like's back while the pin has ours."""
ADDED_PINS = "added_pins"
"""In a node's `flowlike`: the pins Flow-Like's node lacked, by id (`NODE:NAME`, the same at every import), with the
default they got. Export leaves out those still unwired and at that default: Flow-Like gets back the node it had
(an On Error pair it saw would switch its error handling on in its editor)."""
PIN_FLAGS = ("enforce_schema", "enforce_generic_value_type")
"""Pin options our PinOptions has no place for. They and a pin's fields our Pin lacks are kept per pin id under
the node's `flowlike["pins"]`."""


def _kept(item: dict[str, Any], modelled: frozenset[str], defaults: dict[str, Any] | None = None
          ) -> dict[str, Any] | None:
    """The fields of a Flow-Like item our model has no place for, but for empty ones and export's defaults."""
    defaults = defaults or {}
    kept = {key: value for key, value in item.items() if key not in modelled and value not in (None, False, "", [], {})
            and value != defaults.get(key, _MISSING)}
    return kept or None


def _with_kept(ours: dict[str, Any], kept: dict[str, Any] | None, defaults: dict[str, Any] | None = None
               ) -> dict[str, Any]:
    """A Flow-Like item: our fields, over what import kept, over export's defaults (copies: the board's own
    `flowlike` dicts never leave it)."""
    return {**copy.deepcopy({**(defaults or {}), **(kept or {})}), **ours}


# ---- Flow-Like -> ours -----------------------------------------------------------------------------------


def board_from_flowlike(fl: dict[str, Any], registry: Registry, report: ImportReport) -> Board:
    refs = fl.get("refs") or {}

    def text(value: str | None) -> str:
        """A text, a hash resolved through the board's refs, or "" for a hash that does not resolve."""
        value = refs.get(value, value) if value else ""
        return "" if _HASH.fullmatch(value) else value

    layers = fl.get("layers") or {}
    fl_nodes: dict[str, dict[str, Any]] = {}
    for layer_id, layer in layers.items():
        for node_id, node in (layer.get("nodes") or {}).items():
            fl_nodes[node_id] = {**node, "layer": node.get("layer") or layer_id}
    fl_nodes.update(fl.get("nodes") or {})
    nodes: dict[str, Node] = {}
    pin_ids: set[str] = set()
    templates: dict[str, Node] = {}
    for fl_node in fl_nodes.values():
        node, kept = _map_node(fl_node, registry, text, report, templates)
        node.layer = node.layer if node.layer in layers else None
        nodes[node.id] = node
        pin_ids.update(kept)
    layer_pins = {pin_id: pin for layer in layers.values() for pin_id, pin in (layer.get("pins") or {}).items()}
    connections = _wires(fl_nodes, layer_pins, pin_ids, nodes, report)
    variables = {v["id"]: _variable(v, text, report) for v in _with_layers(fl, "variables")}
    _retype_record_lists(variables, nodes, connections)
    _report_missing_variables(variables, nodes, report)
    exported = fl.get("updated_at")  # an export writes its time here and in fields it had no value for
    comments = {c["id"]: _comment(c, exported) for c in _with_layers(fl, "comments")}
    board = Board(
        id=fl.get("id") or new_id(), name=fl.get("name") or "board", description=text(fl.get("description")),
        version=tuple(fl.get("version") or (0, 1, 0)),
        log_level=LogLevel(fl["log_level"]) if fl.get("log_level") in LogLevel._value2member_map_ else LogLevel.INFO,
        nodes=nodes, connections=connections, variables=variables, comments=comments,
        layers=_layers(layers, nodes, report),
        flowlike=_kept(fl, BOARD_FIELDS, {**BOARD_DEFAULTS, "created_at": exported}),
    )
    report.board = board.name
    report.nodes = len(nodes)
    report.mapped = len(nodes) - len(report.placeholders)
    report.wires = len(connections)
    return board


def _with_layers(fl: dict[str, Any], table: str) -> list[dict[str, Any]]:
    """A board's items of one table (variables, comments), and those Flow-Like keeps inside its layers."""
    layers = (fl.get("layers") or {}).values()
    return [*(fl.get(table) or {}).values(), *(item for layer in layers for item in (layer.get(table) or {}).values())]


def _label(fl_node: dict[str, Any]) -> str:
    return f"{fl_node.get('friendly_name') or fl_node.get('name')!r} ({fl_node.get('id')})"


def _target(fl_node: dict[str, Any], registry: Registry) -> Alias | None:
    """The node type of ours for a Flow-Like node, with pin renames; None when we have none."""
    key = fl_node.get("name", "")
    if key == "reroute" and key in registry and not any(p.name == "route_in" for p in registry.get(key).pin_specs()):
        carries_exec = any(p.get("data_type") == "Execution" for p in (fl_node.get("pins") or {}).values())
        if carries_exec:
            return Alias("reroute", EXEC_REROUTE)
        return Alias("reroute_data") if "reroute_data" in registry else None
    if key in registry:
        return Alias(key)
    alias = IMPORT_ALIASES.get(key)
    return alias if alias is not None and alias.key in registry else None


def _map_node(fl_node: dict[str, Any], registry: Registry, text: Callable[[str | None], str],
              report: ImportReport, templates: dict[str, Node]) -> tuple[Node, set[str]]:
    """Our node for a Flow-Like node, and the ids of the Flow-Like pins it kept (our pins take their ids)."""
    key, label = fl_node.get("name", ""), _label(fl_node)
    x, y, z = (list(fl_node.get("coordinates") or ()) + [0.0, 0.0, 0.0])[:3]
    common = {"id": fl_node["id"], "coordinates": (float(x), float(y), float(z)), "comment": fl_node.get("comment"),
              "layer": fl_node.get("layer")}
    fl_pins = sorted((fl_node.get("pins") or {}).values(), key=lambda p: p.get("index") or 0)
    target = _target(fl_node, registry)
    if target is None:
        pack = pack_of(key)
        report.add("placeholder", f"{label}: missing {key} ({pack})", node_id=fl_node["id"], node=label, pack=pack)
        pins = {p["id"]: _placeholder_pin(p, text, report, label) for p in fl_pins}
        node = Node(name=key, friendly_name=fl_node.get("friendly_name") or key,
                    description=text(fl_node.get("description")), category=fl_node.get("category") or "",
                    pins=pins, flowlike=_node_kept(fl_node, {}), **common)
        return node, set(pins)
    node_type = registry.get(target.key)
    if target.key != key and key != "reroute":  # our two reroutes are Flow-Like's one: no news
        report.add("renamed", f"{label}: {key} -> {target.key}", node_id=fl_node["id"], node=label)
    fresh = templates.get(target.key)
    if fresh is None:  # one node of each type is made; the others copy its pins (creating is ~30x slower)
        fresh = templates[target.key] = node_type.create()
    node_id = fl_node["id"]
    renames = dict(target.pins)
    saved_groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for pin in fl_pins:
        saved_groups.setdefault((pin.get("pin_type", "Input"), renames.get(pin["name"], pin["name"])), []).append(pin)
    our_groups: dict[tuple[str, str], list[Pin]] = {}
    for pin in fresh.ordered_pins():
        our_groups.setdefault((pin.direction.value, pin.name), []).append(pin)
    pins: dict[str, Pin] = {}
    kept: set[str] = set()
    dropped: list[dict[str, Any]] = []
    added: dict[str, Any] = {}
    next_index = max((p.index for p in fresh.pins.values()), default=-1) + 1
    for group, ours in our_groups.items():
        saved = saved_groups.pop(group, [])
        if len(ours) > 1 and saved:  # a variadic group: as many pins as Flow-Like's node had (Sequence: 2, ours 3)
            ours = ours[:len(saved)]
        for i, pin in enumerate(ours):
            if i < len(saved):
                pin = _merge(pin, saved[i], text, report, label, node_id)
                kept.add(pin.id)
            else:
                pin_id = f"{node_id}:{pin.name}" + (f":{i}" if i else "")
                pin = pin.model_copy(update={"id": new_id() if pin_id in fl_node.get("pins", {}) else pin_id})
                added[pin.id] = pin.default_value
                if pin.name not in (ERROR_EXEC, ERROR_MESSAGE):  # Flow-Like adds the error pins on demand
                    report.add("pin-added", f"{label}: {pin.direction.value.lower()} {pin.name!r} "
                                            f"({pin.type_label()})", node_id=node_id, node=label, pin=pin.name)
            pins[pin.id] = pin
        for extra in saved[len(ours):]:
            if len(ours) > 1:  # a variadic group (several pins of one name) takes more of the same
                pin = _merge(ours[-1].model_copy(update={"index": next_index}), extra, text, report, label, node_id)
                next_index += 1
                pins[pin.id] = pin
                kept.add(pin.id)
            else:
                dropped.append(_drop_pin(report, node_id, label, extra, f"{key} has one {extra['name']!r}"))
    for (direction, name), leftover in saved_groups.items():
        for extra in leftover:
            if direction == "Input" and node_type.keyed_input is not None and len(leftover) == 1:
                pin = _merge(node_type.keyed_input.keyed(name).to_pin(next_index), extra, text, report, label, node_id)
                next_index += 1
                pins[pin.id] = pin
                kept.add(pin.id)
                continue
            why = f"{target.key} has no {extra.get('pin_type', '').lower()} of that name"
            dropped.append(_drop_pin(report, node_id, label, extra, why))
    replaced: dict[str, dict[str, Any]] = {}
    for saved in fl_pins:
        pin = pins.get(saved["id"])
        if pin is None:
            continue
        if saved.get("default_value") and _decoded(saved["default_value"]) != pin.default_value:
            replaced.setdefault(pin.id, {})[SAVED_DEFAULT] = {"bytes": list(saved["default_value"]),
                                                              "ours": pin.default_value}
        if saved.get("schema") and _schema(saved["schema"], text) != pin.schema_:
            replaced.setdefault(pin.id, {})[SAVED_SCHEMA] = {"text": saved["schema"], "ours": pin.schema_}
        data_type, value_type = _types(saved)
        if (data_type, value_type) != (pin.data_type, pin.value_type):  # our type won (type-kept)
            replaced.setdefault(pin.id, {})[SAVED_TYPE] = _saved_type(data_type, value_type, pin)
    node = fresh.model_copy(update={
        "friendly_name": fl_node.get("friendly_name") or fresh.friendly_name,
        "description": text(fl_node.get("description")) or fresh.description,
        "category": fl_node.get("category") or fresh.category, "pins": pins, **common,
        "flowlike": _node_kept(fl_node, {"start": fl_node.get("start"),  # the start flag follows our node type
                                         "version": flowlike_catalog().get(key, ("", None))[1]}, dropped, added,
                               replaced)})
    return node, kept


def _decoded(raw: list[int]) -> Any:
    try:
        return json.loads(bytes(raw))
    except (ValueError, TypeError):
        return _MISSING


def _node_kept(fl_node: dict[str, Any], defaults: dict[str, Any], dropped: list[dict[str, Any]] | None = None,
               added: dict[str, Any] | None = None, replaced: dict[str, dict[str, Any]] | None = None
               ) -> dict[str, Any] | None:
    """A node's own Flow-Like fields (icon, scores, docs, version...), its pins' options we have no place for and
    the saved defaults, schemas and types ours replaced (`SAVED_DEFAULT`, `SAVED_SCHEMA`, `SAVED_TYPE`), the pins our
    node type lacks (`dropped_pins`, as read, wires included: export writes them back), and the pins Flow-Like's
    node lacked (`ADDED_PINS`, with the default they got)."""
    replaced = replaced or {}
    kept = _kept(fl_node, NODE_FIELDS, defaults) or {}
    if dropped:
        kept["dropped_pins"] = {pin["id"]: pin for pin in dropped}
    if added:
        kept[ADDED_PINS] = added
    pins = {}
    for pin_id, pin in (fl_node.get("pins") or {}).items():
        options = pin.get("options") or {}
        pin_kept = {**(_kept(pin, PIN_FIELDS) or {}), **{flag: True for flag in PIN_FLAGS if options.get(flag)}}
        pin_kept.update(replaced.get(pin_id, {}))
        if pin_kept:
            pins[pin_id] = pin_kept
    if pins:
        kept["pins"] = pins
    return kept or None


def _drop_pin(report: ImportReport, node_id: str, label: str, pin: dict[str, Any], why: str) -> dict[str, Any]:
    report.add("pin-dropped", f"{label}: {pin.get('pin_type', '').lower()} {pin['name']!r} ({why}; kept for export)",
               node_id=node_id, node=label, pin=pin["name"])
    return pin


def _types(saved: dict[str, Any]) -> tuple[DataType, ValueType]:
    data_type = saved.get("data_type") or "Execution"
    value_type = saved.get("value_type") or "Array"
    try:
        return DataType(data_type), ValueType(value_type)
    except ValueError:
        raise ValueError(f"pin {saved.get('name')!r} ({saved.get('id')}) has an unknown type "
                         f"{value_type}<{data_type}>") from None


def _merge(pin: Pin, saved: dict[str, Any], text: Callable[[str | None], str], report: ImportReport,
           label: str, node_id: str) -> Pin:
    """Our pin (from our node type) with what the saved Flow-Like pin adds: id, names, type, default."""
    update: dict[str, Any] = {"id": saved["id"]}
    if saved.get("friendly_name"):
        update["friendly_name"] = saved["friendly_name"]
    if description := text(saved.get("description")):
        update["description"] = description
    data_type, value_type = _types(saved)
    if pin.data_type is DataType.GENERIC:
        update.update(data_type=data_type, value_type=value_type, schema_=_schema(saved.get("schema"), text))
    elif (data_type, value_type) != (pin.data_type, pin.value_type) and data_type is not DataType.GENERIC:
        saved_label = type_label(data_type, value_type)
        report.add("type-kept", f"{label}: pin {pin.name!r} was saved as {saved_label}, ours takes "
                                f"{pin.type_label()}", node_id=node_id, node=label, pin=pin.name)
        data_type, value_type = pin.data_type, pin.value_type
    if pin.is_input and not pin.is_exec:
        value = _trimmed(_default(saved, report, label), pin, report, label, node_id)
        if value is not _MISSING and fits(value, data_type, value_type):
            update["default_value"] = value
        elif value is not _MISSING:
            report.add("default-dropped", f"{label}: default {value!r} of {pin.name!r} does not fit "
                                          f"{pin.type_label()}; ours kept", node_id=node_id, node=label, pin=pin.name)
    return pin.model_copy(update=update)


def _trimmed(value: Any, pin: Pin, report: ImportReport, label: str, node_id: str) -> Any:
    """A saved struct without the fields our pin's closed schema lacks (Flow-Like's FlowPath carries its runtime's
    store keys, which ours refuses); export writes the saved value back while the pin holds the trimmed one."""
    schema = pin.schema_ or {}
    known = schema.get("properties")
    if not isinstance(value, dict) or schema.get("additionalProperties") is not False or not isinstance(known, dict):
        return value
    extra = sorted(set(value) - set(known))
    if extra:
        report.add("note", f"{label}: default of {pin.name!r} leaves out {', '.join(extra)} (no such field here; "
                           f"export writes Flow-Like's value back)", node_id=node_id, node=label, pin=pin.name)
    return {key: item for key, item in value.items() if key in known}


def _default(saved: dict[str, Any], report: ImportReport, label: str) -> Any:
    raw = saved.get("default_value")
    if not raw:
        return _MISSING
    try:
        return json.loads(bytes(raw))
    except (ValueError, TypeError):
        report.add("default-dropped", f"{label}: default of {saved.get('name')!r} is not JSON", node=label,
                   pin=saved.get("name"))
        return _MISSING


def _schema(raw: str | None, text: Callable[[str | None], str]) -> dict[str, Any] | None:
    value = text(raw)
    if not value:
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    return parsed if isinstance(parsed, dict) else {RAW_SCHEMA: value}


def _options(saved: dict[str, Any] | None) -> PinOptions | None:
    if not saved:
        return None
    options = PinOptions(valid_values=saved.get("valid_values") or None,
                         range=tuple(saved["range"]) if saved.get("range") else None,
                         step=saved.get("step"), sensitive=bool(saved.get("sensitive")))
    return None if options == PinOptions() else options


def _placeholder_pin(saved: dict[str, Any], text: Callable[[str | None], str], report: ImportReport,
                     label: str) -> Pin:
    data_type, value_type = _types(saved)
    default = _default(saved, report, label)
    return Pin(id=saved["id"], name=saved["name"], friendly_name=saved.get("friendly_name") or "",
               description=text(saved.get("description")),
               direction=PinDirection(saved.get("pin_type") or "Input"), data_type=data_type,
               value_type=value_type, schema=_schema(saved.get("schema"), text),
               default_value=None if default is _MISSING else default, index=saved.get("index") or 0,
               options=_options(saved.get("options")))


def _wires(fl_nodes: dict[str, dict[str, Any]], layer_pins: dict[str, dict[str, Any]], kept: set[str],
           nodes: dict[str, Node], report: ImportReport) -> list[Connection]:
    """Wires from both pins' records; a wire through a layer's bridge pins joins the pins at its ends."""
    owner = {pin_id: (node_id, pin) for node_id, node in fl_nodes.items()
             for pin_id, pin in (node.get("pins") or {}).items()}

    def name(pin_id: str) -> str:
        node_id, pin = owner[pin_id]
        return f"{_label(fl_nodes[node_id])}.{pin['name']}"

    def through(pin_ids: list[str], attr: str) -> set[str]:
        ends, todo, seen = set(), list(pin_ids), set()
        while todo:
            pin_id = todo.pop()
            if pin_id not in seen:
                seen.add(pin_id)
                todo.extend(layer_pins[pin_id].get(attr) or []) if pin_id in layer_pins else ends.add(pin_id)
        return ends

    recorded: dict[tuple[str, str], set[str]] = {}
    for pin_id, (_, pin) in owner.items():
        is_output = pin.get("pin_type") == "Output"
        for attr in ("connected_to", "depends_on"):
            for other in sorted(through(pin.get(attr) or [], attr)):
                if other not in owner:
                    report.add("wire-dropped", f"{name(pin_id)} -> pin {other}: that pin is not on the board")
                elif (owner[other][1].get("pin_type") == "Output") == is_output:
                    report.add("wire-dropped", f"{name(pin_id)} -> {name(other)}: joins two "
                                               f"{'outputs' if is_output else 'inputs'}")
                else:
                    wire = (pin_id, other) if is_output else (other, pin_id)
                    recorded.setdefault(wire, set()).add("output" if is_output else "input")
    wires: list[tuple[bool, Connection]] = []
    for (out_id, in_id), sides in sorted(recorded.items()):
        where = f"{name(out_id)} -> {name(in_id)}"
        if out_id not in kept or in_id not in kept:
            report.add("wire-dropped", f"{where}: its pin was dropped")
            continue
        if len(sides) == 1:
            report.add("wire-repaired", f"{where}: was stored on the {next(iter(sides))} pin only")
        wires.append((len(sides) == 2, Connection(from_node=owner[out_id][0], from_pin=out_id,
                                                  to_node=owner[in_id][0], to_pin=in_id)))
    wires.sort(key=lambda item: not item[0])  # two-sided wires win where a pin takes only one
    taken: set[tuple[str, str]] = set()
    connections = []
    for _, wire in wires:
        source, target = nodes[wire.from_node].pins[wire.from_pin], nodes[wire.to_node].pins[wire.to_pin]
        end = (wire.from_node, wire.from_pin) if source.is_exec else (wire.to_node, wire.to_pin)
        if end in taken:
            what = "an exec output starts one node" if source.is_exec else "a data input takes one wire"
            report.add("wire-dropped", f"{nodes[wire.from_node].label()}.{source.name} -> "
                                       f"{nodes[wire.to_node].label()}.{target.name}: {what}")
            continue
        taken.add(end)
        connections.append(wire)
    return connections


def _variable(fl: dict[str, Any], text: Callable[[str | None], str], report: ImportReport) -> Variable:
    data_type, value_type = _types(fl)
    default = _default(fl, report, f"variable {fl.get('name')!r}")
    kept = _kept(fl, VARIABLE_FIELDS, VARIABLE_DEFAULTS)
    if (data_type, value_type) == (DataType.STRUCT, ValueType.NORMAL) and isinstance(default, list) \
            and fits(default, DataType.STRUCT, ValueType.ARRAY):
        value_type, kept = ValueType.ARRAY, {**(kept or {}), **SAVED_SINGLE}
        report.add("note", f"variable {fl.get('name')!r}: a Struct holding a JSON array opens as Array<Struct> "
                           f"(export writes it back as Flow-Like's single Struct)")
    if default is not _MISSING and not fits(default, data_type, value_type):
        report.add("default-dropped", f"variable {fl.get('name')!r}: default {default!r} does not fit its type")
        default = _MISSING
    if default is _MISSING and fl.get("default_value"):  # export writes it back while the variable holds none
        kept = {**(kept or {}), SAVED_DEFAULT: {"bytes": list(fl["default_value"]), "ours": None}}
    return Variable(id=fl["id"], name=fl["name"], description=text(fl.get("description")),
                         data_type=data_type, value_type=value_type, schema=_schema(fl.get("schema"), text),
                         default_value=None if default is _MISSING else default, exposed=bool(fl.get("exposed")),
                         secret=bool(fl.get("secret")), editable=bool(fl.get("editable", True)), flowlike=kept)


def _retype_record_lists(variables: dict[str, Variable], nodes: dict[str, Node], connections: list[Connection]
                         ) -> None:
    """The pins carrying a whole variable (Get and Set Variable's), saved as the single Struct of a variable that
    opened as Array<Struct> (see `_variable`), take its type, unless a wire joins one to a pin that takes a single
    struct (Flow-Like's loose single Struct allowed it: the wire stays valid); export writes the single Struct back."""
    retyped = {key for v in variables.values() if v.flowlike and v.flowlike.get("value_type") for key in (v.id, v.name)}
    ends: dict[str, list[tuple[Pin, bool]]] = {}  # pin id -> (the pin at a wire's other end, whether it is its source)
    for wire in connections:
        source, target = nodes[wire.from_node].pins[wire.from_pin], nodes[wire.to_node].pins[wire.to_pin]
        ends.setdefault(wire.from_pin, []).append((target, False))
        ends.setdefault(wire.to_pin, []).append((source, True))
    for node in nodes.values():
        if node.name not in WHOLE_VALUE_PINS:
            continue
        ref = next((p.default_value for p in node.pins.values() if p.name == "var_ref"), None)
        if ref not in retyped:
            continue
        kept_pins = (node.flowlike or {}).get("pins", {})
        for pin_id, pin in list(node.pins.items()):
            if pin.name not in WHOLE_VALUE_PINS[node.name] or pin.type_label() != "Struct":
                continue
            as_array = pin.model_copy(update={"value_type": ValueType.ARRAY})
            if not any(wiring.mismatch(other, as_array) if is_source else wiring.mismatch(as_array, other)
                       for other, is_source in ends.get(pin_id, ())):
                node.pins[pin_id] = as_array
                kept_pins[pin_id] = {**kept_pins.get(pin_id, {}),
                                     SAVED_TYPE: _saved_type(DataType.STRUCT, ValueType.NORMAL, as_array)}
        node.flowlike = {**(node.flowlike or {}), "pins": kept_pins}


def _report_missing_variables(variables: dict[str, Variable], nodes: dict[str, Node], report: ImportReport) -> None:
    """The nodes whose typed-in `var_ref` (a variable's id, as Flow-Like stores it, or its name) names no variable of
    the board: their run would fail there."""
    known = {key for v in variables.values() for key in (v.id, v.name)}
    for node in nodes.values():
        ref = next((p.default_value for p in node.pins.values() if p.name == "var_ref" and p.is_input), None)
        if isinstance(ref, str) and ref and ref not in known:
            report.add("variable-missing", f"{node.label()}: refers to variable {ref!r}, which the file does not hold",
                       node_id=node.id, node=node.label(), pin="var_ref")


def _saved_type(data_type: DataType, value_type: ValueType, pin: Pin) -> dict[str, Any]:
    """A pin's `SAVED_TYPE`: the type Flow-Like saved, and ours, which export replaces while the pin keeps it."""
    return {"data_type": data_type.value, "value_type": value_type.value,
            "ours": [pin.data_type.value, pin.value_type.value]}


def _saved_value_type(data_type: DataType, value_type: ValueType, kept: dict[str, Any] | None) -> str:
    """A variable's value type to write: Flow-Like's single Struct where import opened one as Array<Struct>."""
    if (data_type, value_type) == (DataType.STRUCT, ValueType.ARRAY) and (kept or {}).get("value_type"):
        return kept["value_type"]
    return value_type.value


def _comment(fl: dict[str, Any], exported: Any) -> Comment:
    x, y, z = (list(fl.get("coordinates") or ()) + [0.0, 0.0, 0.0])[:3]
    kept = _kept(fl, COMMENT_FIELDS, {**COMMENT_DEFAULTS, "timestamp": exported}) or {}
    auto = [side for side in COMMENT_SIZE if fl.get(side) is None]
    if auto:
        kept[AUTO_SIZE] = auto
    return Comment(id=fl["id"], content=fl.get("content") or "", coordinates=(x, y, z),
                   width=_or(fl.get("width"), COMMENT_SIZE["width"]),
                   height=_or(fl.get("height"), COMMENT_SIZE["height"]), color=fl.get("color"),
                   flowlike=kept or None)


def _or(value: float | None, default: float) -> float:
    """Flow-Like leaves a comment's size out when it is automatic; 0 is a size."""
    return default if value is None else value


def _layers(layers: dict[str, dict[str, Any]], nodes: dict[str, Node], report: ImportReport) -> dict[str, Layer]:
    """Our layers: the nodes drawn directly in each, and the layer it sits in (Flow-Like's `parent_id`)."""
    members: dict[str, list[str]] = {layer_id: [] for layer_id in layers}
    for node in nodes.values():
        if node.layer in members:
            members[node.layer].append(node.id)
    parents = {layer_id: layer.get("parent_id") if layer.get("parent_id") in layers else None
               for layer_id, layer in layers.items()}
    for layer_id in layers:
        seen, step = {layer_id}, parents[layer_id]
        while step is not None and step not in seen:
            seen.add(step)
            step = parents[step]
        if step == layer_id:  # a loop of parents: this layer is drawn on the board, which breaks it
            report.add("note", f"layer {layers[layer_id].get('name')!r} ({layer_id}) sat inside itself "
                               f"through {parents[layer_id]}: it is drawn on the board")
            parents[layer_id] = None
    out = {}
    for layer_id, layer in layers.items():
        x, y, z = (list(layer.get("coordinates") or ()) + [0.0, 0.0, 0.0])[:3]
        out[layer_id] = Layer(id=layer_id, name=layer.get("name") or layer_id, parent_id=parents[layer_id],
                              coordinates=(x, y, z), nodes=sorted(members[layer_id]), comment=layer.get("comment"),
                              flowlike=_kept(layer, LAYER_FIELDS, LAYER_DEFAULTS))
    return out


# ---- ours -> Flow-Like -----------------------------------------------------------------------------------


def board_to_flowlike(board: Board, registry: Registry) -> dict[str, Any]:
    """Flow-Like's serde form of a board: its keys and pins, both records of every wire, layers as parents.

    Nodes carry the schema version Flow-Like's catalog gives their key: Flow-Like re-syncs a node whose
    version is older than its catalog's (retyping pins and dropping their wires where types differ)."""
    connected_to: dict[str, list[str]] = {}
    depends_on: dict[str, list[str]] = {}
    for wire in board.connections:
        connected_to.setdefault(wire.from_pin, []).append(wire.to_pin)
        depends_on.setdefault(wire.to_pin, []).append(wire.from_pin)
    member_of = {member: layer.id for layer in board.layers.values() for member in layer.nodes}
    now = _now()
    nodes = {}
    dropped_pins: list[dict[str, Any]] = []
    emitted: set[str] = set()
    for node in board.nodes.values():
        node_type = registry.get(node.name) if node.name in registry else None
        key, renames = _export_key(node, node_type)
        kept = dict(node.flowlike or {})
        pins_kept = kept.pop("pins", {})
        unused = _unused_additions(node, kept.pop(ADDED_PINS, {}), connected_to.keys() | depends_on.keys())
        pins = {pin.id: _export_pin(pin, renames, connected_to, depends_on, pins_kept.get(pin.id))
                for pin in node.pins.values() if pin.id not in unused}
        dropped = {pin_id: copy.deepcopy(pin) for pin_id, pin in kept.pop("dropped_pins", {}).items()
                   if pin_id not in emitted}  # a copy of the node (a paste) carries them too: they go back once
        emitted.update(dropped)
        pins.update(dropped)
        dropped_pins.extend(dropped.values())
        layer = node.layer if node.layer in board.layers else member_of.get(node.id)
        ours = {"id": node.id, "name": key, "friendly_name": node.friendly_name, "description": node.description,
                "coordinates": list(node.coordinates), "category": node.category, "pins": pins,
                "comment": node.comment, "layer": layer}
        if node_type is not None and node_type.is_event:
            ours["start"] = True
        version = flowlike_catalog().get(key, ("", None))[1]
        if version is not None:  # else the version the node was read with, if any
            ours["version"] = version
        nodes[node.id] = _with_kept(ours, kept, {"start": None, "version": None})
    _relink(dropped_pins, nodes)
    variables = {v.id: _export_variable(v) for v in board.variables.values()}
    comments = {c.id: _export_comment(c, board, now) for c in board.comments.values()}
    layers = {layer.id: _with_kept({"id": layer.id, "parent_id": layer.parent_id, "name": layer.name, "nodes": {},
                                    "variables": {}, "comments": {}, "coordinates": list(layer.coordinates),
                                    "pins": {}, "comment": layer.comment}, layer.flowlike, LAYER_DEFAULTS)
              for layer in board.layers.values()}
    ours = {"id": board.id, "name": board.name, "description": board.description, "nodes": nodes,
            "variables": variables, "comments": comments, "version": list(board.version),
            "log_level": board.log_level.value, "layers": layers, "updated_at": now}
    return _with_kept(ours, board.flowlike, {**BOARD_DEFAULTS, "created_at": now})


def _unused_additions(node: Node, added: dict[str, Any], wired: set[str]) -> set[str]:
    """The pins import added to a Flow-Like node that are still unwired and at the default they got; the On Error
    pair goes back whole when either is used."""
    unused = {pin_id for pin_id, default in added.items()
              if pin_id in node.pins and pin_id not in wired and node.pins[pin_id].default_value == default}
    errors = {pin.id for pin in node.pins.values() if pin.name in (ERROR_EXEC, ERROR_MESSAGE) and not pin.is_input}
    return unused - errors if errors - unused else unused


def _relink(dropped_pins: list[dict[str, Any]], nodes: dict[str, dict[str, Any]]) -> None:
    """The wires of the pins import dropped, back on both ends where the other end is still on the board and
    still free (a data input takes one wire, an exec output starts one node: a wire made here has taken it)."""
    pins = {pin_id: pin for node in nodes.values() for pin_id, pin in node["pins"].items()}
    for pin in dropped_pins:
        for attr, other_attr in (("connected_to", "depends_on"), ("depends_on", "connected_to")):
            ends = []
            for other in pin.get(attr) or []:
                end = pins.get(other)
                if end is None:
                    continue
                if pin["id"] not in end.get(other_attr, []):
                    takes_one = (end.get("pin_type") == "Output") == (end.get("data_type") == "Execution")
                    if takes_one and end.get(other_attr):
                        continue
                    end[other_attr] = sorted([*end.get(other_attr, []), pin["id"]])
                ends.append(other)
            pin[attr] = ends


def _export_comment(comment: Comment, board: Board, now: dict[str, int]) -> dict[str, Any]:
    kept = dict(comment.flowlike or {})
    if kept.get("layer") not in board.layers:  # the layer it was drawn in is gone: it is drawn on the board
        kept.pop("layer", None)
    ours = {"id": comment.id, "content": comment.content, "coordinates": list(comment.coordinates),
            "width": comment.width, "height": comment.height, "color": comment.color}
    for side in kept.pop(AUTO_SIZE, []):
        if ours[side] == COMMENT_SIZE[side]:  # still the size we gave it: Flow-Like sizes it again
            ours[side] = None
    return _with_kept(ours, kept, {**COMMENT_DEFAULTS, "timestamp": now})


def _now() -> dict[str, int]:
    nanos = time.time_ns()
    return {"secs_since_epoch": nanos // 10**9, "nanos_since_epoch": nanos % 10**9}


def _export_key(node: Node, node_type: type[NodeType] | None) -> tuple[str, dict[str, str]]:
    """Flow-Like's key and pin names for a node of ours (they differ only for our two reroutes)."""
    if node_type is not None and node.name == "reroute" and any(p.name == "exec_in" for p in node_type.pins):
        return "reroute", {ours: theirs for theirs, ours in EXEC_REROUTE}
    if node.name == "reroute_data":
        return "reroute", {}
    return node.name, {}


def _json_bytes(value: Any) -> list[int]:
    return list(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def _export_pin(pin: Pin, renames: dict[str, str], connected_to: dict[str, list[str]],
                depends_on: dict[str, list[str]], kept: dict[str, Any] | None = None) -> dict[str, Any]:
    schema = pin.schema_
    if schema is not None:
        schema = schema[RAW_SCHEMA] if set(schema) == {RAW_SCHEMA} else json.dumps(schema, sort_keys=True)
    options = None
    if pin.options is not None and (pin.options.valid_values or pin.options.range or pin.options.step
                                    or pin.options.sensitive):  # `required` is ours alone
        values = pin.options.valid_values
        options = {"valid_values": [v if isinstance(v, str) else json.dumps(v) for v in values] if values else None,
                   "range": list(pin.options.range) if pin.options.range else None, "step": pin.options.step,
                   "sensitive": pin.options.sensitive or None}
    kept = dict(kept or {})
    saved = kept.pop(SAVED_DEFAULT, None)
    default = None if pin.default_value is None else _json_bytes(pin.default_value)
    if saved is not None and pin.default_value == saved["ours"]:
        default = list(saved["bytes"])
    saved_schema = kept.pop(SAVED_SCHEMA, None)
    if saved_schema is not None and pin.schema_ == saved_schema["ours"]:
        schema = saved_schema["text"]
    data_type, value_type = pin.data_type.value, pin.value_type.value
    saved_type = kept.pop(SAVED_TYPE, None)
    if saved_type is not None and [pin.data_type.value, pin.value_type.value] == saved_type["ours"]:
        data_type, value_type = saved_type["data_type"], saved_type["value_type"]
    flags = {flag: kept.pop(flag) for flag in PIN_FLAGS if flag in kept}
    if flags:
        options = {"valid_values": None, "range": None, "step": None, "sensitive": None, **(options or {}), **flags}
    return {**copy.deepcopy(kept), "id": pin.id, "name": renames.get(pin.name, pin.name),
            "friendly_name": pin.friendly_name, "description": pin.description, "pin_type": pin.direction.value,
            "data_type": data_type, "schema": schema, "value_type": value_type,
            "depends_on": sorted(depends_on.get(pin.id, [])), "connected_to": sorted(connected_to.get(pin.id, [])),
            "default_value": default, "index": pin.index, "options": options}


def _export_variable(variable: Variable) -> dict[str, Any]:
    value = None if variable.secret or variable.default_value is None else _json_bytes(variable.default_value)
    kept = dict(variable.flowlike or {})
    saved = kept.pop(SAVED_DEFAULT, None)
    if saved is not None and variable.default_value == saved["ours"] and not variable.secret:
        value = list(saved["bytes"])
    schema = variable.schema_
    if schema is not None:
        schema = schema[RAW_SCHEMA] if set(schema) == {RAW_SCHEMA} else json.dumps(schema, sort_keys=True)
    return _with_kept({"id": variable.id, "name": variable.name, "description": variable.description or None,
                       "default_value": value, "data_type": variable.data_type.value,
                       "value_type": _saved_value_type(variable.data_type, variable.value_type, variable.flowlike),
                       "exposed": variable.exposed, "secret": variable.secret,
                       "editable": variable.editable, "schema": schema}, kept, VARIABLE_DEFAULTS)
