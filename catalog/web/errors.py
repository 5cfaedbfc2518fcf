"""Nodes with an Error output of their own: a failure fires it when it is wired, and fails the node when not."""

from __future__ import annotations

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
