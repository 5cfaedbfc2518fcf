"""Pins sharing a name (Parallel Execution's two `exec_out` branches) were listed as two identical rows by
`pin_table()` and shown alike: each says how to reach it (`exec_out, 1` for `outputs["exec_out", 1]`)."""

from __future__ import annotations

import flowlike_nb as fnb


def test_the_pins_of_a_group_say_their_place() -> None:
    board = fnb.Board("groups")
    par = board.add("control_par_execution", "par")
    rows = [row["pin"] for row in par.pin_table().to_dict("records") if row["direction"] == "Output"]
    assert rows[:2] == ["exec_out, 0", "exec_out, 1"], rows
    assert repr(par.outputs["exec_out", 1]).startswith("<out pin par.exec_out, 1:")
    assert par.inputs.exec_in.key == "exec_in"
