"""The Telegram bot itself and what it offers around chats: its profile (name, descriptions, commands, menu
button, default admin rights), users' boosts and emoji status, inline and Web App answers, and games.

The profile nodes follow Flow-Like: they report a refusal on `success`/`error` and go on, since a bot that
cannot set its description should rarely stop a flow; the others fail on Telegram's error (On Error).
"""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.web.telegram import (
    SentMessage,
    SessionIn,
    Success,
    TelegramError,
    bot_api,
    chat_ref,
    optional_int,
    parse_json,
    reply_parameters,
    sent,
)
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "Telegram/Bot"
CAPABILITIES = ("network",)


class BotCommandInfo(BaseModel):
    """A command in the bot's menu: `/command` and what it does."""

    command: str
    description: str = ""


class Outcome(NamedTuple):
    success: bool
    error: Annotated[str, Pin(description="Telegram's refusal, empty on success")]


async def attempt(ctx: Context, session: SessionIn, method: str, params: dict[str, Any] | None = None) -> Outcome:
    """A call whose refusal is reported, not raised (unreachable servers still fail the node)."""
    try:
        await bot_api(ctx, session, method, params)
    except TelegramError as exc:
        return Outcome(False, str(exc))
    return Outcome(True, "")


ScopeIn = Annotated[str, Pin(description="default, all_private_chats, all_group_chats, all_chat_administrators, "
                                         "chat, chat_administrators or chat_member")]


def scope_of(scope: str, chat_id: int, user_id: int) -> dict[str, Any] | None:
    """A BotCommandScope object; chat scopes need chat_id, chat_member also user_id."""
    kind = (scope or "default").strip().lower()
    if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
        return {"type": kind}
    if kind in ("chat", "chat_administrators", "chat_member"):
        if not chat_id:
            raise ValueError(f"the {kind} scope needs chat_id")
        if kind == "chat_member" and not user_id:
            raise ValueError("the chat_member scope needs user_id")
        return {"type": kind, "chat_id": chat_id, **({"user_id": user_id} if kind == "chat_member" else {})}
    raise ValueError(f"unknown command scope {scope!r}")


# ---- the bot -------------------------------------------------------------------------------------------


class Me(NamedTuple):
    bot_info: Annotated[dict, Pin(description="Telegram's User object of the bot (id, first_name, username, "
                                              "can_join_groups, can_read_all_group_messages...)")]
    bot_username: str


@node(exec_pins=True, friendly_name="Get Me")
async def telegram_get_me(ctx: Context, session: SessionIn) -> Me:
    """Who the bot is: checks the token and gives the bot's name and abilities."""
    me = await bot_api(ctx, session, "getMe")
    return Me(me, me.get("username", ""))


@node(exec_pins=True, friendly_name="Log Out")
async def telegram_log_out(ctx: Context, session: SessionIn) -> Success:
    """Logs the bot out of the cloud Bot API server, before moving it to a local one."""
    return await bot_api(ctx, session, "logOut")


@node(exec_pins=True, friendly_name="Close")
async def telegram_close(ctx: Context, session: SessionIn) -> Success:
    """Closes the bot's instance before moving it from one local Bot API server to another."""
    return await bot_api(ctx, session, "close")


class Commands(NamedTuple):
    commands: list[BotCommandInfo]
    error: Annotated[str, Pin(description="Telegram's refusal, empty on success")]


@node(exec_pins=True, friendly_name="Get My Commands")
async def telegram_get_my_commands(ctx: Context, session: SessionIn, scope: ScopeIn = "default", chat_id: int = 0,
                                   user_id: int = 0, language_code: str = "") -> Commands:
    """The bot's command menu for a scope and language."""
    try:
        found = await bot_api(ctx, session, "getMyCommands", {"scope": scope_of(scope, chat_id, user_id),
                                                              "language_code": language_code or None})
    except TelegramError as exc:
        return Commands([], str(exc))
    return Commands([BotCommandInfo.model_validate(c) for c in found], "")


@node(exec_pins=True, friendly_name="Set My Commands")
async def telegram_set_my_commands(ctx: Context, session: SessionIn, commands: list[BotCommandInfo],
                                   scope: ScopeIn = "default", chat_id: int = 0, user_id: int = 0,
                                   language_code: str = "") -> Outcome:
    """Sets the bot's command menu (commands: 1-32 lowercase letters, digits, underscores) for a scope."""
    return await attempt(ctx, session, "setMyCommands", {
        "commands": [BotCommandInfo.model_validate(c if isinstance(c, dict) else c.model_dump()).model_dump()
                     for c in commands], "scope": scope_of(scope, chat_id, user_id),
        "language_code": language_code or None})


@node(exec_pins=True, friendly_name="Delete My Commands")
async def telegram_delete_my_commands(ctx: Context, session: SessionIn, scope: ScopeIn = "default", chat_id: int = 0,
                                      user_id: int = 0, language_code: str = "") -> Outcome:
    """Removes the bot's command menu for a scope (wider scopes show again)."""
    return await attempt(ctx, session, "deleteMyCommands", {"scope": scope_of(scope, chat_id, user_id),
                                                            "language_code": language_code or None})


class Text(NamedTuple):
    value: str
    error: str


async def profile_text(ctx: Context, session: SessionIn, method: str, field: str, language_code: str) -> Text:
    try:
        found = await bot_api(ctx, session, method, {"language_code": language_code or None})
    except TelegramError as exc:
        return Text("", str(exc))
    return Text(found.get(field, ""), "")


class Name(NamedTuple):
    name: str
    error: str


class Description(NamedTuple):
    description: str
    error: str


class ShortDescription(NamedTuple):
    short_description: str
    error: str


@node(exec_pins=True, friendly_name="Get My Name")
async def telegram_get_my_name(ctx: Context, session: SessionIn, language_code: str = "") -> Name:
    """The bot's name for a language (the default one when empty)."""
    return Name(*await profile_text(ctx, session, "getMyName", "name", language_code))


@node(exec_pins=True, friendly_name="Set My Name")
async def telegram_set_my_name(ctx: Context, session: SessionIn, name: str = "", language_code: str = "") -> Outcome:
    """Sets the bot's name for a language (0-64 characters; empty removes the language's own)."""
    return await attempt(ctx, session, "setMyName", {"name": name, "language_code": language_code or None})


@node(exec_pins=True, friendly_name="Get My Description")
async def telegram_get_my_description(ctx: Context, session: SessionIn, language_code: str = "") -> Description:
    """The text shown in an empty chat with the bot."""
    return Description(*await profile_text(ctx, session, "getMyDescription", "description", language_code))


@node(exec_pins=True, friendly_name="Set My Description")
async def telegram_set_my_description(ctx: Context, session: SessionIn, description: str = "",
                                      language_code: str = "") -> Outcome:
    """Sets the text shown in an empty chat with the bot (0-512 characters)."""
    return await attempt(ctx, session, "setMyDescription", {"description": description,
                                                            "language_code": language_code or None})


@node(exec_pins=True, friendly_name="Get My Short Description")
async def telegram_get_my_short_description(ctx: Context, session: SessionIn,
                                            language_code: str = "") -> ShortDescription:
    """The text on the bot's profile page and in shared links."""
    return ShortDescription(*await profile_text(ctx, session, "getMyShortDescription", "short_description",
                                             language_code))


@node(exec_pins=True, friendly_name="Set My Short Description")
async def telegram_set_my_short_description(ctx: Context, session: SessionIn, short_description: str = "",
                                            language_code: str = "") -> Outcome:
    """Sets the text on the bot's profile page (0-120 characters)."""
    return await attempt(ctx, session, "setMyShortDescription", {"short_description": short_description,
                                                                 "language_code": language_code or None})


class AdminRights(BaseModel):
    """The admin rights the bot asks for when added to groups or channels."""

    is_anonymous: bool = False
    can_manage_chat: bool = False
    can_delete_messages: bool = False
    can_manage_video_chats: bool = False
    can_restrict_members: bool = False
    can_promote_members: bool = False
    can_change_info: bool = False
    can_invite_users: bool = False
    can_post_messages: bool = False
    can_edit_messages: bool = False
    can_pin_messages: bool = False
    can_manage_topics: bool = False


class Rights(NamedTuple):
    rights: AdminRights
    error: str


@node(exec_pins=True, friendly_name="Get Default Admin Rights")
async def telegram_get_my_default_admin_rights(ctx: Context, session: SessionIn, for_channels: bool = False) -> Rights:
    """The rights the bot suggests when it is made admin of a group (or a channel)."""
    try:
        found = await bot_api(ctx, session, "getMyDefaultAdministratorRights", {"for_channels": for_channels})
    except TelegramError as exc:
        return Rights(AdminRights(), str(exc))
    return Rights(AdminRights.model_validate({k: v for k, v in found.items() if k in AdminRights.model_fields}), "")


@node(exec_pins=True, friendly_name="Set Default Admin Rights")
async def telegram_set_my_default_admin_rights(
        ctx: Context, session: SessionIn, for_channels: bool = False, is_anonymous: bool = False,
        can_manage_chat: bool = False, can_delete_messages: bool = False, can_manage_video_chats: bool = False,
        can_restrict_members: bool = False, can_promote_members: bool = False, can_change_info: bool = False,
        can_invite_users: bool = False, can_post_messages: bool = False, can_edit_messages: bool = False,
        can_pin_messages: bool = False, can_manage_topics: bool = False) -> Outcome:
    """Sets the rights the bot suggests when it is made admin of a group (or a channel)."""
    rights = AdminRights(
        is_anonymous=is_anonymous, can_manage_chat=can_manage_chat, can_delete_messages=can_delete_messages,
        can_manage_video_chats=can_manage_video_chats, can_restrict_members=can_restrict_members,
        can_promote_members=can_promote_members, can_change_info=can_change_info, can_invite_users=can_invite_users,
        can_post_messages=can_post_messages, can_edit_messages=can_edit_messages, can_pin_messages=can_pin_messages,
        can_manage_topics=can_manage_topics).model_dump()
    return await attempt(ctx, session, "setMyDefaultAdministratorRights", {"rights": rights,
                                                                           "for_channels": for_channels})


class MenuButton(NamedTuple):
    menu_type: Annotated[str, Pin(description="default, commands or web_app")]
    web_app_text: str
    web_app_url: str
    error: str


@node(exec_pins=True, friendly_name="Get Chat Menu Button")
async def telegram_get_chat_menu_button(ctx: Context, session: SessionIn,
                                        chat_id: Annotated[int, Pin(description="A private chat; 0 = the bot's "
                                                                    "default button")] = 0) -> MenuButton:
    """The button next to the message field of a private chat (or the default)."""
    try:
        button = await bot_api(ctx, session, "getChatMenuButton", {"chat_id": chat_id or None})
    except TelegramError as exc:
        return MenuButton("", "", "", str(exc))
    return MenuButton(button.get("type", ""), button.get("text", ""), (button.get("web_app") or {}).get("url", ""), "")


@node(exec_pins=True, friendly_name="Set Chat Menu Button")
async def telegram_set_chat_menu_button(ctx: Context, session: SessionIn, chat_id: int = 0,
                                        menu_type: Annotated[str, Pin(description="default, commands or web_app")]
                                        = "default", web_app_text: str = "", web_app_url: str = "") -> Outcome:
    """Sets the button next to the message field: the command list, a Web App, or Telegram's default."""
    kind = menu_type.strip().lower()
    if kind == "web_app":
        if not web_app_text or not web_app_url:
            raise ValueError("a web_app menu button needs web_app_text and web_app_url")
        button = {"type": kind, "text": web_app_text, "web_app": {"url": web_app_url}}
    elif kind in ("default", "commands"):
        button = {"type": kind}
    else:
        raise ValueError(f"menu_type must be default, commands or web_app, got {menu_type!r}")
    return await attempt(ctx, session, "setChatMenuButton", {"chat_id": chat_id or None, "menu_button": button})


# ---- users ---------------------------------------------------------------------------------------------


class Boosts(NamedTuple):
    boosts: Annotated[dict, Pin(description="Telegram's UserChatBoosts (a list of ChatBoost)")]
    count: int


@node(exec_pins=True, friendly_name="Get User Chat Boosts", category="Telegram/User")
async def telegram_get_user_chat_boosts(ctx: Context, session: SessionIn, user_id: int) -> Boosts:
    """How a user boosts the session's chat (the bot must be its admin)."""
    found = await bot_api(ctx, session, "getUserChatBoosts", {"chat_id": chat_ref(session.chat_id),
                                                              "user_id": user_id})
    return Boosts(found, len(found.get("boosts", [])))


@node(exec_pins=True, friendly_name="Set User Emoji Status", category="Telegram/User")
async def telegram_set_user_emoji_status(ctx: Context, session: SessionIn, user_id: int,
                                         emoji_status_custom_emoji_id: Annotated[str, Pin(
                                             description="Empty removes the status")] = "",
                                         emoji_status_expiration_date: Annotated[int, Pin(
                                             description="Unix time; 0 = no end")] = 0) -> Success:
    """Sets the emoji status of a user who allowed the bot to (through a Mini App)."""
    return await bot_api(ctx, session, "setUserEmojiStatus", {
        "user_id": user_id, "emoji_status_custom_emoji_id": emoji_status_custom_emoji_id or None,
        "emoji_status_expiration_date": emoji_status_expiration_date or None})


# ---- inline mode and Web Apps --------------------------------------------------------------------------


@node(exec_pins=True, friendly_name="Answer Inline Query", category="Telegram/Inline")
async def telegram_answer_inline_query(ctx: Context, session: SessionIn, inline_query_id: str,
                                       results: Annotated[str, Pin(description="A JSON array of up to 50 "
                                                                   "InlineQueryResult objects")],
                                       cache_time: int = 300, is_personal: bool = False, next_offset: str = "",
                                       button: Annotated[str, Pin(description="An InlineQueryResultsButton as JSON "
                                                                  "(optional)")] = "") -> Success:
    """Answers an inline query (@bot query typed in any chat) with results to pick from."""
    answers = parse_json(results, "results")
    if not isinstance(answers, list):
        raise ValueError("results must be a JSON array of InlineQueryResult objects")
    return await bot_api(ctx, session, "answerInlineQuery", {
        "inline_query_id": inline_query_id, "results": answers, "cache_time": cache_time,
        "is_personal": is_personal or None, "next_offset": next_offset or None,
        "button": parse_json(button, "button") if button.strip() else None})


@node(exec_pins=True, friendly_name="Answer Web App Query", category="Telegram/Inline")
async def telegram_answer_web_app_query(ctx: Context, session: SessionIn, web_app_query_id: str,
                                        result: Annotated[str, Pin(description="One InlineQueryResult as JSON")]
                                        ) -> Annotated[dict, Pin(name="sent_message", description=(
                                            "Telegram's SentWebAppMessage (inline_message_id)"))]:
    """Sends a message on behalf of the user of a Web App, answering its query."""
    return await bot_api(ctx, session, "answerWebAppQuery", {"web_app_query_id": web_app_query_id,
                                                             "result": parse_json(result, "result")})


# ---- games ---------------------------------------------------------------------------------------------


@node(exec_pins=True, friendly_name="Send Game", category="Telegram/Games")
async def telegram_send_game(ctx: Context, session: SessionIn,
                             game_short_name: Annotated[str, Pin(description="As set up with @BotFather")],
                             disable_notification: bool = False, protect_content: bool = False,
                             reply_to_message_id: str = "") -> Annotated[SentMessage, Pin(name="sent_game")]:
    """Sends a game to the session's chat."""
    return sent(await bot_api(ctx, session, "sendGame", {
        "chat_id": chat_ref(session.chat_id), "game_short_name": game_short_name,
        "disable_notification": disable_notification or None, "protect_content": protect_content or None,
        "reply_parameters": reply_parameters(reply_to_message_id)}))


def game_message(session: SessionIn, message_id: str, inline_message_id: str) -> dict[str, Any]:
    """Where a game is: a message of the session's chat, or an inline message."""
    if inline_message_id.strip():
        return {"inline_message_id": inline_message_id.strip()}
    if not str(message_id).strip():
        raise ValueError("give message_id (a game in the session's chat) or inline_message_id")
    return {"chat_id": chat_ref(session.chat_id), "message_id": optional_int(message_id)}


@node(exec_pins=True, friendly_name="Set Game Score", category="Telegram/Games")
async def telegram_set_game_score(ctx: Context, session: SessionIn, user_id: int, score: int, force: bool = False,
                                  disable_edit_message: bool = False, message_id: str = "",
                                  inline_message_id: str = "") -> Success:
    """Sets a player's score in a game message (only higher unless forced)."""
    await bot_api(ctx, session, "setGameScore", {
        "user_id": user_id, "score": score, "force": force or None,
        "disable_edit_message": disable_edit_message or None, **game_message(session, message_id, inline_message_id)})
    return True


@node(exec_pins=True, friendly_name="Set Game Score (Inline)", category="Telegram/Games")
async def telegram_set_game_score_inline(ctx: Context, session: SessionIn, user_id: int, score: int,
                                         inline_message_id: str, force: bool = False,
                                         disable_edit_message: bool = False) -> Success:
    """Sets a player's score in a game sent through inline mode."""
    return await telegram_set_game_score.func(ctx, session, user_id, score, force, disable_edit_message, "",
                                              inline_message_id)


class HighScores(NamedTuple):
    high_scores: Annotated[list[dict], Pin(description="Telegram's GameHighScore objects (position, user, score)")]
    count: int


@node(exec_pins=True, friendly_name="Get Game High Scores", category="Telegram/Games")
async def telegram_get_game_high_scores(ctx: Context, session: SessionIn, user_id: int, message_id: str = "",
                                        inline_message_id: str = "") -> HighScores:
    """The high score table around a player in a game message."""
    scores = await bot_api(ctx, session, "getGameHighScores", {
        "user_id": user_id, **game_message(session, message_id, inline_message_id)})
    return HighScores(scores, len(scores))
