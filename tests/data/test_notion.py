"""Notion nodes against a local server speaking Notion's API (2022-06-28): headers, bodies, list objects, errors."""

from __future__ import annotations

import json

import pytest
from data_boards import ServiceFlow, one
from fake_notion import TOKEN, rich
from flowlike_catalog.data import notion


def board(url: str, token: str = TOKEN) -> ServiceFlow:
    return ServiceFlow("data_notion_provider_api_key", integration_token=token, base_url=url)


def test_providers_keep_the_token_secret() -> None:
    for made in (notion.data_notion_provider_api_key.func("ntn_secret", "https://api.notion.com/"),
                 notion.data_notion_provider_oauth.func("ntn_secret", "https://api.notion.com")):
        assert made.base_url == "https://api.notion.com" and made.provider_id == "notion"
        assert "ntn_secret" not in json.dumps(made.model_dump(mode="json")) and "ntn_secret" not in repr(made)
    with pytest.raises(ValueError, match="Notion integration token is empty"):
        notion.data_notion_provider_api_key.func("", "https://api.notion.com")


def test_blocks_from_plain_text_or_json() -> None:
    assert notion.blocks_from("One\n\nTwo") == [
        {"object": "block", "type": "paragraph", "paragraph": {"rich_text": [{"type": "text", "text": {"content": c}}]}}
        for c in ("One", "Two")]
    assert notion.blocks_from('[{"type": "divider", "divider": {}}]') == [{"type": "divider", "divider": {}}]
    with pytest.raises(ValueError, match="content is not valid JSON"):
        notion.blocks_from("[oops")


def test_search_and_databases(ns) -> None:
    found = one(board(ns.url), "data_notion_search", query="ship")
    assert found["count"] == 1 and found["has_more"] is False
    assert found["results"][0] | {"id": ""} == {
        "id": "", "object_type": "page", "title": "Ship it", "url": found["results"][0]["url"],
        "created_time": "2026-01-04T10:00:00.000Z", "last_edited_time": "2026-01-04T10:00:00.000Z", "icon_emoji": None}
    sent = ns.state.requests[-1]
    assert sent["path"] == "/v1/search" and sent["json"] == {
        "page_size": 100, "sort": {"direction": "descending", "timestamp": "last_edited_time"}, "query": "ship"}
    everything = one(board(ns.url), "data_notion_search", query="", sort_direction="ascending", page_size=2)
    assert everything["count"] == 2 and everything["has_more"] is True

    databases = one(board(ns.url), "data_notion_list_databases")
    assert [d["title"] for d in databases["databases"]] == ["Tasks", "Notes"] and databases["count"] == 2
    assert databases["databases"][0]["icon_emoji"] == "📋" and databases["databases"][0]["description"] == \
        "Tasks database"
    assert ns.state.requests[-1]["json"]["filter"] == {"value": "database", "property": "object"}

    tasks = databases["databases"][0]["id"]
    schema = one(board(ns.url), "data_notion_get_database", database_id=tasks)
    assert schema["title"] == "Tasks" and schema["property_names"] == ["Name", "Status"]
    assert schema["database"]["properties"][1] == {"id": "st", "name": "Status", "property_type": "select", "config": {
        "options": [{"name": "Done"}, {"name": "Open"}]}}


def test_query_and_read_pages(ns) -> None:
    tasks = next(iter(ns.state.databases))
    done = one(board(ns.url), "data_notion_query_database", database_id=tasks,
               filter='{"property": "Status", "select": {"equals": "Done"}}', sort_property="Name",
               sort_direction="ascending")
    assert done["count"] == 1 and done["pages"][0]["properties"]["Name"]["title"][0]["plain_text"] == "Write tests"
    assert ns.state.requests[-1]["json"] == {
        "page_size": 100, "filter": {"property": "Status", "select": {"equals": "Done"}},
        "sorts": [{"property": "Name", "direction": "ascending"}]}
    ordered = one(board(ns.url), "data_notion_query_database", database_id=tasks, sort_property="Name")
    assert [notion.title_of(p) for p in ordered["pages"]] == ["Write tests", "Ship it"]

    page_id = done["pages"][0]["id"]
    read = one(board(ns.url), "data_notion_get_page", page_id=page_id)
    assert read["title"] == "Write tests"
    assert read["plain_text"] == "Plan\nFirst step\n[x] Review\n---"
    assert [b["block_type"] for b in read["blocks"]] == ["heading_1", "paragraph", "to_do", "divider", "image"]
    assert read["page"]["plain_text"] == read["plain_text"] and read["page"]["archived"] is False
    assert ns.state.requests[-1]["query"] == {"page_size": "100"}
    bare = one(board(ns.url), "data_notion_get_page", page_id=page_id, include_content=False)
    assert bare["blocks"] == [] and ns.state.requests[-1]["path"] == f"/v1/pages/{page_id}"


def test_create_and_update_a_page(ns) -> None:
    tasks = next(iter(ns.state.databases))
    flow = board(ns.url)
    created = flow.step("data_notion_create_page", database_id=tasks, icon_emoji="🚀",
                        properties='{"Name": {"title": [{"text": {"content": "Launch"}}]}}', content="Step one")
    updated = flow.step("data_notion_update_page", properties='{"Status": {"select": {"name": "Open"}}}',
                        archived=True)
    flow.flow.wire(created, "page_id", updated, "page_id")
    run = flow.run()
    made = flow.outputs(run, created)
    assert made["page_url"].startswith("https://www.notion.so/") and made["page"]["id"] == made["page_id"]
    posted = ns.state.requests[0]["json"]
    assert posted["parent"] == {"database_id": tasks} and posted["icon"] == {"type": "emoji", "emoji": "🚀"}
    assert posted["children"][0]["paragraph"]["rich_text"][0]["text"]["content"] == "Step one"
    assert ns.state.requests[1]["json"] == {"properties": {"Status": {"select": {"name": "Open"}}}, "archived": True}
    assert flow.outputs(run, updated)["page"]["last_edited_time"] == "2026-02-02T00:00:00.000Z"
    assert ns.state.pages[made["page_id"]]["archived"] is True
    assert ns.state.children[made["page_id"]][0]["type"] == "paragraph"


def test_notion_errors(ns) -> None:
    flow = board(ns.url)
    node = flow.step("data_notion_create_page", database_id=next(iter(ns.state.databases)),
                     properties='{"Nope": {"rich_text": []}}')
    back = flow.flow.add("events_generic_return_result")
    flow.flow.wire(node, "error", back, "exec_in")
    flow.flow.wire(node, "error_message", back, "response")
    assert flow.run().result == ("Notion answered 400 to POST /pages: validation_error: Nope is not a property "
                                 "that exists.")

    wrong = board(ns.url, token="ntn_wrong")
    wrong.step("data_notion_get_database", database_id="x")
    assert "401" in (message := wrong.flow.failure()) and "unauthorized: API token is invalid." in message
    bad = board(ns.url)
    bad.step("data_notion_query_database", database_id="x", filter="{not json")
    assert "filter is not valid JSON" in bad.flow.failure()


def test_queries_follow_the_cursor_up_to_page_size(ns) -> None:
    tasks = next(iter(ns.state.databases))
    for n in range(120):  # with the two pages already there: 122, more than one page of 100
        ns.state.page(tasks, {"Name": {"id": "title", "type": "title", "title": rich(f"Task {n}")}},
                      "2026-02-01T10:00:00.000Z")
    everything = one(board(ns.url), "data_notion_query_database", database_id=tasks, page_size=0)
    assert everything["count"] == 122 and everything["has_more"] is False
    assert len({p["id"] for p in everything["pages"]}) == 122
    assert [r["json"] for r in ns.state.requests] == [{"page_size": 100}, {"page_size": 100, "start_cursor": "100"}]
    ns.state.requests.clear()
    some = one(board(ns.url), "data_notion_query_database", database_id=tasks, page_size=110)
    assert some["count"] == 110 and some["has_more"] is True
    assert [r["json"] for r in ns.state.requests] == [{"page_size": 100}, {"page_size": 10, "start_cursor": "100"}]
    found = one(board(ns.url), "data_notion_search", query="task", page_size=0)
    assert found["count"] == 121 and found["has_more"] is False  # the 120 tasks and the Tasks database
