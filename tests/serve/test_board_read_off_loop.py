"""Both servers read a board file that is new or changed on disk in a worker thread, never on their event loop
(a board may have 20 MB), and a board read before is not read again while its file stays the same."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import httpx
import pytest
from serve_boards import make_boards
from test_jupyter_runs import jupyter_server

import flowlike_core.service
from flowlike_core.serve import create_app
from flowlike_core.service import RunManager

ECHO = {"board": "hooks/echo.board.json", "payload": 1}


def touch_changed(file: Path) -> None:
    """A new version of the file: same text, a later modification time."""
    info = file.stat()
    os.utime(file, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))


def where_read() -> str:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return "worker"
    return "loop"


def test_flowlike_serve_reads_a_new_or_changed_board_off_its_event_loop(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_boards(tmp_path)
    reads: list[str] = []
    read_board = flowlike_core.service.read_board

    def noted(*args: object, **kwargs: object) -> object:
        reads.append(where_read())
        return read_board(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(flowlike_core.service, "read_board", noted)
    app = create_app(tmp_path, None, RunManager(tmp_path))

    async def post() -> object:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            answer = await client.post("/flowlike/runs", params={"wait": "1"}, json=ECHO)
            assert answer.status_code == 200, answer.text
            return answer.json()["result"]

    assert asyncio.run(post()) == 101
    assert asyncio.run(post()) == 101
    assert reads == ["worker"]  # read once, off the loop
    touch_changed(tmp_path / "hooks" / "echo.board.json")
    assert asyncio.run(post()) == 101
    assert reads == ["worker", "worker"]


def test_jupyter_reads_a_new_or_changed_board_off_its_event_loop(tmp_path: Path) -> None:
    probe = tmp_path / "reads.txt"
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"board_read_probe": True}}}))
    here = str(Path(__file__).parent)
    python_path = os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))
    with jupyter_server(tmp_path, PYTHONPATH=python_path, BOARD_READ_PROBE=str(probe)) as (client, _):
        for _ in range(2):
            answer = client.post("/flowlike/runs", params={"wait": "1"}, json=ECHO)
            assert answer.status_code == 200 and answer.json()["result"] == 101, answer.text
        assert probe.read_text().split() == ["worker"]
        touch_changed(tmp_path / "root" / "hooks" / "echo.board.json")
        assert client.post("/flowlike/runs", params={"wait": "1"}, json=ECHO).json()["result"] == 101
        assert probe.read_text().split() == ["worker", "worker"]
