"""Nodes with an Error output of their own: a failure fires it when it is wired, and fails the node when not."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from flowlike_core import Context


def routed(ctx: Context, pin: str, exc: Exception, message: str | None = None) -> None:
    """Fire the Error output `pin`, with `exc` in the log and its text on the `message` output (for nodes that
    have one), when `pin` is wired; else raise `exc`, failing the node."""
    if not ctx.is_wired(pin):
        raise exc
    ctx.error(str(exc))
    if message is not None:
        ctx.set_output(message, str(exc))
    ctx.activate(pin)


async def answered(ctx: Context, call: Callable[[], Awaitable[dict[str, Any]]],
                   errors: tuple[type[Exception], ...], *, cleared: bool = False) -> None:
    """A hosted service's node: the outputs `call()` gives set and Success fired, or a failure among `errors` (making
    the client too: a provider that fails validation) routed to Error with its text on error_message (`cleared`:
    error_message set empty on success)."""
    try:
        outputs = await call()
    except errors as exc:
        routed(ctx, "error", exc, "error_message")
        return
    for name, value in ({"error_message": "", **outputs} if cleared else outputs).items():
        ctx.set_output(name, value)
    ctx.activate("exec_out")
