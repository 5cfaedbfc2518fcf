"""Loops. Each runs its body to completion before the next iteration, reports progress and can be cancelled."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flowlike_core import Context, DataType, NodeType, PinOptions, ValueType, data_in, data_out, exec_in, exec_out

_ARRAY = data_in("array", DataType.GENERIC, ValueType.ARRAY, generic="T",
                 description="The items to loop over")
_VALUE = data_out("value", DataType.GENERIC, generic="T", description="The current item")
_INDEX = data_out("index", DataType.INTEGER, description="Position of the current item")


def items_of(array: Any) -> list[Any]:
    """The items a loop runs over (none for an unset Array). A text, bytes, a map or a single value is refused, as
    Flow-Like refuses what is not an array: looping over a text's characters is never what the board meant."""
    if array is None:
        return []
    if isinstance(array, str | bytes | bytearray | Mapping) or not isinstance(array, Iterable):
        raise TypeError(f"Array: expected a list of items, got {type(array).__name__} {array!r:.80}")
    return array if type(array) is list else list(array)


class ForEach(NodeType):
    name = "control_for_each"
    friendly_name = "For Each"
    synonyms = ("loop", "foreach", "iterate", "for")
    category = "Control/Loop"
    description = "Runs the body once per item of the array, in order, then fires Completed."
    pins = (exec_in(), _ARRAY, exec_out("exec_out", "Loop Body"), _VALUE, _INDEX,
            exec_out("done", "Completed"))

    async def run(self, ctx: Context, *, array: list[Any] | None) -> None:
        await ctx.fire_for_each("exec_out", items_of(array))
        ctx.activate("done")


class ForEachWithBreak(NodeType):
    name = "control_for_each_with_break"
    friendly_name = "For Each (Break)"
    category = "Control/Loop"
    description = ("Like For Each, but stops early: Break is read after every item, and the loop ends (then fires "
                   "Completed) once it is true. Wire it to a variable or a check on the current value; left unwired "
                   "and true, no item runs.")
    pins = (exec_in(), data_in("break", DataType.BOOLEAN, default=False,
                               description="Stop once this is true (read after every item)"),
            _ARRAY, exec_out("exec_out", "Loop Body"), _VALUE, _INDEX, exec_out("done", "Completed"))

    async def run(self, ctx: Context) -> None:
        if ctx.is_connected("break") or not ctx.get_input("break"):
            items = items_of(ctx.get_input("array"))
            ran = await ctx.fire_for_each("exec_out", items, stop=lambda: bool(ctx.get_input("break")))
            if ran < len(items):
                ctx.debug(f"broke out after item {ran - 1}")
        ctx.activate("done")


class WhileLoop(NodeType):
    name = "control_while_loop"
    friendly_name = "While Loop"
    category = "Control/Loop"
    description = "Runs the body while the condition holds, at most Max Iterations times, then fires Completed."
    pins = (
        exec_in(),
        data_in("condition", DataType.BOOLEAN, default=False,
                description="Read again before every iteration"),
        data_in("max_iter", DataType.INTEGER, default=15, friendly_name="Max Iterations",
                options=PinOptions(range=(0, 1_000_000_000))),
        exec_out("exec_out", "Loop Body"),
        data_out("iter", DataType.INTEGER, friendly_name="Iteration"),
        exec_out("done", "Completed"),
    )

    async def run(self, ctx: Context) -> None:
        limit = ctx.get_input("max_iter")
        for iteration in range(limit):
            ctx.check_cancelled()
            if not ctx.get_input("condition"):
                break
            ctx.set_output("iter", iteration)
            await ctx.fire("exec_out")
            ctx.progress(iteration + 1, limit)
        else:
            if limit:
                ctx.warn(f"stopped after {limit} iterations (Max Iterations) with the condition still true")
        ctx.activate("done")



class ParallelForEach(NodeType):
    name = "control_par_for_each"
    friendly_name = "Parallel For Each"
    category = "Control/Loop"
    description = ("Runs the body once per item, up to Max Concurrent at a time (a body of blocking nodes on threads, "
                   "one that awaits as tasks), each iteration with its own Value, Index and body outputs; fires "
                   "Completed when all are done. Traces, logs and the values left after the loop are those of a "
                   "sequential run, in item order.")
    pins = (exec_in(), _ARRAY,
            data_in("max_concurrent", DataType.INTEGER, default=30,
                    options=PinOptions(range=(0, 10_000)),
                    description="Iterations running at once (0: all of them, as in Flow-Like)"),
            data_in("cancel_on_failure", DataType.BOOLEAN, default=True,
                    description="When an iteration fails, cancel the others (else let them finish); the run "
                                "fails either way, and an error line says which iterations failed, finished "
                                "or were cancelled"),
            data_in("workers", DataType.STRING, default="threads",
                    options=PinOptions(valid_values=["threads", "processes", "dask"]),
                    description="Where iterations run: threads (and tasks) of this run; processes (a warm pool "
                                "of this machine's cores, for CPU-bound Python); dask (the cluster of the run, or "
                                "a LocalCluster). Processes and dask read variables as they were at the start"),
            exec_out("exec_out", "Loop Body"), _VALUE, _INDEX, exec_out("done", "Completed"))

    async def run(self, ctx: Context, *, array: list[Any] | None, max_concurrent: int, cancel_on_failure: bool,
                  workers: str) -> None:
        from flowlike_core.parallel import fire_each

        items = items_of(array)
        limit = max_concurrent if max_concurrent > 0 else max(1, len(items))  # Flow-Like: 0 (or less) is no limit
        await fire_each(ctx, "exec_out", [{"value": item, "index": index} for index, item in enumerate(items)],
                        max_concurrent=limit, cancel_rest=cancel_on_failure, workers=workers)
        ctx.set_output("value", items[-1] if items else None)
        ctx.set_output("index", len(items) - 1 if items else 0)
        ctx.progress(len(items), len(items))
        ctx.activate("done")
