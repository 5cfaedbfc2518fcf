"""Run to here from the canvas, and nodes the result cache served, as the canvas is told about them."""

from __future__ import annotations

from typing import Any

from flowlike_core import Board, RunStatus, commands
from flowlike_core.run import NodeTrace
from flowlike_nb.widgets import BoardEditor
from flowlike_nb.widgets.relay import finished_event

from .conftest import REGISTRY, Number, Recorder


def test_run_to_here_runs_what_the_node_needs_on_a_thread_and_shows_it(editor: BoardEditor, frontend: Recorder) -> None:
    editor.board.apply(commands.AddNode(Number.create(node_id="after", coordinates=(600, 0, 0))))
    reply = frontend("run_to", node_id="say")
    assert reply["ok"], reply
    run = editor.wait(30)
    assert run is editor.last_run and run.status is RunStatus.SUCCESS
    assert [t.node_id for t in run.traces] == ["start", "say"]
    finished = [e["node_id"] for e in frontend.run_events() if e["kind"] == "node_finished"]
    assert finished == ["start", "say"]
    assert frontend.of_type("run_events")[-1]["summary"]["status"] == "Success"
    assert not editor.busy


def test_run_to_here_goes_through_the_hook_the_kernel_handle_gives(board: Board) -> None:
    asked: list[str] = []

    class View:
        """What the kernel handle's run_to returns: a view with the engine Run as `.core`."""

        def __init__(self, core: Any) -> None:
            self.core = core

    def run_to(node_id: str) -> View:
        asked.append(node_id)
        return View(board.run(registry=REGISTRY))

    editor = BoardEditor(board, registry=REGISTRY, run_to=run_to)
    frontend = Recorder(editor)
    assert frontend("run_to", node_id="Say")["ok"]  # by name, as the engine finds nodes
    assert editor.wait(30).status is RunStatus.SUCCESS
    assert asked == ["say"] and frontend.of_type("run_events")[-1]["summary"]["status"] == "Success"


def test_run_to_here_says_why_it_could_not(editor: BoardEditor, frontend: Recorder) -> None:
    reply = frontend("run_to", node_id="nowhere")
    assert reply["ok"] is False and "nowhere" in reply["reason"]

    def broken(node_id: str) -> None:
        raise RuntimeError("the cache is on fire")

    editor._run_to = broken
    assert frontend("run_to", node_id="say")["ok"]
    editor.wait(30)
    failure = [m for m in frontend.of_type("reply") if m["action"] == "run_to" and not m["ok"]]
    assert failure and failure[-1]["reason"] == "run to Say: the cache is on fire"


def test_a_node_the_cache_served_is_marked_cached() -> None:
    served = finished_event(NodeTrace("n1", "w_number", 1, 0.0, 0.001, cached=True))
    ran = finished_event(NodeTrace("n2", "w_number", 2, 0.0, 0.001))
    assert served["cached"] is True and "cached" not in ran


def test_a_second_run_shows_the_pure_node_the_board_cache_served() -> None:
    import flowlike_nb as fnb
    from flowlike_nb import node

    @node(category="Editor tests")
    def ed_triple(x: int = 2) -> int:
        return x * 3

    @node(category="Editor tests", exec_pins=True)
    def ed_use(v: int = 0) -> int:
        return v + 1

    board = fnb.Board("cached-on-canvas")
    start, use, triple = board.add("events_simple", "start"), board.add("ed_use", "use"), board.add("ed_triple")
    start.outputs.exec_out >> use.inputs.exec_in
    triple.outputs.result >> use.inputs.v
    editor = board.editor()
    frontend = Recorder(editor)
    for _ in range(2):
        board.start().wait(30)
        editor.wait(30)
    seen = frontend.run_events()
    last = max(i for i, e in enumerate(seen) if e["kind"] == "run_started")
    served = {e["node_id"] for e in seen[last:] if e["kind"] == "node_finished" and e.get("cached")}
    assert served == {triple.id}
