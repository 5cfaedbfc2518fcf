"""Flow-Like boards written in the tests: serde JSON built by these helpers (never Flow-Like's own files)."""

from __future__ import annotations

import json
from typing import Any

from flowlike_core.interop import formats, schema

NO_DEFAULT: Any = object()


def fl_pin(pin_id: str, name: str, pin_type: str = "Input", data_type: str = "String", value_type: str = "Normal",
           default: Any = NO_DEFAULT, index: int = 0, **extra: Any) -> dict[str, Any]:
    return {"id": pin_id, "name": name, "friendly_name": extra.pop("friendly_name", ""),
            "description": extra.pop("description", ""), "pin_type": pin_type, "data_type": data_type,
            "schema": extra.pop("schema", None), "value_type": value_type, "depends_on": [], "connected_to": [],
            "default_value": None if default is NO_DEFAULT else list(json.dumps(default).encode()),
            "index": index, "options": extra.pop("options", None), **extra}


def exec_pin(pin_id: str, name: str, pin_type: str, index: int = 0) -> dict[str, Any]:
    return fl_pin(pin_id, name, pin_type, "Execution", index=index)


def fl_node(node_id: str, key: str, pins: list[dict[str, Any]], coordinates: tuple[float, float, float] = (0, 0, 0),
            **extra: Any) -> dict[str, Any]:
    return {"id": node_id, "name": key, "friendly_name": extra.pop("friendly_name", key),
            "description": extra.pop("description", ""), "coordinates": list(coordinates),
            "category": extra.pop("category", ""), "pins": {p["id"]: p for p in pins}, "start": None,
            "comment": extra.pop("comment", None), "layer": extra.pop("layer", None), **extra}


def fl_board(*nodes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": extra.pop("id", "fl-board"), "name": extra.pop("name", "from flow-like"), "description": "",
            "nodes": {n["id"]: n for n in nodes}, "variables": extra.pop("variables", {}),
            "comments": extra.pop("comments", {}), "viewport": [0, 0, 1], "version": [1, 2, 3], "stage": "Dev",
            "log_level": "Info", "execution_mode": "Hybrid", "refs": extra.pop("refs", {}),
            "layers": extra.pop("layers", {}), "page_ids": [], **extra}


def link(out_pin: dict[str, Any], in_pin: dict[str, Any], *, on_output: bool = True, on_input: bool = True) -> None:
    """Record a wire the way Flow-Like does: on both pins, or on one only (a one-sided wire)."""
    if on_output:
        out_pin["connected_to"].append(in_pin["id"])
    if on_input:
        in_pin["depends_on"].append(out_pin["id"])


def board_bytes(board: dict[str, Any], layout: str = "current") -> bytes:
    """A `.board` file written by our own writer, in today's pin layout or the one before April 2025."""
    message = formats.board_to_proto(board)
    if layout == "current":
        return formats.compress(schema.encode(message, "Board"))
    for node in message["nodes"].values():
        for pin in node["pins"].values():
            pin["valid_values"] = (pin["options"] or {}).get("valid_values") or []
    return formats.compress(schema.encode(message, "Board", "legacy"))
