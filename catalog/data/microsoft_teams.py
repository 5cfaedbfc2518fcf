"""Microsoft Teams through Microsoft Graph: the teams the user is in, their channels, and channel messages (read
and post); making teams and channels."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.data.microsoft import COUNT, Graph, GraphNode, id_in_location, listed, segment, struct_out
from flowlike_catalog.web.service_pins import int_in, text_in, text_out

CATEGORY = "Data/Microsoft/Teams"
CAPABILITIES = ("network",)

TEAM_ID = text_in("team_id")
CHANNEL_ID = text_in("channel_id")
MESSAGES_PAGE = 50
"""Graph gives at most 50 channel messages a page."""


def channel_path(team_id: str, channel_id: str = "", rest: str = "") -> str:
    path = f"/teams/{segment(team_id, 'team_id')}/channels"
    return path + (f"/{segment(channel_id, 'channel_id')}" if channel_id else "") + rest


class ListJoined(GraphNode):
    name = "data_microsoft_teams_list_joined"
    friendly_name = "List Joined Teams"
    description = "The teams the signed-in user is a member of."
    outputs = (struct_out("teams", array=True, description="Graph's teams"), COUNT)

    async def call(self, graph: Graph) -> dict[str, Any]:
        return listed("teams", await graph.list("/me/joinedTeams"))


class ListChannels(GraphNode):
    name = "data_microsoft_teams_list_channels"
    friendly_name = "List Team Channels"
    description = "A team's channels."
    inputs = (TEAM_ID,)
    outputs = (struct_out("channels", array=True, description="Graph's channels"), COUNT)

    async def call(self, graph: Graph, *, team_id: str) -> dict[str, Any]:
        return listed("channels", await graph.list(channel_path(team_id)))


class GetMessages(GraphNode):
    name = "data_microsoft_teams_get_messages"
    friendly_name = "Get Channel Messages"
    description = "A channel's messages (without their replies), newest first."
    inputs = (TEAM_ID, CHANNEL_ID, int_in("top", 50, "At most this many (0: all)"))
    outputs = (struct_out("messages", array=True, description="Graph's chatMessages"), COUNT)

    async def call(self, graph: Graph, *, team_id: str, channel_id: str, top: int) -> dict[str, Any]:
        path = channel_path(team_id, channel_id, "/messages")
        return listed("messages", await graph.list(path, {"$top": min(top or MESSAGES_PAGE, MESSAGES_PAGE)}, top))


class SendMessage(GraphNode):
    name = "data_microsoft_teams_send_message"
    friendly_name = "Send Channel Message"
    description = "Posts a message to a channel (content_type text or html)."
    inputs = (TEAM_ID, CHANNEL_ID, text_in("message"), text_in("content_type", "text", "text or html"))
    outputs = (text_out("message_id"),)

    async def call(self, graph: Graph, *, team_id: str, channel_id: str, message: str,
                   content_type: str) -> dict[str, Any]:
        if content_type not in ("text", "html"):
            raise ValueError(f"content_type must be text or html, got {content_type!r}")
        sent = await graph.call("POST", channel_path(team_id, channel_id, "/messages"),
                                body={"body": {"contentType": content_type, "content": message}})
        return {"message_id": sent["id"]}


class CreateTeam(GraphNode):
    name = "data_microsoft_teams_create_team"
    friendly_name = "Create Team"
    description = ("Makes a team from the standard template (visibility private or public). Graph makes it in the "
                   "background: the id is there at once, the team a little later.")
    inputs = (text_in("display_name"), text_in("description", ""), text_in("visibility", "private"))
    outputs = (text_out("team_id"),)

    async def call(self, graph: Graph, *, display_name: str, description: str, visibility: str) -> dict[str, Any]:
        if not display_name:
            raise ValueError("display_name is required")
        body = {"template@odata.bind": f"{graph.provider.base_url}/teamsTemplates('standard')",
                "displayName": display_name, "description": description, "visibility": visibility}
        response = await graph.send("POST", graph.url("/teams"), body=body)
        where = response.headers.get("content-location") or response.headers.get("location", "")
        return {"team_id": id_in_location(where, "teams")}


class CreateChannel(GraphNode):
    name = "data_microsoft_teams_create_channel"
    friendly_name = "Create Channel"
    description = "Adds a channel to a team (membership_type standard, private or shared)."
    inputs = (TEAM_ID, text_in("display_name"), text_in("description", ""), text_in("membership_type", "standard"))
    outputs = (struct_out("channel", description="Graph's channel"),)

    async def call(self, graph: Graph, *, team_id: str, display_name: str, description: str,
                   membership_type: str) -> dict[str, Any]:
        body = {"displayName": display_name, "description": description, "membershipType": membership_type}
        return {"channel": await graph.call("POST", channel_path(team_id), body=body)}
