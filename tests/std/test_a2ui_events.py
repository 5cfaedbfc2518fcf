"""A2UI messages travel as the run's `a2ui` events (`ctx.emit`), not as log lines: a board whose log level hides
INFO still sends its UI, a node that runs hundreds of times keeps all its messages, a stored run replays."""

from __future__ import annotations

import pytest
from a2ui_boards import surface_board
from flowlike_catalog.std.a2ui_document import EVENT_TYPE, messages, replay

from flowlike_core import Listener, LogLevel
from flowlike_core.run import MAX_EVENTS, RunRecord
from flowlike_core.storage import Storage, StorageConfig

TEXTS = [f"text {i}" for i in range(300)]


def texting_board(b, level: LogLevel = LogLevel.WARN):
    """Surface, then a For Each over `TEXTS` whose body sets the title's text to each: 300 executions of one node."""
    b.board.log_level = level
    loop = b.add("control_for_each", array=TEXTS)
    text = b.add("a2ui_set_element_text", element_ref="title")
    surface_board(b, loop)
    b.wire(loop, "exec_out", text, "exec_in")
    b.wire(loop, "value", text, "text")
    return text


def test_a_board_at_warning_level_still_sends_its_surface(b):
    b.board.log_level = LogLevel.WARN
    surface_board(b, b.add("a2ui_set_element_text", element_ref="title", text="Hello"))
    run = b.run()
    run.raise_for_status()
    assert run.logs() == []
    assert [m["type"] for m in messages(run)] == ["beginRendering", "upsertElement"]
    title = replay(run).surfaces["main"]["components"]["title"]["component"]
    assert title["content"] == {"literalString": "Hello"}


def test_a_node_run_300_times_replays_every_message(b):
    text = texting_board(b)
    run = b.run()
    run.raise_for_status()
    assert run.executions(text.id) == len(TEXTS) > 120  # past its full traces and folded log lines
    sent = messages(run)[1:]
    assert [m["value"]["text"] for m in sent] == TEXTS
    assert replay(run).surfaces["main"]["components"]["title"]["component"]["content"] == {
        "literalString": TEXTS[-1]}


def test_a_listener_gets_the_messages_as_they_are_sent(b):
    class Watch(Listener):
        def __init__(self) -> None:
            self.texts: list[str] = []
            self.running: list[bool] = []

        def event(self, run, event):
            if event.event_type == EVENT_TYPE and event.payload["type"] == "upsertElement":
                self.texts.append(event.payload["value"]["text"])
                self.running.append(run.end == 0.0)

    texting_board(b)
    watch = Watch()
    b.run(listeners=[watch]).raise_for_status()
    assert watch.texts == TEXTS and all(watch.running)


def test_a_stored_run_replays_its_surface(b, tmp_path):
    texting_board(b)
    run = b.run()
    run.raise_for_status()
    store = Storage(StorageConfig.at(str(tmp_path / "store")))
    store.record(run)
    stored = store.runs.get(run.id)
    assert isinstance(stored, RunRecord)
    assert messages(stored) == messages(run)
    assert replay(stored).surfaces == replay(run).surfaces


def test_replaying_a_run_that_dropped_messages_warns(b):
    loop = b.add("control_for_each", array=list(range(MAX_EVENTS + 5)))
    text = b.add("a2ui_set_element_text", element_ref="title", text="again")
    b.board.log_level = LogLevel.ERROR
    surface_board(b, loop)
    b.wire(loop, "exec_out", text, "exec_in")
    run = b.run()
    run.raise_for_status()
    assert run.events.dropped == 6  # the begin rendering message took one place
    with pytest.warns(RuntimeWarning, match=f"kept its first {MAX_EVENTS} events and dropped 6"):
        assert len(messages(run)) == MAX_EVENTS
