"""Specialized runs (`flowlike_core.specialize`) do what the node's own `run` does, for every kind of input."""

from __future__ import annotations

from typing import Annotated, NamedTuple

import pytest

from flowlike_core import Context, DataType, Listener, NodeType, Pin, data_in, data_out, exec_in, exec_out, node
from flowlike_core.cache import ResultCache
from flowlike_core.executor import run_board
from flowlike_core.plan import plan_for


class Split(NamedTuple):
    values: int
    result: list[int]


@node(exec_pins=True)
def t_spec_split(ctx: int = 0, func: int = 1, seen: list[int] | None = None, values: int = 0) -> Split:
    """Parameter names the generated code also uses for its own locals; a mutable default it changes."""
    seen = [0] if seen is None else seen
    seen.append(ctx)
    return Split(values=ctx + func + values, result=seen)


class Keywords(NodeType):
    name = "t_spec_keywords"
    pins = (exec_in(), data_in("value", DataType.INTEGER), data_in("step", DataType.INTEGER, default=10),
            exec_out(), data_out("value", DataType.INTEGER))

    def run(self, ctx: Context, *, value: int, step: int) -> None:
        ctx.set_output("value", value + step)
        ctx.activate("exec_out")


@pytest.fixture
def spec(registry, build):
    registry.register(t_spec_split, pack="test")
    registry.register(Keywords, pack="test")
    return build


def test_function_and_keyword_runs_read_wired_typed_and_pure_inputs(spec):
    start, numbers = spec.add("t_start"), spec.add("t_pass", value=100)
    split, keywords = spec.add("t_spec_split", func=5, seen=[7]), spec.add("t_spec_keywords")
    spec.chain(start, split, keywords)
    spec.wire(start, "payload", split, "ctx")  # wired from an exec node
    spec.wire(numbers, "value", split, "values")  # pulled from a pure node
    spec.wire(split, "values", keywords, "value")
    plan = plan_for(spec.board, spec.registry)
    assert plan.nodes[split.id].run != plan.nodes[split.id].impl.run  # specialized, not the generic run
    assert plan.nodes[keywords.id].run != plan.nodes[keywords.id].impl.run
    run = spec.run(payload=3).raise_for_status()
    assert run.output(split.id, "values") == 3 + 5 + 100
    assert run.output(split.id, "result") == [7, 3]
    assert run.output(keywords.id, "value") == 108 + 10


def test_a_mutable_typed_in_default_is_fresh_for_every_execution(spec):
    start, loop = spec.add("t_start"), spec.add("t_loop", items=[1, 2, 3])
    split = spec.add("t_spec_split", seen=[1])
    spec.chain(start, loop)
    spec.wire(loop, "body", split, "exec_in")
    run = spec.run().raise_for_status()
    assert run.output(split.id, "result") == [1, 0]  # not [1, 0, 0, 0]: each execution gets its own copy
    assert [t.status.value for t in run.traces_of(split.id)] == ["Success"] * 3


@node(exec_pins=True)
def t_spec_double(value: int = 0) -> Annotated[int, Pin(name="doubled")]:
    """A step whose specialized run returns its `exec_out` targets (`NodePlan.routes`)."""
    return value * 2


class Watching(Listener):
    def __init__(self) -> None:
        self.finished: list[str] = []

    def node_finished(self, run, trace) -> None:
        self.finished.append(trace.node_id)


@pytest.mark.parametrize("path", ["fast", "watched", "cached"])
def test_a_routing_step_goes_on_the_same_way_on_every_path(spec, path):
    spec.registry.register(t_spec_double, pack="test")
    start, first, second = spec.add("t_start"), spec.add("t_spec_double"), spec.add("t_spec_double")
    end = spec.add("t_add_one")
    spec.chain(start, first, second, end)
    spec.wire(start, "payload", first, "value")
    spec.wire(first, "doubled", second, "value")
    spec.wire(second, "doubled", end, "value")
    assert plan_for(spec.board, spec.registry).nodes[first.id].routes
    watching = Watching()
    options = {"watched": {"listeners": [watching]}, "cached": {"cache": ResultCache()}}.get(path, {})
    for _ in range(2):  # with a cache, the second run is served from it and must still go on to the end
        run = run_board(spec.board, registry=spec.registry, payload=3, **options).raise_for_status()
        assert run.output(end.id, "value") == 3 * 2 * 2 + 1
        assert [t.node_id for t in run.traces] == [start.id, first.id, second.id, end.id]
    if path == "watched":
        assert watching.finished == [start.id, first.id, second.id, end.id] * 2


@node(exec_pins=True)
def t_spec_mixed(first: int = 0, second: int = 0, *, third: int = 0) -> Annotated[int, Pin(name="total")]:
    """Two parameters that go by position, one only by name."""
    return first * 100 + second * 10 + third


def test_arguments_go_by_position_where_the_parameters_allow_it(spec):
    spec.registry.register(t_spec_mixed, pack="test")
    start, mixed = spec.add("t_start"), spec.add("t_spec_mixed", second=2, third=3)
    spec.chain(start, mixed)
    spec.wire(start, "payload", mixed, "first")
    run = spec.run(payload=1).raise_for_status()
    assert run.output(mixed.id, "total") == 123


class Offset(NodeType):
    """A base whose `offset` the keyword run below reaches through `super()` (a closure cell its code needs)."""

    name = "t_spec_offset_base"
    pins = ()

    def offset(self) -> int:
        return 1000


class Reordered(Offset):
    name = "t_spec_reordered"
    pins = (exec_in(), data_in("b", DataType.INTEGER), data_in("a", DataType.INTEGER, default=7),
            exec_out(), data_out("total", DataType.INTEGER))

    def run(self, ctx: Context, *, a: int = 1, b: int) -> None:
        """Keyword-only inputs in another order than the pins, one with a default of its own."""
        ctx.set_output("total", super().offset() + a * 10 + b)
        ctx.activate("exec_out")


def test_a_keyword_run_is_called_by_position_with_its_inputs_in_its_own_order(spec):
    spec.registry.register(Reordered, pack="test")
    start, node_ = spec.add("t_start"), spec.add("t_spec_reordered")
    spec.chain(start, node_)
    spec.wire(start, "payload", node_, "b")
    plan = plan_for(spec.board, spec.registry).nodes[node_.id]
    assert plan.bound[0] is not Reordered.run.__wrapped__  # its positional twin
    run = spec.run(payload=3).raise_for_status()
    assert run.output(node_.id, "total") == 1000 + 70 + 3
