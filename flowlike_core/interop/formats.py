"""Flow-Like's files and JSON shapes, all brought to one form: its serde board JSON (dicts by field name).

- `.board`: a 4-byte little-endian length, then one LZ4 block holding a protobuf `Board` (either pin layout).
- `manifest.app`: the same framing around a protobuf `App` that lists the app's board ids.
- serde board JSON (`{"nodes": {...}, "refs": {...}, ...}`), the editor's export (`{"nodes": [...],
  "edges": [...]}`, each node under `data.node`), and the clipboard (`{"nodes": [...], "comments": [...]}`).

`read_document` picks the reader by content, never by file name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flowlike_core.errors import BoardFileError
from flowlike_core.interop import schema
from flowlike_core.interop.wire import WireError

EXTRA_HINT = "install the Flow-Like extra: pip install 'flowlike-nb[flowlike]'"
MAX_LZ4_RATIO = 255
"""LZ4 cannot expand data more than ~255 times: a length prefix beyond that is not one (it is text)."""


@dataclass
class Document:
    """What a file held: boards in serde form, and for an app manifest the ids of its boards."""

    kind: str
    """`board`, `app`, `serde`, `export`, `clipboard` or `flowlike-nb`."""
    boards: list[dict[str, Any]] = field(default_factory=list)
    board_ids: list[str] = field(default_factory=list)
    layout: str = ""
    """For protobuf files: `current` or `legacy` (the pin or manifest numbering found in the data)."""


# ---- LZ4 framing -----------------------------------------------------------------------------------------


def decompress(data: bytes, source: str) -> bytes:
    """The payload of a Flow-Like compressed file (length prefix + LZ4 block)."""
    try:
        import lz4.block
    except ImportError as exc:
        raise BoardFileError(f"{source}: reading Flow-Like files needs lz4; {EXTRA_HINT}") from exc
    if len(data) < 4:
        raise BoardFileError(f"{source}: {len(data)} bytes is too short for a Flow-Like file")
    size = int.from_bytes(data[:4], "little")
    try:
        if size > MAX_LZ4_RATIO * len(data):  # (lz4 would try to allocate it, or overflow past 2 GiB)
            raise lz4.block.LZ4BlockError(f"the prefix says {size:,} bytes, more than LZ4 makes of {len(data):,}")
        return lz4.block.decompress(data[4:], uncompressed_size=size)
    except lz4.block.LZ4BlockError as exc:
        raise BoardFileError(f"{source}: not a Flow-Like file (a length prefix and an LZ4 block): {exc}") from exc


def lz4_framed(data: bytes) -> bool:
    """Whether `data` is a Flow-Like compressed file's framing (whatever its payload): a damaged board inside.
    Without lz4 it may be: the reader's error then names the extra to install."""
    try:
        import lz4.block  # noqa: F401
    except ImportError:
        return True
    try:
        decompress(data, "")
    except BoardFileError:
        return False
    return True


def compress(payload: bytes) -> bytes:
    try:
        import lz4.block
    except ImportError as exc:
        raise BoardFileError(f"writing Flow-Like files needs lz4; {EXTRA_HINT}") from exc
    return len(payload).to_bytes(4, "little") + lz4.block.compress(payload, store_size=False)


# ---- reading ---------------------------------------------------------------------------------------------


def read_document(data: bytes, source: str) -> Document:
    """Whatever Flow-Like file or JSON `data` is, by its content."""
    if data.lstrip()[:1] in (b"{", b"["):  # JSON, or a length prefix whose low byte happens to be `{` or `[`
        try:
            return read_json(json.loads(data), source)
        except ValueError as exc:  # not JSON (UnicodeDecodeError and JSONDecodeError are ValueErrors)
            if int.from_bytes(data[:4], "little") > MAX_LZ4_RATIO * len(data):
                raise BoardFileError(f"{source}: starts like JSON but is not valid JSON: {exc}") from exc
    return _read_protobuf(decompress(data, source), source)


def _read_protobuf(payload: bytes, source: str) -> Document:
    """A `Board` when the payload decodes as one whose nodes sit under their ids, else an `App` manifest."""
    board, layout, as_board = None, "current", ""
    try:
        layout = schema.pin_layout(payload)
        board = schema.decode(payload, "Board", layout)
    except WireError as exc:
        as_board = f"as a board: {exc}; "
    if board is not None and board["nodes"] and all(k == n["id"] for k, n in board["nodes"].items()):
        return Document("board", [board_from_proto(board)], layout=layout)
    try:
        app_layout = schema.app_layout(payload)
        app = schema.decode(payload, "App", app_layout)
        if not app["boards"] and app_layout == "current":  # only an id and a list at 5: the old manifest's boards
            app, app_layout = schema.decode(payload, "App", "legacy"), "legacy"
    except WireError as exc:
        if board is not None and board["id"]:  # a board without nodes (one just made)
            return Document("board", [board_from_proto(board)], layout=layout)
        raise BoardFileError(f"{source}: the LZ4 payload is neither a Flow-Like board nor an app: {as_board}"
                             f"as an app: {exc}") from exc
    if app["boards"]:
        return Document("app", board_ids=list(app["boards"]), layout=app_layout)
    if board is not None and board["id"]:
        return Document("board", [board_from_proto(board)], layout=layout)
    raise BoardFileError(f"{source}: an LZ4 file, but neither a board (no nodes) nor an app (no boards)")


def read_json(data: Any, source: str) -> Document:
    if not isinstance(data, dict):
        raise BoardFileError(f"{source}: a JSON {type(data).__name__}, not a Flow-Like board, export or clipboard")
    nodes = data.get("nodes")
    if "format" in data:
        return Document("flowlike-nb", [data])
    if isinstance(nodes, dict):
        return Document("serde", [data])
    if isinstance(nodes, list) and isinstance(data.get("edges"), list):
        return Document("export", [_from_editor_export(data, source)])
    if isinstance(nodes, list):
        return Document("clipboard", [_from_clipboard(data, source)])
    if "nodes" in data:
        raise BoardFileError(f"{source}: nodes: a map from ids to objects (a board) or a list (an editor export or a "
                             f"clipboard) was expected, found {'null' if nodes is None else type(nodes).__name__}")
    raise BoardFileError(f"{source}: JSON without a `nodes` map or list: not a Flow-Like board, editor export "
                         f"or clipboard")


def _from_editor_export(data: dict[str, Any], source: str) -> dict[str, Any]:
    """React Flow's `{nodes, edges}`: nodes carry full Flow-Like nodes; an edge `OUT-IN` joins two pin ids."""
    tables: dict[str, dict[str, Any]] = {"node": {}, "comment": {}, "layer": {}}
    for index, item in enumerate(data["nodes"]):
        inner = item.get("data") if isinstance(item, dict) else None
        if not isinstance(inner, dict):
            raise BoardFileError(f"{source}: nodes[{index}] has no `data` object")
        for kind, table in tables.items():  # a node, a comment, or a collapsed layer (`layerNode`)
            if isinstance(inner.get(kind), dict):
                if not isinstance(inner[kind].get("id"), str):
                    raise BoardFileError(f"{source}: nodes[{index}].data.{kind}.id: missing")
                table[inner[kind]["id"]] = inner[kind]
                break
    nodes = tables["node"]
    pins = {pin_id: pin for node in nodes.values() for pin_id, pin in (node.get("pins") or {}).items()}
    for edge in data["edges"]:
        ends = _edge_ends(edge, pins)
        if ends:
            out_pin, in_pin = (pins[end] for end in ends)
            out_pin["connected_to"] = sorted({*out_pin.get("connected_to", []), ends[1]})
            in_pin["depends_on"] = sorted({*in_pin.get("depends_on", []), ends[0]})
    return {"id": "", "name": "", "nodes": nodes, "comments": tables["comment"], "layers": tables["layer"]}


def _edge_ends(edge: Any, pins: dict[str, Any]) -> tuple[str, str] | None:
    """The (output pin, input pin) of an edge: its handles when present, else its `OUT-IN` id."""
    if not isinstance(edge, dict):
        return None
    out_id, in_id = edge.get("sourceHandle"), edge.get("targetHandle")
    if out_id in pins and in_id in pins:
        return out_id, in_id
    edge_id = str(edge.get("id", ""))
    for cut in range(1, len(edge_id)):
        if edge_id[cut] == "-" and edge_id[:cut] in pins and edge_id[cut + 1:] in pins:
            return edge_id[:cut], edge_id[cut + 1:]
    return None


def _from_clipboard(data: dict[str, Any], source: str) -> dict[str, Any]:
    def by_id(items: Any, what: str) -> dict[str, Any]:
        if items is None:
            return {}
        if not isinstance(items, list) or not all(isinstance(i, dict) and "id" in i for i in items):
            raise BoardFileError(f"{source}: clipboard `{what}` is not a list of objects with ids")
        return {item["id"]: item for item in items}

    return {"id": "", "name": "clipboard", "nodes": by_id(data["nodes"], "nodes"),
            "comments": by_id(data.get("comments"), "comments"), "layers": by_id(data.get("layers"), "layers"),
            "variables": by_id(data.get("variables"), "variables")}


# ---- protobuf <-> serde ----------------------------------------------------------------------------------


def _name(enum: str, value: int) -> str:
    """An enum number's name; a number the enum lacks (damage, or a newer Flow-Like's value) comes through as
    `ENUM#N`, which `check_board` refuses naming the field and where."""
    names = schema.ENUMS[enum]
    return names[value] if 0 <= value < len(names) else f"{enum}#{value}"


def _number(enum: str, name: str | None, default: int = 0) -> int:
    return schema.ENUMS[enum].index(name) if name in schema.ENUMS[enum] else default


def board_from_proto(board: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": board["id"], "name": board["name"], "description": board["description"],
        "nodes": {k: node_from_proto(v) for k, v in board["nodes"].items()},
        "variables": {k: variable_from_proto(v) for k, v in board["variables"].items()},
        "comments": {k: comment_from_proto(v) for k, v in board["comments"].items()},
        "viewport": [board["viewport_x"], board["viewport_y"], board["viewport_zoom"]],
        "version": [board["version_major"], board["version_minor"], board["version_patch"]],
        "stage": _name("ExecutionStage", board["stage"]), "log_level": _name("LogLevel", board["log_level"]),
        "execution_mode": _name("ExecutionMode", board["execution_mode"]), "refs": dict(board["refs"]),
        "layers": {k: layer_from_proto(v) for k, v in board["layers"].items()}, "page_ids": board["page_ids"],
        "created_at": _time_from_proto(board["created_at"]), "updated_at": _time_from_proto(board["updated_at"]),
        **_unknown(board),
    }


def node_from_proto(node: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in node.items() if k not in ("coord_x", "coord_y", "coord_z", "pins")}
    out["coordinates"] = [node["coord_x"], node["coord_y"], node["coord_z"]]
    out["pins"] = {k: pin_from_proto(v) for k, v in node["pins"].items()}
    out["required_oauth_scopes"] = {k: v["values"] for k, v in node["required_oauth_scopes"].items()}
    return out


def pin_from_proto(pin: dict[str, Any]) -> dict[str, Any]:
    options = pin["options"]
    legacy_values = pin.get("valid_values") or []
    if options is not None or legacy_values:
        options = options or schema.decode(b"", "PinOptions")
        ranged = options["range_min"] or options["range_max"]
        options = {"valid_values": options["valid_values"] or legacy_values or None,
                   "range": [options["range_min"], options["range_max"]] if ranged else None,
                   "step": options["step"] or None, "enforce_schema": options["enforce_schema"] or None,
                   "enforce_generic_value_type": options["enforce_generic_value_type"] or None,
                   "sensitive": options["sensitive"]}
    return {"id": pin["id"], "name": pin["name"], "friendly_name": pin["friendly_name"],
            "description": pin["description"], "pin_type": _name("PinType", pin["pin_type"]),
            "data_type": _name("VariableType", pin["data_type"]), "schema": pin["schema"] or None,
            "value_type": _name("ValueType", pin["value_type"]), "depends_on": sorted(pin["depends_on"]),
            "connected_to": sorted(pin["connected_to"]),
            "default_value": list(pin["default_value"]) if pin["default_value"] else None,
            "index": pin["index"], "options": options, **_unknown(pin)}


def variable_from_proto(variable: dict[str, Any]) -> dict[str, Any]:
    return {**variable, "category": variable["category"] or None, "description": variable["description"] or None,
            "default_value": list(variable["default_value"]) if variable["default_value"] else None,
            "data_type": _name("VariableType", variable["data_type"]),
            "value_type": _name("ValueType", variable["value_type"])}


def comment_from_proto(comment: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in comment.items() if k not in ("coord_x", "coord_y", "coord_z")}
    out.update(author=comment["author"] or None, comment_type=_name("CommentType", comment["comment_type"]),
               timestamp=_time_from_proto(comment["timestamp"]),
               coordinates=[comment["coord_x"], comment["coord_y"], comment["coord_z"]])
    return out


def layer_from_proto(layer: dict[str, Any]) -> dict[str, Any]:
    def point(suffix: str) -> list[float] | None:
        values = [layer[f"coord_{axis}{suffix}"] for axis in "xyz"]
        return None if all(v is None for v in values) else [v or 0.0 for v in values]

    return {"id": layer["id"], "parent_id": layer["parent_id"], "name": layer["name"],
            "type": _name("LayerType", layer["type"]),
            "nodes": {k: node_from_proto(v) for k, v in layer["nodes"].items()},
            "variables": {k: variable_from_proto(v) for k, v in layer["variables"].items()},
            "comments": {k: comment_from_proto(v) for k, v in layer["comments"].items()},
            "coordinates": point(""), "in_coordinates": point("_in"), "out_coordinates": point("_out"),
            "pins": {k: pin_from_proto(v) for k, v in layer["pins"].items()},
            "comment": layer["comment"], "error": layer["error"], "color": layer["color"], "hash": layer["hash"],
            **_unknown(layer)}


def _unknown(message: dict[str, Any]) -> dict[str, Any]:
    """The fields of a newer Flow-Like a message came with (see `schema.UNKNOWN`), for an item built field by field."""
    return {schema.UNKNOWN: message[schema.UNKNOWN]} if schema.UNKNOWN in message else {}


def _time_from_proto(stamp: dict[str, Any] | None) -> dict[str, int]:
    stamp = stamp or {"seconds": 0, "nanos": 0}
    return {"secs_since_epoch": stamp["seconds"], "nanos_since_epoch": stamp["nanos"]}


def _time_to_proto(stamp: dict[str, Any] | None) -> dict[str, int] | None:
    if not stamp:
        return None
    return {"seconds": stamp.get("secs_since_epoch", 0), "nanos": stamp.get("nanos_since_epoch", 0)}


def _xyz(prefix: str, point: Any) -> dict[str, float]:
    x, y, z = (list(point) + [0.0, 0.0, 0.0])[:3] if point else (0.0, 0.0, 0.0)
    return {f"{prefix}x": x, f"{prefix}y": y, f"{prefix}z": z}


def board_to_proto(board: dict[str, Any]) -> dict[str, Any]:
    viewport = board.get("viewport") or [0.0, 0.0, 0.0]
    version = board.get("version") or [0, 0, 1]
    return {
        "id": board["id"], "name": board["name"], "description": board.get("description", ""),
        "nodes": {k: node_to_proto(v) for k, v in board.get("nodes", {}).items()},
        "variables": {k: variable_to_proto(v) for k, v in board.get("variables", {}).items()},
        "comments": {k: comment_to_proto(v) for k, v in board.get("comments", {}).items()},
        "viewport_x": viewport[0], "viewport_y": viewport[1], "viewport_zoom": viewport[2],
        "version_major": version[0], "version_minor": version[1], "version_patch": version[2],
        "stage": _number("ExecutionStage", board.get("stage")),
        "log_level": _number("LogLevel", board.get("log_level"), 1), "refs": board.get("refs", {}),
        "created_at": _time_to_proto(board.get("created_at")), "updated_at": _time_to_proto(board.get("updated_at")),
        "layers": {k: layer_to_proto(v) for k, v in board.get("layers", {}).items()},
        "page_ids": board.get("page_ids", []), "execution_mode": _number("ExecutionMode", board.get("execution_mode")),
        **_unknown(board),
    }


def node_to_proto(node: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in node.items() if k not in ("coordinates", "pins")}
    out.update(_xyz("coord_", node.get("coordinates")))
    out["pins"] = {k: pin_to_proto(v) for k, v in node.get("pins", {}).items()}
    out["required_oauth_scopes"] = {k: {"values": v} for k, v in (node.get("required_oauth_scopes") or {}).items()}
    return out


def pin_to_proto(pin: dict[str, Any]) -> dict[str, Any]:
    options = pin.get("options")
    if options is not None:
        low, high = options.get("range") or (0.0, 0.0)
        options = {"valid_values": options.get("valid_values") or [], "range_min": low, "range_max": high,
                   "step": options.get("step") or 0.0, "enforce_schema": bool(options.get("enforce_schema")),
                   "enforce_generic_value_type": bool(options.get("enforce_generic_value_type")),
                   "sensitive": options.get("sensitive")}
    return {"id": pin["id"], "name": pin["name"], "friendly_name": pin.get("friendly_name", ""),
            "description": pin.get("description", ""), "pin_type": _number("PinType", pin["pin_type"]),
            "data_type": _number("VariableType", pin["data_type"]), "schema": pin.get("schema") or "",
            "value_type": _number("ValueType", pin.get("value_type"), 1), "depends_on": pin.get("depends_on", []),
            "connected_to": pin.get("connected_to", []), "default_value": bytes(pin.get("default_value") or b""),
            "index": pin.get("index", 0), "options": options, **_unknown(pin)}


def variable_to_proto(variable: dict[str, Any]) -> dict[str, Any]:
    return {**variable, "category": variable.get("category") or "", "description": variable.get("description") or "",
            "default_value": bytes(variable.get("default_value") or b""),
            "data_type": _number("VariableType", variable["data_type"]),
            "value_type": _number("ValueType", variable.get("value_type"), 1)}


def comment_to_proto(comment: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in comment.items() if k != "coordinates"}
    out.update(_xyz("coord_", comment.get("coordinates")), author=comment.get("author") or "",
               comment_type=_number("CommentType", comment.get("comment_type")),
               timestamp=_time_to_proto(comment.get("timestamp")))
    return out


def layer_to_proto(layer: dict[str, Any]) -> dict[str, Any]:
    out = {"id": layer["id"], "parent_id": layer.get("parent_id"), "name": layer.get("name", ""),
           "type": _number("LayerType", layer.get("type"), 2),
           "nodes": {k: node_to_proto(v) for k, v in (layer.get("nodes") or {}).items()},
           "variables": {k: variable_to_proto(v) for k, v in (layer.get("variables") or {}).items()},
           "comments": {k: comment_to_proto(v) for k, v in (layer.get("comments") or {}).items()},
           "pins": {k: pin_to_proto(v) for k, v in (layer.get("pins") or {}).items()},
           "comment": layer.get("comment"), "error": layer.get("error"), "color": layer.get("color"),
           "hash": layer.get("hash"), **_unknown(layer)}
    out.update(_xyz("coord_", layer.get("coordinates")))
    for key, suffix in (("in_coordinates", "_in"), ("out_coordinates", "_out")):
        if layer.get(key):
            out.update({f"coord_{axis}{suffix}": v for axis, v in zip("xyz", layer[key], strict=False)})
    return out


def write_board(board: dict[str, Any]) -> bytes:
    """A serde board as the bytes of a `.board` file."""
    return compress(schema.encode(board_to_proto(board), "Board"))


def write_app(app_id: str, board_ids: list[str]) -> bytes:
    """A minimal `manifest.app` (today's layout) listing boards."""
    return compress(schema.encode({"id": app_id, "boards": board_ids}, "App"))
