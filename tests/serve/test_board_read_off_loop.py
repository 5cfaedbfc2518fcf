"""Both servers read a board file that is new or changed on disk, and compile its plan, in a worker thread, never on
their event loop (a board may have 20 MB), and a board read before is not read again while its file stays the same."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import httpx
import pytest
from board_read_probe import noting
from serve_boards import jupyter_server, make_boards

import flowlike_core.plan
import flowlike_core.service
from flowlike_core.serve import create_app
from flowlike_core.service import RunManager

ECHO = {"board": "hooks/echo.board.json", "payload": 1}


def touch_changed(file: Path) -> None:
    """A new version of the file: same text, a later modification time."""
    info = file.stat()
    os.utime(file, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))


NEW_BOARD = ["read:worker", "plan:worker"]
WARM_UP = {"board": "fails.board.json", "payload": "{"}
"""Run first, so that the std pack is loaded: a plan compiled while its pack loads is compiled again at the next run
(`plan_for` keys it by the registry's generation before the compiling loads the pack)."""


def test_flowlike_serve_reads_a_new_or_changed_board_and_compiles_its_plan_off_its_event_loop(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_boards(tmp_path)
    probe = tmp_path / "reads.txt"
    monkeypatch.setenv("BOARD_READ_PROBE", str(probe))
    monkeypatch.setattr(flowlike_core.service, "read_board", noting("read", flowlike_core.service.read_board))
    monkeypatch.setattr(flowlike_core.plan, "compile_plan", noting("plan", flowlike_core.plan.compile_plan))
    app = create_app(tmp_path, None, RunManager(tmp_path))

    async def post(body: dict[str, object] = ECHO) -> object:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as client:
            answer = await client.post("/flowlike/runs", params={"wait": "1"}, json=body)
            assert answer.status_code == 200, answer.text
            return answer.json()["result"]

    asyncio.run(post(WARM_UP))
    assert asyncio.run(post()) == 101
    assert asyncio.run(post()) == 101
    assert probe.read_text().split() == NEW_BOARD * 2  # the warm-up's board, then echo's once, off the loop
    touch_changed(tmp_path / "hooks" / "echo.board.json")
    assert asyncio.run(post()) == 101
    assert probe.read_text().split() == NEW_BOARD * 3


def test_jupyter_reads_a_new_or_changed_board_and_compiles_its_plan_off_its_event_loop(tmp_path: Path) -> None:
    probe = tmp_path / "reads.txt"
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"board_read_probe": True}}}))
    here = str(Path(__file__).parent)
    python_path = os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))
    with jupyter_server(tmp_path, PYTHONPATH=python_path, BOARD_READ_PROBE=str(probe)) as (client, _):
        assert client.post("/flowlike/runs", params={"wait": "1"}, json=WARM_UP).status_code == 200
        for _ in range(2):
            answer = client.post("/flowlike/runs", params={"wait": "1"}, json=ECHO)
            assert answer.status_code == 200 and answer.json()["result"] == 101, answer.text
        assert probe.read_text().split() == NEW_BOARD * 2
        touch_changed(tmp_path / "root" / "hooks" / "echo.board.json")
        assert client.post("/flowlike/runs", params={"wait": "1"}, json=ECHO).json()["result"] == 101
        assert probe.read_text().split() == NEW_BOARD * 3
