"""Where runs start, and how a run hands back its result."""

from __future__ import annotations

from typing import Any

from flowlike_core import Context, DataType, NodeType, data_in, data_out, exec_in, exec_out

CATEGORY = "Events"
START = exec_out("exec_out", "Start", "Fires when the run starts")


class SimpleEvent(NodeType):
    name = "events_simple"
    friendly_name = "Simple Event"
    description = "Starts a run with no input."
    synonyms = ("start", "begin", "on start", "main", "entry point")
    is_event = True
    pins = (START,)

    def run(self, ctx: Context) -> None:
        ctx.activate("exec_out")


class GenericEvent(NodeType):
    name = "events_generic"
    friendly_name = "Generic Event"
    description = "Starts a run and hands on the payload it was started with (`run_board(..., payload=...)`)."
    is_event = True
    pins = (
        START,
        data_out("payload", DataType.GENERIC, description="What the run was started with"),
    )

    def run(self, ctx: Context) -> None:
        ctx.set_output("payload", ctx.payload)
        ctx.activate("exec_out")


class ReturnResult(NodeType):
    name = "events_generic_return_result"
    friendly_name = "Return Result"
    category = "Events/Generic"
    description = "Makes its input the run's result: what a board called as a function returns."
    pins = (
        exec_in(),
        data_in("response", DataType.GENERIC, friendly_name="Result", description="The value to return"),
        exec_out("exec_out", "Then"),
    )

    def run(self, ctx: Context, *, response: Any) -> None:
        ctx.set_result(response)
        ctx.activate("exec_out")

