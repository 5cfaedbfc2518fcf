"""Microsoft 365 Copilot through Microsoft Graph's Copilot APIs: the interaction history (prompts and answers, for
compliance and analytics), change notifications for it, AI insights of Teams meetings (notes, action items) and
the Copilot Search API (hybrid search over OneDrive, in preview: called on Graph's /beta). They need Copilot
licences and the permissions Graph documents for each."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.data.microsoft import (
    COUNT,
    PROVIDER,
    Graph,
    GraphError,
    GraphNode,
    csv_list,
    listed,
    odata_string,
    segment,
    struct_out,
)
from flowlike_catalog.web.errors import routed
from flowlike_catalog.web.http import ServiceFailure
from flowlike_catalog.web.service_pins import bool_in, int_in, text_in, text_out

from flowlike_core import Context, DataType, NodeType, Pin, ValueType, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Data/Microsoft/Copilot"
CAPABILITIES = ("network",)

INTERACTIONS = struct_out("interactions", array=True, description="Graph's aiInteractions")
USER_ID = text_in("user_id", "", "The meeting organizer's user id; empty: the signed-in user")


async def user_of(graph: Graph, user_id: str) -> str:
    """The given user id, or the signed-in user's (Graph's /me)."""
    return user_id or (await graph.call("GET", "/me", params={"$select": "id"}))["id"]


class GetInteractions(GraphNode):
    name = "data_microsoft_copilot_get_interactions"
    friendly_name = "Get Copilot Interactions"
    description = ("A user's Copilot prompts and answers across Microsoft 365 apps, optionally of one app class "
                   "(like IPM.SkypeTeams.Message.Copilot.Word).")
    inputs = (text_in("user_id"), text_in("app_class_filter", ""), int_in("top", 100, "At most this many (0: all)"),
              bool_in("use_beta", False, "Call Graph's /beta version of the API"))
    outputs = (INTERACTIONS, COUNT)

    async def call(self, graph: Graph, *, user_id: str, app_class_filter: str, top: int,
                   use_beta: bool) -> dict[str, Any]:
        path = f"/copilot/users/{segment(user_id, 'user_id')}/interactionHistory/getAllEnterpriseInteractions"
        params = {"$top": min(top, 100) if top else "",
                  "$filter": f"appClass eq {odata_string(app_class_filter)}" if app_class_filter else ""}
        return listed("interactions", await graph.list(path, params, top, beta=use_beta))


class Filtered(NamedTuple):
    filtered: Annotated[list[dict], Pin(description="The interactions of that type")]
    count: int


@node(friendly_name="Filter Copilot Interactions", exec_pins=True)
def data_microsoft_copilot_filter_interactions(
    interactions: Annotated[list[dict], Pin(description="From Get Copilot Interactions")],
    interaction_type: Annotated[str, Pin(description="userPrompt or aiResponse")] = "aiResponse",
) -> Filtered:
    """Keeps the interactions of one type: the users' prompts (userPrompt) or Copilot's answers (aiResponse)."""
    kept = [item for item in interactions if item.get("interactionType") == interaction_type]
    return Filtered(kept, len(kept))


class ListMeetingInsights(GraphNode):
    name = "data_microsoft_copilot_list_meeting_insights"
    friendly_name = "List Meeting Insights"
    description = "The sets of AI insights Copilot made of an online meeting (after it ended and was transcribed)."
    inputs = (text_in("meeting_id", description="The onlineMeeting's id"), USER_ID)
    outputs = (struct_out("insights", array=True, description="Graph's callAiInsights"), COUNT)

    async def call(self, graph: Graph, *, meeting_id: str, user_id: str) -> dict[str, Any]:
        user = segment(await user_of(graph, user_id), "user_id")
        path = f"/copilot/users/{user}/onlineMeetings/{segment(meeting_id, 'meeting_id')}/aiInsights"
        return listed("insights", await graph.list(path))


class GetMeetingInsight(GraphNode):
    name = "data_microsoft_copilot_get_meeting_insight"
    friendly_name = "Get Meeting Insight"
    description = "One set of a meeting's AI insights: its notes and action items."
    inputs = (text_in("meeting_id"), text_in("insight_id"), USER_ID)
    outputs = (struct_out("insight", description="Graph's callAiInsight"),
               struct_out("action_items", array=True, description="Graph's actionItems"),
               struct_out("meeting_notes", array=True, description="Graph's meetingNotes"))

    async def call(self, graph: Graph, *, meeting_id: str, insight_id: str, user_id: str) -> dict[str, Any]:
        user = segment(await user_of(graph, user_id), "user_id")
        insight = await graph.call("GET", f"/copilot/users/{user}/onlineMeetings/{segment(meeting_id, 'meeting_id')}"
                                          f"/aiInsights/{segment(insight_id, 'insight_id')}")
        return {"insight": insight, "action_items": insight.get("actionItems") or [],
                "meeting_notes": insight.get("meetingNotes") or []}


class SemanticSearch(GraphNode):
    name = "data_microsoft_copilot_semantic_search"
    friendly_name = "Copilot Search"
    description = ("Hybrid (semantic and keyword) search of the user's OneDrive with a natural-language query, "
                   "optionally narrowed by a KQL filter expression, with the named metadata of each hit.")
    inputs = (text_in("query"), int_in("page_size", 25, "1 to 100"),
              text_in("filter_expression", "", "KQL, like path:\"https://contoso-my.sharepoint.com/...\""),
              text_in("resource_metadata", "", "Comma-separated metadata names, like title,author"))
    outputs = (struct_out("results", array=True, description="The searchHits (webUrl, preview, resourceType...)"),
               data_out("total_count", DataType.INTEGER))

    async def call(self, graph: Graph, *, query: str, page_size: int, filter_expression: str,
                   resource_metadata: str) -> dict[str, Any]:
        if not query:
            raise ValueError("query is required")
        if not 1 <= page_size <= 100:
            raise ValueError(f"page_size must be 1 to 100, got {page_size}")
        body: dict[str, Any] = {"query": query, "pageSize": page_size}
        one_drive = {"filterExpression": filter_expression} if filter_expression else {}
        one_drive |= {"resourceMetadataNames": csv_list(resource_metadata)} if csv_list(resource_metadata) else {}
        if one_drive:
            body["dataSources"] = {"oneDrive": one_drive}
        found = await graph.call("POST", "/copilot/search", body=body, beta=True)
        hits = found.get("searchHits") or []
        return {"results": hits, "total_count": found.get("totalCount", len(hits))}


class SubscribeNotifications(GraphNode):
    name = "data_microsoft_copilot_subscribe_notifications"
    friendly_name = "Subscribe Copilot Notifications"
    description = ("Asks Graph to notify notification_url (which must answer Graph's validation request) of new "
                   "Copilot interactions: of one user, or of the whole tenant when user_id is empty. A subscription "
                   "longer than an hour also sends lifecycle notifications there.")
    inputs = (text_in("notification_url", description="An https endpoint of yours"),
              int_in("expiration_minutes", 4230), text_in("client_state", "", "Sent back in each notification"),
              text_in("user_id", "", "Empty: every user's interactions"))
    outputs = (text_out("subscription_id"), text_out("expiration_date_time"))

    async def call(self, graph: Graph, *, notification_url: str, expiration_minutes: int, client_state: str,
                   user_id: str) -> dict[str, Any]:
        if not notification_url:
            raise ValueError("notification_url is required")
        if expiration_minutes <= 0:
            raise ValueError(f"expiration_minutes must be above 0, got {expiration_minutes}")
        scope = f"/copilot/users/{segment(user_id, 'user_id')}" if user_id else "/copilot"
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=expiration_minutes)
        body: dict[str, Any] = {"changeType": "created", "notificationUrl": notification_url,
                                "resource": f"{scope}/interactionHistory/getAllEnterpriseInteractions",
                                "expirationDateTime": expires.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"}
        if client_state:
            body["clientState"] = client_state
        if expiration_minutes > 60:
            body["lifecycleNotificationUrl"] = notification_url
        made = await graph.call("POST", "/subscriptions", body=body)
        return {"subscription_id": made["id"], "expiration_date_time": made["expirationDateTime"]}


async def server_sent_events(response: Any) -> AsyncIterator[dict[str, Any]]:
    """The JSON `data` of each server-sent event of a streamed answer."""
    import httpx

    data: list[str] = []
    lines = aiter(response.aiter_lines())
    while True:
        try:
            line = await anext(lines)
        except StopAsyncIteration:
            break
        except httpx.TransportError as exc:
            raise GraphError(f"Copilot's answer stream broke off: {exc}") from None
        if line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
        elif not line and data:
            yield event_json(data)
            data = []
    if data:
        yield event_json(data)


def event_json(data: list[str]) -> dict[str, Any]:
    try:
        return json.loads("\n".join(data))
    except ValueError:
        raise GraphError(f"Copilot sent an event that is not JSON: {data[0][:100]!r}") from None


def answer_of(conversation: dict[str, Any]) -> dict[str, Any]:
    """Copilot's (last) answer in a conversation snapshot, the user's own message left out."""
    answers = [m for m in conversation.get("messages") or [] if "ResponseMessage" in m.get("@odata.type", "")]
    return answers[-1] if answers else {}


class CopilotChat(NodeType):
    name = "data_microsoft_copilot_chat"
    friendly_name = "Copilot Chat"
    description = ("Asks Microsoft 365 Copilot (the Chat API, in preview: called on Graph's /beta) in a new "
                   "conversation or a given one, grounded in the user's Microsoft 365 data, the files named, extra "
                   "context and the web. Streams the answer through On Stream when that is wired, then fires Done.")
    pins = (exec_in(), PROVIDER, text_in("prompt"),
            data_in("additional_context", DataType.STRING, ValueType.ARRAY, default=[],
                    description="Extra grounding text"),
            data_in("file_urls", DataType.STRING, ValueType.ARRAY, default=[],
                    description="OneDrive or SharePoint file URLs to ground the answer in"),
            bool_in("web_grounding", True, "Let Copilot search the web"),
            text_in("timezone", "", "The user's IANA time zone (UTC when empty)"),
            text_in("conversation_id", "", "Continue this conversation; empty: a new one"),
            exec_out("on_stream", "On Stream"),
            data_out("chunk", DataType.STRUCT, description="The new text of the answer (an llm ResponseChunk)"),
            exec_out("done", "Done"),
            exec_out("error", "Error", "Microsoft Graph answered with an error, or could not be reached"),
            data_out("result", DataType.STRUCT, description="The whole answer (an llm Response)"),
            struct_out("response", description="Graph's copilotConversation as it ended"),
            struct_out("attachments", array=True, description="The answer's attributions (citations, annotations)"),
            text_out("new_conversation_id", "To continue the conversation"),
            data_out("error_message", DataType.STRING, description="What went wrong"))

    async def run(self, ctx: Context, *, provider: Any, prompt: str, additional_context: list[str],
                  file_urls: list[str], web_grounding: bool, timezone: str, conversation_id: str) -> None:
        from flowlike_catalog.llm.structs import Choice, Response, ResponseChunk, ResponseMessage

        graph = Graph(ctx, provider)
        if not prompt:
            raise ValueError("prompt is required")
        body: dict[str, Any] = {"message": {"text": prompt}, "locationHint": {"timeZone": timezone or "UTC"}}
        if additional_context:
            body["additionalContext"] = [{"text": text} for text in additional_context]
        resources: dict[str, Any] = {"files": [{"uri": url} for url in file_urls]} if file_urls else {}
        if not web_grounding:
            resources["webContext"] = {"isWebEnabled": False}
        if resources:
            body["contextualResources"] = resources
        text, conversation, streaming = "", {}, ctx.is_wired("on_stream")
        try:
            if not conversation_id:
                conversation_id = (await graph.call("POST", "/copilot/conversations", body={}, beta=True))["id"]
            url = graph.url(f"/copilot/conversations/{segment(conversation_id, 'conversation_id')}/chatOverStream",
                            beta=True)
            async with graph.stream("POST", url, body=body) as response:
                async for conversation in server_sent_events(response):
                    latest = answer_of(conversation).get("text") or ""
                    delta = latest[len(text):] if latest.startswith(text) else latest
                    text = latest
                    if delta and streaming:
                        ctx.set_output("chunk", ResponseChunk(content=delta))
                        ctx.progress(0.0, message=delta)
                        await ctx.fire("on_stream")
        except (GraphError, ServiceFailure, OSError) as exc:
            routed(ctx, "error", exc, "error_message")
            return
        answer = ResponseMessage(content=text)
        ctx.set_output("result", Response(id=conversation.get("id", conversation_id), model="microsoft-copilot",
                                          choices=[Choice(finish_reason="stop", message=answer)]))
        ctx.set_output("response", conversation)
        ctx.set_output("attachments", answer_of(conversation).get("attributions") or [])
        ctx.set_output("new_conversation_id", conversation.get("id", conversation_id))
        ctx.activate("done")
