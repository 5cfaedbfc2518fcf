"""Discord nodes against a local server speaking Discord's REST API v10: the requests each node makes, what it
outputs, and Discord's errors on the Error pin."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fake_discord import BOT_ID, CHANNEL, TOKEN, State
from flowlike_catalog.web import discord as dc


@pytest.fixture
def api(discord_server: tuple[str, State]) -> tuple[str, State]:
    """The fake Discord API with fresh data for one test (this module's `api`; the folder's is Telegram's)."""
    url, state = discord_server
    state.__init__()
    return url, state


class DiscordBoard:
    """Start → To Discord Session → one node, each exec output led to a Return Result naming it."""

    def __init__(self, b: Any, url: str, token: str = TOKEN) -> None:
        self.b = b
        self.session = b.add("discord_to_session", local_session={
            "bot_token": token, "guild_id": "77", "channel_id": CHANNEL, "message_id": "500", "api_url": url})
        b.chain(b.add("events_simple"), self.session)

    def run(self, key: str, /, **inputs: Any) -> tuple[Any, Any, dict[str, Any]]:
        """(run, the exec output that fired, the node's outputs that were set)."""
        b = self.b
        added = b.add(key, **inputs)
        b.wire(self.session, "session", added, "session")
        b.chain(self.session, added)
        specs = b.registry.get(key).pin_specs()
        for spec in specs:
            if spec.direction.name == "OUTPUT" and spec.data_type.name == "EXECUTION":
                b.wire(added, spec.name, b.add("events_generic_return_result", response=spec.name), "exec_in")
        run = b.run()
        outputs = {}
        for spec in specs:
            if spec.direction.name == "OUTPUT" and spec.data_type.name != "EXECUTION":
                try:
                    outputs[spec.name] = run.output(added.id, spec.name)
                except KeyError:
                    continue
        return run, run.result, outputs


def run_node(b: Any, api: tuple[str, State], key: str, /, **inputs: Any) -> dict[str, Any]:
    run, fired, outputs = DiscordBoard(b, api[0]).run(key, **inputs)
    run.raise_for_status()
    assert fired == "exec_out", outputs.get("auto_handle_error_string")
    return outputs


def test_to_session_and_to_user() -> None:
    session = dc.discord_to_session.func({"bot_token": "t0k", "channel_id": 5, "api_url": "http://x/"})
    assert session.channel_id == "5" and session.api_url == "http://x" and "t0k" not in session.model_dump_json()
    user = dc.discord_to_user.func({"sub": "42", "name": "Ada", "bot": False})
    assert user == dc.DiscordUser(id="42", name="Ada", is_bot=False)
    with pytest.raises(ValueError, match="no bot_token"):
        dc.discord_to_session.func({})


def test_send_message_replies_in_the_sessions_channel(b: Any, api: tuple[str, State]) -> None:
    out = run_node(b, api, "discord_send_message", content="Hi", reply_to="500")
    request = api[1].request("POST", f"/channels/{CHANNEL}/messages")
    assert request["json"] == {"content": "Hi", "message_reference": {"message_id": "500",
                                                                       "fail_if_not_exists": False}}
    assert out["message_id"] == "2001"


def test_discord_errors_reach_on_error_with_discords_message(b: Any, api: tuple[str, State]) -> None:
    _, fired, out = DiscordBoard(b, api[0]).run("discord_send_message", content="Hi", channel_id="31337")
    assert fired == "auto_handle_error"
    assert "Discord answered 404 to POST /channels/31337/messages: Unknown Channel (code 10003)" in \
        out["auto_handle_error_string"]


def test_a_wrong_token_fails_without_showing_it(b: Any, api: tuple[str, State]) -> None:
    _, fired, out = DiscordBoard(b, api[0], token="not-the-token").run("discord_typing")
    message = out["auto_handle_error_string"]
    assert fired == "auto_handle_error" and "401: Unauthorized" in message and "not-the-token" not in message


def test_a_rate_limit_is_waited_out_once(b: Any, api: tuple[str, State]) -> None:
    api[1].rate_limits = 1
    run_node(b, api, "discord_typing")
    assert [r["path"] for r in api[1].requests] == [f"/channels/{CHANNEL}/typing"] * 2


def test_edit_delete_pin_and_unpin(b: Any, api: tuple[str, State]) -> None:
    run_node(b, api, "discord_edit_message", message_id="500", content="edited")
    assert api[1].messages[CHANNEL][0]["content"] == "edited"
    run_node(type(b)(), api, "discord_pin_message")
    assert api[1].pins == {"500"}
    run_node(type(b)(), api, "discord_unpin_message", message_id="500")
    assert api[1].pins == set()
    run_node(type(b)(), api, "discord_delete_message", message_id="500")
    assert api[1].messages[CHANNEL] == []


def test_reactions(b: Any, api: tuple[str, State]) -> None:
    run_node(b, api, "discord_add_reaction", emoji="👍")
    run_node(type(b)(), api, "discord_add_reaction", emoji="<:party:123>")
    assert api[1].reactions["500"] == {"👍", "party:123"}  # the path, decoded
    run_node(type(b)(), api, "discord_remove_reaction", emoji="👍", message_id="500")
    assert len(api[1].reactions["500"]) == 1
    run_node(type(b)(), api, "discord_clear_reactions")
    assert api[1].reactions["500"] == set()


def test_channel_topic_typing_and_thread(b: Any, api: tuple[str, State]) -> None:
    out = run_node(b, api, "discord_get_channel")
    assert out["channel"] == dc.DiscordChannel(id=CHANNEL, name="general", channel_type="text", guild_id="77",
                                               topic="Chat", nsfw=False)
    run_node(type(b)(), api, "discord_set_channel_topic", topic="News")
    assert api[1].channels[CHANNEL]["topic"] == "News"
    out = run_node(type(b)(), api, "discord_create_thread", name="Follow-up", auto_archive_minutes=60)
    assert api[1].request("POST", f"/channels/{CHANNEL}/messages/500/threads")["json"] == {
        "name": "Follow-up", "auto_archive_duration": 60}
    assert api[1].channels[out["thread_id"]]["name"] == "Follow-up"


def test_direct_messages_open_a_dm_channel_first(b: Any, api: tuple[str, State]) -> None:
    out = run_node(b, api, "discord_send_dm_by_id", user_id="41", content="psst")
    assert api[1].request("POST", "/users/@me/channels")["json"] == {"recipient_id": "41"}
    assert api[1].request("POST", "/channels/42/messages")["json"] == {"content": "psst"}
    assert out["message_id"]
    run_node(type(b)(), api, "discord_send_dm", user={"id": "51", "name": "Bo"}, content="hey")
    assert api[1].request("POST", "/channels/52/messages")["json"] == {"content": "hey"}


def test_buttons_select_menu_and_disabling_them(b: Any, api: tuple[str, State]) -> None:
    out = run_node(b, api, "discord_send_buttons", content="Pick", buttons=[f"B{n}" for n in range(7)])
    rows = api[1].request("POST", f"/channels/{CHANNEL}/messages")["json"]["components"]
    assert [len(row["components"]) for row in rows] == [5, 2] and rows[1]["components"][1]["label"] == "B6"
    assert rows[0]["components"][0]["custom_id"].startswith("btn_") and rows[0]["components"][0]["type"] == 2
    run_node(type(b)(), api, "discord_disable_components", message_id=out["message_id"])
    patched = api[1].request("PATCH", f"/channels/{CHANNEL}/messages/{out['message_id']}")["json"]["components"]
    assert all(item["disabled"] for row in patched for item in row["components"])
    run_node(type(b)(), api, "discord_send_select_menu", content="Which?", options=["a", "b", "c"], max_values=2)
    menu = api[1].request("POST", f"/channels/{CHANNEL}/messages")["json"]["components"][0]["components"][0]
    assert menu["type"] == 3 and menu["max_values"] == 2 and [o["value"] for o in menu["options"]] == ["a", "b", "c"]
    run, fired, out = DiscordBoard(type(b)(), api[0]).run("discord_send_buttons", content="x", buttons=[])
    assert fired == "auto_handle_error" and "1 to 25 buttons" in out["auto_handle_error_string"]


def test_files_are_uploaded_as_multipart_with_payload_json(b: Any, api: tuple[str, State], tmp_path: Any) -> None:
    (tmp_path / "report.csv").write_text("a,b\n")
    (tmp_path / "cat.png").write_bytes(b"png")
    out = run_node(b, api, "discord_send_file", file={"path": str(tmp_path / "report.csv")}, content="Report")
    request = api[1].request("POST", f"/channels/{CHANNEL}/messages")
    assert request["json"] == {"content": "Report", "attachments": [{"id": 0, "filename": "report.csv"}]}
    assert request["files"] == {"files[0]": {"filename": "report.csv", "content": b"a,b\n"}}
    assert out["attachment"].attachment_url == f"https://cdn.example/{CHANNEL}/report.csv"
    out = run_node(type(b)(), api, "discord_send_image", image={"path": str(tmp_path / "cat.png")}, spoiler=True)
    assert out["attachment"].filename == "SPOILER_cat.png"
    files = [{"path": str(tmp_path / "report.csv")}, {"path": str(tmp_path / "cat.png")}]
    out = run_node(type(b)(), api, "discord_send_multiple_files", files=files)
    assert out["file_count"] == 2
    assert set(api[1].request("POST", f"/channels/{CHANNEL}/messages")["files"]) == {"files[0]", "files[1]"}
    run_node(type(b)(), api, "discord_edit_message_with_file", message_id="500",
             file={"path": str(tmp_path / "cat.png")}, content="new")
    patch = api[1].request("PATCH", f"/channels/{CHANNEL}/messages/500")
    assert patch["json"]["content"] == "new" and patch["files"]["files[0]"]["filename"] == "cat.png"


def test_polls_send_read_and_end(b: Any, api: tuple[str, State]) -> None:
    out = run_node(b, api, "discord_send_poll", question="Lunch?", options=["Pizza", "Soup"], duration_hours=2)
    assert api[1].request("POST", f"/channels/{CHANNEL}/messages")["json"]["poll"] == {
        "question": {"text": "Lunch?"},
        "answers": [{"poll_media": {"text": "Pizza"}}, {"poll_media": {"text": "Soup"}}], "duration": 2,
        "allow_multiselect": False, "layout_type": 1}
    reference = out["poll_ref"].model_dump()
    assert reference["channel_id"] == CHANNEL and reference["message_id"] == out["message_id"]
    state = run_node(type(b)(), api, "discord_get_poll_results", poll_ref=reference)
    assert state["total_votes"] == 5 and state["is_finalized"] is False
    assert [(a.text, a.vote_count) for a in state["results"].answers] == [("Pizza", 2), ("Soup", 3)]
    ended = run_node(type(b)(), api, "discord_end_poll", poll_ref=reference)["results"]
    assert ended.is_finalized and api[1].request("POST", f"/channels/{CHANNEL}/polls/{out['message_id']}/expire")


def post_later(state: State, content: str, author: str, after: str) -> threading.Thread:
    """Post a message once the node has sent the request `after` (a path), as a person answering would."""
    seen = len(state.requests)

    def answer() -> None:
        from web_support import wait_for

        wait_for(lambda: any(r["path"] == after and "after" in r["query"] for r in state.requests[seen:]),
                 "the node to poll")
        state.post(CHANNEL, "from a bot", BOT_ID)
        state.post(CHANNEL, "someone else", "9")
        state.post(CHANNEL, content, author)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    return thread


def test_send_and_wait_takes_the_users_answer(b: Any, api: tuple[str, State]) -> None:
    thread = post_later(api[1], "Blue", "8", f"/channels/{CHANNEL}/messages")
    _, fired, out = DiscordBoard(b, api[0]).run("discord_send_and_wait", prompt="Colour?", from_user_id="8",
                                                timeout_seconds=20)
    thread.join(10)
    assert fired == "on_reply" and out["reply_text"] == "Blue" and out["reply"].user_id == "8"
    assert out["sent_message_id"] == "2001"


def test_wait_for_message_ignores_older_messages_and_times_out(b: Any, api: tuple[str, State]) -> None:
    _, fired, out = DiscordBoard(b, api[0]).run("discord_wait_for_message", timeout_seconds=1)
    assert fired == "on_timeout" and out["message_text"] == ""
    thread = post_later(api[1], "hi bot", "9", f"/channels/{CHANNEL}/messages")
    _, fired, out = DiscordBoard(type(b)(), api[0]).run("discord_wait_for_message", timeout_seconds=20)
    thread.join(10)
    assert fired == "on_message" and out["message_text"] == "someone else"
