"""Discord beyond plain text: buttons and select menus, waiting for someone to answer (by polling the
channel's messages), files and images, and Discord's native polls with their results.

Waiting reads the channel's new messages every POLL_SECONDS through the REST API (no gateway connection):
the bot needs Read Message History there, and the Message Content intent to see the text.
"""

from __future__ import annotations

import time
import uuid
from typing import Annotated, Any, NamedTuple
from urllib.parse import quote

from flowlike_catalog.web.discord import ChannelIn, DiscordSession, MessageId, SessionIn, channel_of, discord_api
from flowlike_catalog.web.telegram import FLOW_PATH_SCHEMA, read_file
from pydantic import BaseModel

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Discord/Interaction"
CAPABILITIES = ("network",)
UPLOADS = ("network", "files")  # the nodes that read a file to upload it
POLL_SECONDS = 1.0
BUTTON_STYLE_PRIMARY = 1
ACTION_ROW, BUTTON, STRING_SELECT = 1, 2, 3

FileIn = Annotated[dict, Pin(schema=FLOW_PATH_SCHEMA, description="A path struct: local, a store, or a URL")]


class UserReply(BaseModel):
    """A message someone posted."""

    message_id: str
    channel_id: str
    user_id: str
    username: str = ""
    text: str = ""
    timestamp: int = 0

    @classmethod
    def of(cls, message: dict[str, Any]) -> UserReply:
        from datetime import datetime

        stamp = message.get("timestamp")
        author = message.get("author") or {}
        return cls(message_id=message["id"], channel_id=str(message.get("channel_id", "")),
                   user_id=str(author.get("id", "")), username=author.get("username", ""),
                   text=message.get("content", ""),
                   timestamp=int(datetime.fromisoformat(stamp).timestamp()) if stamp else 0)


async def latest_message_id(ctx: Context, session: DiscordSession, channel: str) -> int:
    newest = await discord_api(ctx, session, "GET", f"/channels/{channel}/messages", params={"limit": 1})
    return int(newest[0]["id"]) if newest else 0


async def next_message(ctx: Context, session: DiscordSession, channel: str, after: int, from_user_id: str,
                       timeout_seconds: int) -> dict[str, Any] | None:
    """The first message by a person (not a bot) after message `after`, from `from_user_id` when given, polling
    until `timeout_seconds` pass (0: no limit); None on timeout."""
    deadline = time.monotonic() + timeout_seconds if timeout_seconds > 0 else float("inf")
    while True:
        ctx.check_cancelled()
        batch = await discord_api(ctx, session, "GET", f"/channels/{channel}/messages",
                                  params={"after": after, "limit": 50})
        for message in sorted(batch, key=lambda m: int(m["id"])):  # Discord lists newest first
            after = max(after, int(message["id"]))
            author = message.get("author") or {}
            if not author.get("bot") and (not from_user_id.strip() or author.get("id") == from_user_id.strip()):
                return message
        if time.monotonic() + POLL_SECONDS > deadline:
            return None
        await ctx.sleep(POLL_SECONDS)


SESSION_IN = data_in("session", DataType.STRUCT, schema=DiscordSession.model_json_schema(), required=True,
                     description="From To Discord Session")
CHANNEL_IN = data_in("channel_id", DataType.STRING, default="", description="The channel; the session's when empty")
USER_IN = data_in("from_user_id", DataType.STRING, default="", description="Only this user's message (optional)")
REPLY_SCHEMA = UserReply.model_json_schema()


class SendAndWait(NodeType):
    name = "discord_send_and_wait"
    friendly_name = "Send And Wait"
    description = ("Posts a prompt and waits for the next message a person posts in the channel (from from_user_id "
                   "when given); On Timeout fires when none came in time.")
    pins = (exec_in(), SESSION_IN, data_in("prompt", DataType.STRING, default="", required=True), USER_IN,
            data_in("timeout_seconds", DataType.INTEGER, default=120, description="0 waits without limit"),
            CHANNEL_IN, exec_out("on_reply", "On Reply"), exec_out("on_timeout", "On Timeout"),
            data_out("reply", DataType.STRUCT, schema=REPLY_SCHEMA), data_out("reply_text", DataType.STRING),
            data_out("sent_message_id", DataType.STRING))

    async def run(self, ctx: Context, *, session: DiscordSession, prompt: str, from_user_id: str,
                  timeout_seconds: int, channel_id: str) -> None:
        channel = channel_of(session, channel_id)
        sent = await discord_api(ctx, session, "POST", f"/channels/{channel}/messages", {"content": prompt})
        ctx.set_output("sent_message_id", sent["id"])
        message = await next_message(ctx, session, channel, int(sent["id"]), from_user_id, timeout_seconds)
        reply = UserReply.of(message) if message else None
        ctx.set_output("reply", reply)
        ctx.set_output("reply_text", reply.text if reply else "")
        ctx.activate("on_reply" if reply else "on_timeout")


class WaitForMessage(NodeType):
    name = "discord_wait_for_message"
    friendly_name = "Wait For Message"
    description = ("Waits for the next message a person posts in the channel from now on (from from_user_id when "
                   "given); On Timeout fires when none came in time.")
    pins = (exec_in(), SESSION_IN, USER_IN,
            data_in("timeout_seconds", DataType.INTEGER, default=60, description="0 waits without limit"),
            CHANNEL_IN, exec_out("on_message", "On Message"), exec_out("on_timeout", "On Timeout"),
            data_out("message", DataType.STRUCT, schema=REPLY_SCHEMA), data_out("message_text", DataType.STRING))

    async def run(self, ctx: Context, *, session: DiscordSession, from_user_id: str, timeout_seconds: int,
                  channel_id: str) -> None:
        channel = channel_of(session, channel_id)
        after = await latest_message_id(ctx, session, channel)
        message = await next_message(ctx, session, channel, after, from_user_id, timeout_seconds)
        reply = UserReply.of(message) if message else None
        ctx.set_output("message", reply)
        ctx.set_output("message_text", reply.text if reply else "")
        ctx.activate("on_message" if reply else "on_timeout")


@node(exec_pins=True, friendly_name="Send Buttons")
async def discord_send_buttons(ctx: Context, session: SessionIn, content: str,
                               buttons: Annotated[list[str], Pin(description="Button labels (1-25), five a row")],
                               channel_id: ChannelIn = "") -> MessageId:
    """Posts a message with buttons; each press arrives as an interaction with custom_id btn_<message key>_<index>."""
    labels = [label for label in buttons or () if str(label).strip()]
    if not 1 <= len(labels) <= 25:
        raise ValueError(f"a message takes 1 to 25 buttons, got {len(labels)}")
    key = uuid.uuid4().hex[:12]
    items = [{"type": BUTTON, "style": BUTTON_STYLE_PRIMARY, "label": str(label)[:80], "custom_id": f"btn_{key}_{n}"}
             for n, label in enumerate(labels)]
    rows = [{"type": ACTION_ROW, "components": items[start:start + 5]} for start in range(0, len(items), 5)]
    message = await discord_api(ctx, session, "POST", f"/channels/{channel_of(session, channel_id)}/messages",
                                {"content": content, "components": rows})
    return message["id"]


@node(exec_pins=True, friendly_name="Send Select Menu")
async def discord_send_select_menu(ctx: Context, session: SessionIn, content: str,
                                   placeholder: str = "Select an option...",
                                   options: Annotated[list[str], Pin(description="Choices (1-25)")] = None,
                                   min_values: int = 1, max_values: int = 1, channel_id: ChannelIn = ""
                                   ) -> MessageId:
    """Posts a message with a drop-down of choices (each choice's value is its label)."""
    choices = [str(option) for option in options or () if str(option).strip()]
    if not 1 <= len(choices) <= 25:
        raise ValueError(f"a select menu takes 1 to 25 options, got {len(choices)}")
    if not 0 <= min_values <= max_values <= len(choices):
        raise ValueError(f"need 0 <= min_values ({min_values}) <= max_values ({max_values}) <= the "
                         f"{len(choices)} options")
    menu = {"type": STRING_SELECT, "custom_id": f"select_{uuid.uuid4().hex[:12]}", "placeholder": placeholder[:150],
            "min_values": min_values, "max_values": max_values,
            "options": [{"label": choice[:100], "value": choice[:100]} for choice in choices]}
    message = await discord_api(ctx, session, "POST", f"/channels/{channel_of(session, channel_id)}/messages",
                                {"content": content, "components": [{"type": ACTION_ROW, "components": [menu]}]})
    return message["id"]


@node(exec_pins=True, friendly_name="Disable Components")
async def discord_disable_components(ctx: Context, session: SessionIn, message_id: str,
                                     channel_id: ChannelIn = "") -> None:
    """Greys out every button and select menu of a message the bot sent, so they cannot be used again."""
    path = f"/channels/{channel_of(session, channel_id)}/messages/{quote(message_id.strip())}"
    message = await discord_api(ctx, session, "GET", path)
    rows = [{**row, "components": [{**item, "disabled": True} for item in row.get("components", [])]}
            for row in message.get("components", [])]
    await discord_api(ctx, session, "PATCH", path, {"components": rows})


# ---- media ---------------------------------------------------------------------------------------------


class SentAttachment(BaseModel):
    """A file the bot posted."""

    message_id: str
    channel_id: str
    attachment_url: str | None = None
    filename: str


def attachments_body(content: str, names: list[str]) -> dict[str, Any]:
    return {"content": content, "attachments": [{"id": n, "filename": name} for n, name in enumerate(names)]}


def attachment_of(message: dict[str, Any], filename: str) -> SentAttachment:
    found = (message.get("attachments") or [{}])[0]
    return SentAttachment(message_id=message["id"], channel_id=str(message.get("channel_id", "")),
                          attachment_url=found.get("url"), filename=found.get("filename", filename))


class FileSent(NamedTuple):
    attachment: SentAttachment
    message_id: str


@node(exec_pins=True, friendly_name="Send File", category="Discord/Media", capabilities=UPLOADS)
async def discord_send_file(ctx: Context, session: SessionIn, file: FileIn,
                            filename: Annotated[str, Pin(description="The name shown; the file's own when empty")]
                            = "", content: str = "", channel_id: ChannelIn = "") -> FileSent:
    """Uploads a file to the channel, with an optional message."""
    name, data = read_file(ctx, file)
    name = filename.strip() or name
    message = await discord_api(ctx, session, "POST", f"/channels/{channel_of(session, channel_id)}/messages",
                                attachments_body(content, [name]), files=[(name, data)])
    return FileSent(attachment_of(message, name), message["id"])


@node(exec_pins=True, friendly_name="Send Image", category="Discord/Media", capabilities=UPLOADS)
async def discord_send_image(ctx: Context, session: SessionIn, image: FileIn, filename: str = "", caption: str = "",
                             spoiler: Annotated[bool, Pin(description="Blur it until clicked")] = False,
                             channel_id: ChannelIn = "") -> Annotated[SentAttachment, Pin(name="attachment")]:
    """Uploads an image that Discord shows inline, optionally hidden as a spoiler."""
    name, data = read_file(ctx, image)
    name = filename.strip() or name
    if spoiler and not name.startswith("SPOILER_"):
        name = f"SPOILER_{name}"
    message = await discord_api(ctx, session, "POST", f"/channels/{channel_of(session, channel_id)}/messages",
                                attachments_body(caption, [name]), files=[(name, data)])
    return attachment_of(message, name)


class FilesSent(NamedTuple):
    message_id: str
    file_count: int


@node(exec_pins=True, friendly_name="Send Multiple Files", category="Discord/Media", capabilities=UPLOADS)
async def discord_send_multiple_files(ctx: Context, session: SessionIn,
                                      files: Annotated[list[dict], Pin(schema=FLOW_PATH_SCHEMA,
                                                                       description="Up to 10 path structs")],
                                      content: str = "", channel_id: ChannelIn = "") -> FilesSent:
    """Uploads up to ten files in one message."""
    if not 1 <= len(files or ()) <= 10:
        raise ValueError(f"a message takes 1 to 10 files, got {len(files or ())}")
    loaded = [read_file(ctx, file) for file in files]
    message = await discord_api(ctx, session, "POST", f"/channels/{channel_of(session, channel_id)}/messages",
                                attachments_body(content, [name for name, _ in loaded]), files=loaded)
    return FilesSent(message["id"], len(message.get("attachments", loaded)))


@node(exec_pins=True, friendly_name="Edit Message With File", category="Discord/Media", capabilities=UPLOADS)
async def discord_edit_message_with_file(ctx: Context, session: SessionIn, message_id: str, file: FileIn,
                                         content: Annotated[str, Pin(description="New text; kept when empty")] = "",
                                         channel_id: ChannelIn = "") -> None:
    """Replaces a bot message's attachments with this file (and its text when given)."""
    name, data = read_file(ctx, file)
    body = {"attachments": [{"id": 0, "filename": name}], **({"content": content} if content else {})}
    await discord_api(ctx, session, "PATCH", f"/channels/{channel_of(session, channel_id)}/messages/"
                                             f"{quote(message_id.strip())}", body, files=[(name, data)])


# ---- polls ---------------------------------------------------------------------------------------------


class PollReference(BaseModel):
    """A poll the bot posted."""

    message_id: str
    channel_id: str
    question: str = ""
    duration_hours: int = 24
    allow_multiselect: bool = False


class PollAnswerResult(BaseModel):
    id: int
    text: str
    vote_count: int = 0


class PollResults(BaseModel):
    """A poll's answers with their vote counts (final once is_finalized)."""

    question: str = ""
    is_finalized: bool = False
    answers: list[PollAnswerResult] = []
    total_votes: int = 0


def results_of(message: dict[str, Any]) -> PollResults:
    poll = message.get("poll") or {}
    counts = {c["id"]: c.get("count", 0) for c in (poll.get("results") or {}).get("answer_counts", [])}
    answers = [PollAnswerResult(id=a["answer_id"], text=(a.get("poll_media") or {}).get("text", ""),
                                vote_count=counts.get(a["answer_id"], 0)) for a in poll.get("answers", [])]
    return PollResults(question=(poll.get("question") or {}).get("text", ""),
                       is_finalized=bool((poll.get("results") or {}).get("is_finalized")), answers=answers,
                       total_votes=sum(a.vote_count for a in answers))


class PollSent(NamedTuple):
    poll_ref: PollReference
    message_id: str


@node(exec_pins=True, friendly_name="Send Poll", category="Discord/Polls")
async def discord_send_poll(ctx: Context, session: SessionIn, question: str,
                            options: Annotated[list[str], Pin(description="Answers (1-10)")],
                            duration_hours: Annotated[int, Pin(description="1 hour to 32 days (768)")] = 24,
                            allow_multiselect: bool = False, channel_id: ChannelIn = "") -> PollSent:
    """Posts a Discord poll that runs for duration_hours."""
    answers = [str(option) for option in options or () if str(option).strip()]
    if not 1 <= len(answers) <= 10:
        raise ValueError(f"a poll takes 1 to 10 answers, got {len(answers)}")
    if not 1 <= duration_hours <= 768:
        raise ValueError(f"duration_hours must be 1 to 768, got {duration_hours}")
    message = await discord_api(ctx, session, "POST", f"/channels/{channel_of(session, channel_id)}/messages", {
        "poll": {"question": {"text": question}, "answers": [{"poll_media": {"text": a}} for a in answers],
                 "duration": duration_hours, "allow_multiselect": allow_multiselect, "layout_type": 1}})
    reference = PollReference(message_id=message["id"], channel_id=str(message.get("channel_id") or
                                                                        channel_of(session, channel_id)),
                              question=question, duration_hours=duration_hours, allow_multiselect=allow_multiselect)
    return PollSent(reference, message["id"])


class PollState(NamedTuple):
    results: PollResults
    is_finalized: bool
    total_votes: int


@node(exec_pins=True, friendly_name="Get Poll Results", category="Discord/Polls")
async def discord_get_poll_results(ctx: Context, session: SessionIn, poll_ref: PollReference) -> PollState:
    """A poll's current counts (Discord counts while it runs; they are exact once finalized)."""
    message = await discord_api(ctx, session, "GET", f"/channels/{quote(poll_ref.channel_id)}/messages/"
                                                     f"{quote(poll_ref.message_id)}")
    results = results_of(message)
    return PollState(results, results.is_finalized, results.total_votes)


@node(exec_pins=True, friendly_name="End Poll", category="Discord/Polls")
async def discord_end_poll(ctx: Context, session: SessionIn, poll_ref: PollReference
                           ) -> Annotated[PollResults, Pin(name="results")]:
    """Ends a poll the bot posted now and gives its counts."""
    message = await discord_api(ctx, session, "POST", f"/channels/{quote(poll_ref.channel_id)}/polls/"
                                                      f"{quote(poll_ref.message_id)}/expire")
    return results_of(message)

