"""A pasted copy of a node imported from Flow-Like goes back to Flow-Like with the pins Flow-Like's node had: the pins
import added (On Error and Error) stay out while unused, as they do for the original."""

from __future__ import annotations

import json
from importlib.metadata import entry_points

from flowlike_core.interop import open_board
from flowlike_core.interop.mapping import board_to_flowlike
from flowlike_core.registry import ENTRY_POINT_GROUP, Registry
from flowlike_nb.widgets import protocol
from flowlike_nb.widgets.clipboard import paste_commands

REGISTRY = Registry(entries=entry_points(group=ENTRY_POINT_GROUP))


def _pin(pin_id: str, name: str, pin_type: str, data_type: str, index: int, default: object = None) -> dict:
    return {"id": pin_id, "name": name, "friendly_name": "", "description": "", "pin_type": pin_type,
            "data_type": data_type, "schema": None, "value_type": "Normal", "depends_on": [], "connected_to": [],
            "default_value": None if default is None else list(json.dumps(default).encode()), "index": index,
            "options": None}


def _flowlike_log_board() -> bytes:
    """One Flow-Like Log node, without the error pins ours adds to every exec node."""
    pins = [_pin("li", "exec_in", "Input", "Execution", 0), _pin("lm", "message", "Input", "Generic", 1, "hi"),
            _pin("lt", "toast", "Input", "Boolean", 2, False), _pin("lo", "exec_out", "Output", "Execution", 3)]
    node = {"id": "l", "name": "log_info", "friendly_name": "Log", "description": "", "coordinates": [0, 0, 0],
            "category": "", "pins": {p["id"]: p for p in pins}, "start": None, "comment": None, "layer": None}
    return json.dumps({"id": "b", "name": "from flow-like", "description": "", "nodes": {"l": node},
                       "variables": {}, "comments": {}, "viewport": [0, 0, 1], "version": [1, 2, 3], "stage": "Dev",
                       "log_level": "Info", "execution_mode": "Hybrid", "refs": {}, "layers": {},
                       "page_ids": []}).encode()


def test_a_pasted_copy_exports_without_the_unused_pins_import_added() -> None:
    board, _ = open_board(_flowlike_log_board(), REGISTRY)
    assert board.nodes["l"].flowlike["added_pins"]  # the On Error pair, kept out of the export while unused
    original = board.nodes["l"]
    for command in paste_commands(protocol.Paste(action="paste", request=1, nodes=[original])):
        board.apply(command)
    copy = next(node for node_id, node in board.nodes.items() if node_id != "l")
    assert set(copy.flowlike["added_pins"]) <= set(copy.pins)
    back = board_to_flowlike(board, REGISTRY)["nodes"]
    assert sorted(p["name"] for p in back[copy.id]["pins"].values()) == \
        sorted(p["name"] for p in back["l"]["pins"].values()) == ["exec_in", "exec_out", "message", "toast"]
