"""An input read before the exec node wired into it has run reads None, as ever; a run that succeeds on it says so in
the reading node's trace log (a warning naming the input and the node that had not run), once per input per run.
A failed run said so already (`test_s10_unrun_source`); `flowlike validate` warns before the run."""

from __future__ import annotations

from typing import Any

import pytest

from flowlike_core import DataType, LogLevel, NodeType, commands, data_in, data_out, exec_in, exec_out, node
from flowlike_core.run import RunStatus


@node(exec_pins=True)
def t_unset_make() -> int:
    """An exec node giving a number."""
    return 2


@node(exec_pins=True)
def t_unset_show(number: int | None = None) -> str:
    """Takes None as well (the function form's specialized run reads the input)."""
    return repr(number)


class ShowByHand(NodeType):
    """The class form reading its input with `ctx.get_input`."""

    name = "t_unset_by_hand"
    pins = (exec_in(), data_in("number", DataType.INTEGER), exec_out(), data_out("shown", DataType.STRING))

    def run(self, ctx: Any) -> None:
        ctx.set_output("shown", repr(ctx.get_input("number")))
        ctx.activate("exec_out")


class ShowByKeyword(NodeType):
    """The class form taking its input as a keyword argument (its specialized run reads it)."""

    name = "t_unset_by_keyword"
    pins = (exec_in(), data_in("number", DataType.INTEGER), exec_out(), data_out("shown", DataType.STRING))

    def run(self, ctx: Any, *, number: int | None) -> None:
        ctx.set_output("shown", repr(number))
        ctx.activate("exec_out")


class MakeNothing(NodeType):
    """Runs, and leaves its output unset."""

    name = "t_unset_nothing"
    pins = (exec_in(), exec_out(), data_out("number", DataType.INTEGER))

    def run(self, ctx: Any) -> None:
        ctx.activate("exec_out")


@pytest.fixture
def unset(registry, build):
    for node_type in (t_unset_make, t_unset_show, ShowByHand, ShowByKeyword, MakeNothing):
        registry.register(node_type, pack="test")
    return build


def warnings_of(run, node_id: str) -> list[str]:
    return [line.message for trace in run.traces_of(node_id) for line in trace.logs or ()
            if line.level is LogLevel.WARN]


@pytest.mark.parametrize("reader_key", ["t_unset_show", "t_unset_by_hand", "t_unset_by_keyword"])
def test_a_read_of_an_exec_node_that_has_not_run_warns_in_the_readers_trace(unset, reader_key):
    start = unset.add("t_start")
    made = unset.board.apply(commands.AddNode(unset.registry.get("t_unset_make").create(friendly_name="maker")))
    reader = unset.add(reader_key)
    unset.chain(start, reader)
    unset.wire(made, "result", reader, "number")
    run = unset.run()
    assert run.status is RunStatus.SUCCESS, run.error
    assert warnings_of(run, reader.id) == [
        f"input 'number' read None: 'maker' ({made.id}) has not run; wire its exec flow before this node"]


def test_a_read_after_the_node_ran_says_nothing(unset):
    start, made, reader = unset.add("t_start"), unset.add("t_unset_make"), unset.add("t_unset_show")
    unset.chain(start, made, reader)
    unset.wire(made, "result", reader, "number")
    run = unset.run()
    assert run.status is RunStatus.SUCCESS and run.output(reader.id, "result") == "2"
    assert not warnings_of(run, reader.id)


def test_a_node_that_ran_without_setting_its_output_is_named_as_such(unset):
    start, made, reader = unset.add("t_start"), unset.add("t_unset_nothing"), unset.add("t_unset_show")
    unset.chain(start, made, reader)
    unset.wire(made, "number", reader, "number")
    run = unset.run()
    assert run.status is RunStatus.SUCCESS
    assert warnings_of(run, reader.id) == [
        f"input 'number' read None: 't_unset_nothing' ({made.id}) ran but did not set its output 'number'"]


def test_a_loop_body_warns_once_per_run(unset):
    start, loop, made, reader = (unset.add("t_start"), unset.add("t_loop", items=[1, 2, 3]), unset.add("t_unset_make"),
                                 unset.add("t_unset_show"))
    unset.chain(start, loop)
    unset.wire(loop, "body", reader, "exec_in")
    unset.wire(made, "result", reader, "number")
    run = unset.run()
    assert run.status is RunStatus.SUCCESS
    assert len(run.traces_of(reader.id)) == 3
    assert len(warnings_of(run, reader.id)) == 1
