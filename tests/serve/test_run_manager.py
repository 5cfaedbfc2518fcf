"""RunManager without HTTP: boards are read once per file version, and a path that now leads elsewhere is
checked again (a symlink re-pointed out of the root is refused)."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from serve_boards import chatty_board, make_boards

from flowlike_core import Board
from flowlike_core.service import Refused, RunManager


def result(runs: RunManager, board: str, payload: int) -> object:
    async def go() -> object:
        entry = runs.start({"board": board, "payload": payload})
        assert await entry.wait(20)
        return runs.record(entry.id)["result"]

    return asyncio.run(go())


def test_a_changed_file_is_read_again_and_a_repointed_symlink_is_checked(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    make_boards(root)
    make_boards(outside)
    runs = RunManager(root)
    assert result(runs, "hooks/echo.board.json", 1) == 101
    echo = root / "hooks" / "echo.board.json"
    echo.write_text(echo.read_text().replace('"default_value": 100', '"default_value": 5'))
    os.utime(echo, ns=(echo.stat().st_atime_ns, echo.stat().st_mtime_ns + 10**9))
    assert result(runs, "hooks/echo.board.json", 1) == 6
    link = root / "link.board.json"
    link.symlink_to(root / "hooks" / "echo.board.json")
    assert result(runs, "link.board.json", 2) == 7
    link.unlink()
    link.symlink_to(outside / "hooks" / "echo.board.json")
    with pytest.raises(Refused, match="no board file 'link.board.json'") as refused:
        runs.board("link.board.json")
    assert refused.value.status == 404


def test_a_served_board_file_without_an_id_is_the_board_the_cli_loads(tmp_path: Path) -> None:
    """Its runs join the CLI's in one run history: both derive the id from the file's path."""
    make_boards(tmp_path)
    echo = tmp_path / "hooks" / "echo.board.json"
    document = json.loads(echo.read_text())
    del document["id"]
    echo.write_text(json.dumps(document))
    assert RunManager(tmp_path).board("hooks/echo.board.json").id == Board.load(echo).id


def test_ended_runs_are_forgotten_oldest_first_once_their_events_pass_the_budget(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only their number was bounded (2,000): as many runs of 10,000 events each held gigabytes. At the third start
    the first two runs have ended (256 events, over 150): the first is forgotten (the second too when the third has
    ended already: it counts then), never the run just started."""
    import flowlike_core.service

    chatty_board(tmp_path)
    monkeypatch.setattr(flowlike_core.service, "MAX_KEPT_EVENTS", 150)
    runs = RunManager(tmp_path)
    ids = []
    for _ in range(3):
        entry = runs.start({"board": "chatty.board.json", "variables": {"items": list(range(30))}})
        assert entry.ended.wait(60)
        assert 100 < len(entry.buffer) < 150
        ids.append(entry.id)
    with pytest.raises(Refused, match=f"no run '{ids[0]}'"):
        runs.get(ids[0])
    assert runs.record(ids[2])["status"] == "Success"


def test_past_twice_keep_finished_the_oldest_ended_runs_are_forgotten_down_to_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import flowlike_core.service

    make_boards(tmp_path)
    monkeypatch.setattr(flowlike_core.service, "KEEP_FINISHED", 2)
    runs = RunManager(tmp_path)
    going = runs.start({"board": "slow.board.json"})
    try:
        ids = []
        for payload in range(5):
            entry = runs.start({"board": "hooks/echo.board.json", "payload": payload})
            assert entry.ended.wait(60)
            ids.append(entry.id)
        # the fourth and fifth starts each made five runs, over four: the ended ones then (not the one just
        # started) down to two; the one going kept
        assert list(runs.runs) == [going.id, *ids[2:]]
    finally:
        runs.close()
