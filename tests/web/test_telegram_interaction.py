"""Telegram's waiting nodes against a local Bot API server whose getUpdates long-polls like Telegram's."""

from __future__ import annotations

from typing import Any

import pytest
from fake_telegram import CHAT, DATE, State, TelegramBoard


def message(update_id: int, message_id: int, text: str, user: int = 8, chat: int = CHAT,
            reply_to: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message_id": message_id, "date": DATE, "text": text, "chat": {"id": chat},
                            "from": {"id": user, "username": f"user{user}"}}
    if reply_to is not None:
        body["reply_to_message"] = {"message_id": reply_to, "chat": {"id": chat}}
    return {"update_id": update_id, "message": body}


def callback(update_id: int, message_id: int, data: str, chat: int = CHAT) -> dict[str, Any]:
    return {"update_id": update_id, "callback_query": {
        "id": f"cb{update_id}", "data": data, "from": {"id": 8, "username": "ada"},
        "message": {"message_id": message_id, "chat": {"id": chat}}}}


def run_wait(b: Any, url: str, key: str, outputs: list[str], **inputs: Any) -> tuple[Any, str, dict[str, Any]]:
    """Run a waiting node with each exec output led to a Return Result naming it: (run, fired, outputs)."""
    board = TelegramBoard(b, url)
    added = board.node(key, **inputs)
    exits = [spec.name for spec in b.registry.get(key).pin_specs()
             if spec.direction.name == "OUTPUT" and spec.data_type.name == "EXECUTION"
             and spec.name != "auto_handle_error"]
    for name in exits:
        back = b.add("events_generic_return_result", response=name)
        b.wire(added, name, back, "exec_in")
    run = b.run()
    run.raise_for_status()
    return run, run.result, {name: run.output(added.id, name) for name in outputs}


def test_wait_for_reply_takes_the_reply_to_the_message_from_the_user(b: Any, api: tuple[str, State]) -> None:
    api[1].updates = [message(1, 50, "other chat", chat=1, reply_to=40), message(2, 51, "no reply"),
                      message(3, 52, "wrong user", user=9, reply_to=40), message(4, 53, "Yes!", reply_to=40)]
    _, fired, out = run_wait(b, api[0], "telegram_wait_for_reply", ["reply", "reply_text", "timed_out"],
                             message_ref={"message_id": "40", "chat_id": str(CHAT)}, from_user_id="8",
                             timeout_seconds=10)
    assert fired == "on_reply" and out["reply_text"] == "Yes!" and out["timed_out"] is False
    assert out["reply"].model_dump() | {"date": 0} == {
        "message_id": "53", "chat_id": str(CHAT), "user_id": "8", "username": "user8", "text": "Yes!", "date": 0,
        "has_photo": False, "has_document": False, "has_video": False, "has_audio": False}
    polls = [c["params"] for c in api[1].calls if c["method"] == "getUpdates"]
    assert polls[0]["allowed_updates"] == ["message"] and polls[-1]["offset"] == 5  # the update was confirmed


def test_wait_for_reply_times_out(b: Any, api: tuple[str, State]) -> None:
    _, fired, out = run_wait(b, api[0], "telegram_wait_for_reply", ["reply_text", "timed_out"], timeout_seconds=1)
    assert fired == "on_timeout" and out == {"reply_text": "", "timed_out": True}


def test_send_and_wait_sends_the_prompt_and_takes_the_next_message(b: Any, api: tuple[str, State]) -> None:
    api[1].updates = [message(1, 90, "before the prompt"), message(2, 102, "Blue")]
    _, fired, out = run_wait(b, api[0], "telegram_send_and_wait", ["reply_text", "sent_message"],
                             prompt="*Colour?*", parse_mode="MarkdownV2", timeout_seconds=10)
    assert api[1].call("sendMessage")["params"] == {"chat_id": CHAT, "text": "*Colour?*", "parse_mode": "MarkdownV2"}
    assert fired == "on_reply" and out["reply_text"] == "Blue" and out["sent_message"].message_id == "101"


def test_wait_for_callback_answers_the_press(b: Any, api: tuple[str, State]) -> None:
    api[1].updates = [callback(1, 60, "yes"), callback(2, 61, "no"), callback(3, 61, "yes")]
    _, fired, out = run_wait(b, api[0], "telegram_wait_for_callback", ["callback", "callback_data"],
                             message_ref={"message_id": "61", "chat_id": str(CHAT)}, expected_data="yes",
                             timeout_seconds=10)
    assert fired == "on_callback" and out["callback_data"] == "yes"
    assert out["callback"].model_dump() == {"callback_id": "cb3", "data": "yes", "user_id": "8", "username": "ada",
                                            "chat_id": str(CHAT), "message_id": "61"}
    assert api[1].call("answerCallbackQuery")["params"] == {"callback_query_id": "cb3"}


@pytest.mark.parametrize(("data", "expected", "confirmed"), [("confirm", "on_confirm", True),
                                                             ("cancel", "on_cancel", False)])
def test_confirmation_dialog(b: Any, api: tuple[str, State], data: str, expected: str, confirmed: bool) -> None:
    api[1].updates = [callback(1, 101, data)]  # 101: the dialog's message id on the fake server
    _, fired, out = run_wait(b, api[0], "telegram_confirmation_dialog", ["confirmed"], question="Deploy?",
                             timeout_seconds=10)
    keyboard = api[1].call("sendMessage")["params"]["reply_markup"]["inline_keyboard"]
    assert [button["callback_data"] for button in keyboard[0]] == ["confirm", "cancel"]
    assert fired == expected and out["confirmed"] is confirmed
    assert api[1].call("editMessageReplyMarkup")["params"]["reply_markup"] == {"inline_keyboard": []}


def test_confirmation_dialog_times_out(b: Any, api: tuple[str, State]) -> None:
    _, fired, out = run_wait(b, api[0], "telegram_confirmation_dialog", ["confirmed"], question="Deploy?",
                             timeout_seconds=1)
    assert fired == "on_timeout" and out["confirmed"] is False
