"""The engine, adapted to IPython: handles for building in cells, runs as tables, bindings, magics, papermill.

    from flowlike_nb.kernel import Board, node
    @node
    def shout(text: str = "hi") -> str:
        return text.upper() + "!"
    board = Board("shout")
    start, loud, say = board.add("events_simple", "start"), board.add("shout", "loud"), board.add("log_info", "say")
    start.outputs.exec_out >> say.inputs.exec_in
    loud.outputs.result >> say.inputs.message
    board.run().log_table()                            # one line: HI!
"""

from flowlike_nb.kernel.functions import node, register
from flowlike_nb.kernel.handles import Board, NodeHandle, PinHandle
from flowlike_nb.kernel.history import keep_runs_from_environment
from flowlike_nb.kernel.runs import RunView

keep_runs_from_environment()

__all__ = ["Board", "NodeHandle", "PinHandle", "RunView", "node", "register"]
