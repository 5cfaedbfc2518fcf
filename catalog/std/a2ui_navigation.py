"""A2UI navigation and state: the route, query and route parameters, dialogs, and the page and global state a
board keeps for its UI. Changes go out as A2UI messages; reads come from the run's document (seeded by the
payload of the action that started the run)."""

from __future__ import annotations

import urllib.parse
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.std.a2ui_document import A2UIError, document_of, emit

from flowlike_core import Context, Pin, node

CATEGORY = "UI/Navigation"
CACHEABLE = False


def query_of(text: str) -> dict[str, str]:
    """Query parameters from `a=1&b=2` (a leading `?` is fine)."""
    return dict(urllib.parse.parse_qsl(text.lstrip("?"), keep_blank_values=True))


@node(friendly_name="Navigate To", exec_pins=True)
def a2ui_navigate_to(ctx: Context, route: str, query_params: dict | None = None, replace: bool = False) -> None:
    """Goes to a page of the app (`replace`: without a history entry)."""
    if not route:
        raise A2UIError("Navigate To needs a route such as '/settings'")
    message: dict[str, Any] = {"type": "navigateTo", "route": route, "replace": replace}
    if query_params:
        message["queryParams"] = {str(k): str(v) for k, v in query_params.items()}
    emit(ctx, message)


@node(friendly_name="Get Current Route", exec_pins=True)
def a2ui_get_current_route(ctx: Context) -> Annotated[str, Pin(name="route")]:
    """The page the app shows."""
    return document_of(ctx).route


class Param(NamedTuple):
    value: Any
    exists: bool


def param_of(params: dict[str, Any], name: str) -> Param:
    """The parameter `name` (whether it exists), or all of them when no name is given (whether there are any)."""
    if not name:
        return Param(dict(params), bool(params))
    return Param(params.get(name), name in params)


@node(friendly_name="Get Query Parameters", exec_pins=True)
def a2ui_get_query_params(ctx: Context, param_name: str = "") -> Param:
    """One query parameter of the current page, or all of them when no name is given."""
    return param_of(document_of(ctx).query_params, param_name)


@node(friendly_name="Get Route Parameters", exec_pins=True)
def a2ui_get_route_params(ctx: Context, param_name: str = "") -> Param:
    """One parameter of the route (`/users/:id`), or all of them when no name is given."""
    return param_of(document_of(ctx).route_params, param_name)


@node(friendly_name="Set Query Parameter", exec_pins=True)
def a2ui_set_query_param(ctx: Context, key: str, value: str = "", replace: bool = True) -> None:
    """Sets a query parameter of the current page (an empty value removes it)."""
    if not key:
        raise A2UIError("Set Query Parameter needs a key")
    emit(ctx, {"type": "setQueryParam", "key": key, "value": value or None, "replace": replace})


@node(friendly_name="Open Dialog", exec_pins=True)
def a2ui_open_dialog(ctx: Context, route: str, title: str = "", query_params: str = "", dialog_id: str = "") -> None:
    """Opens a page of the app in a dialog over the current one."""
    if not route:
        raise A2UIError("Open Dialog needs the route of the page it shows")
    message: dict[str, Any] = {"type": "openDialog", "route": route}
    if title:
        message["title"] = title
    if query_params:
        message["queryParams"] = query_of(query_params)
    if dialog_id:
        message["dialogId"] = dialog_id
    emit(ctx, message)


@node(friendly_name="Close Dialog", exec_pins=True)
def a2ui_close_dialog(ctx: Context, dialog_id: str = "") -> None:
    """Closes a dialog by id, or the topmost one when no id is given."""
    emit(ctx, {"type": "closeDialog", **({"dialogId": dialog_id} if dialog_id else {})})


@node(friendly_name="URL Encode")
def a2ui_url_encode(input: str = "") -> Annotated[str, Pin(name="encoded")]:
    """Percent-encodes text for a URL component."""
    return urllib.parse.quote(input, safe="")


class Decoded(NamedTuple):
    decoded: str
    success: bool


@node(friendly_name="URL Decode")
def a2ui_url_decode(input: str = "") -> Decoded:
    """Decodes percent-encoded text (`+` stays `+`); fails on bytes that are not UTF-8."""
    try:
        return Decoded(urllib.parse.unquote(input, errors="strict"), True)
    except UnicodeDecodeError:
        return Decoded("", False)


# ---- state -----------------------------------------------------------------------------------------------------


class StateValue(NamedTuple):
    value: Any
    exists: bool


@node(friendly_name="Get Global State", category="UI/State")
def a2ui_get_global_state(ctx: Context, key: str) -> StateValue:
    """A value every page of the app shares."""
    state = document_of(ctx).global_state
    return StateValue(state.get(key), key in state)


@node(friendly_name="Set Global State", category="UI/State", exec_pins=True)
def a2ui_set_global_state(ctx: Context, key: str, value: Any = None) -> None:
    """Keeps a value every page of the app shares."""
    emit(ctx, {"type": "setGlobalState", "key": key, "value": value})


@node(friendly_name="Get Page State", category="UI/State")
def a2ui_get_page_state(ctx: Context, key: str) -> StateValue:
    """A value of the current page's state."""
    document = document_of(ctx)
    state = document.page_state.get(document.route, {})
    return StateValue(state.get(key), key in state)


@node(friendly_name="Set Page State", category="UI/State", exec_pins=True)
def a2ui_set_page_state(ctx: Context, key: str, value: Any = None) -> None:
    """Keeps a value in the current page's state."""
    emit(ctx, {"type": "setPageState", "pageId": document_of(ctx).route, "key": key, "value": value})
