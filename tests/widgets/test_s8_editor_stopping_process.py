"""A run on the process backend stopped from the toolbar shows as stopping until it ends, as a thread run does: the
editor read the thread executor's cancel flag, which a process run's handle does not have, so the canvas showed the
run going until it ended."""

from __future__ import annotations

import asyncio
import functools
import os

import pytest
from pack_builder import Builder

from flowlike_core import NodeType, exec_in, exec_out, start_run
from flowlike_core.backends import process
from flowlike_core.backends.process import ProcessBackend
from flowlike_nb.widgets import BoardEditor

from .conftest import WAIT, Recorder, until


def closes_when(path: str) -> type[NodeType]:
    """A node type made here (it goes to the worker by value): awaits until cancelled, then until `path` exists
    (its close, cooperating: the run is stopping until then)."""

    class ClosesWhenLetGo(NodeType):
        name = "w_closes_when_file"
        pins = (exec_in(), exec_out())

        async def run(self, ctx):
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                while not os.path.exists(path):
                    await asyncio.sleep(0.02)
                raise

    return ClosesWhenLetGo


def test_a_stopped_process_run_shows_stopping_until_it_ends(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(process, "CANCEL_GRACE", WAIT)  # (its worker is not killed while the node closes)
    let_go = tmp_path / "let-go"
    build = Builder()
    build.registry.register(closes_when(str(let_go)))
    start, closes = build.add("events_simple", node_id="start"), build.add("w_closes_when_file", node_id="closes")
    build.chain(start, closes)
    backend = ProcessBackend(1)
    try:
        editor = BoardEditor(build.board, registry=build.registry,
                             starter=functools.partial(start_run, backend=backend))
        frontend = Recorder(editor)
        assert frontend("run", start="start")["ok"]
        until(lambda: any(event.get("node_id") == "closes" for event in frontend.run_events()), "the node to start")
        assert frontend("stop")["ok"]
        until(lambda: {"kind": "stopping"} in frontend.run_events(), "the stopping event")
        assert not any(event["kind"] == "run_finished" for event in frontend.run_events())
        let_go.write_text("")
        editor.wait(WAIT)
        until(lambda: any(event["kind"] == "run_finished" for event in frontend.run_events()), "the run's end")
    finally:
        backend.close()
