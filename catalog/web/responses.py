"""Reading HTTP responses: status, headers, and the body as text, JSON, bytes or a content-store blob."""

from __future__ import annotations

import re
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.web.http import RESPONSE_SCHEMA, HttpResponse

from flowlike_core import Pin, node

CATEGORY = "Web/API/Response"

Response = Annotated[HttpResponse, Pin(schema=RESPONSE_SCHEMA, description="The response, from API Call")]


class HeaderLookup(NamedTuple):
    found: bool
    value: Annotated[str, Pin(description="The header's value, empty when not found")]


class HeaderValues(NamedTuple):
    found: bool
    values: Annotated[list[str], Pin(description="Each value the header was sent with, in order")]


MARKUP_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([-\w.:]+)|<\?xml[^>]+encoding\s*=\s*["']([-\w.:]+)""",
                            re.IGNORECASE)
"""`<meta charset=...>`, `<meta http-equiv=Content-Type content="...; charset=...">` or an XML declaration's
encoding: where a page without a charset in its Content-Type names it (the HTML standard's prescan reads the
first 1,024 bytes)."""


def charset(response: HttpResponse) -> str:
    """The body's text encoding: from Content-Type, else from the markup of an HTML or XML body, else UTF-8."""
    import codecs
    from email.message import Message

    message = Message()
    message["content-type"] = response.headers.get("content-type", "")
    if declared := message.get_content_charset():
        return declared
    if (found := MARKUP_CHARSET.search(response.body[:1024])) is not None:
        name = (found.group(1) or found.group(2)).decode("ascii")
        try:
            codecs.lookup(name)
        except LookupError:
            return "utf-8"
        return name
    return "utf-8"


def decoded(response: HttpResponse) -> str:
    try:
        return response.body.decode(charset(response))
    except (UnicodeDecodeError, LookupError) as exc:
        raise ValueError(f"the body of {response.url or 'the response'} is not text in {charset(response)}: "
                         f"{exc}") from None


@node(friendly_name="Get Status Code")
def http_response_get_status(response: Response) -> Annotated[int, Pin(name="status_code")]:
    """The HTTP status code, e.g. 200 or 404."""
    return response.status_code


@node(friendly_name="Is Success")
def http_response_is_success(response: Response) -> Annotated[bool, Pin(name="is_success")]:
    """Whether the status is 2xx."""
    return response.is_success


@node(friendly_name="Get Headers")
def http_response_get_headers(response: Response) -> Annotated[dict[str, str], Pin(name="headers")]:
    """The response headers, names in lower case."""
    return dict(response.headers)


@node(friendly_name="Get Header")
def http_response_get_header(response: Response, header: str) -> HeaderLookup:
    """One response header, by case-insensitive name (a header sent several times: its values joined with ", ";
    Get Header Values gives them apart)."""
    value = response.headers.get(header.lower())
    return HeaderLookup(value is not None, value or "")


@node(friendly_name="Get Header Values")
def http_response_get_header_values(response: Response, header: str) -> HeaderValues:
    """Every value of a response header sent several times, by case-insensitive name: each Set-Cookie whole (Get
    Header joins them with commas, which their Expires dates also hold)."""
    values = response.header_values(header)
    return HeaderValues(bool(values), values)


@node(friendly_name="To Text", exec_pins=True)
def http_response_to_text(response: Response) -> Annotated[str, Pin(name="text")]:
    """The body as text, decoded with the charset the Content-Type names (UTF-8 otherwise)."""
    return decoded(response)


@node(friendly_name="To Struct", exec_pins=True)
def http_response_to_json(response: Response) -> Annotated[Any, Pin(name="struct")]:
    """The body parsed as JSON (an object, or any JSON value)."""
    import json

    try:
        return json.loads(decoded(response))
    except json.JSONDecodeError as exc:
        start = decoded(response)[:80]
        status = "" if response.is_success else f" (status {response.status_code})"
        raise ValueError(f"the body of {response.url or 'the response'}{status} is not JSON ({exc}); it starts "
                         f"{start!r}") from None


@node(friendly_name="To Bytes", exec_pins=True)
def http_response_to_bytes(response: Response) -> Annotated[bytes, Pin(name="bytes")]:
    """The body's raw bytes."""
    return response.body


@node(friendly_name="To Content Store", exec_pins=True)
def http_response_to_blob(response: Response, app: str = "default") -> Annotated[dict, Pin(name="blob")]:
    """Stores the body in the app's content store once (by its sha256) and gives its blob reference,
    with the response's Content-Type as the media type."""
    from flowlike_core.storage import current

    media_type = response.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
    return current().app(app).blobs.put(response.body, media_type).model_dump()
