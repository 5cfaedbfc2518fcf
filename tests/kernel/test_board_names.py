"""The notebook `Board` handle and the engine's `Board` document never use one name for two things.

A name both classes have is on `ALIKE` (it means the same on both: the handle delegates) and takes the same
parameters there, the handle giving the handle of what the document gives (a `NodeHandle` for a `Node`...).
"""

from __future__ import annotations

import inspect
from typing import Any

from flowlike_core.board import Board as CoreBoard
from flowlike_nb.kernel.handles import Board

ALIKE = {
    "load": "read a board file (the handle may take the registry it will use)",
    "save": "write the board file",
    "to_json": "the canonical document text",
    "undo": "undo the last edit",
    "redo": "redo the last undone edit",
    "validate": "every problem of the board",
    "run": "run from the event node to the end",
    "node": "a node by id, friendly name or unique type key",
    "nodes": "the nodes keyed by id",
}
HANDLE_OF = {"Node": "NodeHandle", "Run": "RunView", "dict[str, Node]": "Nodes", "Board": "Board"}
"""What the handle gives where the document gives a model."""


def public_names(instance: object) -> set[str]:
    return {name for name in dir(instance) if not name.startswith("_")}


def shape(cls: type, name: str) -> tuple[list[tuple[str, Any, Any]], str]:
    """A member's parameters (name, kind, default; `self`/`cls` left out) and what it gives."""
    member = inspect.getattr_static(cls, name, None)
    if member is None and name in getattr(cls, "model_fields", {}):
        return [], str(cls.model_fields[name].annotation).replace("flowlike_core.board.", "")
    if isinstance(member, property):
        return [], inspect.signature(member.fget).return_annotation
    function = member.__func__ if isinstance(member, classmethod | staticmethod) else member
    signature = inspect.signature(function)
    parameters = list(signature.parameters.values())[0 if isinstance(member, staticmethod) else 1:]
    return [(p.name, p.kind, p.default) for p in parameters], signature.return_annotation


def test_the_handle_and_the_document_share_only_names_that_mean_the_same():
    shared = public_names(Board("names")) & public_names(CoreBoard())
    assert shared - ALIKE.keys() == set(), "one name, two meanings: rename one side or delegate, then add it to ALIKE"
    assert ALIKE.keys() <= shared, "ALIKE lists a name one side no longer has"


def test_shared_names_take_the_same_parameters_and_give_the_handle_of_the_same_thing():
    for name in ALIKE:
        core_parameters, core_gives = shape(CoreBoard, name)
        handle_parameters, handle_gives = shape(Board, name)
        assert handle_parameters[:len(core_parameters)] == core_parameters, name
        extra = handle_parameters[len(core_parameters):]
        assert all(default is not inspect.Parameter.empty for _, _, default in extra), name
        assert handle_gives == HANDLE_OF.get(core_gives, core_gives), name


def test_nodes_is_the_same_mapping_as_handles():
    board = Board("views")
    board.add("events_simple", "start")
    board.add("log_info", "say", message="hi")
    assert list(board.nodes) == list(board.core.nodes)
    assert all(board.nodes[key].core is node for key, node in board.core.nodes.items())
    assert board.nodes.say == board.node("say") and board.node("say").core is board.core.node("say")
