"""The engine's problems with the board reach the editor with their severity, stay current as the board is edited,
and a warning does not stop Run."""

from __future__ import annotations

import sys

from flowlike_core import (
    Board,
    DataType,
    NodeType,
    Pack,
    PinOptions,
    Registry,
    commands,
    data_in,
    data_out,
    exec_in,
    exec_out,
)
from flowlike_nb.widgets import BoardEditor

from . import conftest
from .conftest import Recorder


class Count(NodeType):
    """An exec node with a data output: read before it runs, its output is None."""

    name = "w_count"
    pins = (exec_in(), data_out("result", DataType.STRING), exec_out())

    def run(self, ctx):
        ctx.set_output("result", "counted")
        ctx.activate("exec_out")


class Open(NodeType):
    name = "w_open"
    pins = (exec_in(), data_in("path", DataType.STRING, options=PinOptions(required=True)), exec_out())

    def run(self, ctx):
        ctx.activate("exec_out")


REGISTRY = Registry([Pack("problem-tests", modules=[conftest, sys.modules[__name__]])])


def read_before_run(board: Board) -> Board:
    """start -> say -> count, and Say's message wired from Count, which runs after it: a warning."""
    board.apply(commands.AddNode(Count.create(node_id="count", coordinates=(600, 0, 0))))
    board.apply(commands.Connect("say", "exec_out", "count", "exec_in"))
    board.apply(commands.Connect("count", "result", "say", "message"))
    return board


def shown(editor: BoardEditor) -> list[tuple[str, str, str | None, str | None]]:
    return sorted((p["severity"], p["code"], p["node_id"], p["pin_id"]) for p in editor.problems)


def test_a_read_before_run_reaches_the_editor_as_a_warning(board: Board) -> None:
    editor = BoardEditor(read_before_run(board), registry=REGISTRY)
    message = board.nodes["say"].pin("message").id
    assert shown(editor) == [("warning", "read-before-run", "say", message)]
    assert editor.problems == [p.model_dump() for p in board.validate(REGISTRY)]


def test_problems_follow_the_edits_from_the_canvas_and_from_cells(board: Board) -> None:
    editor = BoardEditor(read_before_run(board), registry=REGISTRY)
    frontend = Recorder(editor)
    assert frontend("disconnect", from_node="count", from_pin="result", to_node="say", to_pin="message")["ok"]
    assert editor.problems == []
    board.undo()  # a cell's undo: the warning is back
    assert [p["severity"] for p in editor.problems] == ["warning"]

    assert frontend("add_node", node_type="w_open", x=0, y=300)["ok"]
    (added,) = set(board.nodes) - {"start", "say", "count"}
    assert shown(editor) == sorted([("warning", "read-before-run", "say", board.nodes["say"].pin("message").id),
                                    ("error", "required-input-empty", added, board.nodes[added].pin("path").id)])
    assert frontend("update_node", node_id=added, defaults={"path": "data.csv"})["ok"]
    assert [p["code"] for p in editor.problems] == ["read-before-run"]


def test_a_renamed_node_is_named_anew_in_its_problems(board: Board) -> None:
    editor = BoardEditor(read_before_run(board), registry=REGISTRY)
    Recorder(editor)("update_node", node_id="say", friendly_name="Greet")
    assert "'Greet' (say)" in editor.problems[0]["message"]


def test_a_board_with_only_warnings_runs_from_the_toolbar(board: Board) -> None:
    """A warning names a board that runs, not as meant: Run goes (as `start_run` does), and Say reads None."""
    editor = BoardEditor(read_before_run(board), registry=REGISTRY)
    frontend = Recorder(editor)
    assert frontend("run", start="start")["ok"]
    run = editor.wait(30)
    assert run is not None and run.ok, run
    assert [e.status.value for e in run.traces if e.node_id == "count"] == ["Success"]


def test_a_node_redefined_in_a_cell_is_checked_again(board: Board) -> None:
    """A key no installed pack provides is an error; a cell that defines it clears the error at the next refresh."""
    types = Registry([Pack("problem-tests", modules=[conftest])])
    board.apply(commands.AddNode(Count.create(node_id="count", coordinates=(600, 0, 0))))
    editor = BoardEditor(board, registry=types)
    assert [(p["code"], p["node_id"]) for p in editor.problems] == [("unknown-node-type", "count")]
    types.register(Count)
    editor.refresh_catalog()
    assert editor.problems == []
