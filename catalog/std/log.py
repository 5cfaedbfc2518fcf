"""Write to the run's log (shown in traces, the run record and the editor)."""

from __future__ import annotations

import json
from typing import Any

from flowlike_core import Context, LogLevel, node
from flowlike_core.types import to_json_native

CATEGORY = "Logging"


def as_text(value: object) -> str:
    """Strings as they are, everything else as compact JSON."""
    return value if isinstance(value, str) else json.dumps(to_json_native(value), ensure_ascii=False)


@node(friendly_name="Log Info", exec_pins=True)
def log_info(ctx: Context, message: Any = "") -> None:
    """Logs the message at level Info; values that are not text are logged as JSON."""
    ctx.log(LogLevel.INFO, as_text(message))


@node(friendly_name="Log Warning", exec_pins=True)
def log_warning(ctx: Context, message: Any = "") -> None:
    """Logs the message at level Warn; values that are not text are logged as JSON."""
    ctx.log(LogLevel.WARN, as_text(message))


@node(friendly_name="Log Error", exec_pins=True)
def log_error(ctx: Context, message: Any = "") -> None:
    """Logs the message at level Error; values that are not text are logged as JSON."""
    ctx.log(LogLevel.ERROR, as_text(message))
