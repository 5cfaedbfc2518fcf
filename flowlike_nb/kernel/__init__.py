"""The engine, adapted to IPython: handles for building in cells, runs as tables, bindings, magics, papermill."""

from flowlike_nb.kernel.functions import node, register
from flowlike_nb.kernel.handles import Board, NodeHandle, PinHandle
from flowlike_nb.kernel.history import keep_runs_from_environment
from flowlike_nb.kernel.runs import RunView

keep_runs_from_environment()

__all__ = ["Board", "NodeHandle", "PinHandle", "RunView", "node", "register"]
