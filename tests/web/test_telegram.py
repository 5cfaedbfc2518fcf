"""Telegram message nodes against a local Bot API server: what each node sent, what it outputs, and Telegram's
errors on the Error pin."""

from __future__ import annotations

from typing import Any

import pytest
from fake_telegram import CHAT, DATE, State, TelegramBoard, check_case, failure, run_node
from flowlike_catalog.web import telegram as tg

from flowlike_core import RunStatus


def test_to_session_keeps_the_token_secret() -> None:
    session = tg.telegram_to_session.func({"bot_token": "1:abc", "chat_id": 5, "api_url": "http://x/"})
    assert session.chat_id == "5" and session.api_url == "http://x"
    assert "1:abc" not in session.model_dump_json() and session.bot_token.get_secret_value() == "1:abc"
    with pytest.raises(ValueError, match="no bot_token"):
        tg.telegram_to_session.func({"chat_id": "5"})


def test_to_user_and_user_id() -> None:
    user = tg.telegram_to_user.func({"id": 77, "name": "Ada", "username": "ada"})
    assert user == tg.TelegramUser(id="77", name="Ada", username="ada", is_bot=False)
    assert tg.telegram_get_user_id.func(user) == 77
    with pytest.raises(ValueError, match="user id must be a number"):
        tg.telegram_get_user_id.func(tg.TelegramUser(id="ada"))


def test_send_message_sends_json_and_outputs_the_sent_message(b: Any, api: tuple[str, State]) -> None:
    out = run_node(b, api, "telegram_send_message", message="Hello", reply_to="7", disable_notification=True)
    call = api[1].call("sendMessage")
    assert call["params"] == {"chat_id": CHAT, "text": "Hello", "disable_notification": True,
                              "reply_parameters": {"message_id": 7, "allow_sending_without_reply": True}}
    assert out["sent_message"] == tg.SentMessage(message_id="101", chat_id=str(CHAT), date=DATE)


def test_bot_api_errors_reach_on_error_with_telegrams_description(b: Any, api: tuple[str, State]) -> None:
    api[1].failures["sendMessage"] = (400, "Bad Request: chat not found")
    board = TelegramBoard(b, api[0])
    added = board.node("telegram_send_message", message="Hi")
    message = b.result_of(added, added, "auto_handle_error_string", out="auto_handle_error")
    assert "Telegram sendMessage failed (400): Bad Request: chat not found" in message


def test_flood_control_is_waited_out_once(b: Any, api: tuple[str, State]) -> None:
    api[1].flood_waits = 1
    run_node(b, api, "telegram_send_chat_action")
    assert [c["method"] for c in api[1].calls] == ["sendChatAction", "sendChatAction"]
    api[1].flood_waits = 2
    assert "failed (429): Too Many Requests" in failure(type(b)(), api, "telegram_send_chat_action")


def test_a_wrong_token_fails_the_run_without_showing_the_token(b: Any, api: tuple[str, State]) -> None:
    board = TelegramBoard(b, api[0], token="999:wrong-secret")
    board.node("telegram_delete_message", message_id="5")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "Unauthorized" in str(run.error) and "wrong-secret" not in str(run.error)


def test_an_unreachable_server_is_a_clear_error_without_the_token(b: Any) -> None:
    from local_ports import free_port

    board = TelegramBoard(b, f"http://127.0.0.1:{free_port()}")
    board.node("telegram_send_chat_action")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "could not be reached" in str(run.error) and "local-test-token" not in str(run.error)


def test_a_message_id_that_is_not_a_number_says_so(b: Any, api: tuple[str, State]) -> None:
    board = TelegramBoard(b, api[0])
    board.node("telegram_edit_message", message_id="seven", new_text="x")
    run = b.run()
    assert "message_id must be a number, got 'seven'" in str(run.error)


MESSAGE = {"message_id": 55, "date": DATE, "chat": {"id": 99, "type": "group"}}
POLL = {"id": "p1", "question": "Lunch?", "total_voter_count": 3, "is_closed": True, "is_anonymous": True,
        "allows_multiple_answers": False,
        "options": [{"text": "Pizza", "voter_count": 2}, {"text": "Soup", "voter_count": 1}]}

CASES = [
    # key, inputs, method, parameters sent (a subset), canned result (None: the fake's default), outputs (a subset)
    ("telegram_reply_to_message", {"message": "Yes"}, "sendMessage",
     {"text": "Yes", "reply_parameters": {"message_id": 7, "allow_sending_without_reply": True}}, None, {}),
    ("telegram_edit_message", {"message_id": "5", "new_text": "New"}, "editMessageText",
     {"chat_id": CHAT, "message_id": 5, "text": "New"}, None, {"success": True}),
    ("telegram_delete_message", {"message_id": "5"}, "deleteMessage", {"chat_id": CHAT, "message_id": 5}, None,
     {"success": True}),
    ("telegram_forward_message", {"message_id": "5", "target_chat_id": "99"}, "forwardMessage",
     {"chat_id": 99, "from_chat_id": CHAT, "message_id": 5}, MESSAGE,
     {"forwarded_message": tg.SentMessage(message_id="55", chat_id="99", date=DATE)}),
    ("telegram_copy_message", {"message_id": "5", "target_chat_id": "@news"}, "copyMessage",
     {"chat_id": "@news", "from_chat_id": CHAT, "message_id": 5}, {"message_id": 77}, {"copied_message_id": "77"}),
    ("telegram_edit_message_media", {"message_id": "5", "media_json": '{"type": "photo", "media": "u"}'},
     "editMessageMedia", {"media": {"type": "photo", "media": "u"}}, MESSAGE, {"success": True}),
    ("telegram_send_media_group", {"media_json": '[{"type": "photo", "media": "a"}, {"type": "photo", "media": "b"}]'},
     "sendMediaGroup", {"media": [{"type": "photo", "media": "a"}, {"type": "photo", "media": "b"}]},
     [{**MESSAGE, "message_id": 1}, {**MESSAGE, "message_id": 2}], {"message_ids": "1,2"}),
    ("telegram_send_video_note", {"video_note": "file-1", "duration": 9}, "sendVideoNote",
     {"video_note": "file-1", "duration": 9}, None, {}),
    ("telegram_set_message_reaction", {"message_id": "5", "reaction_json": "👍"}, "setMessageReaction",
     {"message_id": 5, "reaction": [{"type": "emoji", "emoji": "👍"}]}, None, {"success": True}),
    ("telegram_edit_message_live_location", {"message_id": "5", "latitude": 1.5, "longitude": 2.5},
     "editMessageLiveLocation", {"latitude": 1.5, "longitude": 2.5, "message_id": 5}, MESSAGE, {"success": True}),
    ("telegram_stop_message_live_location", {"message_id": "5"}, "stopMessageLiveLocation", {"message_id": 5},
     MESSAGE, {"success": True}),
    # media by URL or file_id
    ("telegram_send_photo", {"photo_url": "https://x/p.jpg", "caption": "Look", "reply_to": "3"}, "sendPhoto",
     {"photo": "https://x/p.jpg", "caption": "Look", "reply_parameters": {"message_id": 3,
                                                                          "allow_sending_without_reply": True}},
     None, {}),
    ("telegram_send_animation", {"animation_url": "a.gif"}, "sendAnimation", {"animation": "a.gif"}, None, {}),
    ("telegram_send_audio", {"audio_url": "s.mp3", "title": "Song", "performer": "Band"}, "sendAudio",
     {"audio": "s.mp3", "title": "Song", "performer": "Band"}, None, {}),
    ("telegram_send_document", {"document_url": "file-id-9"}, "sendDocument", {"document": "file-id-9"}, None, {}),
    ("telegram_send_video", {"video_url": "v.mp4", "caption": "c"}, "sendVideo", {"video": "v.mp4", "caption": "c"},
     None, {}),
    ("telegram_send_voice", {"voice_url": "v.ogg"}, "sendVoice", {"voice": "v.ogg"}, None, {}),
    ("telegram_send_sticker", {"sticker": "stk", "emoji": "😀", "protect_content": True}, "sendSticker",
     {"sticker": "stk", "emoji": "😀", "protect_content": True}, None, {}),
    # files
    ("telegram_copy_messages", {"from_chat_id": "99", "message_ids": [3, 1]}, "copyMessages",
     {"chat_id": CHAT, "from_chat_id": 99, "message_ids": [1, 3]}, [{"message_id": 10}, {"message_id": 11}],
     {"copied_message_ids": [10, 11]}),
    ("telegram_forward_messages", {"from_chat_id": "99", "message_ids": [4]}, "forwardMessages",
     {"message_ids": [4]}, [{"message_id": 12}], {"forwarded_message_ids": [12]}),
    ("telegram_delete_messages", {"message_ids": [4, 5]}, "deleteMessages", {"message_ids": [4, 5]}, None,
     {"success": True}),
    ("telegram_get_file", {"file_id": "F"}, "getFile", {"file_id": "F"},
     {"file_id": "F", "file_unique_id": "u", "file_size": 10, "file_path": "photos/f.jpg"},
     {"file_path": "photos/f.jpg"}),
    ("telegram_get_user_profile_photos", {"user_id": 8, "limit": 500}, "getUserProfilePhotos",
     {"user_id": 8, "limit": 100}, {"total_count": 2, "photos": [[], []]}, {"total_count": 2}),
    # interactive
    ("telegram_send_contact", {"phone_number": "+1", "first_name": "Ada"}, "sendContact",
     {"phone_number": "+1", "first_name": "Ada"}, None, {}),
    ("telegram_send_dice", {"emoji": "Darts"}, "sendDice", {"emoji": "🎯"},
     {**MESSAGE, "dice": {"emoji": "🎯", "value": 4}}, {"value": 4}),
    ("telegram_send_location", {"latitude": 48.1, "longitude": 11.5}, "sendLocation",
     {"latitude": 48.1, "longitude": 11.5}, None, {}),
    ("telegram_send_venue", {"latitude": 1.0, "longitude": 2.0, "title": "Cafe", "address": "Main St"}, "sendVenue",
     {"title": "Cafe", "address": "Main St"}, None, {}),
    ("telegram_send_poll", {"question": "Lunch?", "options": ["Pizza", "Soup"]}, "sendPoll",
     {"question": "Lunch?", "options": [{"text": "Pizza"}, {"text": "Soup"}], "is_anonymous": True}, None, {}),
    # chat
    ("telegram_get_chat", {}, "getChat", {"chat_id": CHAT}, {"id": CHAT, "type": "group", "title": "Team"},
     {"chat": {"id": CHAT, "type": "group", "title": "Team"}}),
    ("telegram_get_member_count", {}, "getChatMemberCount", {"chat_id": CHAT}, 12, {"count": 12}),
    ("telegram_leave_chat", {}, "leaveChat", {"chat_id": CHAT}, None, {"success": True}),
    ("telegram_send_chat_action", {"action": "upload_photo"}, "sendChatAction", {"action": "upload_photo"}, None,
     {}),
    ("telegram_pin_message", {"message_id": "5", "disable_notification": True}, "pinChatMessage",
     {"message_id": 5, "disable_notification": True}, None, {"success": True}),
    ("telegram_unpin_message", {"message_id": "5"}, "unpinChatMessage", {"message_id": 5}, None, {"success": True}),
    ("telegram_unpin_all_messages", {}, "unpinAllChatMessages", {"chat_id": CHAT}, None, {"success": True}),
    ("telegram_set_chat_title", {"title": "T"}, "setChatTitle", {"title": "T"}, None, {"success": True}),
    ("telegram_set_chat_description", {"description": "D"}, "setChatDescription", {"description": "D"}, None,
     {"success": True}),
    ("telegram_delete_chat_photo", {}, "deleteChatPhoto", {"chat_id": CHAT}, None, {"success": True}),
    ("telegram_set_chat_sticker_set", {"sticker_set_name": "s"}, "setChatStickerSet", {"sticker_set_name": "s"},
     None, {"success": True}),
    ("telegram_delete_chat_sticker_set", {}, "deleteChatStickerSet", {}, None, {"success": True}),
    ("telegram_ban_chat_sender_chat", {"sender_chat_id": -100}, "banChatSenderChat", {"sender_chat_id": -100}, None,
     {"success": True}),
    ("telegram_unban_chat_sender_chat", {"sender_chat_id": -100}, "unbanChatSenderChat", {"sender_chat_id": -100},
     None, {"success": True}),
    ("telegram_set_chat_permissions", {"permissions": {"can_send_messages": False}}, "setChatPermissions",
     {"permissions": {"can_send_messages": False, "can_send_audios": True, "can_send_documents": True,
                      "can_send_photos": True, "can_send_videos": True, "can_send_video_notes": True,
                      "can_send_voice_notes": True, "can_send_polls": True, "can_send_other_messages": True,
                      "can_add_web_page_previews": True, "can_change_info": False, "can_invite_users": True,
                      "can_pin_messages": False}}, None, {"success": True}),
    # members
    ("telegram_approve_chat_join_request", {"user_id": 8}, "approveChatJoinRequest", {"user_id": 8}, None,
     {"success": True}),
    ("telegram_decline_chat_join_request", {"user_id": 8}, "declineChatJoinRequest", {"user_id": 8}, None,
     {"success": True}),
    ("telegram_ban_chat_member", {"user_id": 8, "until_date": 1800000000, "revoke_messages": True}, "banChatMember",
     {"user_id": 8, "until_date": 1800000000, "revoke_messages": True}, None, {"success": True}),
    ("telegram_unban_chat_member", {"user_id": 8}, "unbanChatMember", {"user_id": 8, "only_if_banned": True}, None,
     {"success": True}),
    ("telegram_get_chat_administrators", {}, "getChatAdministrators", {},
     [{"status": "creator", "user": {"id": 1}}, {"status": "administrator", "user": {"id": 2}}], {"count": 2}),
    ("telegram_get_chat_member", {"user_id": 2}, "getChatMember", {"user_id": 2},
     {"status": "restricted", "user": {"id": 2}}, {"status": "restricted"}),
    ("telegram_promote_chat_member", {"user_id": 2, "can_pin_messages": True}, "promoteChatMember",
     {"user_id": 2, "can_pin_messages": True, "can_manage_chat": False}, None, {"success": True}),
    ("telegram_restrict_chat_member", {"user_id": 2, "can_send_media": False}, "restrictChatMember",
     {"user_id": 2, "permissions": {"can_send_messages": True, "can_send_audios": False, "can_send_documents": False,
                                    "can_send_photos": False, "can_send_videos": False,
                                    "can_send_video_notes": False, "can_send_voice_notes": False,
                                    "can_send_polls": True, "can_send_other_messages": True,
                                    "can_add_web_page_previews": True}}, None, {"success": True}),
    ("telegram_set_chat_admin_custom_title", {"user_id": 2, "custom_title": "Boss"},
     "setChatAdministratorCustomTitle", {"user_id": 2, "custom_title": "Boss"}, None, {"success": True}),
    # invite links
    ("telegram_create_chat_invite_link", {"name": "n", "member_limit": 5, "creates_join_request": True},
     "createChatInviteLink", {"name": "n", "creates_join_request": True}, {"invite_link": "https://t.me/+a"},
     {"link_info": {"invite_link": "https://t.me/+a"}}),
    ("telegram_edit_chat_invite_link", {"invite_link": "https://t.me/+a", "member_limit": 3}, "editChatInviteLink",
     {"invite_link": "https://t.me/+a", "member_limit": 3}, {"invite_link": "https://t.me/+a"},
     {"edited_link": "https://t.me/+a"}),
    ("telegram_create_chat_subscription_invite_link", {"subscription_price": 5},
     "createChatSubscriptionInviteLink", {"subscription_period": 2592000, "subscription_price": 5},
     {"invite_link": "https://t.me/+s"}, {"invite_link": "https://t.me/+s"}),
    ("telegram_edit_chat_subscription_invite_link", {"invite_link": "https://t.me/+s", "name": "VIP"},
     "editChatSubscriptionInviteLink", {"name": "VIP"}, {"invite_link": "https://t.me/+s"},
     {"edited_link": "https://t.me/+s"}),
    ("telegram_export_chat_invite_link", {}, "exportChatInviteLink", {}, "https://t.me/+new",
     {"invite_link": "https://t.me/+new"}),
    ("telegram_revoke_chat_invite_link", {"invite_link": "https://t.me/+a"}, "revokeChatInviteLink",
     {"invite_link": "https://t.me/+a"}, {"invite_link": "https://t.me/+a", "is_revoked": True},
     {"revoked_link": "https://t.me/+a"}),
    # forum topics
    ("telegram_create_forum_topic", {"name": "Bugs"}, "createForumTopic", {"name": "Bugs", "icon_color": 7322096},
     {"message_thread_id": 31, "name": "Bugs", "icon_color": 7322096}, {"message_thread_id": 31}),
    ("telegram_edit_forum_topic", {"message_thread_id": 31, "name": "B"}, "editForumTopic",
     {"message_thread_id": 31, "name": "B"}, None, {"success": True}),
    ("telegram_close_forum_topic", {"message_thread_id": 31}, "closeForumTopic", {"message_thread_id": 31}, None,
     {"success": True}),
    ("telegram_reopen_forum_topic", {"message_thread_id": 31}, "reopenForumTopic", {"message_thread_id": 31}, None,
     {"success": True}),
    ("telegram_delete_forum_topic", {"message_thread_id": 31}, "deleteForumTopic", {"message_thread_id": 31}, None,
     {"success": True}),
    ("telegram_unpin_all_forum_topic_messages", {"message_thread_id": 31}, "unpinAllForumTopicMessages",
     {"message_thread_id": 31}, None, {"success": True}),
    ("telegram_edit_general_forum_topic", {"name": "Main"}, "editGeneralForumTopic", {"name": "Main"}, None,
     {"success": True}),
    ("telegram_close_general_forum_topic", {}, "closeGeneralForumTopic", {}, None, {"success": True}),
    ("telegram_reopen_general_forum_topic", {}, "reopenGeneralForumTopic", {}, None, {"success": True}),
    ("telegram_hide_general_forum_topic", {}, "hideGeneralForumTopic", {}, None, {"success": True}),
    ("telegram_unhide_general_forum_topic", {}, "unhideGeneralForumTopic", {}, None, {"success": True}),
    ("telegram_unpin_all_general_forum_topic_messages", {}, "unpinAllGeneralForumTopicMessages", {}, None,
     {"success": True}),
    ("telegram_get_forum_topic_icon_stickers", {}, "getForumTopicIconStickers", {},
     [{"file_id": "s1"}, {"file_id": "s2"}], {"count": 2}),
    # polls
    ("telegram_stop_poll", {"poll_ref": {"message_id": "55", "chat_id": "99", "poll_id": "p1"}}, "stopPoll",
     {"chat_id": 99, "message_id": 55}, POLL,
     {"success": True, "results": {"poll_id": "p1", "question": "Lunch?", "total_voter_count": 3, "is_closed": True,
                                   "options": [{"text": "Pizza", "voter_count": 2},
                                               {"text": "Soup", "voter_count": 1}]}}),
    ("telegram_answer_callback", {"callback": {"callback_id": "cb1"}, "text": "Done"}, "answerCallbackQuery",
     {"callback_query_id": "cb1", "text": "Done"}, None, {}),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_node_sends_the_documented_call_and_outputs_the_answer(b: Any, api: tuple[str, State], case: tuple) -> None:
    check_case(b, api, case)


def test_send_photo_file_uploads_multipart_with_the_file(b: Any, api: tuple[str, State], tmp_path: Any) -> None:
    photo = tmp_path / "cat.png"
    photo.write_bytes(b"\x89PNG fake image")
    out = run_node(b, api, "telegram_send_photo_file", file={"path": str(photo)}, caption="Cat", reply_to="4")
    call = api[1].call("sendPhoto")
    assert call["files"] == {"photo": {"filename": "cat.png", "content": b"\x89PNG fake image"}}
    assert call["params"] == {"chat_id": str(CHAT), "caption": "Cat",
                              "reply_parameters": {"message_id": 4, "allow_sending_without_reply": True}}
    assert out["sent_message"].message_id == "101"


@pytest.mark.parametrize(("key", "method", "field"), [
    ("telegram_send_animation_file", "sendAnimation", "animation"), ("telegram_send_audio_file", "sendAudio", "audio"),
    ("telegram_send_video_file", "sendVideo", "video"), ("telegram_send_voice_file", "sendVoice", "voice")])
def test_file_nodes_upload_under_their_field(b: Any, api: tuple[str, State], tmp_path: Any, key: str, method: str,
                                             field: str) -> None:
    media = tmp_path / "clip.bin"
    media.write_bytes(b"bytes")
    run_node(b, api, key, file={"path": str(media)}, caption="c")
    assert api[1].call(method)["files"][field] == {"filename": "clip.bin", "content": b"bytes"}


def test_send_document_file_renames_and_a_missing_file_says_where(b: Any, api: tuple[str, State],
                                                                  tmp_path: Any) -> None:
    report = tmp_path / "r.txt"
    report.write_text("numbers")
    run_node(b, api, "telegram_send_document_file", file={"path": str(report)}, filename="report.txt")
    assert api[1].call("sendDocument")["files"]["document"]["filename"] == "report.txt"
    gone = {"path": str(tmp_path / "gone.ogg")}
    assert "no file at" in failure(type(b)(), api, "telegram_send_voice_file", file=gone)


def test_send_document_with_a_filename_downloads_the_url_and_uploads_it(b: Any, api: tuple[str, State]) -> None:
    run_node(b, api, "telegram_send_document", document_url=f"{api[0]}/files/q3.pdf", filename="Report Q3.pdf")
    assert api[1].call("sendDocument")["files"] == {
        "document": {"filename": "Report Q3.pdf", "content": b"contents of q3.pdf"}}
    missing = f"{api[0]}/nothing/here.pdf"
    assert "HTTP 404" in failure(type(b)(), api, "telegram_send_document", document_url=missing, filename="x.pdf")


def test_set_chat_photo_uploads_the_photo(b: Any, api: tuple[str, State], tmp_path: Any) -> None:
    (tmp_path / "logo.jpg").write_bytes(b"jpeg")
    assert run_node(b, api, "telegram_set_chat_photo", photo={"path": str(tmp_path / "logo.jpg")})["success"]
    assert api[1].call("setChatPhoto")["files"]["photo"]["content"] == b"jpeg"


def test_get_chat_info_joins_chat_and_member_count(b: Any, api: tuple[str, State]) -> None:
    api[1].results["getChat"] = {"id": CHAT, "type": "supergroup", "title": "Team", "description": "Us",
                                 "invite_link": "https://t.me/+x"}
    api[1].results["getChatMemberCount"] = 42
    info = run_node(b, api, "telegram_get_chat_info")["chat_info"]
    assert info.model_dump() == {"id": str(CHAT), "title": "Team", "chat_type": "supergroup", "description": "Us",
                                 "member_count": 42, "invite_link": "https://t.me/+x"}


def test_poll_with_reference_and_quiz(b: Any, api: tuple[str, State]) -> None:
    api[1].results["sendPoll"] = {**MESSAGE, "poll": {**POLL, "is_closed": False}}
    out = run_node(b, api, "telegram_send_poll_with_ref", question="Lunch?", options=["Pizza", "Soup"])
    assert out["poll_ref"].model_dump() == {"message_id": "55", "chat_id": "99", "poll_id": "p1",
                                            "question": "Lunch?", "options": ["Pizza", "Soup"],
                                            "allows_multiple_answers": False, "is_anonymous": True}
    run_node(type(b)(), api, "telegram_send_quiz", question="2+2?", options=["3", "4"], correct_option_index=1,
             explanation="Count")
    assert api[1].call("sendPoll")["params"].items() >= {"type": "quiz", "correct_option_id": 1,
                                                         "explanation": "Count"}.items()
    assert "correct_option_index 2 is not one of the 2 options" in failure(
        type(b)(), api, "telegram_send_quiz", question="?", options=["a", "b"], correct_option_index=2)
    assert "2 to 10 non-empty options" in failure(type(b)(), api, "telegram_send_poll", question="?", options=["x"])


def test_the_token_never_reaches_the_log(b: Any, api: tuple[str, State], caplog: Any) -> None:
    import logging

    with caplog.at_level(logging.INFO, logger="httpx"):
        run_node(b, api, "telegram_send_chat_action")
    requests = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any("/bot<token>/sendChatAction" in line for line in requests), requests
    assert not any("local-test-token" in line for line in requests)
