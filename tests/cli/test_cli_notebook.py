"""`flowlike notebook`: a board run through a parameterized notebook with papermill."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from flowlike_core.cli import main

LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


@pytest.mark.timeout(120)
def test_parameters_change_the_run(notebook, tmp_path, capsys):
    out = tmp_path / "out.ipynb"
    assert main(["notebook", str(LOOP), str(notebook), str(out), "-p", "threshold", "2"]) == 0
    printed = capsys.readouterr().out
    assert "Success: board 'loop-and-branch'" in printed and "result: 24" in printed
    written = re.escape(f"; notebook written to {out}")
    assert re.search(rf"node executions in \d+(\.\d+)? (µs|ms|s) \(run \w+\){written}", printed), \
        "times as flowlike run shows them (it said 0.000s)"
    executed = nbformat.read(out, as_version=4)
    assert "threshold = 2" in "".join(cell.source for cell in executed.cells)


def test_bad_input(notebook, tmp_path, capsys):
    out = str(tmp_path / "out.ipynb")
    assert main(["notebook", str(LOOP), str(notebook), out, "-p", "nope", "1"]) == 2
    assert "has no exposed variable 'nope'" in capsys.readouterr().err
    assert main(["notebook", str(LOOP), str(tmp_path / "missing.ipynb"), out]) == 2
    assert "no such notebook" in capsys.readouterr().err
    assert main(["notebook", str(tmp_path / "missing.board.json"), str(notebook), out]) == 2
    assert "no such board file" in capsys.readouterr().err
    assert main(["notebook", str(LOOP), str(notebook), out, "--kernel", "no-such-kernel"]) == 2
    assert "--kernel no-such-kernel: no such Jupyter kernel (installed: " in capsys.readouterr().err
    assert main(["notebook", str(LOOP), str(notebook), str(tmp_path / "nowhere" / "out.ipynb")]) == 2
    assert "no folder" in capsys.readouterr().err


@pytest.mark.timeout(120)
def test_failed_run_in_the_notebook_exits_1(notebook, tmp_path, capsys):
    fails = LOOP.with_name("fails_on_purpose.board.json")
    assert main(["notebook", str(fails), str(notebook), str(tmp_path / "out.ipynb")]) == 1
    printed = capsys.readouterr().out
    assert "Failed: board 'fails-on-purpose'" in printed and "ZeroDivisionError" in printed


@pytest.mark.timeout(120)
def test_the_summary_counts_folded_executions_as_flowlike_run_does(notebook, tmp_path, capsys):
    """Past the first executions of a node, a record folds them into counts; the summary counts them all."""
    numbers = str(list(range(60)))
    assert main(["run", str(LOOP), "--no-history", "--var", f"numbers={numbers}"]) == 0
    by_run = re.search(r"(\d+) node executions", capsys.readouterr().out)
    assert main(["notebook", str(LOOP), str(notebook), str(tmp_path / "out.ipynb"), "-p", "numbers", numbers]) == 0
    by_notebook = re.search(r"(\d+) node executions", capsys.readouterr().out)
    assert by_run and by_notebook and int(by_run[1]) > 300
    assert by_notebook[1] == by_run[1]


def test_a_bad_value_names_the_parameter_not_an_option_of_another_command(notebook, tmp_path, capsys):
    assert main(["notebook", str(LOOP), str(notebook), str(tmp_path / "out.ipynb"), "-p", "threshold", "x"]) == 2
    err = capsys.readouterr().err
    assert "threshold=x: not an Integer value" in err and "--var" not in err


def _write_notebook(path: Path, *cells: tuple[str, list[str]]) -> Path:
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    code = [nbformat.v4.new_code_cell(source, metadata={"tags": tags}) for source, tags in cells]
    nbformat.write(nbformat.v4.new_notebook(cells=code, metadata=metadata), path)
    return path


def test_a_notebook_without_a_parameters_cell_is_refused(tmp_path, capsys):
    plain = _write_notebook(tmp_path / "plain.ipynb", ("x = 1", []))
    assert main(["notebook", str(LOOP), str(plain), str(tmp_path / "out.ipynb")]) == 2
    assert "no cell tagged 'parameters'" in capsys.readouterr().err
    assert not (tmp_path / "out.ipynb").exists()


@pytest.mark.timeout(120)
def test_a_run_of_another_board_is_not_taken_for_the_boards(tmp_path, capsys):
    """A notebook that ignores board_path and runs a board of its own does not report that run as BOARD's."""
    own = _write_notebook(tmp_path / "own.ipynb", ('board_path = ""', ["parameters"]), (
        "import flowlike_nb as fnb\n"
        "board = fnb.Board('its own')\n"
        "board.add('events_simple', 'start')\n"
        "board.run()", []))
    assert main(["notebook", str(LOOP), str(own), str(tmp_path / "out.ipynb")]) == 1
    captured = capsys.readouterr()
    assert "showed no run of board 'loop-and-branch'" in captured.err and "Success" not in captured.out


@pytest.mark.timeout(120)
def test_a_board_file_without_an_id_is_found_by_its_id_from_the_path(notebook, tmp_path, capsys):
    """A file without an id is the same board in the CLI and in the notebook's kernel (its id comes from the file's
    path), so its run is found by id."""
    data = json.loads(LOOP.read_text())
    del data["id"]
    anonymous = tmp_path / "anonymous.board.json"
    anonymous.write_text(json.dumps(data))
    assert main(["notebook", str(anonymous), str(notebook), str(tmp_path / "out.ipynb")]) == 0
    assert "Success: board 'loop-and-branch'" in capsys.readouterr().out


def test_a_variable_papermill_cannot_assign_is_refused_by_name(notebook, tmp_path, capsys):
    """A Flow-Like variable name with a space cannot be a parameter (a cell would say `the threshold = 2`)."""
    data = json.loads(LOOP.read_text())
    data["variables"]["var.threshold"]["name"] = "the threshold"
    spaced = tmp_path / "spaced.board.json"
    spaced.write_text(json.dumps(data))
    assert main(["notebook", str(spaced), str(notebook), str(tmp_path / "out.ipynb"), "-p", "the threshold", "2"]) == 2
    assert "variable 'the threshold' of board 'loop-and-branch' cannot be a notebook parameter" in \
        capsys.readouterr().err
