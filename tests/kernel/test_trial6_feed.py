"""A fed notebook value that does not fit its board variable names the notebook variable it came from: `board.run()`
(no arguments) said only `value 'seven' for variable 'n' does not fit`, and the user had passed no value at all."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

from flowlike_core import BoardError
from flowlike_nb.kernel.handles import Board


def test_a_fed_value_that_does_not_fit_names_its_notebook_variable(shell: InteractiveShell) -> None:
    board = Board("trial6 fed")
    board.variable("n", int, 3, exposed=True)
    start, say = board.add("events_simple", "start"), board.add("log_info", "say")
    read = board.add("variable_get", "n", var_ref="n")
    start.outputs.exec_out >> say.inputs.exec_in
    read.outputs.value_ref >> say.inputs.message
    board.feed(n="my_n")
    shell.user_ns["my_n"] = "seven"
    with pytest.raises(BoardError, match=r"^notebook variable 'my_n' \(fed to the board variable 'n' by "
                                         r"board.feed\): value 'seven' for variable 'n' does not fit its type "
                                         r"Integer$"):
        board.run()
    assert board.run({"n": 4}).log_table()["message"].tolist() == ["4"]  # a value given wins over the feed
    shell.user_ns["my_n"] = 7
    assert board.run().log_table()["message"].tolist() == ["7"]
