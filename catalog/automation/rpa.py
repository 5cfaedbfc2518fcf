"""RPA steps that need no screen: timing, pauses, an audit log, checkpoints to resume from, and the control flow
around flaky actions (retry with backoff, try/catch, a time limit, routing by error type).

The control nodes run their action branch to completion (`ctx.fire`) and then read their inputs again, so a
flag the branch sets (a variable, the action's Error output) decides where the flow goes on. A node in the
branch that fails without its On Error wired still fails the run: wire On Error to report the failure.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, NamedTuple

from flowlike_core import (
    Context,
    DataType,
    LogLevel,
    NodeType,
    Pin,
    PinOptions,
    data_in,
    data_out,
    exec_in,
    exec_out,
    node,
)

CATEGORY = "Automation/RPA"
CAPABILITIES = ()  # time and logs only
CACHEABLE = False  # clocks and fresh ids: a new result every run

LEVELS = {"Debug": LogLevel.DEBUG, "Info": LogLevel.INFO, "Warning": LogLevel.WARN, "Error": LogLevel.ERROR}
BACKOFFS = ("Constant", "Linear", "Exponential")
ERROR_TYPES = {
    "ElementNotFound": ("not found", "element"),
    "Timeout": ("timeout", "timed out"),
    "TemplateNotMatched": ("template", "match"),
    "ClickFailed": ("click", "mouse"),
    "Other": ("",),
}
"""Words that mark an error message as each type (lower case); Other matches every message."""
CHECKPOINT_FIELDS = ("id", "name", "timestamp", "data")
MS = PinOptions(range=(0, 86_400_000))


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@node(friendly_name="Start Timer", exec_pins=True)
def rpa_start_timer() -> Annotated[int, Pin(name="start_time", description="Milliseconds since the epoch")]:
    """The current time, to measure how long the following actions take with Calculate Elapsed."""
    return now_ms()


class Elapsed(NamedTuple):
    elapsed_ms: Annotated[int, Pin("Elapsed (ms)")]
    elapsed_sec: Annotated[float, Pin("Elapsed (sec)")]


@node(friendly_name="Calculate Elapsed", exec_pins=True)
def rpa_calculate_elapsed(start_time: Annotated[int, Pin(description="From Start Timer")] = 0) -> Elapsed:
    """Time since a Start Timer timestamp."""
    if start_time <= 0:
        raise ValueError(f"start_time must be a Start Timer timestamp (ms since the epoch), got {start_time}")
    elapsed = now_ms() - start_time
    return Elapsed(elapsed, elapsed / 1000)


@node(friendly_name="Delay", exec_pins=True)
async def rpa_delay(ctx: Context, duration_ms: Annotated[int, Pin("Duration (ms)", range=(0, 86_400_000))] = 1000
                    ) -> None:
    """Pauses the flow; other branches keep running and cancelling the run ends the wait."""
    if duration_ms < 0:
        raise ValueError(f"duration_ms must not be negative, got {duration_ms}")
    await ctx.sleep(duration_ms / 1000)


@node(friendly_name="Log Action", exec_pins=True)
def rpa_log_action(ctx: Context, action: str = "", details: str = "",
                   level: Annotated[str, Pin(valid_values=tuple(LEVELS))] = "Info"
                   ) -> Annotated[str, Pin(name="log_entry", description="[time] [level] action - details")]:
    """Logs an automation step to the run's log for debugging and auditing, and gives the formatted entry."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    entry = f"[{datetime.now(UTC).isoformat()}] [{level}] {action} - {details}"
    ctx.log(LEVELS[level], entry)
    return entry


class Checkpoint(NamedTuple):
    checkpoint_data: Annotated[str, Pin(description="The checkpoint as JSON: id, name, timestamp, data")]
    checkpoint_id: Annotated[str, Pin("Checkpoint ID")]


@node(friendly_name="Save Checkpoint", exec_pins=True)
def rpa_save_checkpoint(checkpoint_name: str = "checkpoint_1",
                        data: Annotated[str, Pin(description="JSON text of what to resume with")] = "{}"
                        ) -> Checkpoint:
    """Makes a checkpoint of the progress so far, to write to a file or a variable and resume from after a failure
    (Parse Checkpoint reads it back)."""
    try:
        json.loads(data)
    except json.JSONDecodeError as error:
        raise ValueError(f"checkpoint {checkpoint_name!r}: data is not JSON ({error})") from None
    checkpoint_id = f"{checkpoint_name}_{uuid.uuid4().hex}"
    record = {"id": checkpoint_id, "name": checkpoint_name, "timestamp": datetime.now(UTC).isoformat(), "data": data}
    return Checkpoint(json.dumps(record), checkpoint_id)


class ParseCheckpoint(NodeType):
    name = "rpa_parse_checkpoint"
    friendly_name = "Parse Checkpoint"
    description = ("Reads a checkpoint saved by Save Checkpoint; Invalid fires (with data '{}' and empty name and "
                   "timestamp) for text that is not one.")
    pins = (exec_in(), data_in("checkpoint_data", DataType.STRING, default="{}"),
            exec_out("exec_valid", "Valid"), exec_out("exec_invalid", "Invalid"),
            data_out("data", DataType.STRING),
            data_out("name", DataType.STRING),
            data_out("timestamp", DataType.STRING))

    def run(self, ctx: Context, *, checkpoint_data: str) -> None:
        try:
            record: Any = json.loads(checkpoint_data)
        except json.JSONDecodeError as error:
            return self._invalid(ctx, f"not JSON ({error})")
        if not isinstance(record, dict) or not all(isinstance(record.get(f), str) for f in CHECKPOINT_FIELDS):
            return self._invalid(ctx, f"not a checkpoint: needs the text fields {', '.join(CHECKPOINT_FIELDS)}")
        for field in ("data", "name", "timestamp"):
            ctx.set_output(field, record[field])
        ctx.activate("exec_valid")

    @staticmethod
    def _invalid(ctx: Context, why: str) -> None:
        ctx.warn(f"invalid checkpoint: {why}")
        ctx.set_output("data", "{}")
        ctx.set_output("name", "")
        ctx.set_output("timestamp", "")
        ctx.activate("exec_invalid")


def backoff_ms(backoff_type: str, initial_delay_ms: int, attempt: int) -> int:
    """The wait after failed attempt number `attempt` (1-based)."""
    if backoff_type == "Constant":
        return initial_delay_ms
    if backoff_type == "Linear":
        return initial_delay_ms * attempt
    return initial_delay_ms * 2 ** (attempt - 1)


class RetryLoop(NodeType):
    name = "rpa_retry_loop"
    friendly_name = "Retry Loop"
    description = ("Runs Attempt, then reads Should Retry: false ends with Success, true waits (the backoff) and "
                   "tries again, up to Max Retries attempts, then Exhausted. Wire Should Retry to what the attempt "
                   "sets, e.g. a variable its action's On Error branch sets.")
    pins = (exec_in(),
            data_in("max_retries", DataType.INTEGER, default=3,
                    options=PinOptions(range=(0, 1_000_000))),
            data_in("initial_delay_ms", DataType.INTEGER, default=1000, friendly_name="Initial Delay (ms)",
                    options=MS),
            data_in("backoff_type", DataType.STRING, default="Exponential",
                    options=PinOptions(valid_values=list(BACKOFFS))),
            data_in("should_retry", DataType.BOOLEAN, default=True,
                    description="Read after each attempt: true when the attempt failed"),
            exec_out("exec_attempt", "Attempt"), exec_out("exec_success", "Success"),
            exec_out("exec_exhausted", "Exhausted"),
            data_out("attempt", DataType.INTEGER, description="1 for the first attempt"),
            data_out("total_attempts", DataType.INTEGER))

    async def run(self, ctx: Context, *, max_retries: int, initial_delay_ms: int, backoff_type: str) -> None:
        if max_retries < 0 or initial_delay_ms < 0:
            raise ValueError("max_retries and initial_delay_ms must not be negative")
        if backoff_type not in BACKOFFS:
            raise ValueError(f"unknown backoff type {backoff_type!r}: use one of {', '.join(BACKOFFS)}")
        for attempt in range(1, max_retries + 1):
            ctx.check_cancelled()
            ctx.set_output("attempt", attempt)
            await ctx.fire("exec_attempt")
            if not ctx.get_input("should_retry"):
                ctx.set_output("total_attempts", attempt)
                ctx.activate("exec_success")
                return
            if attempt < max_retries:
                delay = backoff_ms(backoff_type, initial_delay_ms, attempt)
                ctx.debug(f"attempt {attempt} failed; next in {delay} ms")
                await ctx.sleep(delay / 1000)
        ctx.warn(f"all {max_retries} attempts failed")
        ctx.set_output("total_attempts", max_retries)
        ctx.activate("exec_exhausted")


class TryCatch(NodeType):
    name = "rpa_try_catch"
    friendly_name = "Try Catch"
    description = ("Runs Try, then reads Error Occurred and Error Message (wire them to what the action reports, "
                   "e.g. its Error output through its On Error branch): Catch fires with the message on an error, "
                   "else Success.")
    pins = (exec_in(),
            data_in("error_occurred", DataType.BOOLEAN, default=False,
                    description="Read after Try ran"),
            data_in("error_message", DataType.STRING, default="",
                    description="Read after Try ran"),
            exec_out("exec_try", "Try"), exec_out("exec_success", "Success"), exec_out("exec_catch", "Catch"),
            data_out("message", DataType.STRING, description="The error message"))

    async def run(self, ctx: Context) -> None:
        await ctx.fire("exec_try")
        ctx.set_output("message", ctx.get_input("error_message"))
        ctx.activate("exec_catch" if ctx.get_input("error_occurred") else "exec_success")


class WithTimeout(NodeType):
    name = "rpa_with_timeout"
    friendly_name = "With Timeout"
    description = ("Runs Action within a time limit: an action still running at the limit is stopped. Success "
                   "fires when it finished in time and Completed (read afterwards) is true; when Completed is not "
                   "wired, finishing in time is success. Otherwise Timeout fires.")
    pins = (exec_in(),
            data_in("timeout_ms", DataType.INTEGER, default=30000, friendly_name="Timeout (ms)", options=MS),
            data_in("completed", DataType.BOOLEAN, default=False,
                    description="Whether the action achieved its result; read after it ran"),
            exec_out("exec_action", "Action"), exec_out("exec_success", "Success"),
            exec_out("exec_timeout", "Timeout"),
            data_out("elapsed_ms", DataType.INTEGER, friendly_name="Elapsed (ms)"))

    async def run(self, ctx: Context, *, timeout_ms: int) -> None:
        if timeout_ms < 0:
            raise ValueError(f"timeout_ms must not be negative, got {timeout_ms}")
        start = time.monotonic()
        stopped = False
        try:
            async with asyncio.timeout(timeout_ms / 1000):
                await ctx.fire("exec_action")
        except TimeoutError:
            stopped = True
            ctx.warn(f"the action did not finish within {timeout_ms} ms and was stopped")
        elapsed = round((time.monotonic() - start) * 1000)
        ctx.set_output("elapsed_ms", elapsed)
        completed = ctx.get_input("completed") if ctx.is_connected("completed") else True
        in_time = not stopped and elapsed <= timeout_ms
        ctx.activate("exec_success" if in_time and completed else "exec_timeout")


class ErrorRecovery(NodeType):
    name = "rpa_error_recovery"
    friendly_name = "Error Recovery"
    description = ("Routes an error message by type: Matched fires when the message reads like the chosen type "
                   "(ElementNotFound: 'not found'/'element'; Timeout: 'timeout'/'timed out'; TemplateNotMatched: "
                   "'template'/'match'; ClickFailed: 'click'/'mouse'; Other: any message), else Unmatched.")
    pins = (exec_in(),
            data_in("error_type", DataType.STRING, default="Other",
                    options=PinOptions(valid_values=list(ERROR_TYPES))),
            data_in("actual_error", DataType.STRING, default=""),
            exec_out("exec_matched", "Matched"), exec_out("exec_unmatched", "Unmatched"))

    def run(self, ctx: Context, *, error_type: str, actual_error: str) -> None:
        if error_type not in ERROR_TYPES:
            raise ValueError(f"unknown error type {error_type!r}: use one of {', '.join(ERROR_TYPES)}")
        message = actual_error.lower()
        matched = any(word in message for word in ERROR_TYPES[error_type])
        ctx.activate("exec_matched" if matched else "exec_unmatched")
