"""Build the example boards with the engine's commands and write them as canonical JSON beside this file.

    python notebooks/boards/make_boards.py            # (re)write the *.board.json files
    flowlike run notebooks/boards/loop_and_branch.board.json --var threshold=2

Ids are fixed (node ids by hand, pin ids from them) so that running this again gives identical files.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from flowlike_core import Board, DataType, ValueType, Variable, commands, default_registry
from flowlike_core.board import Node

HERE = Path(__file__).parent


def add(board: Board, key: str, node_id: str, friendly_name: str | None = None,
        coordinates: tuple[float, float, float] = (0, 0, 0), **defaults: Any) -> Node:
    """Add a node of catalog type `key` with id `node_id`; its pins get ids `<node_id>.<pin name>`."""
    node = default_registry().get(key).create(node_id=node_id, friendly_name=friendly_name,
                                              coordinates=coordinates, **defaults)
    pins = {}
    for pin in node.ordered_pins():
        pin_id = f"{node_id}.{pin.name}"
        if pin_id in pins:  # a repeated name in a variadic group
            pin_id = f"{pin_id}.{pin.index}"
        pins[pin_id] = pin.model_copy(update={"id": pin_id})
    return board.apply(commands.AddNode(node.model_copy(update={"pins": pins})))


def wire(board: Board, source: Node, output: str, target: Node, input_: str) -> None:
    board.apply(commands.Connect(source.id, output, target.id, input_))


def variable(board: Board, name: str, data_type: DataType, default: Any, value_type: ValueType = ValueType.NORMAL,
             *, exposed: bool = False, description: str = "") -> None:
    board.apply(commands.UpsertVariable(Variable(id=f"var.{name}", name=name, data_type=data_type,
                                                 value_type=value_type, default_value=default, exposed=exposed,
                                                 description=description)))


def loop_and_branch() -> Board:
    """Sum the numbers above a threshold: a for-each over an array variable, a branch on a comparison, logs,
    a variable set on every big number, and the total returned as the run's result."""
    board = Board(id="example-loop-and-branch", name="loop-and-branch",
                  description="Adds up the numbers greater than the threshold and returns the total.")
    variable(board, "numbers", DataType.INTEGER, [3, 8, 1, 9, 4], ValueType.ARRAY, exposed=True,
             description="The numbers to look at")
    variable(board, "threshold", DataType.INTEGER, 5, exposed=True, description="Only numbers above it count")
    variable(board, "total", DataType.INTEGER, 0, description="Running total of the numbers that count")

    start = add(board, "events_simple", "start", "Start", (0, 0, 0))
    numbers = add(board, "variable_get", "get_numbers", "Numbers", (0, 160, 0), var_ref="numbers")
    loop = add(board, "control_for_each", "for_each", "For each number", (260, 0, 0))
    threshold = add(board, "variable_get", "get_threshold", "Threshold", (260, 220, 0), var_ref="threshold")
    above = add(board, "int_greater_than", "above", "Above threshold?", (520, 160, 0))
    branch = add(board, "control_branch", "branch", "Counts?", (520, 0, 0))
    total = add(board, "variable_get", "get_total", "Total", (780, 220, 0), var_ref="total")
    plus = add(board, "int_add", "plus", "Total + number", (1040, 220, 0))
    set_total = add(board, "variable_set", "set_total", "Set total", (1040, 0, 0), var_ref="total")
    log_total = add(board, "log_info", "log_total", "Counted, total now", (1300, 0, 0))
    log_skip = add(board, "log_info", "log_skip", "Skipped", (780, -160, 0))
    final_total = add(board, "variable_get", "get_final_total", "Final total", (520, -300, 0), var_ref="total")
    result = add(board, "events_generic_return_result", "result", "Return total", (780, -300, 0))

    wire(board, start, "exec_out", loop, "exec_in")
    wire(board, numbers, "value_ref", loop, "array")
    wire(board, loop, "exec_out", branch, "exec_in")
    wire(board, loop, "value", above, "integer1")
    wire(board, threshold, "value_ref", above, "integer2")
    wire(board, above, "greater_than", branch, "condition")
    wire(board, branch, "true", set_total, "exec_in")
    wire(board, total, "value_ref", plus, "integer1")
    wire(board, loop, "value", plus, "integer2")
    wire(board, plus, "sum", set_total, "value_in")
    wire(board, set_total, "exec_out", log_total, "exec_in")
    wire(board, set_total, "value_ref", log_total, "message")
    wire(board, branch, "false", log_skip, "exec_in")
    wire(board, loop, "value", log_skip, "message")
    wire(board, loop, "done", result, "exec_in")
    wire(board, final_total, "value_ref", result, "response")
    return board


def fails_on_purpose() -> Board:
    """Divide by a variable that is 0 unless set: the division raises, nothing handles it, the run fails and
    its record names the node, the error and the traceback. `--var divisor=4` makes it succeed."""
    board = Board(id="example-fails-on-purpose", name="fails-on-purpose",
                  description="Divides 10 by the divisor variable (0 by default): fails on purpose.")
    variable(board, "divisor", DataType.FLOAT, 0.0, exposed=True, description="What to divide 10 by")
    start = add(board, "events_simple", "start", "Start", (0, 0, 0))
    hello = add(board, "log_info", "log_start", "About to divide", (260, 0, 0), message="dividing 10 by the divisor")
    divisor = add(board, "variable_get", "get_divisor", "Divisor", (260, 200, 0), var_ref="divisor")
    divide = add(board, "float_divide", "divide", "10 / divisor", (520, 200, 0), dividend=10.0)
    show = add(board, "log_info", "log_quotient", "Quotient", (780, 0, 0))
    wire(board, start, "exec_out", hello, "exec_in")
    wire(board, hello, "exec_out", show, "exec_in")
    wire(board, divisor, "value_ref", divide, "divisor")
    wire(board, divide, "quotient", show, "message")
    return board


BOARDS = {"loop_and_branch": loop_and_branch, "fails_on_purpose": fails_on_purpose}


def main(out: Path = HERE) -> list[Path]:
    return [build().save(out / f"{name}.board.json") for name, build in BOARDS.items()]


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
