"""Building HTTP requests: method, URL, headers, query, auth and bodies. All pure; API Call sends them.

Header names are case-insensitive: setting `content-type` replaces a `Content-Type` set before.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.web.http import METHODS, REQUEST_SCHEMA, HttpBody, HttpRequest, as_request, unsendable_secret
from pydantic import BaseModel, ValidationError

from flowlike_core import Pin, node
from flowlike_core.policy import allowed_path

CATEGORY = "Web/API/Request"

Request = Annotated[HttpRequest, Pin(schema=REQUEST_SCHEMA, description="The request, from Make Request")]
RequestOut = Annotated[HttpRequest, Pin("Request", name="request_out", schema=REQUEST_SCHEMA)]
Secret = Annotated[str, Pin(sensitive=True, description="Feed it from a secret variable: it never reaches logs "
                                                        "or records")]


class HeaderLookup(NamedTuple):
    found: bool
    value: Annotated[str, Pin(description="The header's value, empty when not found; secret ones read '***'")]


def without(headers: dict[str, Any], name: str) -> dict[str, Any]:
    """The headers less any spelling of `name`."""
    return {k: v for k, v in headers.items() if k.lower() != name.lower()}


HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
"""An HTTP field name: a token (RFC 9110 section 5.1)."""


def checked_header(name: str, value: str) -> None:
    """A header that can be sent: a token for a name, and a value of printable ASCII on one line (what httpx
    sends; anything else failed later in API Call, without naming the header)."""
    if not name.strip():
        raise ValueError("header name is empty")
    if not HEADER_NAME.fullmatch(name):
        raise ValueError(f"header name {name!r} is not allowed: letters, digits and !#$%&'*+.^_`|~- only")
    if not value.isascii() or any(ord(c) < 32 and c != "\t" or ord(c) == 127 for c in value):
        raise ValueError(f"header {name!r}: its value must be printable ASCII on one line, got {value[:60]!r} "
                         f"(percent-encode other text)")


def with_header(request: Any, name: str, value: str) -> HttpRequest:
    request = as_request(request)
    checked_header(name, value)
    return request.model_copy(update={"headers": {**without(request.headers, name), name: value},
                                      "secret_headers": without(request.secret_headers, name)})


def with_secret_header(request: Any, name: str, value: str) -> HttpRequest:
    from pydantic import SecretStr

    request = as_request(request)
    unsendable_secret(name, value)
    return request.model_copy(update={"headers": without(request.headers, name),
                                      "secret_headers": {**without(request.secret_headers, name),
                                                         name: SecretStr(value)}})


def with_body(request: Any, body: HttpBody, content_type: str | None = None) -> HttpRequest:
    request = as_request(request).model_copy(update={"body": body})
    return with_header(request, "Content-Type", content_type) if content_type else request


def shown_headers(request: HttpRequest) -> dict[str, str]:
    return {**request.headers, **dict.fromkeys(request.secret_headers, "***")}


def checked_url(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"URL must start with http:// or https://, got {url!r}")
    return url


@node(friendly_name="Make Request")
def http_make_request(method: Annotated[str, Pin(valid_values=METHODS)] = "GET",
                      url: Annotated[str, Pin(required=True)] = "") -> Annotated[
        HttpRequest, Pin(name="request", schema=REQUEST_SCHEMA)]:
    """A new request for a URL (http or https), without headers or body."""
    return HttpRequest(url=checked_url(url), method=method)


@node(friendly_name="Set Url")
def http_set_url(request: Request, url: str) -> RequestOut:
    """The request with another URL."""
    return as_request(request).model_copy(update={"url": checked_url(url)})


@node(friendly_name="Set Method")
def http_set_method(request: Request, method: str = "GET") -> RequestOut:
    """The request with another method (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS)."""
    try:
        return HttpRequest.model_validate({**dict(as_request(request)), "method": method})
    except ValidationError as exc:  # the method validator's own words, without pydantic's frame
        error = exc.errors()[0]
        raise ValueError(str(error.get("ctx", {}).get("error") or f"method {method!r}: {error['msg']}")) from None


@node(friendly_name="Set Header")
def http_set_header(request: Request, name: str, value: str) -> RequestOut:
    """The request with one header set (replacing any header of that name)."""
    return with_header(request, name, value)


@node(friendly_name="Set Headers")
def http_set_headers(request: Request, headers: dict[str, str], merge: bool = True) -> RequestOut:
    """The request with these headers, added to the ones it has (merge) or instead of them."""
    request = as_request(request)
    if not merge:
        request = request.model_copy(update={"headers": {}, "secret_headers": {}})
    for name, value in headers.items():
        request = with_header(request, name, field_text(value))
    return request


@node(friendly_name="Set Accept")
def http_set_accept(request: Request, accept: str = "application/json") -> RequestOut:
    """The request with an Accept header: which content types the answer may have."""
    return with_header(request, "Accept", accept)


@node(friendly_name="Set Content-Type")
def http_set_content_type(request: Request, content_type: str = "application/json") -> RequestOut:
    """The request with a Content-Type header (the body nodes set one already)."""
    return with_header(request, "Content-Type", content_type)


@node(friendly_name="Set Bearer Auth")
def http_set_bearer_auth(request: Request, token: Secret) -> RequestOut:
    """The request with `Authorization: Bearer <token>`; the token is kept secret in the struct."""
    if not token:
        raise ValueError("bearer token is empty (is the secret variable set?)")
    return with_secret_header(request, "Authorization", f"Bearer {token}")


@node(friendly_name="Set Basic Auth")
def http_set_basic_auth(request: Request, username: str, password: Secret = "") -> RequestOut:
    """The request with HTTP Basic authentication; the credentials are kept secret in the struct."""
    import base64

    credentials = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return with_secret_header(request, "Authorization", f"Basic {credentials}")


@node(friendly_name="Set Query")
def http_set_query(request: Request, query: dict[str, str], merge: bool = True) -> RequestOut:
    """The request with query parameters (`?name=value`, URL-encoded when sent), added to its own or instead."""
    request = as_request(request)
    params = {**(request.query if merge else {}), **{k: field_text(v) for k, v in query.items()}}
    return request.model_copy(update={"query": params})


@node(friendly_name="Set String Body")
def http_set_string_body(request: Request, body: str) -> RequestOut:
    """The request with a text body (UTF-8); Content-Type stays as set (text/plain if none)."""
    request = as_request(request)
    has_type = any(k.lower() == "content-type" for k in request.headers)
    return with_body(request, HttpBody(kind="text", value=body), None if has_type else "text/plain; charset=utf-8")


@node(friendly_name="Set Struct Body")
def http_set_struct_body(request: Request, body: Any) -> RequestOut:
    """The request with a JSON body (any JSON value: object, array, ...) and Content-Type application/json. Dates
    go as ISO text, sets as arrays, other nodes' structs as their JSON; what JSON cannot hold is refused naming it."""
    try:
        value = json_value(body, "body")
    except ValueError as exc:
        raise ValueError(f"cannot send the struct as JSON: {exc}") from None
    return with_body(request, HttpBody(kind="json", value=value), "application/json")


def json_value(value: Any, path: str) -> Any:
    """`value` as JSON holds it (the JSON form of dates, sets, numpy values and pydantic models); what it cannot
    hold (NaN, bytes, other objects) fails naming its `path` (json's own error names no field, and came only when
    the request was sent)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{path} is {value}: JSON has no NaN or infinity")
        return value
    if type(value).__module__ == "numpy" and hasattr(value, "tolist"):
        return json_value(value.tolist(), path)
    if isinstance(value, BaseModel):
        return json_value(value.model_dump(mode="json"), path)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): json_value(item, f"{path}.{key}") for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_value(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, bytes | bytearray):
        raise ValueError(f"{path} is bytes, which JSON cannot hold: encode them (base64) or send them as the body "
                         f"itself (Set Bytes Body)")
    raise ValueError(f"{path} is a {type(value).__name__}, which JSON cannot hold")


@node(friendly_name="Set Bytes Body")
def http_set_bytes_body(request: Request, body: bytes) -> RequestOut:
    """The request with a raw body; Content-Type stays as set (application/octet-stream if none)."""
    if isinstance(body, str):
        raise TypeError("the body must be bytes (a Byte Array), got str: use Set String Body for text")
    request = as_request(request)
    has_type = any(k.lower() == "content-type" for k in request.headers)
    return with_body(request, HttpBody(kind="bytes", value=bytes(body)),
                     None if has_type else "application/octet-stream")


def field_text(value: Any) -> str:
    """A form field's, query parameter's or header's text: a string as it is, anything else as its JSON text (true,
    2, ["a"], null), as Flow-Like writes it (Python's str gave True and None, which no server reads as a boolean or
    nothing)."""
    import json

    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@node(friendly_name="Set Form Body")
def http_set_form_body(request: Request, fields: dict = None, set_content_type: bool = True) -> RequestOut:
    """The request with URL-encoded form fields (`a=1&b=two`), as an HTML form posts them; Set Content-Type adds
    application/x-www-form-urlencoded unless the request has a Content-Type already."""
    request = as_request(request)
    body = HttpBody(kind="form", value={str(k): field_text(v) for k, v in (fields or {}).items()})
    has_type = any(k.lower() == "content-type" for k in request.headers)
    return with_body(request, body, "application/x-www-form-urlencoded" if set_content_type and not has_type
                     else None)


@node(friendly_name="Set Multipart Body", capabilities=["files"])
def http_set_multipart_body(request: Request, fields: dict[str, str] = None,
                            files: Annotated[dict[str, Path], Pin(description="Field name to local file")] = None
                            ) -> RequestOut:
    """The request with a multipart/form-data body: text fields and files (read now, sent with their names).
    httpx writes the Content-Type with its boundary when sending."""
    import mimetypes

    parts = {}
    for field, path in (files or {}).items():
        path = Path(allowed_path(path, f"multipart file for field {field!r}"))
        if not path.is_file():
            raise FileNotFoundError(f"multipart file for field {field!r} not found: {path}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        parts[field] = (path.name, path.read_bytes(), kind)
    request = as_request(request)
    request = request.model_copy(update={"headers": without(request.headers, "Content-Type")})
    return with_body(request, HttpBody(kind="multipart", value={k: str(v) for k, v in (fields or {}).items()},
                                       files=parts))


@node(friendly_name="Get Url")
def http_get_url(request: Request) -> Annotated[str, Pin(name="url")]:
    """The request's URL."""
    return as_request(request).url


@node(friendly_name="Get Method")
def http_get_method(request: Request) -> Annotated[str, Pin(name="method")]:
    """The request's method."""
    return as_request(request).method


@node(friendly_name="Get Headers")
def http_get_headers(request: Request) -> Annotated[dict[str, str], Pin(name="headers")]:
    """The request's headers; secret ones (auth) read '***'."""
    return shown_headers(as_request(request))


@node(friendly_name="Get Header")
def http_get_header(request: Request, header: str) -> HeaderLookup:
    """One request header, by case-insensitive name; secret ones read '***'."""
    for name, value in shown_headers(as_request(request)).items():
        if name.lower() == header.lower():
            return HeaderLookup(True, value)
    return HeaderLookup(False, "")
