"""`board.to_code()` rebuilds an equal board, including boards made outside cells."""

from __future__ import annotations

from typing import Any

import flowlike_nb as fnb
from flowlike_core import Board as CoreBoard
from flowlike_core import Comment, commands, default_registry


def rebuild(code: str, var: str = "board") -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(code, "<to_code>", "exec"), namespace)
    return namespace[var]


def test_a_cell_built_board_round_trips(counter: fnb.Board) -> None:
    counter.node("say").set_comment("prints n")
    counter.comment("a note", at=(10, 20), color="#ffee88")
    code = counter.to_code()
    assert "board.add('log_info', 'say'" in code
    assert "read_n.outputs.value_ref >> say.inputs.message" in code
    rebuilt = rebuild(code)
    assert rebuilt == counter
    assert rebuilt.core.to_json() == counter.core.to_json()


def test_variadic_generic_and_variables_round_trip() -> None:
    board = fnb.Board("loops", description="for each over a list", version=(1, 2, 3), log_level="Debug")
    board.variable("items", list[int], [1, 2, 3], exposed=True, description="what to loop over")
    board.variable("token", str, "s3cr3t", secret=True)
    start = board.add("events_simple", "start", at=(0, 0))
    seq = board.add("control_sequence", "steps")
    items = board.add("variable_get", "items", var_ref="items")
    loop = board.add("control_for_each", "loop")
    say = board.add("log_info", "each")
    start.outputs.exec_out >> seq.inputs.exec_in
    seq.outputs["exec_out", 1] >> loop.inputs.exec_in
    items.outputs.value_ref >> loop.inputs.array
    loop.outputs.exec_out >> say.inputs.exec_in
    loop.outputs.value >> say.inputs.message
    assert rebuild(board.to_code("b2"), "b2") == board


def test_an_editor_made_board_with_random_pin_ids_round_trips() -> None:
    core = CoreBoard(name="from the editor")
    registry = default_registry()
    start = core.apply(commands.AddNode(registry.get("events_simple").create(coordinates=(5, 6, 1))))
    say = core.apply(commands.AddNode(registry.get("log_info").create(message="hi")))
    core.apply(commands.Connect(start.id, "exec_out", say.id, "exec_in"))
    core.apply(commands.UpsertComment(Comment(content="hello")))
    code = fnb.Board(core).to_code()
    assert "pin_ids=" in code
    assert rebuild(code) == core


def test_a_node_whose_pins_were_customised_is_written_whole() -> None:
    board = fnb.Board("custom")
    say = board.add("log_info", "say")
    node = say.core.model_copy(deep=True)
    node.id = "custom1"
    node.pins = {f"custom1.{k}": p.model_copy(update={"id": f"custom1.{k}", "description": "edited"})
                 for k, p in node.pins.items()}
    board.add_raw(node)
    code = board.to_code()
    assert "add_raw(" in code
    assert rebuild(code) == board
