"""Jira and Jira Agile nodes against a local server speaking Jira Cloud's REST v3 (and Data Center's v2) and
Agile 1.0: what each node sent, and what it made of the answer."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from data_boards import ServiceFlow, one
from fake_atlassian import BASIC, CLOUD_ID, EMAIL, OAUTH, PAT, TOKEN
from flowlike_catalog.data import atlassian


def cloud(site: Any, token: str = TOKEN) -> ServiceFlow:
    return ServiceFlow("data_atlassian_provider_api_token", base_url=site.url, email=EMAIL, api_token=token)


def sent(site: Any, path_end: str) -> list[dict[str, Any]]:
    return [r for r in site.requests if r["path"].endswith(path_end)]


def test_provider_checks_its_inputs_and_keeps_the_token_secret() -> None:
    make = atlassian.data_atlassian_provider_api_token.func
    provider = make("https://acme.atlassian.net/", EMAIL, "s3cret", True)
    assert provider.base_url == "https://acme.atlassian.net"
    assert "s3cret" not in json.dumps(provider.model_dump(mode="json")) and "s3cret" not in repr(provider)
    assert provider.authorization().get_secret_value() == "Basic " + base64.b64encode(
        f"{EMAIL}:s3cret".encode()).decode()
    assert make("https://jira.corp", "", "pat", False).authorization().get_secret_value() == "Bearer pat"
    for args, message in [(("https://your-domain.atlassian.net", EMAIL, "t", True), "set base_url"),
                          (("https://acme.atlassian.net", EMAIL, "", True), "api_token is empty"),
                          (("https://acme.atlassian.net", "", "t", True), "need the account's email"),
                          (("acme.atlassian.net", EMAIL, "t", True), "must start with http")]:
        with pytest.raises(ValueError, match=message):
            make(*args)


def test_current_user_with_basic_auth(site) -> None:
    user = one(cloud(site), "data_atlassian_jira_get_current_user")["user"]
    assert (user["account_id"], user["display_name"], user["email_address"]) == (
        "5b10ac8d82e05b22cc7d4ef5", "Ada Lovelace", EMAIL)
    assert user["avatar_url"] == "https://avatar.example/ada.png"
    request = site.requests[-1]
    assert (request["path"], request["headers"]["authorization"]) == ("/rest/api/3/myself", BASIC)


def test_search_pages_by_token_and_counts_apart(site) -> None:
    board = cloud(site)
    first = board.step("data_atlassian_jira_search_issues", jql="labels = seed", max_results=2)
    later = board.step("data_atlassian_jira_search_issues", jql="labels = seed", max_results=2, start_at=2,
                       fields="summary,status")
    run = board.run()
    got, rest = board.outputs(run, first), board.outputs(run, later)
    assert [i["key"] for i in got["issues"]] == ["PROJ-1", "PROJ-2"] and got["total"] == 3 and got["has_more"]
    assert [i["key"] for i in rest["issues"]] == ["PROJ-3"] and rest["total"] == 3 and not rest["has_more"]
    issue = got["issues"][0]
    assert (issue["summary"], issue["description"], issue["status"]["name"], issue["status"]["status_category"]) == (
        "Seeded issue 1", "Details 1", "To Do", "new")
    assert issue["url"] == f"{site.url}/browse/PROJ-1" and issue["project"]["key"] == "PROJ"
    searches = sent(site, "/search/jql")
    assert searches[0]["json"] == {"jql": "labels = seed", "maxResults": 2, "fields": ["*navigable"]}
    assert searches[1]["json"] == {"jql": "labels = seed", "maxResults": 4, "fields": ["summary", "status"]}
    assert sent(site, "/search/approximate-count")[0]["json"] == {"jql": "labels = seed"}


def test_search_walks_page_tokens_to_an_offset(site) -> None:
    for n in range(150):
        site.add_issue("PROJ", f"Bulk {n}", "", "Task", labels=["bulk"])
    found = one(cloud(site), "data_atlassian_jira_search_issues", jql="labels = bulk", max_results=5, start_at=110)
    assert [i["summary"] for i in found["issues"]] == [f"Bulk {n}" for n in range(110, 115)]
    assert found["total"] == 150 and found["has_more"]
    pages = [(r["json"]["maxResults"], r["json"].get("nextPageToken")) for r in sent(site, "/search/jql")]
    assert pages == [(100, None), (15, "100")]


def test_search_error_fires_error_with_jiras_message(site) -> None:
    board = cloud(site)
    search = board.step("data_atlassian_jira_search_issues", jql="project = broken(")
    logged = board.flow.add("log_info")
    board.flow.wire(search, "error", logged, "exec_in")
    run = board.run()
    message = run.output(search.id, "error_message")
    assert "Jira answered 400" in message and "Error in the JQL Query" in message
    board = cloud(site)
    board.step("data_atlassian_jira_search_issues", jql="")
    assert "the JQL query is empty" in board.flow.failure()


def test_wrong_token_fails_with_the_service_message(site) -> None:
    board = cloud(site, token="wrong")
    board.step("data_atlassian_jira_get_transitions", issue_key="PROJ-1")
    failure = board.flow.failure()
    assert "Jira answered 401" in failure and "Client must be authenticated" in failure


def test_issue_lifecycle(site) -> None:
    board = cloud(site)
    created = board.step("data_atlassian_jira_create_issue", project_key="PROJ", issue_type="Bug",
                         summary="Login breaks", description="Steps:\nopen the page", priority="High",
                         assignee_id="5b10ac8d82e05b22cc7d4ef5", labels="ui, urgent")
    board.step("data_atlassian_jira_update_issue", issue_key="PROJ-4", summary="Login breaks on Safari",
               comment="Seen on 17.2")
    commented = board.step("data_atlassian_jira_add_comment", issue_key="PROJ-4", body="Fix is up")
    moved = board.step("data_atlassian_jira_transition_issue", issue_key="PROJ-4", transition_name="start progress",
                       comment="On it")
    fetched = board.step("data_atlassian_jira_get_issue", issue_key="PROJ-4", include_comments=True)
    run = board.run()
    made = board.outputs(run, created)
    assert made["issue_key"] == "PROJ-4" and made["issue"]["description"] == "Steps:\nopen the page"
    assert made["issue"]["priority"]["name"] == "High" and made["issue"]["labels"] == ["ui", "urgent"]
    create = sent(site, "/rest/api/3/issue")[0]["json"]["fields"]
    assert create["description"]["content"][1] == {"type": "paragraph",
                                                   "content": [{"type": "text", "text": "open the page"}]}
    assert create["assignee"] == {"accountId": "5b10ac8d82e05b22cc7d4ef5"} and create["labels"] == ["ui", "urgent"]
    assert create["issuetype"] == {"name": "Bug"} and create["priority"] == {"name": "High"}
    update = [r for r in site.requests if r["method"] == "PUT"][0]
    assert update["json"] == {"fields": {"summary": "Login breaks on Safari"}}
    assert board.outputs(run, commented)["comment"]["body"] == "Fix is up"
    transition = board.outputs(run, moved)
    assert transition["issue"]["status"]["name"] == "In Progress"
    assert [t["name"] for t in transition["available_transitions"]] == ["Start Progress"]
    assert [r["json"] for r in sent(site, "/transitions") if r["method"] == "POST"][0]["transition"] == {"id": "11"}
    issue = board.outputs(run, fetched)
    assert issue["issue"]["summary"] == "Login breaks on Safari"
    assert [c["body"] for c in issue["comments"]] == ["Seen on 17.2", "Fix is up", "On it"]
    reads = [r["query"] for r in sent(site, "/PROJ-4/comment") if r["method"] == "GET"]
    assert reads == [{"startAt": "0", "maxResults": "5000"}, {"startAt": "2", "maxResults": "5000"}]  # two a page


def test_transition_by_unknown_name_lists_the_available_ones(site) -> None:
    board = cloud(site)
    board.step("data_atlassian_jira_transition_issue", issue_key="PROJ-1", transition_name="Done")
    assert "PROJ-1 has no transition 'Done' now (available: Start Progress)" in board.flow.failure()


def test_data_center_speaks_v2_with_a_bearer_token(site) -> None:
    board = ServiceFlow("data_atlassian_provider_api_token", base_url=site.url, api_token=PAT, is_cloud=False)
    created = board.step("data_atlassian_jira_create_issue", project_key="PROJ", summary="Plain",
                         description="Just text", assignee_id="ada")
    found = board.step("data_atlassian_jira_get_project_issues", project_key="PROJ", jql_filter="labels = seed",
                       max_results=2, start_at=1)
    run = board.run()
    assert board.outputs(run, created)["issue"]["description"] == "Just text"
    create = sent(site, "/rest/api/2/issue")[0]
    assert create["headers"]["authorization"] == f"Bearer {PAT}"
    assert create["json"]["fields"]["description"] == "Just text"
    assert create["json"]["fields"]["assignee"] == {"name": "ada"}
    page = board.outputs(run, found)
    assert [i["key"] for i in page["issues"]] == ["PROJ-2", "PROJ-3"] and (page["total"], page["count"]) == (3, 2)
    assert sent(site, "/rest/api/2/search")[0]["json"] == {
        "jql": 'project = "PROJ" AND (labels = seed) ORDER BY created DESC', "startAt": 1, "maxResults": 2,
        "fields": ["*navigable"]}


def test_issue_listings_follow_start_at_past_the_servers_cap(site) -> None:
    for n in range(4, 8):  # seven issues; the fake holds at most two a page, whatever maxResults asks
        site.add_issue("PROJ", f"More {n}", "", "Task", labels=["seed"])
    board = ServiceFlow("data_atlassian_provider_api_token", base_url=site.url, api_token=PAT, is_cloud=False)
    found = board.step("data_atlassian_jira_search_issues", jql="labels = seed", max_results=4, start_at=1)
    on_board = board.step("data_atlassian_jira_get_board_issues", board_id=3, max_results=0)
    run = board.run()
    page = board.outputs(run, found)
    assert [i["key"] for i in page["issues"]] == ["PROJ-2", "PROJ-3", "PROJ-4", "PROJ-5"]
    assert (page["total"], page["has_more"]) == (7, True)
    assert [(r["json"]["startAt"], r["json"]["maxResults"]) for r in sent(site, "/rest/api/2/search")] == [
        (1, 4), (3, 2)]  # each page asks for what is still wanted
    assert [i["key"] for i in board.outputs(run, on_board)["issues"]] == [f"PROJ-{n}" for n in range(1, 8)]
    assert [r["query"]["startAt"] for r in sent(site, "/board/3/issue")] == ["0", "2", "4", "6"]


def test_projects_fields_and_link_types(site) -> None:
    board = cloud(site)
    projects = board.step("data_atlassian_jira_list_projects", query="op", max_results=10)
    fields = board.step("data_atlassian_jira_get_fields")
    found = board.step("data_atlassian_jira_search_fields", query="POINT", only_custom=True)
    arrays = board.step("data_atlassian_jira_search_fields", schema_type="array")
    kinds = board.step("data_atlassian_jira_get_link_types")
    run = board.run()
    assert [p["key"] for p in board.outputs(run, projects)["projects"]] == ["OPS"]
    assert sent(site, "/project/search")[0]["query"] == {"maxResults": "10", "startAt": "0", "query": "op"}
    listed = board.outputs(run, fields)
    assert len(listed["fields"]) == 3 and [f["id"] for f in listed["system_fields"]] == ["summary"]
    assert board.outputs(run, found)["fields"][0]["id"] == "customfield_10016"
    assert board.outputs(run, arrays)["fields"][0]["schema_items"] == "json"
    assert board.outputs(run, kinds)["link_types"] == [{"id": "10000", "name": "Blocks", "inward": "is blocked by",
                                                        "outward": "blocks"}]


def test_links_epics_and_deleting(site) -> None:
    board = cloud(site)
    board.step("data_atlassian_jira_create_issue_link", link_type="Blocks", inward_issue="PROJ-2",
               outward_issue="PROJ-1", comment="Needs the fix")
    links = board.step("data_atlassian_jira_get_issue_links", issue_key="PROJ-2")
    board.step("data_atlassian_jira_remove_issue_link", link_id="30000")
    board.step("data_atlassian_jira_link_to_epic", issue_key="PROJ-2", epic_key="PROJ-1")
    epic = board.step("data_atlassian_jira_get_epic_issues", epic_key="PROJ-1")
    board.step("data_atlassian_jira_unlink_from_epic", issue_key="PROJ-2")
    deleted = board.step("data_atlassian_jira_delete_issue", issue_key="PROJ-3", delete_subtasks=True)
    run = board.run()
    assert board.outputs(run, links)["links"] == [{"id": "30000", "link_type": {
        "id": "10000", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"}, "inward_issue": None,
        "outward_issue": "PROJ-1"}]
    link = sent(site, "/issueLink")[0]["json"]
    assert link["comment"]["body"]["type"] == "doc" and link["inwardIssue"] == {"key": "PROJ-2"}
    assert [i["key"] for i in board.outputs(run, epic)["issues"]] == ["PROJ-2"]
    assert sent(site, "/search/jql")[0]["json"]["jql"] == 'parent = "PROJ-1"'
    puts = [r["json"] for r in site.requests if r["method"] == "PUT"]
    assert puts == [{"fields": {"parent": {"key": "PROJ-1"}}}, {"fields": {"parent": None}}]
    assert board.outputs(run, deleted)["success"] and "PROJ-3" not in site.issues
    assert sent(site, "/issue/PROJ-3")[-1]["query"] == {"deleteSubtasks": "true"}


def test_worklogs_changelogs_and_attachments(site) -> None:
    board = cloud(site)
    logged = board.step("data_atlassian_jira_add_worklog", issue_key="PROJ-1", time_spent="2h 30m",
                        comment="Pairing", started="2026-03-02T09:00:00.000+0000")
    board.step("data_atlassian_jira_add_worklog", issue_key="PROJ-1", time_spent="15m")
    logs = board.step("data_atlassian_jira_get_worklog", issue_key="PROJ-1")
    history = board.step("data_atlassian_jira_get_changelog", issue_key="PROJ-1", max_results=10)
    many = board.step("data_atlassian_jira_batch_get_changelogs", issue_keys="PROJ-1, PROJ-2")
    files = board.step("data_atlassian_jira_get_attachments", issue_key="PROJ-1")
    run = board.run()
    assert board.outputs(run, logged)["worklog"]["comment"] == "Pairing"
    assert sent(site, "/worklog")[0]["json"]["comment"]["type"] == "doc"
    assert board.outputs(run, logs)["total_time_spent"] == 9900
    changes = board.outputs(run, history)
    assert changes["total"] == 1 and changes["changelog"][0]["items"][0]["to_string"] == "In Progress"
    assert sent(site, "/PROJ-1/changelog")[0]["query"] == {"startAt": "0", "maxResults": "10"}
    assert sorted(json.loads(board.outputs(run, many)["results"])) == ["PROJ-1", "PROJ-2"]
    attached = board.outputs(run, files)["attachments"][0]
    assert (attached["filename"], attached["mime_type"]) == ("shot.png", "image/png")
    board = cloud(site)
    got = board.step("data_atlassian_jira_download_attachment", content_url=attached["content_url"])
    gone = board.step("data_atlassian_jira_delete_attachment", attachment_id="10500")
    run = board.run()
    assert base64.b64decode(board.outputs(run, got)["content"]) == b"\x89PNG attachment bytes"
    assert board.outputs(run, got)["size"] == 21 and board.outputs(run, gone)["success"]
    board = cloud(site)
    board.step("data_atlassian_jira_download_attachment", content_url="https://elsewhere.example/x")
    assert "the credentials stay home" in board.flow.failure()


def test_versions_and_batch_creation(site) -> None:
    board = cloud(site)
    made = board.step("data_atlassian_jira_create_version", name="1.0", project_key="PROJ",
                      release_date="2026-04-01")
    batch = board.step("data_atlassian_jira_batch_create_versions", versions=[
        {"project_key": "PROJ", "name": "1.1", "released": False}, {"project_key": "PROJ", "name": "1.0"}])
    board.step("data_atlassian_jira_update_version", version_id="10100", released=True, description="First")
    listed = board.step("data_atlassian_jira_get_versions", project_key="PROJ")
    issues = board.step("data_atlassian_jira_batch_create_issues", issues=[
        {"project_key": "PROJ", "summary": "One", "issue_type": "Task", "labels": ["a"]},
        {"project_key": "PROJ", "summary": "", "issue_type": "Task"}])
    run = board.run()
    assert board.outputs(run, made)["version"]["release_date"] == "2026-04-01"
    assert sent(site, "/version")[0]["json"] == {"project": "PROJ", "name": "1.0", "releaseDate": "2026-04-01",
                                                 "released": False}
    results = board.outputs(run, batch)
    assert (results["created_count"], results["failed_count"]) == (1, 1)
    assert "already exists" in results["results"][1]["error"] and results["results"][0]["version_id"] == "10101"
    update = [r["json"] for r in site.requests if r["method"] == "PUT"][0]
    assert update == {"description": "First", "released": True, "archived": False}
    assert [(v["name"], v["released"]) for v in board.outputs(run, listed)["versions"]] == [("1.0", True),
                                                                                           ("1.1", False)]
    created = board.outputs(run, issues)
    assert (created["created_count"], created["failed_count"]) == (1, 1)
    assert created["results"][0] == {"input_index": 0, "success": True, "issue_key": "PROJ-4", "error": None}
    assert "summary: You must specify a summary" in created["results"][1]["error"]


def test_agile_boards_sprints_and_backlog(site) -> None:
    board = cloud(site)
    boards = board.step("data_atlassian_jira_get_boards", project_key="PROJ", board_type="Scrum")
    sprints = board.step("data_atlassian_jira_get_sprints", board_id=3, state="active")
    made = board.step("data_atlassian_jira_create_sprint", name="Sprint 8", board_id=3, goal="Polish",
                      start_date="2026-03-09T09:00:00.000Z")
    changed = board.step("data_atlassian_jira_update_sprint", sprint_id=7, goal="Ship it")
    board.step("data_atlassian_jira_move_to_sprint", sprint_id=7, issue_keys="PROJ-1, PROJ-2")
    in_sprint = board.step("data_atlassian_jira_get_sprint_issues", sprint_id=7, jql="labels = seed")
    backlog = board.step("data_atlassian_jira_get_backlog", board_id=3, max_results=10)
    on_board = board.step("data_atlassian_jira_get_board_issues", board_id=3, max_results=1, start_at=1)
    run = board.run()
    found = board.outputs(run, boards)
    assert found["count"] == 1 and found["boards"][0] == {"id": 3, "name": "PROJ board", "board_type": "scrum",
                                                          "project_key": "PROJ", "project_name": "Project"}
    assert sent(site, "/agile/1.0/board")[0]["query"] == {"projectKeyOrId": "PROJ", "type": "scrum",
                                                            "startAt": "0", "maxResults": "50"}
    assert [s["name"] for s in board.outputs(run, sprints)["sprints"]] == ["Sprint 7"]
    assert board.outputs(run, made)["sprint"]["goal"] == "Polish"
    assert sent(site, "/agile/1.0/sprint")[0]["json"] == {"name": "Sprint 8", "goal": "Polish",
                                                          "startDate": "2026-03-09T09:00:00.000Z",
                                                          "originBoardId": 3}
    assert board.outputs(run, changed)["sprint"]["goal"] == "Ship it"
    assert sent(site, "/sprint/7")[0]["json"] == {"goal": "Ship it"}
    assert [i["key"] for i in board.outputs(run, in_sprint)["issues"]] == ["PROJ-1", "PROJ-2"]
    assert [i["key"] for i in board.outputs(run, backlog)["issues"]] == ["PROJ-3"]
    page = board.outputs(run, on_board)
    assert [i["key"] for i in page["issues"]] == ["PROJ-2"] and page["total"] == 3


def test_moving_many_issues_goes_fifty_at_a_time(site) -> None:
    board = cloud(site)
    board.step("data_atlassian_jira_move_to_sprint", sprint_id=7, issue_keys=",".join(f"X-{n}" for n in range(51)))
    board.run()
    assert [len(r["json"]["issues"]) for r in sent(site, "/sprint/7/issue")] == [50, 1]
    board = cloud(site)
    board.step("data_atlassian_jira_get_board_issues", board_id=99)
    assert "Jira Agile answered 404" in board.flow.failure()


def test_oauth_goes_through_the_gateway_and_knows_me(site) -> None:
    board = ServiceFlow("data_atlassian_provider_oauth", base_url=site.url + "/", access_token=OAUTH,
                        api_url=site.url)
    me = board.step("data_atlassian_get_me")
    user = board.step("data_atlassian_jira_get_current_user")
    issue = board.step("data_atlassian_jira_get_issue", issue_key="PROJ-1")
    page = board.step("data_atlassian_confluence_get_page", page_id="1")
    run = board.run()
    got = board.outputs(run, me)
    assert (got["account_id"], got["email"], got["name"]) == ("5b10ac8d82e05b22cc7d4ef5", EMAIL, "Ada Lovelace")
    assert got["me"]["zoneinfo"] == "Europe/London"
    assert board.outputs(run, user)["user"]["display_name"] == "Ada Lovelace"
    assert board.outputs(run, issue)["issue"]["url"] == f"{site.url}/browse/PROJ-1"
    assert board.outputs(run, page)["page"]["title"] == "Home"
    paths = [r["path"] for r in site.requests]
    assert paths[-3:] == [f"/ex/jira/{CLOUD_ID}/rest/api/3/myself", f"/ex/jira/{CLOUD_ID}/rest/api/3/issue/PROJ-1",
                          f"/ex/confluence/{CLOUD_ID}/wiki/api/v2/pages/1"]
    assert all(r["headers"]["authorization"] == f"Bearer {OAUTH}" for r in site.requests)
    assert len(sent(site, "/accessible-resources")) == 1  # four nodes use the provider: one lookup per run


def test_oauth_provider_refuses_a_site_the_token_cannot_reach(site) -> None:
    board = ServiceFlow("data_atlassian_provider_oauth", base_url="https://elsewhere.atlassian.net",
                        access_token=OAUTH, api_url=site.url)
    board.step("data_atlassian_get_me")
    failure = board.flow.failure()
    assert "cannot reach https://elsewhere.atlassian.net" in failure and "https://other.atlassian.net" in failure
    board = cloud(site)
    board.step("data_atlassian_get_me")
    assert "Get Me needs an OAuth provider" in board.flow.failure()


def test_adf_text_reads_blocks_lists_and_inline_nodes() -> None:
    doc = {"type": "doc", "version": 1, "content": [
        {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Steps"}]},
        {"type": "paragraph", "content": [{"type": "text", "text": "Ask "},
                                          {"type": "mention", "attrs": {"id": "1", "text": "@Ada"}},
                                          {"type": "hardBreak"}, {"type": "text", "text": "then wait"}]},
        {"type": "bulletList", "content": [
            {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "one"}]}]},
            {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "two"}]}]}]}]}
    assert atlassian.adf_text(doc) == "Steps\nAsk @Ada\nthen wait\none\ntwo"
    assert atlassian.adf_text("plain") == "plain" and atlassian.adf_text(None) == ""


def test_data_center_projects_changelog_and_epics(site) -> None:
    board = ServiceFlow("data_atlassian_provider_api_token", base_url=site.url, api_token=PAT, is_cloud=False)
    projects = board.step("data_atlassian_jira_list_projects", query="proj")
    history = board.step("data_atlassian_jira_get_changelog", issue_key="PROJ-1")
    board.step("data_atlassian_jira_link_to_epic", issue_key="PROJ-2", epic_key="PROJ-1")
    linked = board.step("data_atlassian_jira_get_issue", issue_key="PROJ-2")
    board.step("data_atlassian_jira_unlink_from_epic", issue_key="PROJ-2")
    run = board.run()
    assert [p["key"] for p in board.outputs(run, projects)["projects"]] == ["PROJ"]
    assert board.outputs(run, history)["changelog"][0]["items"][0]["from_string"] == "To Do"
    assert sent(site, "/rest/api/2/issue/PROJ-1")[0]["query"] == {"expand": "changelog", "fields": "summary"}
    assert board.outputs(run, linked)["issue"]["fields"]["parent"] == {"key": "PROJ-1"}
    assert [r["path"] for r in site.requests if "/epic/" in r["path"]] == ["/rest/agile/1.0/epic/PROJ-1/issue",
                                                                         "/rest/agile/1.0/epic/none/issue"]
    assert site.issues["PROJ-2"]["fields"]["parent"] is None


def test_batch_create_goes_fifty_at_a_time_and_reports_a_batch_that_all_failed(site) -> None:
    specs = [{"project_key": "PROJ", "summary": f"Bulk {n}", "issue_type": "Task"} for n in range(50)]
    found = one(cloud(site), "data_atlassian_jira_batch_create_issues", issues=[*specs, {"project_key": "PROJ"}])
    assert (found["created_count"], found["failed_count"]) == (50, 1)
    assert found["results"][50]["input_index"] == 50 and "summary" in found["results"][50]["error"]
    assert [len(r["json"]["issueUpdates"]) for r in sent(site, "/issue/bulk")] == [50, 1]
