"""Teams, To Do, Planner and OneNote nodes against a local server speaking Microsoft Graph's wire format."""

from __future__ import annotations

from fake_graph import failing, graph_flow, one, sent

GENERAL = "19:general@thread.tacv2"


def test_teams_channels_and_messages(graph) -> None:
    teams = one(graph, "data_microsoft_teams_list_joined")
    assert [t["displayName"] for t in teams["teams"]] == ["Engineering", "Sales"]
    channels = one(graph, "data_microsoft_teams_list_channels", team_id="team-1")
    assert channels["channels"][0]["id"] == GENERAL
    sent_id = one(graph, "data_microsoft_teams_send_message", team_id="team-1", channel_id=GENERAL,
                  message="<b>Deployed</b>", content_type="html")["message_id"]
    post = sent(graph)
    assert post["raw_path"] == "/v1.0/teams/team-1/channels/19%3Ageneral%40thread.tacv2/messages"
    assert post["json"] == {"body": {"contentType": "html", "content": "<b>Deployed</b>"}}
    latest = one(graph, "data_microsoft_teams_get_messages", team_id="team-1", channel_id=GENERAL, top=2)
    assert [m["id"] for m in latest["messages"]] == [sent_id, "1700000000003"] and latest["count"] == 2
    every = one(graph, "data_microsoft_teams_get_messages", team_id="team-1", channel_id=GENERAL, top=0)
    assert every["count"] == 4 and sent(graph)["query"]["$top"] == "50"  # Graph's largest page for messages
    assert "404" in failing(graph, "data_microsoft_teams_list_channels", team_id="nope")


def test_create_team_and_channel(graph) -> None:
    team_id = one(graph, "data_microsoft_teams_create_team", display_name="Ops", description="On call")["team_id"]
    assert sent(graph)["json"] == {"template@odata.bind": f"{graph.url}/teamsTemplates('standard')",
                                   "displayName": "Ops", "description": "On call", "visibility": "private"}
    assert team_id in {t["id"] for t in graph.state.teams}
    channel = one(graph, "data_microsoft_teams_create_channel", team_id=team_id, display_name="Alerts",
                  membership_type="private")["channel"]
    assert channel["displayName"] == "Alerts" and channel["membershipType"] == "private"
    flow = graph_flow(graph)
    flow.call("data_microsoft_teams_send_message", team_id="t", channel_id="c", message="x", content_type="md")
    assert "content_type must be text or html" in flow.failure()


def test_todo(graph) -> None:
    made = one(graph, "data_microsoft_todo_create_list", display_name="Groceries")["task_list"]
    assert one(graph, "data_microsoft_todo_list_lists")["count"] == 2
    task = one(graph, "data_microsoft_todo_create_task", list_id=made["id"], title="Bread", body="Rye",
               importance="high", due_date="2026-03-07")["task"]
    assert sent(graph)["json"] == {"title": "Bread", "importance": "high",
                                   "body": {"content": "Rye", "contentType": "text"},
                                   "dueDateTime": {"dateTime": "2026-03-07T00:00:00", "timeZone": "UTC"}}
    updated = one(graph, "data_microsoft_todo_update_task", list_id=made["id"], task_id=task["id"], title="Rye bread",
                  status="inProgress")["task"]
    assert sent(graph)["json"] == {"title": "Rye bread", "status": "inProgress"} and updated["title"] == "Rye bread"
    done = one(graph, "data_microsoft_todo_complete_task", list_id=made["id"], task_id=task["id"])["task"]
    assert done["status"] == "completed" and sent(graph)["method"] == "PATCH"
    assert one(graph, "data_microsoft_todo_list_tasks", list_id=made["id"])["tasks"][0]["status"] == "completed"
    one(graph, "data_microsoft_todo_delete_task", list_id=made["id"], task_id=task["id"])
    assert one(graph, "data_microsoft_todo_list_tasks", list_id=made["id"])["count"] == 0
    flow = graph_flow(graph)
    flow.call("data_microsoft_todo_update_task", list_id="l", task_id="t", status="done")
    assert "status must be one of notStarted" in flow.failure()


def test_planner(graph) -> None:
    plans = one(graph, "data_microsoft_planner_list_my_plans")["plans"]
    assert one(graph, "data_microsoft_planner_get_plan", plan_id=plans[0]["id"])["plan"]["title"] == "Launch"
    bucket = one(graph, "data_microsoft_planner_create_bucket", plan_id="plan-1", name="Doing")["bucket"]
    assert sent(graph)["json"] == {"planId": "plan-1", "name": "Doing", "orderHint": " !"}
    assert one(graph, "data_microsoft_planner_list_buckets", plan_id="plan-1")["count"] == 2
    task = one(graph, "data_microsoft_planner_create_task", plan_id="plan-1", title="Demo", bucket_id=bucket["id"],
               due_date="2026-03-10", priority=1)["task"]
    assert sent(graph)["json"] == {"planId": "plan-1", "title": "Demo", "priority": 1, "bucketId": bucket["id"],
                                   "dueDateTime": "2026-03-10T00:00:00Z"}
    assert one(graph, "data_microsoft_planner_list_tasks", plan_id="plan-1")["count"] == 3
    assert [t["title"] for t in one(graph, "data_microsoft_planner_list_my_tasks")["tasks"]] == ["Write docs"]
    one(graph, "data_microsoft_planner_update_task", task_id=task["id"], etag=task["@odata.etag"],
        percent_complete=50)
    assert sent(graph)["json"] == {"percentComplete": 50} and sent(graph)["headers"]["if-match"] == 'W/"etag-1"'
    stale = failing(graph, "data_microsoft_planner_update_task", task_id=task["id"], etag=task["@odata.etag"],
                    title="Again")
    assert "412" in stale and "If-Match" in stale
    flow = graph_flow(graph)
    flow.call("data_microsoft_planner_create_task", plan_id="plan-1", title="x", priority=11)
    assert "priority must be 0 to 10" in flow.failure()


def test_onenote(graph) -> None:
    notebook = one(graph, "data_microsoft_onenote_create_notebook", display_name="Research")["notebook"]
    assert "409" in failing(graph, "data_microsoft_onenote_create_notebook", display_name="Research")
    assert one(graph, "data_microsoft_onenote_list_notebooks")["count"] == 2
    section = one(graph, "data_microsoft_onenote_create_section", notebook_id=notebook["id"],
                  display_name="Ideas")["section"]
    assert one(graph, "data_microsoft_onenote_list_sections", notebook_id=notebook["id"])["count"] == 1
    page = one(graph, "data_microsoft_onenote_create_page", section_id=section["id"], title="R&D <plans>",
               content="<p>First idea</p>")["page"]
    post = sent(graph)
    assert post["headers"]["content-type"] == "application/xhtml+xml"
    assert "<title>R&amp;D &lt;plans&gt;</title>" in post["body"].decode() and page["title"] == "R&amp;D &lt;plans&gt;"
    assert one(graph, "data_microsoft_onenote_list_pages", section_id=section["id"])["count"] == 1
    html = one(graph, "data_microsoft_onenote_get_page_content", page_id=page["id"])["content"]
    assert "<p>First idea</p>" in html
    one(graph, "data_microsoft_onenote_delete_page", page_id=page["id"])
    assert one(graph, "data_microsoft_onenote_list_pages", section_id=section["id"])["count"] == 0
