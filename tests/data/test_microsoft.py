"""The Microsoft Graph provider and what every Graph node shares (errors, paging), against a local server speaking
Graph's wire format."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from data_boards import outputs
from fake_graph import TOKEN, failing, graph_flow, one
from flowlike_catalog.data import microsoft


def test_provider_keeps_the_token_secret() -> None:
    provider = microsoft.data_microsoft_provider_token.func("eyJ0eXAi.secret", "https://graph.microsoft.us/v1.0/")
    assert (provider.base_url, provider.provider_id) == ("https://graph.microsoft.us/v1.0", "microsoft")
    assert "eyJ0eXAi.secret" not in json.dumps(provider.model_dump(mode="json"))
    assert "eyJ0eXAi.secret" not in repr(provider)
    with pytest.raises(ValueError, match="access token is empty"):
        microsoft.data_microsoft_provider_token.func("", microsoft.GRAPH_URL)
    with pytest.raises(ValueError, match="must start with http"):
        microsoft.data_microsoft_provider_token.func("t", "graph.microsoft.com")


def test_token_and_headers_reach_graph(graph) -> None:
    assert one(graph, "data_microsoft_todo_list_lists")["count"] == 1
    sent = graph.state.requests[-1]
    assert (sent["method"], sent["path"]) == ("GET", "/v1.0/me/todo/lists")
    assert sent["headers"]["authorization"] == f"Bearer {TOKEN}" and sent["headers"]["accept"] == "application/json"


def test_graph_error_fires_error_with_code_and_message(graph) -> None:
    message = failing(graph, "data_microsoft_todo_list_lists", token="expired")
    assert message == ("Microsoft Graph answered 401 to GET /me/todo/lists: InvalidAuthenticationToken: "
                       "Access token validation failure. Invalid audience.")
    missing = failing(graph, "data_microsoft_onedrive_get_item", item_path="/Documents/nope.txt")
    assert missing.startswith("Microsoft Graph answered 404 to GET /me/drive/root:/Documents/nope.txt: itemNotFound:")


def test_error_not_wired_fails_the_run(graph) -> None:
    flow = graph_flow(graph, token="expired")
    flow.call("data_microsoft_todo_list_lists")
    assert "InvalidAuthenticationToken" in flow.failure()


def test_bad_input_fails_the_node_with_what_and_where(graph) -> None:
    flow = graph_flow(graph)
    flow.call("data_microsoft_todo_list_tasks", list_id="")
    assert "list_id is required" in flow.failure()
    assert graph.state.requests == []


def test_server_down_fires_error(closed_port: int) -> None:
    closed = SimpleNamespace(url=f"http://127.0.0.1:{closed_port}/v1.0")
    message = failing(closed, "data_microsoft_teams_list_joined")
    assert "failed: ConnectError" in message


def test_lists_follow_next_link_until_done_or_top(graph) -> None:
    # the fake pages 2 items at a time when asked for no $top: 3 list items take two pages
    found = one(graph, "data_microsoft_sharepoint_get_list_items", site_id="contoso.sharepoint.com,site-1,web-1",
                list_id="list-1")
    assert [item["fields"]["Title"] for item in found["items"]] == ["Row 1", "Row 2", "Row 3"]
    pages = graph.state.requests
    assert [r["query"].get("$skiptoken") for r in pages] == [None, "2"]
    assert pages[1]["query"]["$expand"] == "fields"
    graph.reset()
    two = one(graph, "data_microsoft_outlook_list_messages", top=2)
    assert [m["subject"] for m in two["messages"]] == ["Lunch?", "Invoice"] and two["count"] == 2
    assert len(graph.state.requests) == 1 and graph.state.requests[0]["query"]["$top"] == "2"


def test_a_listing_that_does_not_end_is_cut_short(graph, monkeypatch) -> None:
    from flowlike_catalog.web import paging

    monkeypatch.setattr(paging, "MAX_PAGES", 1)  # the list items take two pages
    message = failing(graph, "data_microsoft_sharepoint_get_list_items",
                      site_id="contoso.sharepoint.com,site-1,web-1", list_id="list-1")
    assert message.endswith("/lists/list-1/items still had more pages after 1")


def test_next_link_elsewhere_is_refused(graph, monkeypatch) -> None:
    import fake_graph

    def foreign(call, items):
        from starlette.responses import JSONResponse

        return JSONResponse({"value": items[:1], "@odata.nextLink": "https://elsewhere.example/v1.0/me/joinedTeams"})

    monkeypatch.setattr(fake_graph, "page", foreign)
    message = failing(graph, "data_microsoft_teams_list_joined")
    assert "is not on http://127.0.0.1" in message


def test_outputs_helper_sees_only_set_outputs(graph) -> None:
    flow = graph_flow(graph)
    node = flow.call("data_microsoft_todo_delete_task", list_id="todo-tasks", task_id="t1")
    assert outputs(flow.run(), node) == {}
    assert graph.state.todo_tasks["todo-tasks"] == []


def test_an_answer_that_is_not_json_fires_error(graph, monkeypatch) -> None:
    import fake_graph

    def portal(call, items):
        from starlette.responses import HTMLResponse

        return HTMLResponse("<html>Sign in to continue</html>")

    monkeypatch.setattr(fake_graph, "page", portal)
    message = failing(graph, "data_microsoft_todo_list_lists")
    assert "answer from http://127.0.0.1" in message and "is not JSON: b'<html>Sign in" in message
