"""Confluence nodes against a local server speaking Confluence Cloud's REST v2 (and v1 for CQL search, users
and label changes): what each node sent, and what it made of the answer."""

from __future__ import annotations

from typing import Any

from data_boards import ServiceFlow, one
from fake_atlassian import EMAIL, PAT, TOKEN


def cloud(site: Any) -> ServiceFlow:
    return ServiceFlow("data_atlassian_provider_api_token", base_url=site.url, email=EMAIL, api_token=TOKEN)


def sent(site: Any, path_end: str, method: str = "") -> list[dict[str, Any]]:
    return [r for r in site.requests if r["path"].endswith(path_end) and method in ("", r["method"])]


def test_page_lifecycle(site) -> None:
    board = cloud(site)
    created = board.step("data_atlassian_confluence_create_page", space_key="OPS", title="Runbook",
                         body="<p>Restart it</p>", parent_id="1")
    board.step("data_atlassian_confluence_update_page", page_id="3", body="<p>Restart it twice</p>",
               version_message="clearer")
    fetched = board.step("data_atlassian_confluence_get_page", page_id="3")
    bare = board.step("data_atlassian_confluence_get_page", page_id="3", include_body=False)
    deleted = board.step("data_atlassian_confluence_delete_page", page_id="2")
    run = board.run()
    made = board.outputs(run, created)
    assert made["page_id"] == "3" and made["page"]["space_key"] == "OPS" and made["page"]["parent_id"] == "1"
    assert sent(site, "/wiki/api/v2/spaces")[0]["query"] == {"keys": "OPS"}
    assert sent(site, "/wiki/api/v2/pages", "POST")[0]["json"] == {
        "spaceId": "101", "status": "current", "title": "Runbook", "parentId": "1",
        "body": {"representation": "storage", "value": "<p>Restart it</p>"}}
    update = sent(site, "/pages/3", "PUT")[0]["json"]
    assert update == {"id": "3", "status": "current", "title": "Runbook",
                      "version": {"number": 2, "message": "clearer"},
                      "body": {"representation": "storage", "value": "<p>Restart it twice</p>"}}
    page = board.outputs(run, fetched)
    assert page["body_content"] == "<p>Restart it twice</p>" and page["page"]["version"] == 2
    assert page["page"]["url"] == f"{site.url}/wiki/spaces/ENG/pages/3"
    assert sent(site, "/pages/3", "GET")[-2]["query"] == {"body-format": "storage"}
    assert board.outputs(run, bare)["body_content"] == "" and sent(site, "/pages/3", "GET")[-1]["query"] == {}
    assert board.outputs(run, deleted)["success"] and "2" not in site.pages


def test_missing_page_fires_error_with_confluences_message(site) -> None:
    board = cloud(site)
    got = board.step("data_atlassian_confluence_get_page", page_id="404")
    board.flow.wire(got, "error", board.flow.add("log_info"), "exec_in")
    run = board.run()
    assert run.output(got.id, "error_message") == "Confluence answered 404 to GET /pages/404: Not Found"
    board = cloud(site)
    board.step("data_atlassian_confluence_create_page", space_key="NOPE", title="x")
    assert "Confluence has no space with key 'NOPE'" in board.flow.failure()


def test_tree_of_pages(site) -> None:
    for n in range(3):
        site.add_page("101", f"Child {n}", "<p>c</p>", "1")
    site.add_page("101", "Grandchild", "<p>g</p>", "3")
    board = cloud(site)
    children = board.step("data_atlassian_confluence_get_page_children", page_id="1", limit=3)
    ancestors = board.step("data_atlassian_confluence_get_page_ancestors", page_id="6")
    run = board.run()
    kids = board.outputs(run, children)
    assert [c["title"] for c in kids["children"]] == ["Plans", "Child 0", "Child 1"] and kids["count"] == 3
    up = board.outputs(run, ancestors)
    assert [a["title"] for a in up["ancestors"]] == ["Home", "Child 0"] and up["depth"] == 2


def test_spaces_walk_the_cursor_to_an_offset(site) -> None:
    found = one(cloud(site), "data_atlassian_confluence_list_spaces", limit=2, start=3)
    assert [s["key"] for s in found["spaces"]] == ["FIN", "ART"] and found["count"] == 2
    assert found["spaces"][0]["url"] == f"{site.url}/wiki/spaces/FIN"
    listings = sent(site, "/wiki/api/v2/spaces")
    assert listings[0]["query"] == {"status": "current", "limit": "5"}


def test_search_builds_cql_from_the_inputs(site) -> None:
    board = cloud(site)
    by_text = board.step("data_atlassian_confluence_search", text='Plan "A"', space_key="ENG", content_type="page")
    by_cql = board.step("data_atlassian_confluence_search", cql="type = page", limit=1)
    run = board.run()
    found = board.outputs(run, by_text)
    assert [r["title"] for r in found["results"]] == [] and found["total"] == 0
    assert sent(site, "/wiki/rest/api/search")[0]["query"]["cql"] == \
        'text ~ "Plan \\"A\\"" AND space = "ENG" AND type = page'
    paged = board.outputs(run, by_cql)
    assert paged["total"] == 2 and paged["has_more"] and paged["results"][0]["space_key"] == "ENG"
    assert paged["results"][0]["url"] == f"{site.url}/wiki/spaces/ENG/pages/1"
    board = cloud(site)
    board.step("data_atlassian_confluence_search")
    assert "give cql, or text" in board.flow.failure()


def test_comments_and_labels(site) -> None:
    board = cloud(site)
    added = board.step("data_atlassian_confluence_add_comment", page_id="1", body="Looks good\n<b>really</b>")
    comments = board.step("data_atlassian_confluence_get_comments", page_id="1")
    board.step("data_atlassian_confluence_add_label", page_id="1", label="Runbook")
    board.step("data_atlassian_confluence_add_label", page_id="1", label="ops")
    board.step("data_atlassian_confluence_remove_label", page_id="1", label="runbook")
    labels = board.step("data_atlassian_confluence_get_labels", page_id="1")
    run = board.run()
    value = "<p>Looks good</p><p>&lt;b&gt;really&lt;/b&gt;</p>"
    assert board.outputs(run, added)["comment"]["body"] == value
    assert sent(site, "/footer-comments", "POST")[0]["json"] == {"pageId": "1", "body": {"representation": "storage",
                                                                                         "value": value}}
    assert [c["body"] for c in board.outputs(run, comments)["comments"]] == [value]
    assert sent(site, "/content/1/label", "POST")[0]["json"] == [{"prefix": "global", "name": "Runbook"}]
    assert sent(site, "/content/1/label", "DELETE")[0]["query"] == {"name": "runbook"}
    assert [label["name"] for label in board.outputs(run, labels)["labels"]] == ["ops"]
    board = cloud(site)
    board.step("data_atlassian_confluence_add_label", page_id="99", label="x")
    assert "Confluence answered 404" in board.flow.failure() and "No content found" in board.flow.failure()


def test_users(site) -> None:
    board = cloud(site)
    me = board.step("data_atlassian_confluence_get_current_user")
    found = board.step("data_atlassian_confluence_search_users", query="ada", limit=5)
    run = board.run()
    assert board.outputs(run, me)["user"] == {"account_id": "5b10ac8d82e05b22cc7d4ef5", "display_name": "Ada Lovelace",
                                              "email": EMAIL, "profile_picture_url": "/wiki/aa-avatar/ada.png"}
    assert board.outputs(run, found)["count"] == 1
    assert sent(site, "/search/user")[0]["query"] == {"cql": 'user.fullname ~ "ada"', "limit": "5"}


def test_v1_listings_follow_next_links(site) -> None:
    site.labels["1"] = ["a", "b", "c", "d", "e"]  # three pages of two on the fake
    board = ServiceFlow("data_atlassian_provider_api_token", base_url=site.url, api_token=PAT, is_cloud=False)
    labels = board.step("data_atlassian_confluence_get_labels", page_id="1")
    assert [label["name"] for label in board.outputs(board.run(), labels)["labels"]] == ["a", "b", "c", "d", "e"]
    assert [r["query"] for r in sent(site, "/content/1/label", "GET")] == [
        {"limit": "100"}, {"start": "2", "limit": "2"}, {"start": "4", "limit": "2"}]


def test_data_center_speaks_v1_with_a_bearer_token(site) -> None:
    board = ServiceFlow("data_atlassian_provider_api_token", base_url=site.url, api_token=PAT, is_cloud=False)
    created = board.step("data_atlassian_confluence_create_page", space_key="OPS", title="Runbook",
                         body="<p>One</p>", parent_id="1")
    updated = board.step("data_atlassian_confluence_update_page", page_id="3", title="Runbook v2",
                         version_message="renamed")
    fetched = board.step("data_atlassian_confluence_get_page", page_id="3")
    up = board.step("data_atlassian_confluence_get_page_ancestors", page_id="3")
    children = board.step("data_atlassian_confluence_get_page_children", page_id="1")
    board.step("data_atlassian_confluence_add_comment", page_id="3", body="Checked")
    comments = board.step("data_atlassian_confluence_get_comments", page_id="3")
    board.step("data_atlassian_confluence_add_label", page_id="3", label="ops")
    labels = board.step("data_atlassian_confluence_get_labels", page_id="3")
    spaces = board.step("data_atlassian_confluence_list_spaces", limit=2, start=1)
    board.step("data_atlassian_confluence_delete_page", page_id="2")
    run = board.run()
    assert board.outputs(run, created)["page"]["parent_id"] == "1"
    assert sent(site, "/rest/api/content", "POST")[0]["json"] == {
        "type": "page", "title": "Runbook", "space": {"key": "OPS"}, "ancestors": [{"id": "1"}],
        "body": {"storage": {"value": "<p>One</p>", "representation": "storage"}}}
    assert sent(site, "/rest/api/content/3", "PUT")[0]["json"] == {
        "id": "3", "type": "page", "title": "Runbook v2", "space": {"key": "OPS"},
        "version": {"number": 2, "message": "renamed"},
        "body": {"storage": {"value": "<p>One</p>", "representation": "storage"}}}
    assert board.outputs(run, updated)["page"]["version"] == 2
    page = board.outputs(run, fetched)
    assert page["body_content"] == "<p>One</p>" and page["page"]["url"] == f"{site.url}/display/OPS/Runbook v2"
    reads = [r["query"]["expand"] for r in sent(site, "/rest/api/content/3", "GET")]
    assert reads[-2:] == ["space,version,ancestors,body.storage", "space,version,ancestors"]  # get page, ancestors
    assert [a["title"] for a in board.outputs(run, up)["ancestors"]] == ["Home"]
    assert [c["title"] for c in board.outputs(run, children)["children"]] == ["Plans", "Runbook v2"]
    assert board.outputs(run, comments)["comments"][0] | {"id": ""} == {
        "id": "", "page_id": "3", "body": "<p>Checked</p>", "author_id": "ada",
        "created_at": "2026-03-02T09:00:00.000Z", "version": 1}
    assert [label["name"] for label in board.outputs(run, labels)["labels"]] == ["ops"]
    assert [x["key"] for x in board.outputs(run, spaces)["spaces"]] == ["OPS", "HR"]
    assert "2" not in site.pages
    assert all(r["headers"]["authorization"] == f"Bearer {PAT}" for r in site.requests)


def test_children_with_expansions_come_from_v1(site) -> None:
    found = one(cloud(site), "data_atlassian_confluence_get_page_children", page_id="1", expand="body.storage,version")
    assert found["count"] == 1 and found["children"][0]["body"]["storage"] == "<p>Plan</p>"
    assert found["children"][0]["version"] == 1
    assert sent(site, "/wiki/rest/api/content/1/child/page")[0]["query"] == {"expand": "body.storage,version",
                                                                             "limit": "25"}
