"""Telegram bot-profile, user, inline and game nodes against a local Bot API server."""

from __future__ import annotations

from typing import Any

import pytest
from fake_telegram import CHAT, DATE, State, check_case, failure, run_node

GAME = {"message_id": 70, "date": DATE, "chat": {"id": CHAT}, "game": {"title": "Snake"}}

CASES = [
    ("telegram_get_me", {}, "getMe", {}, {"id": 1, "is_bot": True, "first_name": "Bot", "username": "the_bot"},
     {"bot_username": "the_bot"}),
    ("telegram_log_out", {}, "logOut", {}, None, {"success": True}),
    ("telegram_close", {}, "close", {}, None, {"success": True}),
    ("telegram_get_my_commands", {"scope": "chat", "chat_id": 5, "language_code": "de"}, "getMyCommands",
     {"scope": {"type": "chat", "chat_id": 5}, "language_code": "de"}, [{"command": "start", "description": "Go"}],
     {"commands": [{"command": "start", "description": "Go"}], "error": ""}),
    ("telegram_set_my_commands", {"commands": [{"command": "help", "description": "Help"}], "scope": "chat_member",
                                  "chat_id": 5, "user_id": 6}, "setMyCommands",
     {"commands": [{"command": "help", "description": "Help"}],
      "scope": {"type": "chat_member", "chat_id": 5, "user_id": 6}}, None, {"success": True, "error": ""}),
    ("telegram_delete_my_commands", {}, "deleteMyCommands", {"scope": {"type": "default"}}, None,
     {"success": True, "error": ""}),
    ("telegram_get_my_name", {"language_code": "en"}, "getMyName", {"language_code": "en"}, {"name": "Helper"},
     {"name": "Helper", "error": ""}),
    ("telegram_set_my_name", {"name": "Helper"}, "setMyName", {"name": "Helper"}, None, {"success": True}),
    ("telegram_get_my_description", {}, "getMyDescription", {}, {"description": "I help"},
     {"description": "I help"}),
    ("telegram_set_my_description", {"description": "I help"}, "setMyDescription", {"description": "I help"}, None,
     {"success": True}),
    ("telegram_get_my_short_description", {}, "getMyShortDescription", {}, {"short_description": "Helps"},
     {"short_description": "Helps"}),
    ("telegram_set_my_short_description", {"short_description": "Helps"}, "setMyShortDescription",
     {"short_description": "Helps"}, None, {"success": True}),
    ("telegram_get_my_default_admin_rights", {"for_channels": True}, "getMyDefaultAdministratorRights",
     {"for_channels": True}, {"can_manage_chat": True, "can_post_stories": True}, {"error": ""}),
    ("telegram_set_my_default_admin_rights", {"can_pin_messages": True}, "setMyDefaultAdministratorRights",
     {"for_channels": False}, None, {"success": True}),
    ("telegram_get_chat_menu_button", {"chat_id": 5}, "getChatMenuButton", {"chat_id": 5},
     {"type": "web_app", "text": "Open", "web_app": {"url": "https://app.example"}},
     {"menu_type": "web_app", "web_app_text": "Open", "web_app_url": "https://app.example", "error": ""}),
    ("telegram_set_chat_menu_button", {"menu_type": "web_app", "web_app_text": "Open",
                                       "web_app_url": "https://app.example"}, "setChatMenuButton",
     {"menu_button": {"type": "web_app", "text": "Open", "web_app": {"url": "https://app.example"}}}, None,
     {"success": True}),
    ("telegram_get_user_chat_boosts", {"user_id": 8}, "getUserChatBoosts", {"chat_id": CHAT, "user_id": 8},
     {"boosts": [{"boost_id": "b1"}, {"boost_id": "b2"}]}, {"count": 2}),
    ("telegram_set_user_emoji_status", {"user_id": 8, "emoji_status_custom_emoji_id": "e1"}, "setUserEmojiStatus",
     {"user_id": 8, "emoji_status_custom_emoji_id": "e1"}, None, {"success": True}),
    ("telegram_answer_inline_query", {"inline_query_id": "q1", "results": '[{"type": "article", "id": "1"}]',
                                      "button": '{"text": "Start", "start_parameter": "s"}'}, "answerInlineQuery",
     {"inline_query_id": "q1", "results": [{"type": "article", "id": "1"}], "cache_time": 300,
      "button": {"text": "Start", "start_parameter": "s"}}, None, {"success": True}),
    ("telegram_answer_web_app_query", {"web_app_query_id": "w1", "result": '{"type": "article", "id": "1"}'},
     "answerWebAppQuery", {"web_app_query_id": "w1", "result": {"type": "article", "id": "1"}},
     {"inline_message_id": "im1"}, {"sent_message": {"inline_message_id": "im1"}}),
    ("telegram_send_game", {"game_short_name": "snake", "reply_to_message_id": "3"}, "sendGame",
     {"chat_id": CHAT, "game_short_name": "snake"}, GAME,
     {"sent_game": {"message_id": "70", "chat_id": str(CHAT), "date": DATE}}),
    ("telegram_set_game_score", {"user_id": 8, "score": 90, "message_id": "70"}, "setGameScore",
     {"user_id": 8, "score": 90, "chat_id": CHAT, "message_id": 70}, GAME, {"success": True}),
    ("telegram_set_game_score_inline", {"user_id": 8, "score": 90, "inline_message_id": "im1", "force": True},
     "setGameScore", {"inline_message_id": "im1", "force": True}, True, {"success": True}),
    ("telegram_get_game_high_scores", {"user_id": 8, "inline_message_id": "im1"}, "getGameHighScores",
     {"user_id": 8, "inline_message_id": "im1"}, [{"position": 1, "score": 90, "user": {"id": 8}}], {"count": 1}),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_node_sends_the_documented_call_and_outputs_the_answer(b: Any, api: tuple[str, State], case: tuple) -> None:
    check_case(b, api, case)


def test_profile_nodes_report_a_refusal_and_go_on(b: Any, api: tuple[str, State]) -> None:
    api[1].failures["setMyName"] = (400, "Bad Request: name is too long")
    out = run_node(b, api, "telegram_set_my_name", name="x" * 80)
    assert out == {"success": False, "error": "Telegram setMyName failed (400): Bad Request: name is too long"}


def test_default_admin_rights_come_back_as_the_struct(b: Any, api: tuple[str, State]) -> None:
    api[1].results["getMyDefaultAdministratorRights"] = {"can_manage_chat": True, "can_pin_messages": True,
                                                         "can_post_stories": True}
    rights = run_node(b, api, "telegram_get_my_default_admin_rights")["rights"]
    assert rights.can_manage_chat and rights.can_pin_messages and not rights.can_delete_messages
    run_node(type(b)(), api, "telegram_set_my_default_admin_rights", can_pin_messages=True, for_channels=True)
    sent = api[1].call("setMyDefaultAdministratorRights")["params"]
    assert sent["for_channels"] is True and sent["rights"]["can_pin_messages"] is True
    assert sent["rights"]["can_manage_chat"] is False and len(sent["rights"]) == 12


def test_bad_inputs_say_what_is_wrong(b: Any, api: tuple[str, State]) -> None:
    assert "the chat scope needs chat_id" in failure(b, api, "telegram_delete_my_commands", scope="chat")
    assert "unknown command scope 'everyone'" in failure(type(b)(), api, "telegram_get_my_commands",
                                                         scope="everyone")
    assert "needs web_app_text and web_app_url" in failure(type(b)(), api, "telegram_set_chat_menu_button",
                                                           menu_type="web_app")
    assert "give message_id" in failure(type(b)(), api, "telegram_set_game_score", user_id=1, score=2)
    assert "results is not valid JSON" in failure(type(b)(), api, "telegram_answer_inline_query",
                                                  inline_query_id="q", results="[oops")
