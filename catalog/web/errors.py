"""Nodes with an Error output of their own: a failure fires it when it is wired, and fails the node when not."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from flowlike_catalog.web.http import ServiceFailure

from flowlike_core import Context, NodeType, PinSpec


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


class ServiceNode(NodeType):
    """A hosted service's node: the provider struct and the node's `inputs` in; `call(client, **inputs)` with the
    service's client made from the provider, its outputs set and Success fired, or a failure among `errors` (or a
    connection error, or a ServiceFailure of the shared HTTP layer) routed to Error (`answered`). A service's base
    names its `client` class and `errors`, and lays its pins out in `__init_subclass__` (the order Flow-Like's nodes
    of that service have)."""

    inputs: ClassVar[tuple[PinSpec, ...]] = ()
    outputs: ClassVar[tuple[PinSpec, ...]] = ()
    client: ClassVar[type]
    """Made as `client(ctx, provider)` for each execution (inside the error routing: a bad provider fires Error)."""
    errors: ClassVar[tuple[type[Exception], ...]] = ()
    cleared: ClassVar[bool] = False
    """Set error_message empty on success (where Flow-Like's nodes of the service do)."""

    async def call(self, client: Any, **inputs: Any) -> dict[str, Any]:
        raise NotImplementedError

    async def run(self, ctx: Context) -> None:
        inputs = {spec.name: ctx.get_input(spec.name) for spec in self.inputs}
        await answered(ctx, lambda: self.call(self.client(ctx, ctx.get_input("provider")), **inputs),
                       (*self.errors, ServiceFailure, OSError), cleared=self.cleared)  # OSError: connection errors
