"""Talking with people through a Telegram bot: wait for a reply or a button press (long polling getUpdates),
ask and wait, yes/no dialogs with inline buttons, and polls and quizzes that can be stopped for their results.

Waiting reads the bot's updates with getUpdates, so it works for bots without a webhook (Telegram refuses
getUpdates while one is set; that error reaches On Error). Updates read while waiting are confirmed to
Telegram, as any getUpdates consumer does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.web.telegram import (
    SentMessage,
    SessionIn,
    TelegramSession,
    as_int,
    bot_api,
    chat_ref,
    sent,
)
from flowlike_catalog.web.telegram_media import poll_options
from pydantic import BaseModel

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Telegram/Interaction"
CAPABILITIES = ("network",)
LONG_POLL_SECONDS = 5
PARSE_MODES = {"html": "HTML", "markdown": "MarkdownV2", "markdownv2": "MarkdownV2"}


class UserReply(BaseModel):
    """A message someone sent the bot."""

    message_id: str
    chat_id: str
    user_id: str | None = None
    username: str | None = None
    text: str | None = None
    date: int = 0
    has_photo: bool = False
    has_document: bool = False
    has_video: bool = False
    has_audio: bool = False

    @classmethod
    def of(cls, message: dict[str, Any]) -> UserReply:
        sender = message.get("from") or {}
        return cls(message_id=str(message["message_id"]), chat_id=str(message["chat"]["id"]),
                   user_id=str(sender["id"]) if sender else None, username=sender.get("username"),
                   text=message.get("text") or message.get("caption"), date=message.get("date", 0),
                   has_photo="photo" in message, has_document="document" in message, has_video="video" in message,
                   has_audio="audio" in message or "voice" in message)


class CallbackResponse(BaseModel):
    """A press of an inline keyboard button."""

    callback_id: str
    data: str = ""
    user_id: str = ""
    username: str | None = None
    chat_id: str | None = None
    message_id: str | None = None

    @classmethod
    def of(cls, query: dict[str, Any]) -> CallbackResponse:
        message = query.get("message") or {}
        sender = query.get("from") or {}
        return cls(callback_id=str(query["id"]), data=query.get("data", ""), user_id=str(sender.get("id", "")),
                   username=sender.get("username"),
                   chat_id=str(message["chat"]["id"]) if message.get("chat") else None,
                   message_id=str(message["message_id"]) if "message_id" in message else None)


async def next_update(ctx: Context, session: TelegramSession, kind: str, wanted: Callable[[dict[str, Any]], bool],
                      timeout_seconds: int) -> dict[str, Any] | None:
    """The first `kind` update ("message", "callback_query") that `wanted` accepts, by long polling getUpdates
    until `timeout_seconds` pass (0: no limit); None on timeout."""
    deadline = time.monotonic() + timeout_seconds if timeout_seconds > 0 else float("inf")
    offset = None
    while True:
        ctx.check_cancelled()
        poll = int(max(0, min(LONG_POLL_SECONDS, deadline - time.monotonic())))
        updates = await bot_api(ctx, session, "getUpdates", {"offset": offset, "timeout": poll,
                                                             "allowed_updates": [kind]}, timeout=poll + 30)
        for update in updates:
            offset = update["update_id"] + 1
            if kind in update and wanted(update[kind]):
                await confirm(ctx, session, offset)
                return update[kind]
        if time.monotonic() >= deadline:
            return None


async def confirm(ctx: Context, session: TelegramSession, offset: int) -> None:
    """Tell Telegram the updates before `offset` were handled, so the next reader does not get them again."""
    await bot_api(ctx, session, "getUpdates", {"offset": offset, "timeout": 0, "limit": 1})


def optional_message(value: dict | None) -> SentMessage | None:
    """A message reference pin that may be left unwired (an empty struct)."""
    return SentMessage.model_validate(value) if value else None


def in_chat(session: TelegramSession, chat: dict[str, Any] | None) -> bool:
    return chat is not None and str(chat.get("id")) == str(session.chat_id)


REPLY_OUTS = (data_out("reply", DataType.STRUCT, schema=UserReply.model_json_schema(),
                       description="The message that answered"),
              data_out("reply_text", DataType.STRING, description="Its text (or caption)"))
SESSION_IN = data_in("session", DataType.STRUCT, schema=TelegramSession.model_json_schema(), required=True,
                     description="From To Telegram Session")


def timeout_in(seconds: int) -> Any:
    return data_in("timeout_seconds", DataType.INTEGER, default=seconds, description="0 waits without limit")


def set_reply(ctx: Context, message: dict[str, Any] | None) -> None:
    reply = UserReply.of(message) if message else None
    ctx.set_output("reply", reply)
    ctx.set_output("reply_text", (reply.text or "") if reply else "")


class WaitForReply(NodeType):
    name = "telegram_wait_for_reply"
    friendly_name = "Wait For Reply"
    description = ("Waits for a message in the session's chat that replies to message_ref (any message when it "
                   "is not set), from from_user_id when given; On Timeout fires when none came in time.")
    pins = (exec_in(), SESSION_IN,
            data_in("message_ref", DataType.STRUCT, schema=SentMessage.model_json_schema(),
                    description="The message the reply must answer (optional)"),
            data_in("from_user_id", DataType.STRING, default="", description="Only this user's reply (optional)"),
            timeout_in(60), exec_out("on_reply", "On Reply"), exec_out("on_timeout", "On Timeout"), *REPLY_OUTS,
            data_out("timed_out", DataType.BOOLEAN))

    async def run(self, ctx: Context, *, session: TelegramSession, message_ref: dict, from_user_id: str,
                  timeout_seconds: int) -> None:
        reference = optional_message(message_ref)

        def wanted(message: dict[str, Any]) -> bool:
            answered = (message.get("reply_to_message") or {}).get("message_id")
            return in_chat(session, message.get("chat")) \
                and (reference is None or str(answered) == reference.message_id) \
                and (not from_user_id or str((message.get("from") or {}).get("id")) == from_user_id.strip())

        message = await next_update(ctx, session, "message", wanted, timeout_seconds)
        set_reply(ctx, message)
        ctx.set_output("timed_out", message is None)
        ctx.activate("on_timeout" if message is None else "on_reply")


class SendAndWait(NodeType):
    name = "telegram_send_and_wait"
    friendly_name = "Send And Wait"
    description = ("Sends a prompt to the session's chat and waits for the next message there (from the session's "
                   "user when the session has one); On Timeout fires when none came in time.")
    pins = (exec_in(), SESSION_IN, data_in("prompt", DataType.STRING, default="", required=True),
            data_in("parse_mode", DataType.STRING, default="Text", description="Text, HTML or MarkdownV2"),
            timeout_in(120), exec_out("on_reply", "On Reply"), exec_out("on_timeout", "On Timeout"), *REPLY_OUTS,
            data_out("sent_message", DataType.STRUCT, schema=SentMessage.model_json_schema()))

    async def run(self, ctx: Context, *, session: TelegramSession, prompt: str, parse_mode: str,
                  timeout_seconds: int) -> None:
        prompt_message = sent(await bot_api(ctx, session, "sendMessage", {
            "chat_id": chat_ref(session.chat_id), "text": prompt,
            "parse_mode": PARSE_MODES.get(parse_mode.strip().lower())}))
        ctx.set_output("sent_message", prompt_message)
        user = session.user.id if session.user and session.user.id else ""

        def wanted(message: dict[str, Any]) -> bool:
            return in_chat(session, message.get("chat")) \
                and message["message_id"] > int(prompt_message.message_id) \
                and (not user or str((message.get("from") or {}).get("id")) == user)

        message = await next_update(ctx, session, "message", wanted, timeout_seconds)
        set_reply(ctx, message)
        ctx.activate("on_timeout" if message is None else "on_reply")


CALLBACK_OUT = data_out("callback", DataType.STRUCT, schema=CallbackResponse.model_json_schema())


class WaitForCallback(NodeType):
    name = "telegram_wait_for_callback"
    friendly_name = "Wait For Callback"
    description = ("Waits for a press of an inline button in the session's chat, on message_ref's message and "
                   "with expected_data when given; answers it (stops the button's spinner) unless told not to.")
    pins = (exec_in(), SESSION_IN,
            data_in("message_ref", DataType.STRUCT, schema=SentMessage.model_json_schema(),
                    description="The message with the buttons (optional)"),
            data_in("expected_data", DataType.STRING, default="", description="Only this callback data (optional)"),
            timeout_in(60), data_in("answer_callback", DataType.BOOLEAN, default=True),
            exec_out("on_callback", "On Callback"), exec_out("on_timeout", "On Timeout"), CALLBACK_OUT,
            data_out("callback_data", DataType.STRING))

    async def run(self, ctx: Context, *, session: TelegramSession, message_ref: dict, expected_data: str,
                  timeout_seconds: int, answer_callback: bool) -> None:
        reference = optional_message(message_ref)

        def wanted(query: dict[str, Any]) -> bool:
            message = query.get("message") or {}
            return (not message or in_chat(session, message.get("chat"))) \
                and (reference is None or str(message.get("message_id")) == reference.message_id) \
                and (not expected_data or query.get("data") == expected_data)

        query = await next_update(ctx, session, "callback_query", wanted, timeout_seconds)
        if query is None:
            ctx.set_output("callback", None)
            ctx.set_output("callback_data", "")
            ctx.activate("on_timeout")
            return
        if answer_callback:
            await bot_api(ctx, session, "answerCallbackQuery", {"callback_query_id": query["id"]})
        ctx.set_output("callback", CallbackResponse.of(query))
        ctx.set_output("callback_data", query.get("data", ""))
        ctx.activate("on_callback")


class ConfirmationDialog(NodeType):
    name = "telegram_confirmation_dialog"
    friendly_name = "Confirmation Dialog"
    description = ("Asks a yes/no question with two inline buttons and follows On Confirm or On Cancel with the "
                   "answer (the buttons are removed afterwards), or On Timeout.")
    pins = (exec_in(), SESSION_IN, data_in("question", DataType.STRING, default="", required=True),
            data_in("confirm_text", DataType.STRING, default="✅ Yes"),
            data_in("cancel_text", DataType.STRING, default="❌ No"), timeout_in(60),
            exec_out("on_confirm", "On Confirm"), exec_out("on_cancel", "On Cancel"),
            exec_out("on_timeout", "On Timeout"), data_out("confirmed", DataType.BOOLEAN))

    async def run(self, ctx: Context, *, session: TelegramSession, question: str, confirm_text: str,
                  cancel_text: str, timeout_seconds: int) -> None:
        asked = await bot_api(ctx, session, "sendMessage", {
            "chat_id": chat_ref(session.chat_id), "text": question,
            "reply_markup": {"inline_keyboard": [[{"text": confirm_text, "callback_data": "confirm"},
                                                  {"text": cancel_text, "callback_data": "cancel"}]]}})

        def wanted(query: dict[str, Any]) -> bool:
            message = query.get("message") or {}
            return message.get("message_id") == asked["message_id"] and query.get("data") in ("confirm", "cancel")

        query = await next_update(ctx, session, "callback_query", wanted, timeout_seconds)
        confirmed = query is not None and query["data"] == "confirm"
        if query is not None:
            await bot_api(ctx, session, "answerCallbackQuery", {"callback_query_id": query["id"]})
        await bot_api(ctx, session, "editMessageReplyMarkup", {
            "chat_id": chat_ref(session.chat_id), "message_id": asked["message_id"],
            "reply_markup": {"inline_keyboard": []}})
        ctx.set_output("confirmed", confirmed)
        ctx.activate("on_timeout" if query is None else "on_confirm" if confirmed else "on_cancel")


@node(exec_pins=True, friendly_name="Answer Callback")
async def telegram_answer_callback(ctx: Context, session: SessionIn, callback: CallbackResponse, text: str = "",
                                   show_alert: bool = False) -> None:
    """Answers a button press: a short notice at the top of the chat (or an alert), and the spinner stops."""
    await bot_api(ctx, session, "answerCallbackQuery", {"callback_query_id": callback.callback_id,
                                                        "text": text or None, "show_alert": show_alert or None})


# ---- polls ---------------------------------------------------------------------------------------------


class PollReference(BaseModel):
    """A poll the bot sent: where it is and what it asked."""

    message_id: str
    chat_id: str
    poll_id: str
    question: str = ""
    options: list[str] = []
    allows_multiple_answers: bool = False
    is_anonymous: bool = True


class PollOptionResult(BaseModel):
    text: str
    voter_count: int = 0


class PollResults(BaseModel):
    """A poll's counts."""

    poll_id: str
    question: str = ""
    total_voter_count: int = 0
    is_closed: bool = False
    options: list[PollOptionResult] = []


class PollSent(NamedTuple):
    poll_ref: PollReference
    sent_message: SentMessage


def poll_sent(message: dict[str, Any]) -> PollSent:
    poll = message.get("poll") or {}
    reference = PollReference(message_id=str(message["message_id"]), chat_id=str(message["chat"]["id"]),
                              poll_id=str(poll.get("id", "")), question=poll.get("question", ""),
                              options=[o["text"] for o in poll.get("options", [])],
                              allows_multiple_answers=poll.get("allows_multiple_answers", False),
                              is_anonymous=poll.get("is_anonymous", True))
    return PollSent(reference, sent(message))


@node(exec_pins=True, friendly_name="Send Poll (With Reference)", category="Telegram/Poll")
async def telegram_send_poll_with_ref(ctx: Context, session: SessionIn, question: str, options: list[str],
                                      is_anonymous: bool = True, allows_multiple_answers: bool = False) -> PollSent:
    """Sends a poll and hands on a reference Stop Poll takes to close it and read the counts."""
    return poll_sent(await bot_api(ctx, session, "sendPoll", {
        "chat_id": chat_ref(session.chat_id), "question": question, "options": poll_options(options),
        "is_anonymous": is_anonymous, "allows_multiple_answers": allows_multiple_answers}))


@node(exec_pins=True, friendly_name="Send Quiz", category="Telegram/Poll")
async def telegram_send_quiz(ctx: Context, session: SessionIn, question: str, options: list[str],
                             correct_option_index: Annotated[int, Pin(description="From 0")],
                             explanation: Annotated[str, Pin(description="Shown after a wrong answer")] = ""
                             ) -> PollSent:
    """Sends a quiz: a poll with one right answer."""
    choices = poll_options(options)
    if not 0 <= correct_option_index < len(choices):
        raise ValueError(f"correct_option_index {correct_option_index} is not one of the {len(choices)} options")
    return poll_sent(await bot_api(ctx, session, "sendPoll", {
        "chat_id": chat_ref(session.chat_id), "question": question, "options": choices, "type": "quiz",
        "correct_option_id": correct_option_index, "explanation": explanation or None}))


class PollStopped(NamedTuple):
    results: PollResults
    success: bool


@node(exec_pins=True, friendly_name="Stop Poll", category="Telegram/Poll")
async def telegram_stop_poll(ctx: Context, session: SessionIn, poll_ref: PollReference) -> PollStopped:
    """Closes a poll the bot sent and gives its final counts."""
    poll = await bot_api(ctx, session, "stopPoll", {"chat_id": chat_ref(poll_ref.chat_id),
                                                    "message_id": as_int(poll_ref.message_id, "poll message id")})
    return PollStopped(PollResults(
        poll_id=str(poll.get("id", poll_ref.poll_id)), question=poll.get("question", ""),
        total_voter_count=poll.get("total_voter_count", 0), is_closed=poll.get("is_closed", True),
        options=[PollOptionResult(text=o["text"], voter_count=o.get("voter_count", 0))
                 for o in poll.get("options", [])]), True)

