"""`board.chat()` kernel side: messages start runs with the history, pushes stream in, a choice is answered."""

from __future__ import annotations

import pytest

import flowlike_nb as fnb
from flowlike_core.errors import BoardError

from .conftest import until


@pytest.fixture
def helper() -> fnb.Board:
    """chat -> step "Thinking" + text -> reasoning -> chunks "Hel", "lo" -> single choice -> chunk(choice)
    -> local session {"seen": true}."""
    board = fnb.Board("helper")
    event = board.add("events_chat", "chat")
    step = board.add("events_chat_push_step", "step", title="Thinking", description="about it")
    step_text = board.add("events_chat_push_text_to_step", "step text", text="looked it up")
    reasoning = board.add("events_chat_push_reasoning", "why", reasoning="because")
    first, second = (board.add("events_chat_push_response_chunk", "c1", chunk="Hel"),
                     board.add("events_chat_push_response_chunk", "c2", chunk="lo"))
    choose = board.add("interaction_single_choice", "choose", name="Pick", ttl_seconds=30)
    third = board.add("events_chat_push_response_chunk", "c3")
    session = board.add("events_chat_push_local_session", "keep", local_session={"seen": True})
    chain = [event, step, step_text, reasoning, first, second, choose, third, session]
    for source, target in zip(chain, chain[1:], strict=False):
        source.outputs.exec_out >> target.inputs.exec_in
    choose.outputs.response >> third.inputs.chunk
    return board


def test_a_message_streams_pushes_and_waits_for_the_choice(helper: fnb.Board) -> None:
    chat = helper.chat()
    handle = chat.send("hi")
    until(lambda: chat.pending is not None)
    assert chat.pending["kind"] == "single_choice" and chat.pending["options"] == ["Option A", "Option B"]
    answer = chat.messages[-1]
    assert answer["content"] == "Hello"  # streamed chunk by chunk before the question
    assert answer["reasoning"] == "because"
    assert answer["steps"] == [{"step_id": 1, "title": "Thinking", "description": "about it", "text": "looked it up"}]
    assert chat.busy
    chat._on_front_end(chat, {"type": "answer", "id": chat.pending["id"], "value": "Option B"}, [])
    run = handle.wait(20)
    assert run.ok, run.error
    assert chat.pending is None and not chat.busy
    assert chat.history == [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "HelloOption B"}]
    assert run.output("chat", "history") == {"messages": [{"role": "user", "content": "hi"}]}
    assert run.output("choose", "responded") is True


def test_the_history_and_local_session_reach_the_next_message(helper: fnb.Board) -> None:
    chat = helper.chat()
    for text in ("one", "two"):
        handle = chat.send(text)
        until(lambda: chat.pending is not None)
        chat.answer("Option A")
        assert handle.wait(20).ok
    run = chat.last_run
    assert run.output("chat", "local_session") == {"seen": True}
    assert [m["content"] for m in run.output("chat", "history")["messages"]] == ["one", "HelloOption A", "two"]
    assert len(chat.history) == 4


def test_an_answer_outside_the_options_fails_the_run_and_says_so(helper: fnb.Board) -> None:
    chat = helper.chat()
    handle = chat.send("hi")
    until(lambda: chat.pending is not None)
    chat.answer("Option C")
    run = handle.wait(20)
    assert not run.ok and "'Option C' is not one of the options" in run.error
    assert chat.messages[-1]["content"].startswith("Failed:") and not chat.busy


def test_a_question_times_out_through_exec_timeout() -> None:
    board = fnb.Board("asker")
    event, form = board.add("events_chat", "chat"), board.add("interaction_form", "form", ttl_seconds=1)
    late = board.add("events_chat_push_response", "late", response="nobody answered")
    event.outputs.exec_out >> form.inputs.exec_in
    form.outputs.exec_timeout >> late.inputs.exec_in
    chat = board.chat()
    run = chat.send("hello").wait(20)
    assert run.ok and run.output("form", "responded") is False
    assert chat.history[-1] == {"role": "assistant", "content": "nobody answered"} and chat.pending is None


def test_without_a_chat_pushes_are_logged_and_questions_time_out() -> None:
    board = fnb.Board("headless")
    event, say = board.add("events_chat", "chat"), board.add("events_chat_push_response", "say", response="hey")
    ask = board.add("interaction_multiple_choice", "ask")
    event.outputs.exec_out >> say.inputs.exec_in
    say.outputs.exec_out >> ask.inputs.exec_in
    run = board.run(payload={"history": {"messages": [{"role": "user", "content": "x"}]}})
    assert run.ok
    assert [line.message for line in run.core.logs()][:1] == ["chat response: {'text': 'hey'}"]
    assert run.output("ask", "responded") is False


def test_a_board_without_one_chat_event_is_refused() -> None:
    with pytest.raises(BoardError, match="exactly one events_chat node"):
        fnb.Board("no chat").chat()
