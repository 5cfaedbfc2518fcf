"""flowlike_core: the engine. Typed Boards, the node API, the executor. No Jupyter here.

    from flowlike_core import Board, commands, default_registry
    board = Board(name="hello")
    start = board.apply(commands.AddNode(default_registry().get("events_simple").create()))
    log = board.apply(commands.AddNode(default_registry().get("log_info").create(message="hi")))
    board.apply(commands.Connect(start.id, "exec_out", log.id, "exec_in"))
    print(board.run().status)
"""

from flowlike_core import commands
from flowlike_core.board import (
    Board,
    Comment,
    Connection,
    Layer,
    LogLevel,
    Node,
    PinDirection,
    PinOptions,
    Variable,
)
from flowlike_core.context import Context
from flowlike_core.debugger import Debugger
from flowlike_core.errors import (
    BoardError,
    BoardFileError,
    ConnectionRefused,
    FlowLikeError,
    NodeFailed,
    NothingToUndo,
    RunCancelled,
    RunError,
    StepLimitExceeded,
    UnknownNodeError,
    UnknownPinError,
    UnknownVariableError,
)
from flowlike_core.events import Listener
from flowlike_core.executor import RunHandle, run_board, start_run
from flowlike_core.function_node import Pin, node
from flowlike_core.node import NodeType, PinSpec, data_in, data_out, exec_in, exec_out
from flowlike_core.registry import Pack, Registry, default_registry
from flowlike_core.run import NodeStatus, NodeTrace, Run, RunRecord, RunStatus
from flowlike_core.types import DataType, ValueType
from flowlike_core.validate import Problem, validate_board

__all__ = [
    "Board", "BoardError", "BoardFileError", "Comment", "Connection", "ConnectionRefused", "Context",
    "DataType", "Debugger", "FlowLikeError", "Layer", "Listener", "LogLevel", "Node", "NodeFailed", "NodeStatus",
    "NodeTrace",
    "NodeType", "NothingToUndo", "Pack", "Pin", "PinDirection", "PinOptions", "PinSpec", "Problem", "Registry",
    "Run", "RunCancelled", "RunError", "RunHandle", "RunRecord", "RunStatus", "StepLimitExceeded",
    "UnknownNodeError", "UnknownPinError", "UnknownVariableError", "ValueType", "Variable", "commands",
    "data_in", "data_out", "default_registry", "exec_in", "exec_out", "node", "run_board", "start_run",
    "validate_board",
]
