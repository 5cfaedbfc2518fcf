"""Build pure node types from a function: most math, logic and string nodes are one expression each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flowlike_core import Context, NodeType, PinSpec


def pure_node(
    name: str,
    friendly_name: str,
    category: str,
    description: str,
    inputs: tuple[PinSpec, ...],
    outputs: tuple[PinSpec, ...],
    compute: Callable[..., Any],
) -> type[NodeType]:
    """A pure node type whose outputs are `compute(*inputs)` (a tuple when there are several outputs)."""

    def run(self: NodeType, ctx: Context) -> None:
        result = compute(*(ctx.get_input(spec.name) for spec in inputs))
        if len(outputs) == 1:
            ctx.set_output(outputs[0].name, result)
            return
        for spec, value in zip(outputs, result, strict=True):
            ctx.set_output(spec.name, value)

    class_name = "".join(part.title() for part in name.split("_"))
    return type(class_name, (NodeType,), {
        "name": name,
        "friendly_name": friendly_name,
        "category": category,
        "description": description,
        "pins": inputs + outputs,
        "run": run,
        "__module__": __name__,
        "__doc__": description,
    })
