"""Runs started from the editor: they do not block the kernel, and their status reaches the front end."""

from __future__ import annotations

from typing import Any

from flowlike_core import RunStatus, commands
from flowlike_nb.widgets import BoardEditor

from .conftest import Fail, Recorder, Steps, Tell


def test_a_run_from_the_toolbar_reports_each_node_and_ends_with_a_summary(
        editor: BoardEditor, frontend: Recorder) -> None:
    editor.board.apply(commands.UpdateNode("say", defaults={"times": 2}))
    reply = frontend("run", start="start")
    assert reply["ok"] and editor.last_run is not None, reply
    run = editor.wait(timeout=30)
    assert run is editor.last_run and run.status is RunStatus.SUCCESS
    seen = frontend.run_events()
    assert seen[0] == {"kind": "run_started"}
    assert [(e["kind"], e.get("node_id")) for e in seen if e["kind"] in ("node_started", "node_finished")] == [
        ("node_started", "start"), ("node_finished", "start"), ("node_started", "say"), ("node_finished", "say")]
    assert [e["message"] for e in seen if e["kind"] == "log"] == ["hi", "hi"]
    assert all(e["status"] == "Success" and e["duration"] >= 0 for e in seen if e["kind"] == "node_finished")
    summary = frontend.of_type("run_events")[-1]["summary"]
    assert summary["status"] == "Success" and summary["run_id"] == run.id and summary["error_node"] is None


def test_progress_is_relayed_and_the_result_is_in_the_cell_at_once(editor: BoardEditor, frontend: Recorder) -> None:
    steps = editor.board.apply(commands.AddNode(Steps.create(node_id="steps", count=5)))
    editor.board.apply(commands.Connect("say", "exec_out", steps.id, "exec_in"))
    handle = editor.run()
    run = handle.wait(30)
    editor.wait(30)
    assert editor.last_run is run and run.result == 5
    progress = [e["progress"] for e in frontend.run_events() if e["kind"] == "progress"]
    assert progress and progress[-1] == 1.0
    assert frontend.of_type("run_events")[-1]["summary"]["result"] == "5"


def test_a_failing_node_is_named_in_the_summary(editor: BoardEditor, frontend: Recorder) -> None:
    fail = editor.board.apply(commands.AddNode(Fail.create(node_id="fail")))
    editor.board.apply(commands.Connect("say", "exec_out", fail.id, "exec_in"))
    frontend("run")
    run = editor.wait(30)
    assert run.status is RunStatus.FAILED
    finished = [e for e in frontend.run_events() if e["kind"] == "node_finished" and e["node_id"] == "fail"]
    assert finished[0]["status"] == "Failed" and "kaboom" in finished[0]["message"]
    summary = frontend.of_type("run_events")[-1]["summary"]
    assert summary["status"] == "Failed" and summary["error_node"] == "fail" and "kaboom" in summary["error"]


def test_a_run_that_cannot_start_is_answered_with_the_reason(editor: BoardEditor, frontend: Recorder) -> None:
    reply = frontend("run", start="no-such-node")
    assert reply["ok"] is False and reply["kind"] == "error" and "no-such-node" in reply["reason"]
    assert editor.last_run is None


def test_stop_cancels_a_long_run(editor: BoardEditor, frontend: Recorder) -> None:
    import threading

    release = threading.Event()

    from flowlike_core import NodeType, exec_in, exec_out

    class Wait(NodeType):
        name = "w_wait"
        pins = (exec_in(), exec_out())

        async def run(self, ctx):
            release.set()
            await ctx.sleep(30)

    editor.registry.register(Wait)
    try:
        node = editor.board.apply(commands.AddNode(Wait.create(node_id="wait")))
        editor.board.apply(commands.Connect("say", "exec_out", node.id, "exec_in"))
        frontend("run")
        assert release.wait(10)
        assert frontend("run")["ok"] is False, "one run at a time"
        assert frontend("stop")["ok"]
        run = editor.wait(30)
        assert run.status is RunStatus.CANCELLED
        assert frontend.of_type("run_events")[-1]["summary"]["status"] == "Cancelled"
    finally:
        editor.registry._types.pop("w_wait")


def test_the_relay_keeps_the_last_progress_tick_and_log_lines_of_each_node(board) -> None:
    from flowlike_core import LogLevel, Run
    from flowlike_core.run import LogLine
    from flowlike_nb.widgets.relay import MAX_LOGS, RunRelay

    sent: list[dict[str, Any]] = []
    relay = RunRelay(sent.append, interval=60)
    run = Run("r1", board, "start", {})
    relay.start(run)  # sends once the run has finished: the interval is longer than the test
    for i in range(MAX_LOGS + 50):
        relay.log(run, LogLine(LogLevel.INFO, f"line {i}", 0.0, "say"))
        relay.progress(run, "say", i / (MAX_LOGS + 49), "")
    relay.log(run, LogLine(LogLevel.INFO, "other node", 0.0, "start"))
    relay.finished(run)
    relay.join(10)
    (batch,) = sent
    logs = [e["message"] for e in batch["events"] if e["kind"] == "log" and e["node_id"] == "say"]
    assert logs == [f"line {i}" for i in range(50, MAX_LOGS + 50)]
    assert [e["progress"] for e in batch["events"] if e["kind"] == "progress"] == [1.0]
    assert any(e.get("message") == "other node" for e in batch["events"])
    assert batch["events"][-1]["kind"] == "run_finished" and batch["summary"]["run_id"] == "r1"


def test_log_lines_the_result_cache_tells_again_are_marked_replayed(editor: BoardEditor, frontend: Recorder) -> None:
    from functools import partial

    from flowlike_core.cache import ResultCache
    from flowlike_core.executor import start_run

    editor.starter = partial(start_run, cache=ResultCache())
    editor.board.apply(commands.AddNode(Tell.create(node_id="tell")))
    editor.board.apply(commands.Connect("tell", "text", "say", "message"))

    def logs_of_a_run() -> list[tuple[str, str, bool]]:
        frontend.sent.clear()
        assert frontend("run", start="start")["ok"]
        assert editor.wait(30).status is RunStatus.SUCCESS
        return [(e["node_id"], e["message"], e.get("replayed", False)) for e in frontend.run_events()
                if e["kind"] == "log"]

    assert logs_of_a_run() == [("tell", "greeting world", False), ("say", "hello world", False)]
    assert logs_of_a_run() == [("tell", "greeting world", True), ("say", "hello world", False)]
    cached = [e for e in frontend.run_events() if e["kind"] == "node_finished" and e["node_id"] == "tell"]
    assert cached[0]["cached"] is True


def test_a_run_shown_once_it_has_ended_brings_its_log_lines(editor: BoardEditor, frontend: Recorder) -> None:
    from flowlike_nb.widgets.relay import replay

    editor.board.apply(commands.UpdateNode("say", defaults={"times": 2}))
    run = editor.run().wait(30)
    lines = [e for e in replay(run)["events"] if e["kind"] == "log"]
    assert [(e["node_id"], e["message"], e["level"]) for e in lines] == [("say", "hi", "Info")] * 2
    assert not any("replayed" in e for e in lines)
