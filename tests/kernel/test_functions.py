"""Cell-defined node types: redefinition updates live boards in place; boards used as nodes."""

from __future__ import annotations

import pytest

import flowlike_nb as fnb
from flowlike_core import NodeFailed, RunStatus


def define_v1() -> None:
    @fnb.node(name="kernel_test_scale")
    def scale(value: float, factor: float = 2.0) -> float:
        return value * factor


def define_v2() -> None:
    @fnb.node(name="kernel_test_scale")
    def scale(value: float, offset: float = 0.5) -> float:
        return value * 3 + offset


def scale_board() -> fnb.Board:
    board = fnb.Board("scaling")
    start = board.add("events_simple", "start")
    source = board.add("float_add", "source", float1=1.0, float2=1.0)
    scale = board.add("kernel_test_scale", "scale", factor=10.0)
    factor = board.add("float_add", "factor", float1=4.0)
    say = board.add("log_info", "say")
    start.outputs.exec_out >> say.inputs.exec_in
    source.outputs.sum >> scale.inputs.value
    factor.outputs.sum >> scale.inputs.factor
    scale.outputs.result >> say.inputs.message
    return board


def test_redefining_a_node_updates_boards_keeping_matching_wires() -> None:
    define_v1()
    board = scale_board()
    assert board.run().outputs.scale.result == 8.0
    value_id = board.node("scale").inputs.value.id
    with pytest.warns(UserWarning, match=r"factor.sum -> scale.factor \(scale has no input 'factor' now\)"):
        define_v2()
    scale = board.node("scale")
    assert scale.inputs.pin_names() == ["value", "offset"]
    assert scale.inputs.value.id == value_id
    assert [p.node.friendly_name for p in scale.inputs.value.wires] == ["source"]
    assert [p.node.friendly_name for p in scale.outputs.result.wires] == ["say"]
    assert board.node("factor").outputs.sum.wires == []
    assert board.run().outputs.scale.result == 6.5
    board.undo()
    assert board.node("scale").inputs.pin_names() == ["value", "factor"]
    assert [p.node.friendly_name for p in board.node("factor").outputs.sum.wires] == ["scale"]


def test_redefining_with_the_same_pins_needs_no_edit() -> None:
    define_v1()
    board = scale_board()
    revision = board.core.revision
    define_v1()
    assert board.core.revision == revision
    assert board.run().outputs.scale.result == 8.0


def test_a_board_runs_as_one_node_of_another() -> None:
    inner = fnb.Board("inner_double")
    inner.variable("x", int, 1, exposed=True)
    start = inner.add("events_simple", "start")
    read = inner.add("variable_get", "x", var_ref="x")
    twice = inner.add("int_multiply", "twice", integer2=2)
    done = inner.add("events_generic_return_result", "return")
    say = inner.add("log_info", "say", message="inner ran")
    start.outputs.exec_out >> say.inputs.exec_in
    say.outputs.exec_out >> done.inputs.exec_in
    read.outputs.value_ref >> twice.inputs.integer1
    twice.outputs.product >> done.inputs.response
    node_type = inner.as_node("kernel_test_double")
    assert [p.name for p in node_type.pin_specs()][:3] == ["exec_in", "x", "exec_out"]

    outer = fnb.Board("outer")
    start = outer.add("events_simple", "start")
    double = outer.add("kernel_test_double", "double", x=20)
    log = outer.add("log_info", "log")
    start.outputs.exec_out >> double.inputs.exec_in
    double.outputs.exec_out >> log.inputs.exec_in
    double.outputs.result >> log.inputs.message
    run = outer.run()
    assert run.status is RunStatus.SUCCESS
    assert run.outputs.double.result == 40
    assert list(run.log_table()["message"]) == ["[inner_double] inner ran", "40"]

    inner.node("twice").inputs.integer2.value = -1
    assert outer.run().outputs.double.result == -20


def test_a_failing_sub_board_fails_its_node() -> None:
    @fnb.node(name="kernel_test_fail")
    def fail(value: int = 0) -> int:
        raise RuntimeError("inner failure")

    inner = fnb.Board("inner_fail")
    start = inner.add("events_simple", "start")
    say = inner.add("log_info", "say")
    start.outputs.exec_out >> say.inputs.exec_in
    inner.add("kernel_test_fail", "fail").outputs.result >> say.inputs.message
    inner.as_node("kernel_test_inner_fail")
    outer = fnb.Board("outer_fail")
    outer.add("events_simple", "start").outputs.exec_out >> outer.add("kernel_test_inner_fail", "sub").inputs.exec_in
    run = outer.run()
    assert run.status is RunStatus.FAILED
    assert "inner failure" in run.error and run.error_node == outer.node("sub").id
    with pytest.raises(NodeFailed):
        run.raise_for_status()


def test_a_cell_node_cannot_take_a_packs_key() -> None:
    """Shadowing std's log_info would change every board using it, until std's pack took it back."""
    with pytest.raises(ValueError, match=r"pack 'std' already has a node type 'log_info'; give yours another key"):
        @fnb.node
        def log_info(message: str) -> str:
            return message

    from flowlike_core import default_registry

    assert default_registry().get("log_info").pack == "std"
