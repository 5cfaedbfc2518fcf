"""Write to the run's log (shown in traces, the run record and the editor)."""

from __future__ import annotations

import json

from flowlike_core import Context, DataType, LogLevel, NodeType, data_in, exec_in, exec_out
from flowlike_core.types import to_json_native


def as_text(value: object) -> str:
    """Strings as they are, everything else as compact JSON."""
    return value if isinstance(value, str) else json.dumps(to_json_native(value), ensure_ascii=False)


def _log_node(key: str, friendly_name: str, level: LogLevel) -> type[NodeType]:
    def run(self: NodeType, ctx: Context) -> None:
        ctx.log(level, as_text(ctx.get_input("message")))
        ctx.activate("exec_out")

    return type(friendly_name.replace(" ", ""), (NodeType,), {
        "name": key,
        "friendly_name": friendly_name,
        "category": "Logging",
        "description": f"Logs the message at level {level.value}; values that are not text are logged as JSON.",
        "pins": (exec_in(), data_in("message", DataType.GENERIC, default="", friendly_name="Message"), exec_out()),
        "run": run,
        "__module__": __name__,
    })


LogInfo = _log_node("log_info", "Log Info", LogLevel.INFO)
LogWarning = _log_node("log_warning", "Log Warning", LogLevel.WARN)
LogError = _log_node("log_error", "Log Error", LogLevel.ERROR)

NODES: list[type[NodeType]] = [LogInfo, LogWarning, LogError]
