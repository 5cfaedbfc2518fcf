"""Telegram bots through the Bot API (https://core.telegram.org/bots/api): the session, the one call every
Telegram node makes, and the message nodes.

A chat event from a Telegram bot carries a local session (bot token, chat, message); To Telegram Session
turns it into the session struct the other nodes take. The token stays a secret (never in dumps or logs,
never in error messages, although the Bot API puts it in the URL). Every node is one or a few Bot API
calls: `{"ok": false}` answers fail the node with Telegram's description, which On Error routes; a flood-control
answer (429 with `retry_after`) is waited out once.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Annotated, Any

from flowlike_catalog.web.http import answer_json, client
from pydantic import BaseModel, ConfigDict, SecretStr

from flowlike_core import Context, Pin, node

CATEGORY = "Telegram/Message"
CAPABILITIES = ("network",)
API_URL = "https://api.telegram.org"
MAX_RETRY_AFTER = 10
"""Longest flood-control wait (seconds) a node sits out before it tries once more; longer ones fail it."""


class TelegramUser(BaseModel):
    """Who sent the message that started the flow."""

    id: str = ""
    name: str = ""
    username: str | None = None
    is_bot: bool = False


class TelegramSession(BaseModel):
    """A bot and the chat (and message) it is talking about; `api_url` points at a local Bot API server when set."""

    model_config = ConfigDict(frozen=True)
    bot_token: SecretStr
    api_url: str = API_URL
    chat_id: str = ""
    message_id: str = ""
    chat_type: str = ""
    chat_title: str | None = None
    bot_username: str | None = None
    user: TelegramUser | None = None


class SentMessage(BaseModel):
    """A message the bot sent: what edit, delete, wait and poll nodes need to find it again."""

    message_id: str
    chat_id: str
    date: int = 0


SessionIn = Annotated[TelegramSession, Pin(description="From To Telegram Session")]
Success = Annotated[bool, Pin(name="success", description="Telegram accepted the request")]
Sent = Annotated[SentMessage, Pin(name="sent_message")]


class TelegramError(RuntimeError):
    """The Bot API answered `ok: false` (its error code and description are in the message)."""


TOKEN_IN_URL = re.compile(r"/bot[^/\s]+/")


class HideBotToken(logging.Filter):
    """httpx logs every request's URL at INFO, and a Bot API URL holds the token: log it masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/bot" in message:
            record.msg, record.args = TOKEN_IN_URL.sub("/bot<token>/", message), ()
        return True


def hide_tokens_in_logs() -> None:
    httpx_log = logging.getLogger("httpx")
    if not any(isinstance(f, HideBotToken) for f in httpx_log.filters):
        httpx_log.addFilter(HideBotToken())


async def bot_api(ctx: Context, session: TelegramSession, method: str, params: dict[str, Any] | None = None,
                  files: dict[str, tuple[str, bytes]] | None = None, timeout: float = 60.0) -> Any:
    """Call one Bot API method and return its `result`. Parameters left None are not sent; with files the
    request is multipart (objects JSON-encoded, as the API wants), else JSON."""
    import httpx

    hide_tokens_in_logs()
    params = {name: value for name, value in (params or {}).items() if value is not None}
    url = f"{session.api_url.rstrip('/')}/bot{session.bot_token.get_secret_value()}/{method}"
    if files:
        fields = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
        request = {"data": fields, "files": files}
    else:
        request = {"json": params}
    for attempt in (1, 2):
        try:
            response = await client(ctx).post(url, timeout=timeout, **request)
        except httpx.TransportError as exc:  # its text may hold the URL, so the token: say what failed without it
            raise ConnectionError(f"Telegram {method}: {session.api_url} could not be reached "
                                  f"({type(exc).__name__})") from None
        try:
            answer = answer_json(response.content, f"Telegram {method} at {session.api_url}", TelegramError,
                                 "is api_url the Bot API's?")
        except ValueError:
            answer = None
        if not isinstance(answer, dict):  # (its body is not shown: a page may echo the bot's path, its token)
            kind = response.headers.get("content-type", "no content type")
            raise TelegramError(f"Telegram {method}: {session.api_url} answered HTTP {response.status_code} {kind}, "
                                f"not a Bot API answer")
        wait = (answer.get("parameters") or {}).get("retry_after")
        if answer.get("error_code") == 429 and attempt == 1 and wait is not None and wait <= MAX_RETRY_AFTER:
            ctx.warn(f"Telegram {method}: flood control, waiting {wait} s as Telegram asks")
            await ctx.sleep(float(wait))  # a 429 was not carried out: sending again is safe
            continue
        break
    if not answer.get("ok"):
        raise TelegramError(f"Telegram {method} failed ({answer.get('error_code', response.status_code)}): "
                            f"{answer.get('description', 'no description')}")
    return answer["result"]


def as_int(value: str | int, what: str) -> int:
    """A numeric id from a pin (Flow-Like passes message ids as strings), with a clear error."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, got {value!r}") from None


def chat_ref(chat_id: str | int) -> int | str:
    """A chat id as the API takes it: a number, or `@channelusername`."""
    text = str(chat_id).strip()
    if not text:
        raise ValueError("chat id is empty (is the session from a chat event?)")
    return text if text.startswith("@") else as_int(text, "chat id")


def optional_int(value: str | int | None) -> int | None:
    """An optional id pin: empty or 0 means not given."""
    return None if value in ("", None, 0) else as_int(value, "id")


def sent(message: dict[str, Any]) -> SentMessage:
    return SentMessage(message_id=str(message["message_id"]), chat_id=str(message["chat"]["id"]),
                       date=message.get("date", 0))


def reply_parameters(message_id: str | int | None) -> dict[str, Any] | None:
    """`reply_parameters` for a reply to `message_id` (none when empty)."""
    ident = optional_int(message_id)
    return None if ident is None else {"message_id": ident, "allow_sending_without_reply": True}


FLOW_PATH_SCHEMA = {"title": "FlowPath", "type": "object", "required": ["path"],
                    "properties": {"path": {"type": "string"}, "store": {"type": "string"}}}
"""The data pack's path struct (imported only when a file is read: the web pack stays light to import)."""
FileIn = Annotated[dict, Pin(schema=FLOW_PATH_SCHEMA, description="The file to upload: a path struct (local, a "
                                                                   "store, or a URL)")]


def read_file(ctx: Context, file: dict | str) -> tuple[str, bytes]:
    """A file's name and bytes from a path struct (local, a store, or an fsspec URL)."""
    from flowlike_catalog.data.handles import FlowPath, filesystem

    path = FlowPath.of(file, "file")
    fs, inner = filesystem(ctx, path)
    if not fs.exists(inner):
        raise FileNotFoundError(f"no file at {path.path}")
    return path.path.rstrip("/").rsplit("/", 1)[-1], fs.cat_file(inner)


# ---- session -------------------------------------------------------------------------------------------


@node(exec_pins=True, friendly_name="To Telegram Session", category="Telegram")
def telegram_to_session(local_session: Annotated[dict, Pin(description="The local session of a Telegram chat "
                                                                       "event: bot_token, chat_id, message_id...")]
                        ) -> Annotated[TelegramSession, Pin(name="session")]:
    """Makes the session the Telegram nodes take from a chat event's local session (an `api_url` in it points
    the nodes at another Bot API server)."""
    data = dict(local_session or {})
    if not data.get("bot_token"):
        raise ValueError("the local session has no bot_token: is it from a Telegram chat event?")
    for name in ("chat_id", "message_id"):
        data[name] = str(data.get(name, "") or "")
    data["api_url"] = str(data.get("api_url") or API_URL).rstrip("/")
    return TelegramSession.model_validate(data)


@node(friendly_name="To Telegram User", category="Telegram")
def telegram_to_user(user_in: Annotated[dict, Pin(description="A user struct (id, name, username, is_bot)")]
                     ) -> Annotated[TelegramUser, Pin(name="user_out")]:
    """Reads a struct (like a chat event's user) as a Telegram user."""
    data = dict(user_in or {})
    if "id" in data:
        data["id"] = str(data["id"])
    return TelegramUser.model_validate(data)


@node(friendly_name="Get User ID", category="Telegram/User")
def telegram_get_user_id(user: TelegramUser) -> Annotated[int, Pin(name="id")]:
    """The numeric id of a Telegram user, as the member and sticker nodes take it."""
    return as_int(user.id, "user id")


# ---- messages ------------------------------------------------------------------------------------------


@node(exec_pins=True, friendly_name="Send Message")
async def telegram_send_message(ctx: Context, session: SessionIn, message: str, reply_to: str = "",
                                disable_notification: bool = False) -> Sent:
    """Sends a text message to the session's chat, optionally as a reply and without a notification sound."""
    answer = await bot_api(ctx, session, "sendMessage", {
        "chat_id": chat_ref(session.chat_id), "text": message, "reply_parameters": reply_parameters(reply_to),
        "disable_notification": disable_notification or None})
    return sent(answer)


@node(exec_pins=True, friendly_name="Reply To Message")
async def telegram_reply_to_message(ctx: Context, session: SessionIn, message: str) -> Sent:
    """Answers the message that started the flow (the session's message), quoting it."""
    answer = await bot_api(ctx, session, "sendMessage", {
        "chat_id": chat_ref(session.chat_id), "text": message,
        "reply_parameters": reply_parameters(session.message_id)})
    return sent(answer)


@node(exec_pins=True, friendly_name="Edit Message")
async def telegram_edit_message(ctx: Context, session: SessionIn, message_id: str, new_text: str) -> Success:
    """Replaces the text of a message the bot sent in the session's chat."""
    await bot_api(ctx, session, "editMessageText", {
        "chat_id": chat_ref(session.chat_id), "message_id": as_int(message_id, "message_id"), "text": new_text})
    return True


@node(exec_pins=True, friendly_name="Delete Message")
async def telegram_delete_message(ctx: Context, session: SessionIn, message_id: str) -> Success:
    """Deletes a message in the session's chat (the bot's own, or any with the delete right)."""
    return await bot_api(ctx, session, "deleteMessage", {
        "chat_id": chat_ref(session.chat_id), "message_id": as_int(message_id, "message_id")})


@node(exec_pins=True, friendly_name="Forward Message")
async def telegram_forward_message(ctx: Context, session: SessionIn, message_id: str, target_chat_id: str,
                                   disable_notification: bool = False
                                   ) -> Annotated[SentMessage, Pin(name="forwarded_message")]:
    """Forwards a message of the session's chat to another chat, showing where it came from."""
    answer = await bot_api(ctx, session, "forwardMessage", {
        "chat_id": chat_ref(target_chat_id), "from_chat_id": chat_ref(session.chat_id),
        "message_id": as_int(message_id, "message_id"), "disable_notification": disable_notification or None})
    return sent(answer)


@node(exec_pins=True, friendly_name="Copy Message")
async def telegram_copy_message(ctx: Context, session: SessionIn, message_id: str, target_chat_id: str
                                ) -> Annotated[str, Pin(name="copied_message_id")]:
    """Copies a message of the session's chat to another chat, without a link to the original."""
    answer = await bot_api(ctx, session, "copyMessage", {
        "chat_id": chat_ref(target_chat_id), "from_chat_id": chat_ref(session.chat_id),
        "message_id": as_int(message_id, "message_id")})
    return str(answer["message_id"])


@node(exec_pins=True, friendly_name="Edit Message Media")
async def telegram_edit_message_media(ctx: Context, session: SessionIn, message_id: str,
                                      media_json: Annotated[str, Pin(description="An InputMedia object as JSON, "
                                                                     "e.g. {\"type\": \"photo\", \"media\": URL}")]
                                      ) -> Success:
    """Replaces the photo, video, document, audio or animation of a message the bot sent."""
    await bot_api(ctx, session, "editMessageMedia", {
        "chat_id": chat_ref(session.chat_id), "message_id": as_int(message_id, "message_id"),
        "media": parse_json(media_json, "media_json")})
    return True


@node(exec_pins=True, friendly_name="Send Media Group")
async def telegram_send_media_group(ctx: Context, session: SessionIn,
                                    media_json: Annotated[str, Pin(description="A JSON array of 2-10 InputMedia "
                                                                   "objects (photos and videos, or documents)")]
                                    ) -> Annotated[str, Pin(name="message_ids", description="Comma-separated")]:
    """Sends photos, videos or documents as one album."""
    media = parse_json(media_json, "media_json")
    if not isinstance(media, list):
        raise ValueError("media_json must be a JSON array of InputMedia objects")
    answer = await bot_api(ctx, session, "sendMediaGroup", {"chat_id": chat_ref(session.chat_id), "media": media})
    return ",".join(str(message["message_id"]) for message in answer)


@node(exec_pins=True, friendly_name="Send Video Note")
async def telegram_send_video_note(ctx: Context, session: SessionIn,
                                   video_note: Annotated[str, Pin(description="A file_id or URL of a square video")],
                                   duration: int = 0, length: int = 0, thumbnail: str = "") -> Sent:
    """Sends a round video message (up to a minute)."""
    answer = await bot_api(ctx, session, "sendVideoNote", {
        "chat_id": chat_ref(session.chat_id), "video_note": video_note, "duration": duration or None,
        "length": length or None, "thumbnail": thumbnail or None})
    return sent(answer)


@node(exec_pins=True, friendly_name="Set Message Reaction")
async def telegram_set_message_reaction(ctx: Context, session: SessionIn, message_id: str,
                                        reaction_json: Annotated[str, Pin(description="A JSON array of ReactionType "
                                                                          "objects, or one emoji")] = "",
                                        is_big: bool = False) -> Success:
    """Sets the bot's reactions on a message (an empty text removes them)."""
    text = reaction_json.strip()
    reaction = parse_json(text, "reaction_json") if text.startswith("[") else \
        [{"type": "emoji", "emoji": text}] if text else []
    return await bot_api(ctx, session, "setMessageReaction", {
        "chat_id": chat_ref(session.chat_id), "message_id": as_int(message_id, "message_id"), "reaction": reaction,
        "is_big": is_big or None})


@node(exec_pins=True, friendly_name="Edit Live Location")
async def telegram_edit_message_live_location(ctx: Context, session: SessionIn, message_id: str, latitude: float,
                                              longitude: float, horizontal_accuracy: float = 0.0, heading: int = 0,
                                              proximity_alert_radius: int = 0) -> Success:
    """Moves a live location the bot is sharing (0 leaves accuracy, heading and alert radius out)."""
    await bot_api(ctx, session, "editMessageLiveLocation", {
        "chat_id": chat_ref(session.chat_id), "message_id": as_int(message_id, "message_id"), "latitude": latitude,
        "longitude": longitude, "horizontal_accuracy": horizontal_accuracy or None, "heading": heading or None,
        "proximity_alert_radius": proximity_alert_radius or None})
    return True


@node(exec_pins=True, friendly_name="Stop Live Location")
async def telegram_stop_message_live_location(ctx: Context, session: SessionIn, message_id: str) -> Success:
    """Stops updating a live location before its period ends."""
    await bot_api(ctx, session, "stopMessageLiveLocation", {
        "chat_id": chat_ref(session.chat_id), "message_id": as_int(message_id, "message_id")})
    return True


def parse_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{what} is not valid JSON: {exc}") from None
