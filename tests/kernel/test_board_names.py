"""The notebook handles and the engine's documents never use one name for two things.

Each handle (`Board`, `NodeHandle`, `PinHandle`, `RunView`) and the model it shows (`Board`, `Node`, `Pin`, `Run`):
a name both have is on that pair's `ALIKE` (it means the same on both: the handle delegates). There a method takes
the same parameters, and an attribute holds the same value, the handle giving the handle of what the document
gives (a `NodeHandle` for a `Node`, `Pins` for `list[Pin]`...).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import pytest

from flowlike_core.board import Board as CoreBoard
from flowlike_core.board import Node, Pin
from flowlike_core.run import Run
from flowlike_nb.kernel.handles import Board, NodeHandle, PinHandle
from flowlike_nb.kernel.runs import RunView

BOARD_ALIKE = {
    "name": "the board's name",
    "load": "read a board file (the handle may take the registry it will use)",
    "save": "write the board file (without a path, to the one it came from)",
    "path": "the board file it was read from or last saved to",
    "to_json": "the canonical document text",
    "undo": "undo the last edit",
    "redo": "redo the last undone edit",
    "validate": "every problem of the board",
    "run": "run from the event node to the end",
    "node": "a node by id, friendly name or unique type key",
    "nodes": "the nodes keyed by id",
}
NODE_ALIKE = {
    "id": "the node's id on its board",
    "name": "the catalog type key",
    "friendly_name": "the node's own name",
    "breakpoint": "a debug run pauses before it",
    "pins": "every pin, keyed by pin id",
    "inputs": "the input pins in order",
    "outputs": "the output pins in order",
}
PIN_ALIKE = {
    "id": "the pin's id on its node",
    "name": "the pin name (repeated in a variadic group)",
    "direction": "input or output",
}
RUN_ALIKE = {
    "status": "running, success, failed or cancelled",
    "result": "what the run returned",
    "output": "an output pin's last value, by node and pin name",
    "why": "why a node ran or came from the cache",
    "raise_for_status": "raise unless the run succeeded",
    "board": "the board that ran",
}
PAIRS = {"Board": (Board, CoreBoard, BOARD_ALIKE), "Node": (NodeHandle, Node, NODE_ALIKE),
         "Pin": (PinHandle, Pin, PIN_ALIKE), "Run": (RunView, Run, RUN_ALIKE)}
HANDLE_OF = {"Node": "NodeHandle", "Run": "RunView", "dict[str, Node]": "Nodes", "Board": "Board",
             "Pin": "PinHandle", "dict[str, Pin]": "NodePins", "list[Pin]": "Pins"}
"""What the handle gives where the document gives a model."""


@pytest.fixture(scope="module")
def ran() -> dict[str, tuple[object, object]]:
    """One of each handle with its model, from a small board that ran."""
    board = Board("names")
    start = board.add("events_simple", "start")
    say = board.add("log_info", "say", message="hi")
    start.outputs.exec_out >> say.inputs.exec_in
    say.breakpoint = True
    run = board.run()
    return {"Board": (board, board.core), "Node": (say, say.core), "Pin": (say.inputs.message, say.inputs.message.core),
            "Run": (run, run.core)}


def public_names(instance: object) -> set[str]:
    return {name for name in dir(instance) if not name.startswith("_")}


def shape(cls: type, name: str) -> tuple[list[tuple[str, Any, Any]] | None, str | None]:
    """A member's parameters (name, kind, default; `self`/`cls` left out; None for an attribute) and what it gives
    (None for a plain instance attribute: the value test compares those)."""
    member = inspect.getattr_static(cls, name, None)
    if member is None:
        fields = getattr(cls, "model_fields", {})
        if name not in fields:
            return None, None
        annotation = fields[name].annotation
        return None, annotation.__name__ if isinstance(annotation, type) else \
            str(annotation).replace("flowlike_core.board.", "")
    if isinstance(member, property):
        return None, inspect.signature(member.fget).return_annotation
    function = member.__func__ if isinstance(member, classmethod | staticmethod) else member
    signature = inspect.signature(function)
    parameters = list(signature.parameters.values())[0 if isinstance(member, staticmethod) else 1:]
    return [(p.name, p.kind, p.default) for p in parameters], signature.return_annotation


def same(handle_value: Any, core_value: Any) -> bool:
    """The handle's value is the document's, or the handle of it (collections item by item, in the same order)."""
    if isinstance(handle_value, NodeHandle | PinHandle | RunView | Board):
        return handle_value.core is core_value
    if isinstance(core_value, Mapping):
        return isinstance(handle_value, Mapping) and list(handle_value) == list(core_value) and \
            all(same(handle_value[key], value) for key, value in core_value.items())
    if isinstance(core_value, list):
        handles = list(handle_value)
        return len(handles) == len(core_value) and all(map(same, handles, core_value))
    return handle_value == core_value


@pytest.mark.parametrize("pair", PAIRS)
def test_the_handle_and_the_document_share_only_names_that_mean_the_same(pair, ran):
    handle, core = ran[pair]
    alike = PAIRS[pair][2]
    shared = public_names(handle) & public_names(core)
    assert shared - alike.keys() == set(), "one name, two meanings: rename one side or delegate, then add it to ALIKE"
    assert alike.keys() <= shared, "ALIKE lists a name one side no longer has"


@pytest.mark.parametrize("pair", PAIRS)
def test_shared_names_take_the_same_parameters_and_give_the_handle_of_the_same_thing(pair):
    handle_class, core_class, alike = PAIRS[pair]
    for name in alike:
        core_parameters, core_gives = shape(core_class, name)
        handle_parameters, handle_gives = shape(handle_class, name)
        assert (handle_parameters is None) == (core_parameters is None), f"{name}: a method on one side only"
        if core_parameters is not None and handle_parameters is not None:
            assert handle_parameters[:len(core_parameters)] == core_parameters, name
            extra = handle_parameters[len(core_parameters):]
            assert all(default is not inspect.Parameter.empty for _, _, default in extra), name
        if core_gives is not None and handle_gives is not None:
            assert handle_gives == HANDLE_OF.get(core_gives, core_gives), name


@pytest.mark.parametrize("pair", PAIRS)
def test_shared_attributes_hold_the_same_value(pair, ran):
    handle, core = ran[pair]
    attributes = [name for name in PAIRS[pair][2] if not callable(getattr(core, name))]
    assert attributes, "every pair shares a data attribute or two"
    for name in attributes:
        assert same(getattr(handle, name), getattr(core, name)), name


def test_nodes_is_the_same_mapping_as_handles():
    board = Board("views")
    board.add("events_simple", "start")
    board.add("log_info", "say", message="hi")
    assert list(board.nodes) == list(board.core.nodes)
    assert all(board.nodes[key].core is node for key, node in board.core.nodes.items())
    assert board.nodes.say == board.node("say") and board.node("say").core is board.core.node("say")


def test_a_node_s_pins_are_handles_by_id_and_its_table_has_a_name_of_its_own():
    board = Board("pins")
    say = board.add("log_info", "say", message="hi")
    message = say.inputs.message
    assert say.pins[message.id] == message and message.id in say.pins and "nope" not in say.pins
    with pytest.raises(KeyError, match="no pin with id 'nope'"):
        say.pins["nope"]
    assert list(say.pin_table()["pin"]) == [p.name for p in [*say.core.inputs, *say.core.outputs]]


def test_a_run_s_board_is_the_handle_that_ran_it():
    board = Board("ran")
    board.add("events_simple", "start")
    run = board.run()
    assert run.board is board and board.last_run.board is board
    assert isinstance(RunView(run.core).board, Board) and RunView(run.core).board.core is board.core
