"""Build node types from a function: most math, string and collection nodes are one expression each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flowlike_core import Context, NodeType, PinSpec, exec_in, exec_out


def function_node(
    name: str,
    friendly_name: str,
    category: str,
    description: str,
    inputs: tuple[PinSpec, ...],
    outputs: tuple[PinSpec, ...],
    compute: Callable[..., Any],
    *,
    exec_pins: bool = False,
) -> type[NodeType]:
    """A node type whose outputs are `compute(*inputs)` (a tuple when there are several outputs).

    Pure unless `exec_pins`: then it takes part in control flow (as Flow-Like's collection edits do),
    which also gives it error routing.
    """

    def run(self: NodeType, ctx: Context) -> None:
        result = compute(*(ctx.get_input(spec.name) for spec in inputs))
        if len(outputs) == 1:
            ctx.set_output(outputs[0].name, result)
        else:
            for spec, value in zip(outputs, result, strict=True):
                ctx.set_output(spec.name, value)
        if exec_pins:
            ctx.activate("exec_out")

    pins = (exec_in(), *inputs, exec_out(), *outputs) if exec_pins else inputs + outputs
    class_name = "".join(part.title() for part in name.split("_"))
    return type(class_name, (NodeType,), {
        "name": name,
        "friendly_name": friendly_name,
        "category": category,
        "description": description,
        "pins": pins,
        "run": run,
        "__module__": __name__,
        "__doc__": description,
    })
