"""Boolean logic. And, Or, Xor and Equal are variadic: every input pin named `boolean` takes part."""

from __future__ import annotations

from collections.abc import Callable

from flowlike_core import Context, DataType, NodeType, data_in, data_out

_BOOLEAN = data_in("boolean", DataType.BOOLEAN, default=False, friendly_name="Boolean")


def _variadic(key: str, friendly_name: str, description: str, combine: Callable[[list[bool]], bool]) -> type[NodeType]:
    def run(self: NodeType, ctx: Context) -> None:
        ctx.set_output("result", combine([bool(v) for v in ctx.get_inputs("boolean")]))

    return type(key.title().replace("_", ""), (NodeType,), {
        "name": key,
        "friendly_name": friendly_name,
        "category": "Logic",
        "description": description,
        "pins": (_BOOLEAN, _BOOLEAN, data_out("result", DataType.BOOLEAN, friendly_name="Result")),
        "run": run,
        "__module__": __name__,
    })


BoolAnd = _variadic("bool_and", "And", "True when every input is true.", all)
BoolOr = _variadic("bool_or", "Or", "True when any input is true.", any)
BoolXor = _variadic("bool_xor", "Xor", "True when an odd number of inputs are true (for two: exactly one).",
                    lambda values: sum(values) % 2 == 1)
BoolEqual = _variadic("bool_equal", "Equal", "True when all inputs have the same value.",
                      lambda values: len(set(values)) <= 1)


class BoolNot(NodeType):
    name = "bool_not"
    friendly_name = "Not"
    category = "Logic"
    description = "The opposite of the input."
    pins = (_BOOLEAN, data_out("result", DataType.BOOLEAN, friendly_name="Result"))

    def run(self, ctx: Context) -> None:
        ctx.set_output("result", not ctx.get_input("boolean"))


NODES: list[type[NodeType]] = [BoolAnd, BoolOr, BoolXor, BoolEqual, BoolNot]
