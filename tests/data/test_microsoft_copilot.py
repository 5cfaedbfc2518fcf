"""Microsoft Search and Copilot nodes against a local server speaking Microsoft Graph's wire format."""

from __future__ import annotations

import datetime as dt

from data_boards import REGISTRY
from fake_graph import failing, graph_flow, one, sent
from flowlike_catalog.data import microsoft_copilot

from flowlike_core import Listener


def test_graph_search(graph) -> None:
    found = one(graph, "data_microsoft_graph_search", query="notes", size=1)
    assert sent(graph)["json"] == {"requests": [{"entityTypes": ["driveItem"], "query": {"queryString": "notes"},
                                                 "from": 0, "size": 1}]}
    assert (found["count"], found["total"], found["more_results"]) == (1, 2, True)
    assert found["results"][0]["resource"]["name"] == "notes.txt" and found["results"][0]["rank"] == 1
    rest = one(graph, "data_microsoft_graph_search", query="notes", size=1, **{"from": 1})
    assert rest["results"][0]["resource"]["name"] == "plan notes.txt" and rest["more_results"] is False
    mail = one(graph, "data_microsoft_graph_search", query="invoice", entity_types="message", fields="subject,from")
    assert mail["results"][0]["hitId"] == "msg-2" and sent(graph)["json"]["requests"][0]["fields"] == ["subject",
                                                                                                      "from"]
    refused = failing(graph, "data_microsoft_graph_search", query="x", entity_types="message, driveItem")
    assert "400" in refused and "cannot be combined" in refused
    flow = graph_flow(graph)
    flow.call("data_microsoft_graph_search", query="x", entity_types="files")
    assert "unknown: files" in flow.failure()


def test_interactions_and_filter(graph) -> None:
    flow = graph_flow(graph)
    got = flow.call("data_microsoft_copilot_get_interactions", user_id="user-1", top=0)
    kept = flow.step("data_microsoft_copilot_filter_interactions", interactions=(got, "interactions"))
    run = flow.run()
    assert run.output(got.id, "count") == 3 and len(graph.state.requests) == 2  # two pages of 2
    assert [i["id"] for i in run.output(kept.id, "filtered")] == ["i2"] and run.output(kept.id, "count") == 1
    assert graph.state.requests[0]["path"] == ("/v1.0/copilot/users/user-1/interactionHistory/"
                                               "getAllEnterpriseInteractions")
    word = one(graph, "data_microsoft_copilot_get_interactions", user_id="user-1", use_beta=True,
               app_class_filter="IPM.SkypeTeams.Message.Copilot.Word", top=1)
    assert [i["id"] for i in word["interactions"]] == ["i1"]
    assert sent(graph)["path"].startswith("/beta/copilot/users/user-1/")
    assert sent(graph)["raw_query"] == "$top=1&$filter=appClass%20eq%20'IPM.SkypeTeams.Message.Copilot.Word'"
    prompts = microsoft_copilot.data_microsoft_copilot_filter_interactions.func(
        [{"interactionType": "userPrompt"}, {"interactionType": "aiResponse"}], "userPrompt")
    assert prompts.count == 1


def test_meeting_insights(graph) -> None:
    listed = one(graph, "data_microsoft_copilot_list_meeting_insights", meeting_id="meet-1")
    assert listed["count"] == 1 and [r["path"] for r in graph.state.requests] == [
        "/v1.0/me", "/v1.0/copilot/users/user-1/onlineMeetings/meet-1/aiInsights"]
    got = one(graph, "data_microsoft_copilot_get_meeting_insight", meeting_id="meet-1", insight_id="ins-1",
              user_id="user-1")
    assert got["action_items"][0]["title"] == "Send budget" and got["meeting_notes"][0]["title"] == "Budget"
    assert got["insight"]["callId"] == "call-1"
    assert sent(graph)["path"] == "/v1.0/copilot/users/user-1/onlineMeetings/meet-1/aiInsights/ins-1"
    assert sent(graph, -2)["path"].endswith("/aiInsights")  # a given user_id needs no /me
    assert "404" in failing(graph, "data_microsoft_copilot_list_meeting_insights", meeting_id="nope")


def test_copilot_search(graph) -> None:
    found = one(graph, "data_microsoft_copilot_semantic_search", query="budget plan", page_size=5,
                filter_expression='path:"https://contoso-my.sharepoint.com/Documents/"',
                resource_metadata="title, author")
    assert sent(graph)["path"] == "/beta/copilot/search"
    assert sent(graph)["json"] == {"query": "budget plan", "pageSize": 5, "dataSources": {"oneDrive": {
        "filterExpression": 'path:"https://contoso-my.sharepoint.com/Documents/"',
        "resourceMetadataNames": ["title", "author"]}}}
    assert found["total_count"] == 2
    assert {hit["resourceMetadata"]["title"] for hit in found["results"]} == {"plan notes.txt", "budget.xlsx"}
    flow = graph_flow(graph)
    flow.call("data_microsoft_copilot_semantic_search", query="x", page_size=0)
    assert "page_size must be 1 to 100" in flow.failure()


def test_subscribe_notifications(graph) -> None:
    made = one(graph, "data_microsoft_copilot_subscribe_notifications", notification_url="https://hooks.x.org/copilot",
               client_state="s3cret")
    body = sent(graph)["json"]
    assert body["resource"] == "/copilot/interactionHistory/getAllEnterpriseInteractions"
    assert body["lifecycleNotificationUrl"] == "https://hooks.x.org/copilot" and body["clientState"] == "s3cret"
    expires = dt.datetime.fromisoformat(made["expiration_date_time"].replace("Z", "+00:00"))
    assert dt.timedelta(minutes=4220) < expires - dt.datetime.now(dt.UTC) < dt.timedelta(minutes=4231)
    assert made["subscription_id"] == graph.state.subscriptions[0]["id"]
    one(graph, "data_microsoft_copilot_subscribe_notifications", notification_url="https://hooks.x.org/c",
        expiration_minutes=30, user_id="user-1")
    body = sent(graph)["json"]
    assert body["resource"] == "/copilot/users/user-1/interactionHistory/getAllEnterpriseInteractions"
    assert "lifecycleNotificationUrl" not in body and "clientState" not in body


def test_copilot_chat_streams_and_continues(graph) -> None:
    flow = graph_flow(graph)
    chat = flow.call("data_microsoft_copilot_chat", prompt="Summarize the plan", file_urls=["https://x/plan.docx"],
                     additional_context=["Q2 only"], web_grounding=False, timezone="Europe/Berlin")
    log = flow.add("log_info", message="chunk")
    flow.wire(chat, "on_stream", log, "exec_in")
    streamed: list[str] = []

    class Progress(Listener):
        def progress(self, run, node_id, fraction, message):
            streamed.append(message)

    run = flow.board.run(registry=REGISTRY, listeners=[Progress()]).raise_for_status()
    assert streamed == ["Turn 1:", " you asked", " 'Summarize the plan' [1]"] and run.executions(log.id) == 3
    assert run.output(chat.id, "chunk").content == " 'Summarize the plan' [1]"
    result = run.output(chat.id, "result")
    assert result.content() == "Turn 1: you asked 'Summarize the plan' [1]" and result.model == "microsoft-copilot"
    assert run.output(chat.id, "attachments")[0]["seeMoreWebUrl"] == "https://contoso.sharepoint.com/plan.docx"
    conversation = run.output(chat.id, "new_conversation_id")
    assert [r["path"] for r in graph.state.requests] == ["/beta/copilot/conversations",
                                                        f"/beta/copilot/conversations/{conversation}/chatOverStream"]
    assert graph.state.requests[1]["json"] == {
        "message": {"text": "Summarize the plan"}, "locationHint": {"timeZone": "Europe/Berlin"},
        "additionalContext": [{"text": "Q2 only"}],
        "contextualResources": {"files": [{"uri": "https://x/plan.docx"}], "webContext": {"isWebEnabled": False}}}
    again = one(graph, "data_microsoft_copilot_chat", prompt="And then?", conversation_id=conversation)
    assert again["result"].content().startswith("Turn 2:") and again["new_conversation_id"] == conversation
    assert "chunk" not in again  # On Stream not wired: no chunks
    assert "404" in failing(graph, "data_microsoft_copilot_chat", prompt="x", conversation_id="gone")


def test_copilot_chat_stream_broken_off_fires_error(graph) -> None:
    message = failing(graph, "data_microsoft_copilot_chat", prompt="break off")
    assert message.startswith("Copilot's answer stream broke off: peer closed connection")
