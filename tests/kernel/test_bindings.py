"""Pin outputs into notebook variables and notebook values into board variables."""

from __future__ import annotations

import pandas
import pytest
from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb
from flowlike_core.errors import BoardError, UnknownVariableError


@fnb.node
def kernel_test_frame(rows: int = 3) -> pandas.DataFrame:
    """A DataFrame with `rows` rows."""
    return pandas.DataFrame({"i": range(rows), "square": [i * i for i in range(rows)]})


def frame_board() -> fnb.Board:
    board = fnb.Board("frames")
    board.variable("rows", int, 3, exposed=True)
    start = board.add("events_simple", "start")
    rows = board.add("variable_get", "rows", var_ref="rows")
    frame = board.add("kernel_test_frame", "frame")
    say = board.add("log_info", "say")
    start.outputs.exec_out >> say.inputs.exec_in
    rows.outputs.value_ref >> frame.inputs.rows
    frame.outputs.result >> say.inputs.message
    return board


def test_a_bound_pin_lands_in_the_user_namespace_after_every_run(shell: InteractiveShell) -> None:
    board = frame_board()
    board.bind(board.node("frame").outputs.result, "df")
    board.run()
    assert shell.user_ns["df"]["square"].tolist() == [0, 1, 4]
    board.run({"rows": 5})
    assert len(shell.user_ns["df"]) == 5


@fnb.node
def kernel_test_arrow(rows: int = 3) -> object:
    """An Arrow table with `rows` rows: how tables travel between nodes."""
    import pyarrow

    return pyarrow.table({"i": list(range(rows))})


def test_a_bound_arrow_table_lands_as_a_dataframe(shell: InteractiveShell) -> None:
    board = fnb.Board("arrow")
    start = board.add("events_simple", "start")
    table = board.add("kernel_test_arrow", "table", rows=4)
    say = board.add("log_info", "say")
    start.outputs.exec_out >> say.inputs.exec_in
    table.outputs.result >> say.inputs.message
    board.bind("table.result", "frame")
    board.run().raise_for_status()
    assert isinstance(shell.user_ns["frame"], pandas.DataFrame) and shell.user_ns["frame"]["i"].tolist() == [0, 1, 2, 3]


def test_binding_again_replaces_instead_of_duplicating(shell: InteractiveShell) -> None:
    board = frame_board()
    board.bind("frame.result", "df")
    board.bind("frame.result", "df")
    board.bind("rows.value_ref", "df")
    assert list(board.bindings) == ["df"]
    board.run({"rows": 4})
    assert shell.user_ns["df"] == 4


def test_only_data_outputs_can_be_bound() -> None:
    board = frame_board()
    with pytest.raises(BoardError, match="only data outputs"):
        board.bind(board.node("start").outputs.exec_out, "x")


def test_feeding_board_variables_from_notebook_values(shell: InteractiveShell) -> None:
    board = frame_board().feed(rows="n_rows")
    board.bind("frame.result", "df")
    shell.user_ns["n_rows"] = 2
    board.run()
    assert len(shell.user_ns["df"]) == 2
    shell.user_ns["n_rows"] = 6
    board.run()
    assert len(shell.user_ns["df"]) == 6
    del shell.user_ns["n_rows"]
    with pytest.raises(UnknownVariableError, match="notebook variable 'n_rows' is not defined"):
        board.run()


@pytest.mark.parametrize("name", ["not a name", "1st", "class", ""])
def test_a_binding_needs_a_python_variable_name(name: str) -> None:
    board = frame_board()
    with pytest.raises(BoardError, match="is not a Python variable name"):
        board.bind("frame.result", name)
    assert board.bindings == {}
