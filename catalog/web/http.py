"""The HTTP layer every web node shares: the request and response structs, one httpx client per run, and
sending with timeouts, redirects and retries (with backoff) on idempotent methods.

Secrets (bearer tokens, basic-auth passwords) sit in the request's `secret_headers` as pydantic `SecretStr`:
they reach the server, while every JSON dump of the struct (run records, previews, logs) shows `**********`.

A hosted service's call may carry a `TokenRefresh` (its provider's refresh token and OAuth client): a 401 answer
then renews the access token once (RFC 6749 section 6) and sends the request again with the new one, which the
run keeps for every later call with that refresh token.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import hashlib
import json
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal, TypeVar

from flowlike_catalog import struct_given
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from flowlike_core import Context

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUS = frozenset({429, 502, 503, 504})
CLIENT_KEY = "web.httpx.client"
BACKOFF_SECONDS = 0.25
Model = TypeVar("Model", bound=BaseModel)


class ServiceFailure(RuntimeError):
    """A hosted service's call failed in this shared layer (its token could not be renewed, its listing did not
    end): the service nodes route it to Error like the service's own errors."""


class HttpBody(BaseModel):
    """One request body: a JSON value, text, raw bytes, form fields, or multipart fields and files."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["json", "text", "bytes", "form", "multipart"]
    value: Any = None
    files: dict[str, tuple[str, bytes, str]] = Field(default_factory=dict)
    """Multipart files by field name: (file name, content, content type)."""


class HttpRequest(BaseModel):
    """What to send; built by Make Request and the Set nodes, sent by API Call."""

    model_config = ConfigDict(frozen=True)
    url: str
    method: str = "GET"
    headers: dict[str, str] = Field(default_factory=dict)
    secret_headers: dict[str, SecretStr] = Field(default_factory=dict)
    query: dict[str, str] = Field(default_factory=dict)
    body: HttpBody | None = None

    @field_validator("method")
    @classmethod
    def _known_method(cls, method: str) -> str:
        method = method.upper()
        if method not in METHODS:
            raise ValueError(f"unknown HTTP method {method!r} (known: {', '.join(METHODS)})")
        return method

    def all_headers(self) -> dict[str, str]:
        """The headers to send, secrets revealed (only for the wire); a secret one that cannot be sent is refused
        naming it, not showing it (httpx's refusal shows the value)."""
        secrets = {k: v.get_secret_value() for k, v in self.secret_headers.items()}
        for name, value in secrets.items():
            unsendable_secret(name, value)
        return {**self.headers, **secrets}


def unsendable_secret(name: str, value: str) -> None:
    """A ValueError when a secret header's value is not printable ASCII on one line (a token pasted with its line
    break), naming the header and not the value."""
    if not value.isascii() or not value.isprintable():
        raise ValueError(f"header {name!r}: its value must be printable ASCII on one line, and this secret holds a "
                         f"line break or other characters (a token pasted with a trailing newline?); it is not shown")


class HttpResponse(BaseModel):
    """A finished response: status, headers (lower-case names) and the whole body.

    `headers` holds one text per name, as Flow-Like's map does: a header sent several times has its values joined
    with ", ", as HTTP allows for every header but Set-Cookie (whose Expires dates hold commas), so
    `repeated_headers` keeps the values of each such header apart, in order."""

    model_config = ConfigDict(frozen=True)
    status_code: int
    headers: dict[str, str] = Field(default_factory=dict)
    repeated_headers: dict[str, list[str]] = Field(default_factory=dict)
    body: bytes = b""
    url: str = ""

    def header_values(self, name: str) -> list[str]:
        """Every value of a header (case-insensitive name), in the order sent; none when it was not sent."""
        name = name.lower()
        if name in self.repeated_headers:
            return list(self.repeated_headers[name])
        return [self.headers[name]] if name in self.headers else []

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300


REQUEST_SCHEMA = HttpRequest.model_json_schema()
RESPONSE_SCHEMA = HttpResponse.model_json_schema()


class TokenRefresh(BaseModel):
    """What renewing an expired OAuth 2.0 access token takes: the token endpoint, the refresh token and the client
    it was issued to (RFC 6749 section 6); the secrets never show in dumps or logs."""

    model_config = ConfigDict(frozen=True)
    token_url: str
    refresh_token: SecretStr
    client_id: str
    client_secret: SecretStr = SecretStr("")
    scope: str = ""
    """Empty: the scopes the refresh token was granted."""
    encoding: Literal["form", "json"] = "form"
    """How the endpoint takes the request: form-encoded (RFC 6749), or as JSON (Atlassian's and Notion's)."""
    client_auth: Literal["body", "basic"] = "body"
    """Where the client's id and secret go: in the request's fields, or as HTTP Basic auth (RFC 6749 section 2.3.1;
    Notion's way)."""


def token_refresh(refresh_token: str, client_id: str, client_secret: str, token_url: str, scope: str = "", *,
                  encoding: Literal["form", "json"] = "form",
                  client_auth: Literal["body", "basic"] = "body") -> TokenRefresh | None:
    """A provider node's refresh pins as a TokenRefresh (`encoding`, `client_auth`: its token endpoint's way); None
    without a refresh token (the token is not renewed)."""
    if not refresh_token:
        return None
    if not client_id:
        raise ValueError("renewing the access token needs the client_id of the OAuth client that got the refresh token")
    if not token_url.startswith(("http://", "https://")):
        raise ValueError(f"token_url must start with http:// or https://, got {token_url!r}")
    return TokenRefresh(token_url=token_url, refresh_token=SecretStr(refresh_token),
                        client_id=client_id, client_secret=SecretStr(client_secret), scope=scope, encoding=encoding,
                        client_auth=client_auth)


class RenewedToken(BaseModel):
    """The access token a refresh gave, kept for the rest of the run, and the refresh token to use next (a server
    that rotates them sends a new one)."""

    model_config = ConfigDict(frozen=True)
    access_token: SecretStr
    refresh_token: SecretStr


def renewal_key(refresh: TokenRefresh) -> tuple[str, str, str]:
    """Where the run keeps what renewing `refresh` gave (the provider's refresh token as its digest)."""
    digest = hashlib.sha256(refresh.refresh_token.get_secret_value().encode()).hexdigest()
    return "web.oauth.renewed", refresh.token_url, digest


def with_token(request: HttpRequest, token: SecretStr) -> HttpRequest:
    return request.model_copy(update={"secret_headers": {**request.secret_headers, "Authorization": bearer(token)}})


def oauth_message(answer: dict[str, Any] | str) -> str:
    """An OAuth error answer's `error: error_description` (RFC 6749 section 5.2)."""
    if isinstance(answer, str):
        return answer
    parts = [str(answer[key]) for key in ("error", "error_description") if answer.get(key)]
    return ": ".join(parts) or json.dumps(answer)[:300]


async def renewed(ctx: Context, refresh: TokenRefresh, used: SecretStr | None) -> SecretStr:
    """A new access token from the token endpoint (the refresh_token grant: a POST with the refresh token and the
    client's id and secret), kept in the run; the one another call renewed meanwhile when it differs from `used`
    (calls refused at once, as parallel branches are, renew one at a time: the first renews, the others take its
    token). A refused refresh raises ServiceFailure with the endpoint's error and description."""
    key = renewal_key(refresh)
    one_at_a_time = ctx.cache.setdefault((*key, "lock", id(asyncio.get_running_loop())), asyncio.Lock())
    async with one_at_a_time:
        return await renewal(ctx, refresh, key, used)


async def renewal(ctx: Context, refresh: TokenRefresh, key: tuple[str, str, str], used: SecretStr | None) -> SecretStr:
    kept: RenewedToken | None = ctx.cache.get(key)
    if kept is not None and bearer(kept.access_token) != used:
        return kept.access_token
    current = kept.refresh_token if kept is not None else refresh.refresh_token
    fields = {"grant_type": "refresh_token", "refresh_token": current.get_secret_value(), "scope": refresh.scope}
    client, secret = refresh.client_id, refresh.client_secret.get_secret_value()
    basic = {}
    if refresh.client_auth == "basic":
        basic["Authorization"] = SecretStr("Basic " + base64.b64encode(f"{client}:{secret}".encode()).decode())
    else:
        fields |= {"client_id": client, "client_secret": secret}
    response = await fetch(ctx, HttpRequest(
        url=refresh.token_url, method="POST", headers={"Accept": "application/json"}, secret_headers=basic,
        body=HttpBody(kind=refresh.encoding, value={name: value for name, value in fields.items() if value})))
    answer = error_object(response.body)
    if response.status_code >= 400 or not isinstance(answer, dict) or not answer.get("access_token"):
        raise ServiceFailure(f"the access token was refused and renewing it at {refresh.token_url} failed "
                             f"(status {response.status_code}): {oauth_message(answer)}")
    rotated = answer.get("refresh_token")
    ctx.cache[key] = RenewedToken(access_token=SecretStr(str(answer["access_token"])),
                                  refresh_token=SecretStr(str(rotated)) if rotated else current)
    ctx.info(f"renewed the access token at {refresh.token_url}")
    return ctx.cache[key].access_token


def bearer(token: SecretStr) -> SecretStr:
    """An Authorization header value for a bearer token, secret like the token."""
    return SecretStr(f"Bearer {token.get_secret_value()}")


class Fields(dict):
    """A JSON object of a hosted service's answer: a field it lacks, read with [], fails as the service's `error`
    naming the `call` and the field (a bare KeyError named only the field); `get` and `in` are as a dict's."""

    __slots__ = ("call", "error", "hint")

    def __missing__(self, key: Any) -> Any:
        raise self.error(f"{self.call}: the answer has no {key!r}: {self.hint}")


def answer_json(body: bytes, call: str, error: type[Exception], hint: str) -> Any:
    """A service's JSON answer with its objects as `Fields` (`hint`: what a missing field most likely means)."""
    def fields(pairs: list[tuple[str, Any]]) -> Fields:
        found = Fields(pairs)
        found.call, found.error, found.hint = call, error, hint
        return found

    return json.loads(body, object_pairs_hook=fields)


def error_object(body: bytes, limit: int = 300) -> dict[str, Any] | str:
    """An error answer's JSON object, for a service's own message reader; a body that is not one, as text (at most
    `limit` characters), which is then the message."""
    try:
        data = json.loads(body)
    except ValueError:
        return body[:limit].decode("utf-8", "replace").strip()
    return data if isinstance(data, dict) else str(data)[:limit]


def http_base_url(url: str) -> str:
    """A provider's base URL as it keeps it (no trailing slash); a ValueError unless it is http(s)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"base_url must start with http:// or https://, got {url!r}")
    return url.rstrip("/")


def api_request(method: str, url: str, authorization: SecretStr, *, headers: dict[str, str] | None = None,
                params: dict[str, Any] | None = None, body: Any = None) -> HttpRequest:
    """A call to a hosted service's JSON API, as its nodes make them: the credentials in a secret header, the
    query without empty values (booleans as true/false), `body` sent as JSON when given."""
    return HttpRequest(
        url=url, method=method, headers=headers or {"Accept": "application/json"},
        secret_headers={"Authorization": authorization},
        query={k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in (params or {}).items()
               if v not in ("", None)},
        body=HttpBody(kind="json", value=body) if body is not None else None)


def as_provider(value: Any, model: type[Model], expected: str) -> Model:
    """A hosted service's provider input as its model (a board's JSON gives a dict); `expected` names it in the
    TypeError for anything else."""
    if isinstance(value, dict) and value:
        value = model.model_validate(value)
    if not isinstance(value, model):
        raise TypeError(f"expected {expected}, got {type(value).__name__}")
    return value


def as_request(value: Any) -> HttpRequest:
    """A request from a pin (the struct itself or its dict form), with a clear error for anything else."""
    if isinstance(value, HttpRequest):
        return value
    if not isinstance(value, dict) or not value:
        raise TypeError(f"expected an HTTP request struct (from Make Request), got {type(value).__name__}")
    return HttpRequest.model_validate(value)


@functools.cache
def tls() -> ssl.SSLContext:
    """One TLS context (the CAs httpx trusts) for every client of the process: building one reads the CA bundle,
    170 ms on a busy machine, which each run's client paid before its first request, even for plain http."""
    import httpx

    return httpx.create_ssl_context()


def client(ctx: Context) -> Any:
    """The run's shared httpx client (connection pooling, redirects followed), made on first use.

    The `web` extra installs sniffio: without it httpcore retries a failing `import sniffio` (a scan of
    sys.path) several times per request, which cost 1.5 ms of CPU per request here."""
    found = ctx.cache.get(CLIENT_KEY)
    if found is None:
        import httpx

        found = ctx.cache[CLIENT_KEY] = httpx.AsyncClient(
            follow_redirects=True, timeout=httpx.Timeout(30.0, connect=10.0), verify=tls(),
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20))
        ctx.close_at_end(found.aclose)
    return found


def build(http: Any, request: HttpRequest, timeout: float) -> Any:
    """The httpx request for a struct; its query is merged into the URL's own (httpx would replace it)."""
    body, kwargs = request.body, {}
    if body is not None:
        if body.kind == "json":
            kwargs["json"] = body.value
        elif body.kind == "text":
            kwargs["content"] = body.value.encode("utf-8")
        elif body.kind == "bytes":
            kwargs["content"] = body.value
        elif body.kind == "form":
            kwargs["data"] = body.value
        else:
            kwargs["data"] = body.value or {}
            kwargs["files"] = {name: part for name, part in body.files.items()}
    import httpx

    url = httpx.URL(request.url).copy_merge_params(request.query) if request.query else request.url
    return http.build_request(request.method, url, headers=request.all_headers(), timeout=timeout, **kwargs)


async def opened(ctx: Context, request: HttpRequest, timeout: float, retries: int) -> Any:
    """The httpx response to a request, its body not read yet. Idempotent methods are retried `retries` times on
    connection errors, timeouts and 429/502/503/504, waiting 0.25 s, 0.5 s, 1 s...; what no retry mends (a
    redirect loop, a URL httpx cannot parse or whose scheme it cannot send) fails at once."""
    import httpx

    http = client(ctx)
    attempts = 1 + (max(0, retries) if request.method in IDEMPOTENT else 0)
    for attempt in range(attempts):
        last = attempt == attempts - 1
        try:
            response = await http.send(build(http, request, timeout), stream=True)
        except (httpx.RequestError, httpx.InvalidURL) as exc:
            if last or not isinstance(exc, httpx.TransportError) or isinstance(exc, httpx.UnsupportedProtocol):
                raise failure(request, exc, timeout) from None
            ctx.warn(f"{request.method} {request.url}: {type(exc).__name__}, retrying ({attempt + 1}/{retries})")
        else:
            if last or response.status_code not in RETRY_STATUS:
                return response
            await response.aclose()
            ctx.warn(f"{request.method} {request.url}: status {response.status_code}, retrying "
                     f"({attempt + 1}/{retries})")
        await ctx.sleep(BACKOFF_SECONDS * 2 ** attempt)


@asynccontextmanager
async def send(ctx: Context, request: HttpRequest, *, timeout: float = 30.0, retries: int = 2,
               stream: bool = False, refresh: TokenRefresh | None = None) -> AsyncIterator[Any]:
    """Send a request and yield the httpx response (closed afterwards), retried as `opened` says. With `refresh`,
    the bearer token is the one the run renewed, if it did; a 401 answer renews it and sends the request again."""
    import httpx

    request = struct_given(HttpRequest, request, "request")
    if not timeout > 0:  # 0 or less made every call fail as a timeout, routed to Error like a server that is down
        raise ValueError(f"timeout_seconds must be more than 0 s (per attempt), got {timeout:g}")
    if refresh is not None and (kept := ctx.cache.get(renewal_key(refresh))) is not None:
        request = with_token(request, kept.access_token)
    response = await opened(ctx, request, timeout, retries)
    try:
        if refresh is not None and response.status_code == 401:
            await response.aclose()
            request = with_token(request, await renewed(ctx, refresh, request.secret_headers.get("Authorization")))
            response = await opened(ctx, request, timeout, retries)
        if not stream:
            await response.aread()
        yield response
    except httpx.RequestError as exc:  # the body broke off or did not decode: read here, or by the caller streaming
        raise failure(request, exc, timeout, " while reading the answer") from None
    finally:
        await response.aclose()


def failure(request: HttpRequest, exc: Exception, timeout: float, when: str = "") -> ConnectionError:
    """A transport error of httpx as the ConnectionError the web nodes route to Error: method, URL, what happened
    (a timeout's own text is empty: how long it waited instead)."""
    import httpx

    detail = str(exc) or (f"no answer within {timeout:g} s" if isinstance(exc, httpx.TimeoutException)
                          else "no detail")
    return ConnectionError(f"{request.method} {request.url} failed{when}: {type(exc).__name__}: {detail}")


def to_response(response: Any, body: bytes) -> HttpResponse:
    values: dict[str, list[str]] = {}
    for name, value in response.headers.multi_items():
        values.setdefault(name.lower(), []).append(value)
    return HttpResponse(status_code=response.status_code, headers={k.lower(): v for k, v in response.headers.items()},
                        repeated_headers={name: sent for name, sent in values.items() if len(sent) > 1},
                        body=body, url=str(response.url))


async def fetch(ctx: Context, request: HttpRequest, *, timeout: float = 30.0, retries: int = 2,
                refresh: TokenRefresh | None = None) -> HttpResponse:
    """Send and read the whole body (`refresh`: as `send`)."""
    async with send(ctx, request, timeout=timeout, retries=retries, refresh=refresh) as response:
        return to_response(response, response.content)
