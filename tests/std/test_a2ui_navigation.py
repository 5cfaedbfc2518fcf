"""A2UI navigation and state: routes, query parameters, dialogs, page and global state."""

from __future__ import annotations

from a2ui_boards import read_after
from flowlike_catalog.std.a2ui_document import messages, replay


def test_navigate_then_read_the_route(b):
    go = [("a2ui_navigate_to", {"route": "/orders", "query_params": {"page": 2}, "replace": True})]
    assert read_after(b, go, "a2ui_get_current_route", "route") == "/orders"
    assert read_after(b, go, "a2ui_get_query_params", "value", param_name="page") == "2"
    assert read_after(b, go, "a2ui_get_query_params", "exists", param_name="sort") is False


def test_navigate_to_sends_the_message(b):
    start, go = b.start(), b.add("a2ui_navigate_to", route="/a", replace=False)
    b.chain(start, go)
    run = b.run()
    run.raise_for_status()
    assert messages(run) == [{"type": "navigateTo", "route": "/a", "replace": False}]


def test_query_parameters_set_and_removed(b):
    steps = [("a2ui_set_query_param", {"key": "tab", "value": "info"}),
             ("a2ui_set_query_param", {"key": "q", "value": "x"}),
             ("a2ui_set_query_param", {"key": "q", "value": ""})]
    assert read_after(b, steps, "a2ui_get_query_params", "value") == {"tab": "info"}


def test_route_and_query_come_from_the_action_payload(b):
    start, back = b.start(), b.add("events_generic_return_result")
    route, param = b.add("a2ui_get_current_route"), b.add("a2ui_get_route_params", param_name="id")
    b.chain(start, route, param, back)
    b.wire(param, "value", back, "response")
    run = b.run(payload={"_route": "/users/:id", "_route_params": {"id": "42"}})
    run.raise_for_status()
    assert run.result == "42" and run.output(route.id, "route") == "/users/:id"


def test_dialogs_open_and_close(b):
    start = b.start()
    opened = b.add("a2ui_open_dialog", route="/edit", title="Edit", query_params="?id=3", dialog_id="edit")
    other = b.add("a2ui_open_dialog", route="/help")
    close_edit, close_top = b.add("a2ui_close_dialog", dialog_id="edit"), b.add("a2ui_close_dialog")
    b.chain(start, opened, other, close_edit)
    run = b.run()
    run.raise_for_status()
    assert messages(run)[0] == {"type": "openDialog", "route": "/edit", "title": "Edit", "queryParams": {"id": "3"},
                                "dialogId": "edit"}
    assert replay(run).dialogs == [{"route": "/help"}]
    b.chain(close_edit, close_top)
    assert replay(b.run()).dialogs == []


def test_page_state_follows_the_route_and_global_state_does_not(b):
    steps = [("a2ui_set_page_state", {"key": "n", "value": 1}),
             ("a2ui_set_global_state", {"key": "user", "value": "ada"})]
    assert read_after(b, steps, "a2ui_get_page_state", "value", key="n") == 1
    moved = [*steps, ("a2ui_navigate_to", {"route": "/other"})]
    assert read_after(b, moved, "a2ui_get_page_state", "exists", key="n") is False
    assert read_after(b, moved, "a2ui_get_global_state", "value", key="user") == "ada"


def test_url_encode_and_decode(b):
    assert b.compute("a2ui_url_encode", "encoded", input="a b/ü") == "a%20b%2F%C3%BC"
    assert b.compute("a2ui_url_decode", "decoded", input="a%20b%2F%C3%BC") == "a b/ü"
    assert b.compute("a2ui_url_decode", "success", input="%FF") is False
