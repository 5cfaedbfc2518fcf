"""`board.chat()` in the browser: a typed message streams chunks and a step, a choice is answered in the panel."""

import pytest
from jupyter_harness import NotebookPage
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CELLS = [
    """import flowlike_nb as fnb
board = fnb.Board("browser chat")
event = board.add("events_chat", "chat")
step = board.add("events_chat_push_step", "step", title="Thinking", description="about it")
first, second = (board.add("events_chat_push_response_chunk", "c1", chunk="Hel"),
                 board.add("events_chat_push_response_chunk", "c2", chunk="lo "))
choose = board.add("interaction_single_choice", "choose", name="Pick one", ttl_seconds=60)
third = board.add("events_chat_push_response_chunk", "c3")
chain = [event, step, first, second, choose, third]
for source, target in zip(chain, chain[1:]):
    source.outputs.exec_out >> target.inputs.exec_in
choose.outputs.response >> third.inputs.chunk
chat = board.chat()
chat""",
]


def test_a_message_streams_a_step_and_chunks_and_a_choice_is_answered(notebook_page: NotebookPage) -> None:
    name = notebook_page.server.write_notebook("chat.ipynb", CELLS)
    notebook_page.open(name)
    notebook_page.run_all()
    panel = notebook_page.page.get_by_test_id("flowlike-chat")
    expect(panel).to_have_count(1, timeout=60_000)
    panel.locator(".flowlike-chat-input").fill("hi there")
    panel.locator(".flowlike-chat-send").click()
    expect(panel.get_by_test_id("chat-user")).to_have_text("hi there")
    answer = panel.get_by_test_id("chat-assistant")
    expect(answer.locator(".flowlike-chat-content")).to_have_text("Hello ", timeout=30_000)
    expect(answer.get_by_test_id("chat-step")).to_contain_text("Thinking")
    question = panel.get_by_test_id("chat-question")
    expect(question).to_contain_text("Pick one")
    question.get_by_role("button", name="Option B").click()
    expect(answer.locator(".flowlike-chat-content")).to_have_text("Hello Option B", timeout=30_000)
    expect(question).to_have_count(0)
    assert notebook_page.run_code("print(chat.history[-1]['content'])") == "Hello Option B"
