"""Run to here: run what one node needs and stop there, serving what it can from a result cache.

    run = run_to(board, "total", cache=cache)       # the node and the pure nodes it reads
    run.output("total", "sum")

A pure node whose inputs come from pure nodes and defaults runs alone: the run starts at it and pulls what it
reads (from the cache when given). A pure node that reads an exec node's output first needs a run of the board
(from its event, with the same cache), whose values it then reads. An exec node runs the board from its event
and the run stops after that node: nothing wired after it runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from flowlike_core.board import Board, new_id
from flowlike_core.errors import UnknownNodeError
from flowlike_core.events import Listener
from flowlike_core.executor import Executor, RunHandle, find_start, prepare_variables, start_run
from flowlike_core.plan import VALUE, Plan, compile_plan, plan_for
from flowlike_core.policy import Policy
from flowlike_core.registry import Registry, default_registry
from flowlike_core.run import Run

if TYPE_CHECKING:
    from flowlike_core.cache import ResultCache


def run_to(board: Board, node: str, *, cache: ResultCache | None = None, registry: Registry | None = None,
           variables: Mapping[str, Any] | None = None, start: str | None = None, payload: Any = None,
           listeners: Iterable[Listener] = (), policy: Policy | None = None) -> Run:
    """Run what `node` (id or unique name) needs, and it; returns the Run (its values hold the node's outputs)."""
    options: dict[str, Any] = {"payload": payload, "listeners": listeners, "policy": policy}
    registry = registry if registry is not None else default_registry()
    plan = plan_for(board, registry)
    target = board.node(node).id
    if target not in plan.nodes:
        raise UnknownNodeError(f"node {board.nodes[target].label()} is a placeholder (its type "
                               f"{board.nodes[target].name!r} is not installed) and cannot run")
    if not plan.nodes[target].pure:
        stopped = _stopping_after(compile_plan(board, registry), target)
        start_id = find_start(board, plan, start)
        run = Run(new_id(), board, start_id, prepare_variables(board, variables))
        return RunHandle(Executor(stopped, run, cache=cache, **options)).wait()
    run = Run(new_id(), board, target, prepare_variables(board, variables))
    if _reads_exec_values(plan, target):
        before = start_run(board, cache=cache, registry=registry, variables=variables, start=start, **options).wait()
        if not before.ok:
            return before
        run.values.update(before.values)
        run.variables.update(before.variables)
    return RunHandle(Executor(plan, run, cache=cache, **options)).wait()


def _stopping_after(plan: Plan, node_id: str) -> Plan:
    """A plan of its own (not the board's shared one) changed to have nothing wired after `node_id`'s exec outputs: a
    run ends once it has run. Its run is specialized again, as the one it had holds the targets it goes on to."""
    node = plan.nodes[node_id]
    node.exec_next = dict.fromkeys(node.exec_next, ())
    node.exec_branches = {name: [() for _ in group] for name, group in node.exec_branches.items()}
    node.run = node.impl.specialize(node)
    return plan


def _reads_exec_values(plan: Plan, node_id: str) -> bool:
    """Whether a pure node, or a pure node it reads (transitively), reads an exec node's output."""
    seen: set[str] = set()
    stack = [node_id]
    while stack:
        current = plan.nodes[stack.pop()]
        if any(source.kind == VALUE for group in current.inputs.values() for source in group):
            return True
        for upstream in current.pure_sources:
            if upstream not in seen:
                seen.add(upstream)
                stack.append(upstream)
    return False
