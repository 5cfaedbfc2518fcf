"""papermill: the `parameters` cell sets board variables, and any board runs through the notebook."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest

import flowlike_nb as fnb
from flowlike_core.errors import BoardError
from flowlike_nb.kernel.papermill import (
    last_run_record,
    parameters,
    parameters_cell,
    run_board_notebook,
    variables_from,
)

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "parameterized.ipynb"


def expected(rows: int, threshold: int = 50) -> int:
    return sum(1 for i in range(rows) if (i * 37) % 101 > threshold)


def test_the_notebook_has_a_parameters_cell() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "rows = None" in tagged[0].source


def test_a_parameter_changes_the_outcome(tmp_path: Path) -> None:
    results = {}
    for rows in (100, 1000):
        out = tmp_path / f"rows-{rows}.ipynb"
        papermill.execute_notebook(str(NOTEBOOK), str(out), parameters={"rows": rows}, kernel_name="python3",
                                   cwd=str(NOTEBOOK.parent), progress_bar=False)
        record = last_run_record(out)
        assert record is not None and record.status == "Success"
        assert record.variables["rows"] == rows
        results[rows] = record.result
    assert results == {100: expected(100), 1000: expected(1000)}
    assert results[100] != results[1000]


def multiplier() -> fnb.Board:
    board = fnb.Board("multiplier")
    board.variable("factor", int, 2, exposed=True, description="what to multiply 6 by")
    board.variable("secret_key", str, "hidden", exposed=True, secret=True)
    start = board.add("events_simple", "start")
    factor = board.add("variable_get", "factor", var_ref="factor")
    times = board.add("int_multiply", "times", integer2=6)
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    factor.outputs.value_ref >> times.inputs.integer1
    times.outputs.product >> done.inputs.response
    return board


def test_exposed_variables_are_the_parameters() -> None:
    board = multiplier()
    assert parameters(board) == {"factor": 2}
    cell = parameters_cell(board, "boards/multiplier.board.json")
    assert "board_path = 'boards/multiplier.board.json'" in cell
    assert "factor = 2  # Integer: what to multiply 6 by" in cell
    namespace: dict = {}
    exec(cell, namespace)
    assert namespace["factor"] == 2


def test_run_board_notebook_runs_a_board_file_with_parameters(tmp_path: Path) -> None:
    path = multiplier().save(tmp_path / "multiplier.board.json")
    record = run_board_notebook(path, NOTEBOOK, tmp_path / "out.ipynb", {"factor": 7})
    assert record is not None and record.board_name == "multiplier"
    assert record.status == "Success" and record.result == 42
    assert (tmp_path / "out.ipynb").exists()


def test_a_board_file_keeps_its_own_defaults_over_the_notebooks(tmp_path: Path) -> None:
    """parameterized.ipynb's `parameters` cell holds its demo board's `threshold = 50`; a board file run through it
    with no value for its own `threshold` runs with the board's default, as `flowlike run` would."""
    board = fnb.Board("above")
    board.variable("threshold", int, 5, exposed=True)
    start = board.add("events_simple", "start")
    threshold = board.add("variable_get", "threshold", var_ref="threshold")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    threshold.outputs.value_ref >> done.inputs.response
    path = board.save(tmp_path / "above.board.json")
    record = run_board_notebook(path, NOTEBOOK, tmp_path / "out.ipynb")
    assert record is not None and record.variables["threshold"] == 5 and record.result == 5


def test_text_from_papermill_p_is_read_as_the_variables_type() -> None:
    """`papermill -p numbers '[1, 2]'` injects the text; a list variable reads it as JSON, a String keeps it."""
    board = fnb.Board("typed")
    board.variable("numbers", list[int], [1], exposed=True)
    board.variable("code", str, "a", exposed=True)
    board.variable("anything", object, None, exposed=True)
    found = variables_from(board, {"numbers": "[1, 20, 30]", "code": "123", "anything": "[1]"})
    assert found == {"numbers": [1, 20, 30], "code": "123", "anything": "[1]"}
    with pytest.raises(BoardError, match=r"numbers=\[1, oops\]: not an Array<Integer> value \(read as JSON"):
        variables_from(board, {"numbers": "[1, oops]"})


def test_only_variables_with_python_names_are_parameters() -> None:
    board = fnb.Board("names")
    board.variable("rows", int, 3, exposed=True)
    board.variable("max rows", int, 9, exposed=True)
    board.variable("class", int, 1, exposed=True)
    assert parameters(board) == {"rows": 3}
