"""A Flow-Like board file for the tests of every place a board file is named (CLI, notebook)."""

from __future__ import annotations

import json
from pathlib import Path

import flowlike_nb as fnb
from flowlike_core.interop import export_board
from flowlike_core.interop.formats import write_board

IMPORTED = "counter.board (.board, current pin layout): board 'counter': 4 nodes, 3 mapped, 1 placeholder, 2 wires"
"""The first line of the import report of `flowlike_board`."""


def flowlike_board(folder: Path) -> Path:
    """A Flow-Like `.board` written by our exporter: start -> return n (an exposed Integer), and off the run's
    path a node whose key no pack provides (a placeholder)."""
    board = fnb.Board("counter")
    board.variable("n", int, 3, exposed=True)
    start = board.add("events_simple", "start")
    read = board.add("variable_get", "read n", var_ref="n")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    read.outputs.value_ref >> done.inputs.response
    board.add("log_info", "elsewhere")
    data = json.loads(export_board(board.core, folder / "counter.json", as_json=True).read_text())
    next(node for node in data["nodes"].values() if node["friendly_name"] == "elsewhere")["name"] = "acme_frobnicate"
    path = folder / "counter.board"
    path.write_bytes(write_board(data))
    return path
