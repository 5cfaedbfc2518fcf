"""Node types the storage tests build boards from (the std pack is not needed)."""

from __future__ import annotations

import sys

from flowlike_core import DataType, NodeType, data_in, exec_in, exec_out
from flowlike_core.registry import Pack


class Start(NodeType):
    name = "test_start"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx):
        ctx.activate("exec_out")


class Say(NodeType):
    """Logs its message at a chosen level, and fails when asked to."""

    name = "test_say"
    pins = (exec_in(), data_in("message", DataType.STRING, default=""),
            data_in("level", DataType.STRING, default="Info"), data_in("fail", DataType.BOOLEAN, default=False),
            exec_out())

    def run(self, ctx):
        message = ctx.get_input("message")
        ctx.log(ctx.get_input("level"), message)
        if ctx.get_input("fail"):
            raise RuntimeError(f"failed saying {message}")
        ctx.activate("exec_out")


class SayVariable(NodeType):
    """Logs the value of a variable (the way a careless node would leak a secret)."""

    name = "test_say_variable"
    pins = (exec_in(), data_in("variable", DataType.STRING, required=True), exec_out())

    def run(self, ctx):
        ctx.info(f"token is {ctx.get_variable(ctx.get_input('variable'))}")
        raise RuntimeError(f"rejected {ctx.get_variable(ctx.get_input('variable'))}")


TEST_PACK = Pack("storage-tests", modules=[sys.modules[__name__]])
