"""Read and write the board's variables (declared on the board; exposed ones can be set per run)."""

from __future__ import annotations

from typing import Any

from flowlike_core import Context, DataType, NodeType, data_in, data_out, exec_in, exec_out

_NAME = data_in("var_ref", DataType.STRING, friendly_name="Variable", required=True,
                description="Name of the board variable")


class GetVariable(NodeType):
    name = "variable_get"
    friendly_name = "Get Variable"
    category = "Variables"
    description = "The current value of a board variable."
    pins = (_NAME, data_out("value_ref", DataType.GENERIC, friendly_name="Value"))

    def run(self, ctx: Context, *, var_ref: str) -> None:
        ctx.set_output("value_ref", ctx.get_variable(var_ref))


class SetVariable(NodeType):
    name = "variable_set"
    friendly_name = "Set Variable"
    category = "Variables"
    description = "Gives a board variable a new value for the rest of the run."
    pins = (
        exec_in(),
        _NAME,
        data_in("value_in", DataType.GENERIC, friendly_name="Value"),
        exec_out(),
        data_out("value_ref", DataType.GENERIC, friendly_name="New Value"),
    )

    def run(self, ctx: Context, *, var_ref: str, value_in: Any) -> None:
        """Nothing given and nothing wired fails, as in Flow-Like; a wire that brings None sets None."""
        if value_in is None and not ctx.is_connected("value_in"):
            raise ValueError(f"Set Variable {var_ref!r}: Value is neither wired nor given")
        ctx.set_variable(var_ref, value_in)
        ctx.set_output("value_ref", value_in)
        ctx.activate("exec_out")

