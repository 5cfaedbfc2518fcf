"""Discord bots through Discord's REST API v10 (https://discord.com/developers/docs/reference): the session,
the one request every Discord node makes, and messages, reactions, channels, threads and direct messages.

A chat event from a Discord bot carries a local session (bot token, guild, channel, message); To Discord
Session turns it into the session struct the other nodes take (the token a secret; `api_url` may point at
another server). Nodes act on the session's channel and message unless given others. Discord's errors
(`{"message": ..., "code": ...}`) fail the node with Discord's message, which On Error routes; a rate limit
(429) is waited out once, as Discord's `retry_after` says.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

from flowlike_catalog.web.http import answer_json, client, unsendable_secret
from pydantic import BaseModel, ConfigDict, SecretStr

from flowlike_core import Context, Pin, node

CATEGORY = "Discord"
CAPABILITIES = ("network",)
API_URL = "https://discord.com/api/v10"
MAX_RATE_LIMIT_WAIT = 10.0


class DiscordUser(BaseModel):
    """A Discord account."""

    id: str = ""
    name: str = ""
    discriminator: str | None = None
    is_bot: bool = False
    avatar_url: str | None = None


class DiscordSession(BaseModel):
    """A bot and the channel (and message) it is talking about."""

    model_config = ConfigDict(frozen=True)
    bot_token: SecretStr
    api_url: str = API_URL
    guild_id: str | None = None
    channel_id: str = ""
    message_id: str = ""
    bot_user_id: str | None = None
    user: DiscordUser | None = None


class DiscordChannel(BaseModel):
    """The essentials of a channel."""

    id: str
    name: str = ""
    channel_type: str = ""
    guild_id: str | None = None
    topic: str | None = None
    nsfw: bool = False


SessionIn = Annotated[DiscordSession, Pin(description="From To Discord Session")]
ChannelIn = Annotated[str, Pin(description="The channel; the session's when empty")]
MessageIn = Annotated[str, Pin(description="The message; the session's when empty")]
MessageId = Annotated[str, Pin(name="message_id")]
CHANNEL_TYPES = {0: "text", 1: "dm", 2: "voice", 3: "group_dm", 4: "category", 5: "news", 10: "news_thread",
                 11: "public_thread", 12: "private_thread", 13: "stage", 15: "forum", 16: "media"}


class DiscordError(RuntimeError):
    """Discord answered with an error status (its message and code are in the text)."""


async def discord_api(ctx: Context, session: DiscordSession, method: str, path: str, body: Any = None, *,
                      params: dict[str, Any] | None = None, files: list[tuple[str, bytes]] | None = None) -> Any:
    """One REST request with the bot's token; the decoded JSON answer (None for 204). With files the request is
    multipart: the JSON body as `payload_json`, the files as `files[n]`."""
    import httpx

    request: dict[str, Any] = {"params": {k: v for k, v in (params or {}).items() if v not in (None, "")}}
    if files:
        request["data"] = {"payload_json": json.dumps(body or {})}
        request["files"] = [(f"files[{n}]", (name, content)) for n, (name, content) in enumerate(files)]
    elif body is not None:
        request["json"] = body
    unsendable_secret("Authorization", session.bot_token.get_secret_value())
    headers = {"Authorization": f"Bot {session.bot_token.get_secret_value()}", "User-Agent": "DiscordBot "
               "(https://github.com/flowlike-nb, 1)"}
    url = session.api_url.rstrip("/") + path
    for attempt in (1, 2):
        try:
            response = await client(ctx).request(method, url, headers=headers, **request)
        except httpx.TransportError as exc:
            raise ConnectionError(f"Discord {method} {path}: {session.api_url} could not be reached "
                                  f"({type(exc).__name__}: {exc})") from None
        if response.status_code == 429 and attempt == 1:
            wait = float(answer_of(response).get("retry_after", 1.0))
            if wait <= MAX_RATE_LIMIT_WAIT:
                ctx.warn(f"Discord rate limit on {method} {path}: waiting {wait:.2f} s")
                await ctx.sleep(wait)
                continue
        break
    if response.status_code >= 400:
        answer = answer_of(response)
        code = f" (code {answer['code']})" if "code" in answer else ""
        detail = f": {json.dumps(answer['errors'])}" if "errors" in answer else ""
        raise DiscordError(f"Discord answered {response.status_code} to {method} {path}: "
                           f"{answer.get('message', response.text[:200])}{code}{detail}")
    if response.status_code == 204 or not response.content:
        return None
    try:
        return answer_json(response.content, f"Discord {method} {path} at {session.api_url}", DiscordError,
                           "is api_url Discord's API?")
    except ValueError:
        kind = response.headers.get("content-type", "no content type")
        raise DiscordError(f"Discord {method} {path}: {session.api_url} answered {response.status_code} {kind}, not "
                           f"JSON: it starts {response.text[:40]!r}; is api_url Discord's API ({API_URL})?") from None


def answer_of(response: Any) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def channel_of(session: DiscordSession, channel_id: str = "") -> str:
    """The channel a node acts on: the one given, else the session's (as a path segment)."""
    channel = (channel_id or "").strip() or session.channel_id
    if not channel:
        raise ValueError("no channel: set channel_id or use a session from a Discord chat event")
    return quote(channel, safe="")


def message_of(session: DiscordSession, message_id: str = "") -> str:
    message = (message_id or "").strip() or session.message_id
    if not message:
        raise ValueError("no message: set message_id or use a session from a Discord chat event")
    return quote(message, safe="")


def emoji_of(emoji: str) -> str:
    """An emoji as the reaction paths take it: a Unicode emoji, or `name:id` of a custom one (`<:name:id>` too)."""
    text = emoji.strip().removeprefix("<").removesuffix(">").removeprefix("a:").removeprefix(":")
    if not text:
        raise ValueError("emoji is empty")
    return quote(text, safe="")


# ---- session and users ---------------------------------------------------------------------------------


@node(exec_pins=True, friendly_name="To Discord Session")
def discord_to_session(local_session: Annotated[dict, Pin(description="The local session of a Discord chat event: "
                                                                      "bot_token, channel_id, message_id...")]
                       ) -> Annotated[DiscordSession, Pin(name="session")]:
    """Makes the session the Discord nodes take from a chat event's local session (an `api_url` in it points the
    nodes at another server)."""
    data = dict(local_session or {})
    if not data.get("bot_token"):
        raise ValueError("the local session has no bot_token: is it from a Discord chat event?")
    for name in ("channel_id", "message_id"):
        data[name] = str(data.get(name, "") or "")
    data["api_url"] = str(data.get("api_url") or API_URL).rstrip("/")
    return DiscordSession.model_validate(data)


@node(exec_pins=True, friendly_name="To Discord User")
def discord_to_user(user: Annotated[dict, Pin(description="A chat event's user (sub, name, bot) or a Discord "
                                                           "user struct")]
                    ) -> Annotated[DiscordUser, Pin(name="discord_user")]:
    """Reads a chat event's user (its `sub` is the Discord id) as a Discord user for Send DM."""
    data = dict(user or {})
    ident = str(data.get("id") or data.get("sub") or "")
    if not ident:
        raise ValueError("the user has no id (or sub)")
    return DiscordUser(id=ident, name=str(data.get("name") or data.get("username") or ""),
                       discriminator=data.get("discriminator"), is_bot=bool(data.get("is_bot", data.get("bot"))),
                       avatar_url=data.get("avatar_url"))


# ---- messages ------------------------------------------------------------------------------------------


@node(exec_pins=True, friendly_name="Send Message")
async def discord_send_message(ctx: Context, session: SessionIn, content: str, channel_id: ChannelIn = "",
                               reply_to: Annotated[str, Pin(description="A message to reply to (optional)")] = ""
                               ) -> MessageId:
    """Posts a message in the session's channel (or another), optionally as a reply."""
    body: dict[str, Any] = {"content": content}
    if reply_to.strip():
        body["message_reference"] = {"message_id": reply_to.strip(), "fail_if_not_exists": False}
    message = await discord_api(ctx, session, "POST", f"/channels/{channel_of(session, channel_id)}/messages", body)
    return message["id"]


@node(exec_pins=True, friendly_name="Edit Message")
async def discord_edit_message(ctx: Context, session: SessionIn, message_id: str, content: str,
                               channel_id: ChannelIn = "") -> None:
    """Replaces the text of a message the bot sent."""
    await discord_api(ctx, session, "PATCH", f"/channels/{channel_of(session, channel_id)}/messages/"
                                             f"{message_of(session, message_id)}", {"content": content})


@node(exec_pins=True, friendly_name="Delete Message")
async def discord_delete_message(ctx: Context, session: SessionIn, message_id: str, channel_id: ChannelIn = "") -> None:
    """Deletes a message (the bot's own, or any with Manage Messages)."""
    await discord_api(ctx, session, "DELETE", f"/channels/{channel_of(session, channel_id)}/messages/"
                                              f"{message_of(session, message_id)}")


@node(exec_pins=True, friendly_name="Pin Message")
async def discord_pin_message(ctx: Context, session: SessionIn, message_id: MessageIn = "") -> None:
    """Pins a message in the session's channel."""
    await discord_api(ctx, session, "PUT", f"/channels/{channel_of(session)}/pins/{message_of(session, message_id)}")


@node(exec_pins=True, friendly_name="Unpin Message")
async def discord_unpin_message(ctx: Context, session: SessionIn, message_id: MessageIn = "") -> None:
    """Unpins a message in the session's channel."""
    await discord_api(ctx, session, "DELETE", f"/channels/{channel_of(session)}/pins/"
                                              f"{message_of(session, message_id)}")


@node(exec_pins=True, friendly_name="Add Reaction")
async def discord_add_reaction(ctx: Context, session: SessionIn,
                               emoji: Annotated[str, Pin(description="A Unicode emoji, or name:id of a custom one")],
                               message_id: MessageIn = "") -> None:
    """Reacts to a message with an emoji."""
    await discord_api(ctx, session, "PUT", f"/channels/{channel_of(session)}/messages/"
                                           f"{message_of(session, message_id)}/reactions/{emoji_of(emoji)}/@me")


@node(exec_pins=True, friendly_name="Remove Reaction")
async def discord_remove_reaction(ctx: Context, session: SessionIn, emoji: str, message_id: MessageIn = "") -> None:
    """Takes back the bot's reaction with this emoji."""
    await discord_api(ctx, session, "DELETE", f"/channels/{channel_of(session)}/messages/"
                                              f"{message_of(session, message_id)}/reactions/{emoji_of(emoji)}/@me")


@node(exec_pins=True, friendly_name="Clear Reactions")
async def discord_clear_reactions(ctx: Context, session: SessionIn, message_id: MessageIn = "") -> None:
    """Removes every reaction from a message (needs Manage Messages)."""
    await discord_api(ctx, session, "DELETE", f"/channels/{channel_of(session)}/messages/"
                                              f"{message_of(session, message_id)}/reactions")


# ---- channels ------------------------------------------------------------------------------------------


@node(exec_pins=True, friendly_name="Get Channel")
async def discord_get_channel(ctx: Context, session: SessionIn, channel_id: ChannelIn = ""
                              ) -> Annotated[DiscordChannel, Pin(name="channel")]:
    """A channel's name, type, guild, topic and NSFW flag."""
    channel = await discord_api(ctx, session, "GET", f"/channels/{channel_of(session, channel_id)}")
    return DiscordChannel(id=channel["id"], name=channel.get("name") or "",
                          channel_type=CHANNEL_TYPES.get(channel.get("type"), str(channel.get("type", ""))),
                          guild_id=channel.get("guild_id"), topic=channel.get("topic"),
                          nsfw=bool(channel.get("nsfw")))


@node(exec_pins=True, friendly_name="Set Channel Topic")
async def discord_set_channel_topic(ctx: Context, session: SessionIn, topic: str, channel_id: ChannelIn = "") -> None:
    """Sets a text channel's topic (needs Manage Channels)."""
    await discord_api(ctx, session, "PATCH", f"/channels/{channel_of(session, channel_id)}", {"topic": topic})


@node(exec_pins=True, friendly_name="Typing")
async def discord_typing(ctx: Context, session: SessionIn, channel_id: ChannelIn = "") -> None:
    """Shows "Bot is typing…" in the channel for up to ten seconds (or until the bot posts)."""
    await discord_api(ctx, session, "POST", f"/channels/{channel_of(session, channel_id)}/typing")


@node(exec_pins=True, friendly_name="Create Thread")
async def discord_create_thread(ctx: Context, session: SessionIn, name: str, message_id: MessageIn = "",
                                auto_archive_minutes: Annotated[int, Pin(description="60, 1440, 4320 or 10080")]
                                = 1440) -> Annotated[str, Pin(name="thread_id")]:
    """Starts a thread on a message of the session's channel."""
    if auto_archive_minutes not in (60, 1440, 4320, 10080):
        raise ValueError(f"auto_archive_minutes must be 60, 1440, 4320 or 10080, got {auto_archive_minutes}")
    thread = await discord_api(ctx, session, "POST", f"/channels/{channel_of(session)}/messages/"
                                                     f"{message_of(session, message_id)}/threads",
                               {"name": name, "auto_archive_duration": auto_archive_minutes})
    return thread["id"]


# ---- direct messages -----------------------------------------------------------------------------------


async def send_dm(ctx: Context, session: DiscordSession, user_id: str, content: str) -> str:
    if not user_id.strip():
        raise ValueError("user_id is empty")
    channel = await discord_api(ctx, session, "POST", "/users/@me/channels", {"recipient_id": user_id.strip()})
    message = await discord_api(ctx, session, "POST", f"/channels/{channel['id']}/messages", {"content": content})
    return message["id"]


@node(exec_pins=True, friendly_name="Send DM")
async def discord_send_dm(ctx: Context, session: SessionIn, user: DiscordUser, content: str) -> MessageId:
    """Sends a direct message to a user (who shares a server with the bot and accepts DMs)."""
    return await send_dm(ctx, session, user.id, content)


@node(exec_pins=True, friendly_name="Send DM By ID")
async def discord_send_dm_by_id(ctx: Context, session: SessionIn, user_id: str, content: str) -> MessageId:
    """Sends a direct message to the user with this id."""
    return await send_dm(ctx, session, user_id, content)
