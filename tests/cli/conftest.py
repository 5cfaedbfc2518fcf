"""Node types of our own and boards built from them, so the CLI's tests do not depend on any pack.

The types go into the default registry (the one the CLI uses) under the pack name `cli-tests`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flowlike_core import Board, DataType, NodeType, Variable, commands, data_in, default_registry, exec_in, exec_out


class Start(NodeType):
    name = "cli_test_start"
    friendly_name = "Start"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx):
        ctx.activate("exec_out")


class Count(NodeType):
    """Counts to `times`: one log line and one progress report per tick; the run's result is `times`."""

    name = "cli_test_count"
    friendly_name = "Count"
    pins = (exec_in(), data_in("times", DataType.INTEGER, default=1), exec_out())

    def run(self, ctx):
        times = ctx.get_input("times")
        for tick in range(1, times + 1):
            ctx.info(f"tick {tick}")
            ctx.progress(tick, times)
        ctx.set_result(times)
        ctx.activate("exec_out")


class Divide(NodeType):
    name = "cli_test_divide"
    friendly_name = "Divide"
    pins = (exec_in(), data_in("a", DataType.FLOAT, default=1.0), data_in("b", DataType.FLOAT), exec_out())

    def run(self, ctx):
        ctx.warn("dividing")
        ctx.set_result(ctx.get_input("a") / ctx.get_input("b"))
        ctx.activate("exec_out")


class ReadTimes(NodeType):
    """Reads the `times` variable into the count node's input (a variable-get of our own)."""

    name = "cli_test_read_times"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        ctx.info(f"times is {ctx.get_variable('times')}")
        ctx.activate("exec_out")


for node_type in (Start, Count, Divide, ReadTimes):
    default_registry().register(node_type, pack="cli-tests", replace=True)


def build_board(name: str, *steps: NodeType | type[NodeType], **defaults) -> Board:
    """A start node followed by `steps` in a chain; defaults go to every step that has such an input."""
    board = Board(name=name)
    previous = board.apply(commands.AddNode(Start.create()))
    for step in steps:
        accepted = {p.name for p in step.pins} & set(defaults)
        node = board.apply(commands.AddNode(step.create(**{k: defaults[k] for k in accepted})))
        board.apply(commands.Connect(previous.id, "exec_out", node.id, "exec_in"))
        previous = node
    return board


@pytest.fixture
def notebook_variables() -> str:
    """The board variables the notebook's parameters cell sets (a module that runs other boards overrides it)."""
    return "threshold = 5\nnumbers = [3, 8, 1, 9, 4]"


@pytest.fixture
def notebook_cells() -> tuple[str, ...]:
    """Code cells between the parameters and the run (none unless a module overrides it)."""
    return ()


@pytest.fixture
def notebook(tmp_path: Path, notebook_variables: str, notebook_cells: tuple[str, ...]) -> Path:
    """A notebook for `flowlike notebook`: a parameters cell (board_path and the board's exposed variables), the
    `notebook_cells`, then a cell that runs the board."""
    import nbformat

    parameters = nbformat.v4.new_code_cell(f'board_path = ""\n{notebook_variables}')
    parameters.metadata["tags"] = ["parameters"]
    run = nbformat.v4.new_code_cell(
        "import flowlike_nb\n"
        "from flowlike_nb.kernel.papermill import variables_from\n"
        "board = flowlike_nb.Board.load(board_path)\n"
        "board.run(variables_from(board))"
    )
    path = tmp_path / "run.ipynb"
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                "language_info": {"name": "python"}}
    cells = [parameters, *map(nbformat.v4.new_code_cell, notebook_cells), run]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=metadata), path)
    return path


@pytest.fixture
def counting_board(tmp_path: Path) -> Path:
    """Counts to 3; `times` is an exposed Integer variable (it only shows in the logs and the record)."""
    board = build_board("counting", ReadTimes, Count, times=3)
    board.apply(commands.UpsertVariable(Variable(name="times", data_type=DataType.INTEGER, default_value=3,
                                                 exposed=True)))
    board.apply(commands.UpsertVariable(Variable(name="hidden", data_type=DataType.STRING, default_value="x")))
    return board.save(tmp_path / "counting.board.json")


@pytest.fixture
def failing_board(tmp_path: Path) -> Path:
    """Divides by zero, unhandled."""
    return build_board("failing", Divide, b=0.0).save(tmp_path / "failing.board.json")
