"""Write to the run's log (shown in traces, the run record and the editor), and report progress.

The engine has no separate notification (toast) channel yet: a toast or notification is a log line that
starts with NOTIFICATION, which the cell output and the editor show like any log line.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from flowlike_core import Context, LogLevel, Pin, node
from flowlike_core.types import is_table, to_json_native

CATEGORY = "Logging"

NOTIFICATION = "[notification] "
Toast = Annotated[bool, Pin(description="Also show it as a notification (a log line marked " + NOTIFICATION.strip()
                                        + ")")]


def as_text(value: object) -> str:
    """Strings as they are, a table as its preview (not a line per row), everything else as compact JSON."""
    if isinstance(value, str):
        return value
    return repr(value) if is_table(value) else json.dumps(to_json_native(value), ensure_ascii=False)


def write(ctx: Context, level: LogLevel, message: Any, toast: bool) -> None:
    ctx.log(level, (NOTIFICATION if toast else "") + as_text(message))


@node(exec_pins=True, synonyms=("print", "console", "echo", "output"))
def log_info(ctx: Context, message: Any = "", toast: Toast = False) -> None:
    """Logs the message at level Info; values that are not text are logged as JSON."""
    write(ctx, LogLevel.INFO, message, toast)


@node(exec_pins=True, synonyms=("print", "warn"))
def log_warning(ctx: Context, message: Any = "", toast: Toast = False) -> None:
    """Logs the message at level Warn; values that are not text are logged as JSON."""
    write(ctx, LogLevel.WARN, message, toast)


@node(exec_pins=True, synonyms=("print", "stderr"))
def log_error(ctx: Context, message: Any = "", toast: Toast = False) -> None:
    """Logs the message at level Error; values that are not text are logged as JSON."""
    write(ctx, LogLevel.ERROR, message, toast)


@node(friendly_name="Show Progress", exec_pins=True)
def log_progress(ctx: Context, id: Annotated[str, Pin(description="Names the task in the log")] = "progress-1",
                 message: str = "Processing...",
                 progress: Annotated[int, Pin(description="Percent done, 0 to 100", range=(0, 100))] = 0) -> None:
    """Reports how far a task is: the node's progress bar in the editor and the notebook shows it."""
    if not 0 <= progress <= 100:
        raise ValueError(f"progress must be a percentage from 0 to 100, got {progress}")
    ctx.progress(progress, 100, f"{id}: {message}")


@node(friendly_name="Progress Done", exec_pins=True)
def log_progress_done(ctx: Context, id: str = "progress-1", message: str = "Done!",
                      success: bool = True) -> None:
    """Completes a task's progress and logs how it ended (Info on success, Warn otherwise)."""
    ctx.progress(1.0, message=f"{id}: {message}")
    ctx.log(LogLevel.INFO if success else LogLevel.WARN, f"{id}: {message}")
