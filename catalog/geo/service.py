"""What the geo nodes that call web services share: exec Success or Error (as Flow-Like's do), one http
client per run, JSON with clear errors."""

from __future__ import annotations

from typing import Any

from flowlike_core import Context, DataType, NodeType, data_in, exec_in, exec_out

USER_AGENT = "flowlike-nb (https://github.com/flowlike-nb)"
TIMEOUT = 30.0
CLIENT_KEY = "geo.httpx.client"


def service_pins(default_url: str) -> tuple:
    """exec in, then the base URL input; Success and Error exec outputs go after the node's own inputs."""
    return (exec_in(), data_in("base_url", DataType.STRING, default=default_url,
                               description="The service's address (your own server, or the public one)"))


def outcome_pins() -> tuple:
    return (exec_out("exec_success", "Success"), exec_out("exec_error", "Error", "Fires when the service fails, "
                                                                                "the error logged; left unwired, "
                                                                                "the node fails instead"))


class ServiceNode(NodeType):
    """Runs `call(ctx, **inputs)` and sets the outputs it returns, then fires Success; a failed request
    (server down, error status, unexpected answer) is logged as an error and fires Error instead, or fails the node
    when Error is not wired (as the web pack's nodes do: a board must not succeed past a failure it ignores)."""

    async def run(self, ctx: Context) -> None:
        inputs = {spec.name: ctx.get_input(spec.name) for spec in self.pin_specs()
                  if spec.direction.value == "Input" and spec.data_type is not DataType.EXECUTION}
        try:
            outputs = await self.call(ctx, **inputs)
        except (ConnectionError, ValueError, LookupError, TypeError) as exc:
            if not ctx.is_wired("exec_error"):
                raise
            ctx.error(f"{self.friendly_name}: {exc}")
            ctx.activate("exec_error")
            return
        for name, value in outputs.items():
            ctx.set_output(name, value)
        ctx.activate("exec_success")

    async def call(self, ctx: Context, **inputs: Any) -> dict[str, Any]:
        raise NotImplementedError


async def get_json(ctx: Context, url: str, params: dict[str, Any] | None = None) -> Any:
    """GET a JSON document; errors say which service failed and how."""
    response = await get(ctx, url, params)
    try:
        return response.json()
    except ValueError:
        raise ValueError(f"{url} did not answer with JSON: it starts {response.text[:80]!r}") from None


def client(ctx: Context) -> Any:
    """The run's httpx client for the geo services, made on first use and closed with the run: a For Each of
    look-ups reuses its connections, where a client per request built a TLS context each time (170 ms)."""
    found = ctx.cache.get(CLIENT_KEY)
    if found is None:
        import httpx
        from flowlike_catalog.web.http import tls

        found = ctx.cache[CLIENT_KEY] = httpx.AsyncClient(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT},
                                                          follow_redirects=True, verify=tls())
        ctx.close_at_end(found.aclose)
    return found


async def get(ctx: Context, url: str, params: dict[str, Any] | None = None, *, refusals: bool = False) -> Any:
    """The answer to a GET; an error status raises ConnectionError unless `refusals` (the service explains its
    refusals in the body, as OSRM does)."""
    import httpx

    try:
        response = await client(ctx).get(url, params=params)
    except httpx.HTTPError as exc:
        detail = str(exc) or (f"no answer within {TIMEOUT:g} s" if isinstance(exc, httpx.TimeoutException)
                              else type(exc).__name__)
        raise ConnectionError(f"cannot reach {url}: {detail}") from None
    if response.status_code >= 400 and not refusals:
        raise ConnectionError(f"{url} answered {response.status_code}: {response.text[:200]}")
    return response
