"""The editor's problems follow the board's variables: a variable node naming a variable the board lacks is an error
until the variable comes, and again when it goes or is renamed, without the whole board checked again."""

from __future__ import annotations

from importlib.metadata import entry_points

from flowlike_core import Board, DataType, commands
from flowlike_core.board import Variable
from flowlike_core.registry import ENTRY_POINT_GROUP, Registry
from flowlike_nb.widgets import BoardEditor
from flowlike_nb.widgets.problems import board_problems

from .conftest import Recorder

REGISTRY = Registry(entries=entry_points(group=ENTRY_POINT_GROUP))


def _unknown(editor: BoardEditor) -> list[str]:
    return [p["node_id"] for p in editor.problems if p["code"] == "unknown-variable"]


def test_variable_edits_check_the_nodes_that_name_one_again():
    board = Board(name="vars")
    board.apply(commands.AddNode(REGISTRY.get("variable_get").create(node_id="get", var_ref="limit")))
    board.apply(commands.AddNode(REGISTRY.get("log_info").create(node_id="log")))
    editor = BoardEditor(board, registry=REGISTRY)
    Recorder(editor)
    assert _unknown(editor) == ["get"]
    board.apply(commands.UpsertVariable(Variable(id="v", name="limit", data_type=DataType.INTEGER, default_value=1)))
    assert _unknown(editor) == []
    board.apply(commands.UpsertVariable(Variable(id="v", name="top", data_type=DataType.INTEGER, default_value=1)))
    assert _unknown(editor) == ["get"]
    assert "'top'" in next(p["message"] for p in editor.problems if p["code"] == "unknown-variable")
    board.apply(commands.UpdateNode("get", defaults={next(p.id for p in board.nodes["get"].pins.values()
                                                          if p.name == "var_ref"): "v"}))
    assert _unknown(editor) == []
    board.apply(commands.RemoveVariable("v"))
    assert _unknown(editor) == ["get"]
    assert sorted(map(str, editor.problems)) == sorted(map(str, board_problems(board, REGISTRY)))
