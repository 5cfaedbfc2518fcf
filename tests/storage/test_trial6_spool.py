"""Trial 6: a run that ended while its S3 store was down lost its record (a RuntimeWarning said so, nothing more). It
waits in a local spool instead, with a warning naming the folder, and goes up the next time a run or a command
reaches the store. The store here is a real SeaweedFS, stopped while the run goes and started again."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from test_trial6_large_values import DATA, VALUES, big_variables_board

from flowlike_core import Listener, storage
from flowlike_core.cli import main
from flowlike_core.run import Run
from flowlike_core.storage import Storage, StorageConfig
from flowlike_core.storage import store as store_module

LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"
pytestmark = pytest.mark.s3


@pytest.fixture
def config(seaweedfs_server, tmp_path: Path) -> Path:
    """A storage config file for the test's own server (one try per request: a server that is down fails fast)."""
    root = f"s3://flowlike-tests/{tmp_path.name}"
    options = {**seaweedfs_server.options, "config_kwargs": {"retries": {"max_attempts": 1}, "connect_timeout": 2}}
    path = tmp_path / "flowlike.json"
    path.write_text(json.dumps({"meta_url": f"{root}/meta", "content_url": f"{root}/content", "options": options}))
    return path


class StopTheStore(Listener):
    """Kills the server as a run starts: the store was there when the command began, gone when the run ends."""

    def __init__(self, server) -> None:
        self.server = server

    def start(self, run: Run) -> None:
        self.server.stop()


def waiting(spool: Path) -> list[Path]:
    return sorted(spool.rglob("pending/*.json"))


def test_flowlike_run_keeps_a_run_whose_store_went_down_and_flowlike_runs_uploads_it(
        seaweedfs_server, config: Path, spool: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "_current", store_module._current)  # put back after the test
    board = shutil.copy(LOOP, tmp_path / "loop.board.json")
    url = StorageConfig.load(str(config)).content_url
    with StopTheStore(seaweedfs_server), pytest.warns(RuntimeWarning) as told:
        assert main(["run", str(board), "--var", "threshold=2", "--store", str(config), "--json"]) == 0
    run_id = json.loads(capsys.readouterr().out)["id"]
    [warning] = [str(w.message) for w in told if "was not kept" in str(w.message)]
    assert re.match(rf"run {run_id} was not kept in the run history at {re.escape(url)} \(cannot write .*\); it waits "
                    rf"in {re.escape(str(spool))}/\w+ and goes up the next time a run or command reaches that store",
                    warning), warning
    assert len(waiting(spool)) == 1
    assert (waiting(spool)[0].parents[2] / "STORE").read_text().strip() == url

    seaweedfs_server.start()
    with pytest.warns(RuntimeWarning, match=rf"^now in the run history of {re.escape(url)}: 1 run that waited in "
                                            rf"{re.escape(str(spool))}/\w+ while it could not be reached$"):
        assert main(["runs", "--store", str(config), "--json"]) == 0
    [kept] = json.loads(capsys.readouterr().out)
    assert (kept["id"], kept["variables"]["threshold"], kept["result"]) == (run_id, 2, 24)
    assert waiting(spool) == [] and not list(spool.rglob("blobs/*/*")), "nothing left to upload twice"


def test_a_notebook_run_waits_with_its_blobs_and_the_next_run_takes_it_up(
        seaweedfs_server, config: Path, spool: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "_current", store_module._current)
    storage.configure(str(config))
    board = big_variables_board()
    with StopTheStore(seaweedfs_server), pytest.warns(RuntimeWarning, match="was not kept in the run history"):
        first = board.run({"payload": DATA, "values": VALUES})
    assert first.status == "Success" and len(waiting(spool)) == 1
    assert waiting(spool)[0].stat().st_size < 10_000, "its large values wait as blobs beside it"
    seaweedfs_server.start()
    with pytest.warns(RuntimeWarning, match=r"^now in the run history of .*: 1 run that waited in "):
        second = board.run({"values": [1, 2]})
    history = Storage(StorageConfig.load(str(config))).runs
    assert sorted(r.id for r in history.query()) == sorted([first.id, second.id])
    assert history.get(first.id).variables["payload"] == DATA
    assert history.get(first.id).variables["values"] == VALUES
    assert waiting(spool) == []
