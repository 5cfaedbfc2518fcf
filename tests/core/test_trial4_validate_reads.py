"""`validate` warns about a data input wired to an exec node's output that the run cannot have executed before
the input is read (it reads None), and keeps quiet about the wirings that work: loops, sequences, parallel branches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flowlike_catalog.std import PACK

from flowlike_core import Board, Node, Registry, commands, run_board
from flowlike_core.cli import main


class Boards:
    def __init__(self) -> None:
        self.registry = Registry([PACK])
        self.board = Board(name="reads")

    def add(self, key: str, **defaults: Any) -> Node:
        return self.board.apply(commands.AddNode(self.registry.get(key).create(**defaults)))

    def wire(self, source: Node, out: str, target: Node, inp: str = "exec_in", branch: int = 0) -> None:
        pins = [p.id for p in self.board.nodes[source.id].ordered_pins("Output") if p.name == out]
        self.board.apply(commands.Connect(source.id, pins[branch], target.id, inp))

    def chain(self, *nodes: Node) -> None:
        for source, target in zip(nodes, nodes[1:], strict=False):
            self.wire(source, "exec_out", target)

    def warnings(self) -> list[Any]:
        return [p for p in self.board.validate(self.registry) if p.severity == "warning"]


@pytest.fixture
def b() -> Boards:
    return Boards()


def test_a_value_set_before_it_is_read_gets_no_warning(b):
    start, make, log = b.add("events_simple"), b.add("cuid"), b.add("log_info")
    b.chain(start, make, log)
    b.wire(make, "cuid", log, "message")
    assert b.board.validate(b.registry) == []


def test_a_value_set_after_it_is_read_is_named_with_reader_input_and_writer(b):
    start, log, make = b.add("events_simple"), b.add("log_info"), b.add("cuid")
    b.chain(start, log, make)
    b.wire(make, "cuid", log, "message")
    [warning] = b.warnings()
    assert warning.code == "read-before-run" and warning.node_id == log.id
    assert warning.pin_id == b.board.nodes[log.id].pin("message").id
    assert "'message'" in warning.message and log.label() in warning.message and make.label() in warning.message
    assert f"will read None unless {make.label()} runs first" in warning.message
    assert "warning" in str(warning)
    run = run_board(b.board, registry=b.registry)  # a warning does not stop the run; the read is None indeed
    assert run.ok and [line.message for line in run.logs()] == [  # and the run says so where it read None
        f"input 'message' read None: {make.label()} has not run; wire its exec flow before this node", "null"]


def test_the_other_arm_of_a_branch_is_warned_about(b):
    start, branch, make, log = b.add("events_simple"), b.add("control_branch"), b.add("cuid"), b.add("log_info")
    b.chain(start, branch)
    b.wire(branch, "true", make)
    b.wire(branch, "false", log)
    b.wire(make, "cuid", log, "message")
    assert [(w.code, w.node_id) for w in b.warnings()] == [("read-before-run", log.id)]


def test_a_branch_inside_a_loop_may_have_taken_the_other_arm_earlier(b):
    start, loop, branch = b.add("events_simple"), b.add("control_for_each"), b.add("control_branch")
    make, log = b.add("cuid"), b.add("log_info")
    b.chain(start, loop)
    b.wire(loop, "exec_out", branch)
    b.wire(branch, "true", make)
    b.wire(branch, "false", log)
    b.wire(make, "cuid", log, "message")
    assert b.warnings() == []


def test_a_loop_body_reads_the_loop_item_and_a_value_set_later_in_the_body(b):
    start, loop, log, make = b.add("events_simple"), b.add("control_for_each"), b.add("log_info"), b.add("cuid")
    done = b.add("log_info")
    b.chain(start, loop)
    b.wire(loop, "exec_out", log)
    b.chain(log, make)
    b.wire(loop, "done", done)
    b.wire(loop, "value", log, "message")
    b.wire(make, "cuid", done, "message")
    assert b.warnings() == []


def test_a_later_sequence_branch_and_a_parallel_sibling_read_what_another_branch_set(b):
    start, sequence, make, log = b.add("events_simple"), b.add("control_sequence"), b.add("cuid"), b.add("log_info")
    b.chain(start, sequence)
    b.wire(sequence, "exec_out", make, branch=0)
    b.wire(sequence, "exec_out", log, branch=1)
    b.wire(make, "cuid", log, "message")
    parallel, make2, log2 = b.add("control_par_execution"), b.add("cuid"), b.add("log_info")
    b.wire(sequence, "exec_out", parallel, branch=2)
    b.wire(parallel, "exec_out", make2, branch=0)
    b.wire(parallel, "exec_out", log2, branch=1)
    b.wire(make2, "cuid", log2, "message")
    assert b.warnings() == []
    run = run_board(b.board, registry=b.registry)
    assert run.ok


def test_a_value_set_only_in_another_event_s_flow(b):
    first, make = b.add("events_simple"), b.add("cuid")
    second, log = b.add("events_generic"), b.add("log_info")
    b.chain(first, make)
    b.chain(second, log)
    b.wire(make, "cuid", log, "message")
    assert [(w.code, w.node_id) for w in b.warnings()] == [("read-before-run", log.id)]


def test_a_pure_node_counts_as_read_by_the_exec_node_that_pulls_it(b):
    start, log, make, upper = b.add("events_simple"), b.add("log_info"), b.add("cuid"), b.add("string_to_upper")
    b.chain(start, log, make)
    b.wire(make, "cuid", upper, b.board.nodes[upper.id].ordered_pins("Input")[0].name)
    b.wire(upper, b.board.nodes[upper.id].ordered_pins("Output")[0].name, log, "message")
    assert [(w.code, w.node_id) for w in b.warnings()] == [("read-before-run", upper.id)]
    b.board.apply(commands.Disconnect(*next((w.from_node, w.from_pin, w.to_node, w.to_pin)
                                             for w in b.board.connections if w.from_node == log.id)))
    b.chain(start, make)  # now: start -> cuid, and the log is reached by no event
    assert b.warnings() == []


def test_flowlike_validate_lists_the_warning_and_exits_0(b, tmp_path: Path, capsys):
    start, log, make = b.add("events_simple"), b.add("log_info"), b.add("cuid")
    b.chain(start, log, make)
    b.wire(make, "cuid", log, "message")
    path = tmp_path / "reads.board.json"
    b.board.save(path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "[read-before-run] warning:" in out and "0 problems, 1 warning" in out
    assert main(["run", "--no-history", str(path)]) == 0
