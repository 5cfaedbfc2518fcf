"""Run to here: run what one node needs and stop there, serving what it can from a result cache.

    run = run_to(board, "total", cache=cache)       # the node and the pure nodes it reads
    run.output("total", "sum")
    output_after(run, "unread", "sum")              # a pure node no node read during `run`, computed now

A pure node whose inputs come from pure nodes and defaults runs alone: the run starts at it and pulls what it
reads (from the cache when given). A pure node that reads an exec node's output first needs a run of the board
(from its event, with the same cache), whose values it then reads. An exec node runs the board from its event
and the run stops after that node: nothing wired after it runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from flowlike_core.board import Board, new_id
from flowlike_core.errors import NodeFailed, UnknownNodeError
from flowlike_core.events import Listener
from flowlike_core.executor import Executor, RunHandle, find_start, prepare_variables, start_run
from flowlike_core.plan import VALUE, Plan, compile_plan, plan_for, specialize
from flowlike_core.policy import Policy
from flowlike_core.registry import Registry, default_registry
from flowlike_core.run import Run, key_parts

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
    specialize(node)
    return plan


def output_after(run: Run, node: str, pin: str, *, registry: Registry | None = None,
                 cache: ResultCache | None = None, policy: Policy | None = None) -> Any:
    """`run.output(node, pin)`; for a pure node no node read during the run (so never computed), computed now from
    the values and variables the run left, with the pure nodes it reads, and kept in `run.values` (the steps before
    do not run again), under `policy`, by default the run's (`run.policy`): what the run could not reach, this
    cannot either. A KeyError says why it cannot be: the run did not succeed, or the node reads an exec node's
    output the run did not set; a NodeFailed, that computing it failed (or the policy refused it)."""
    try:
        return run.output(node, pin)
    except KeyError:
        plan = plan_for(run.board, registry if registry is not None else default_registry())
        node_id = run.board.node(node).id
        if node_id not in plan.nodes or not plan.nodes[node_id].pure:
            raise
    label = run.board.nodes[node_id].label()
    name = run.board.nodes[node_id].friendly_name or node_id
    instead = f"partial.run_to(board, {name!r}), or board.run_to({name!r}) in a notebook, runs what it needs, and it"
    if not run.ok:
        raise KeyError(f"output {pin!r} of node {label} was not set in run {run.id}: no node read it, and a pure "
                       f"node is computed after a run only when the run succeeded (this one is {run.status.value}); "
                       f"{instead}") from None
    unset = [key for key in _exec_reads(plan, node_id) if key not in run.values]
    if unset:
        source_node, source_pin = key_parts(unset[0])
        source = run.board.nodes[source_node]
        raise KeyError(f"output {pin!r} of node {label} was not set in run {run.id}: no node read it, and it cannot "
                       f"be computed now, as it reads output {source.pins[source_pin].name!r} of node "
                       f"{source.label()}, which the run did not set (that node did not run); {instead}") from None
    after = Run(new_id(), run.board, node_id, dict(run.variables))
    after.values.update(run.values)
    RunHandle(Executor(plan, after, cache=cache, policy=policy if policy is not None else run.policy)).wait()
    if not after.ok:
        raise NodeFailed(f"output {pin!r} of node {label}, computed after run {run.id} as no node read it during "
                         f"the run, failed: {after.error}")
    run.values.update({key: value for key, value in after.values.items() if key not in run.values})
    return run.output(node_id, pin)


def _reads_exec_values(plan: Plan, node_id: str) -> bool:
    """Whether a pure node, or a pure node it reads (transitively), reads an exec node's output."""
    return bool(_exec_reads(plan, node_id))


def _exec_reads(plan: Plan, node_id: str) -> list[str]:
    """The exec nodes' outputs (value keys) a pure node reads, itself or through the pure nodes it reads."""
    keys, seen, stack = [], {node_id}, [node_id]
    while stack:
        current = plan.nodes[stack.pop()]
        keys += [source.key for group in current.inputs.values() for source in group if source.kind == VALUE]
        for upstream in current.pure_sources:
            if upstream not in seen:
                seen.add(upstream)
                stack.append(upstream)
    return keys
