"""Two writers saving the same board at once: every save that reports success is kept, on every store."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from save_racer import race

from flowlike_core.board import Board
from flowlike_core.errors import SaveConflict
from flowlike_core.storage import App, Storage

SAVES = 200
LEASE_SAVES = 50
"""A lease costs a settle wait per save: fewer saves keep the test short, the race is the same."""
SLOW_SAVES = 30
RACER = Path(__file__).with_name("save_racer.py")


def start_race(store: Storage) -> None:
    store.app("race").save(Board(name="race"))


def assert_nothing_lost(store: Storage, results: list[tuple[list[str], int]], saves: int = SAVES) -> None:
    final = set(App("race", store.meta, store.content).load("race").variables)
    saved = [name for names, _ in results for name in names]
    assert len(saved) == 2 * saves
    assert [name for name in saved if name not in final] == [], "saves reported as done but lost"
    assert sum(refused for _, refused in results) > 0, "the writers never raced: the test proves nothing"


def race_in_processes(store: Storage, barrier: Path, saves: int = SAVES, *flags: str) -> list[tuple[list[str], int]]:
    barrier.mkdir()
    config = store.config.model_dump_json()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(RACER.parent), os.environ.get("PYTHONPATH", "")])}
    racers = [subprocess.Popen([sys.executable, str(RACER), config, who, str(saves), str(barrier), *flags], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for who in ("a", "b")]
    results = []
    for racer in racers:
        out, err = racer.communicate(timeout=600)
        assert racer.returncode == 0, err
        found = json.loads(out)
        results.append((found["saved"], found["refused"]))
    return results


@pytest.mark.parametrize("store", ["local", pytest.param("s3", marks=pytest.mark.s3)], indirect=True)
def test_two_processes_saving_lose_nothing(store: Storage, tmp_path: Path) -> None:
    start_race(store)
    assert_nothing_lost(store, race_in_processes(store, tmp_path / "barrier"))


@pytest.mark.s3
@pytest.mark.parametrize("store", ["s3"], indirect=True)
def test_lease_object_where_conditional_writes_are_missing(store: Storage, tmp_path: Path) -> None:
    start_race(store)
    assert_nothing_lost(store, race_in_processes(store, tmp_path / "barrier", LEASE_SAVES, "--lease"), LEASE_SAVES)


@pytest.mark.s3
@pytest.mark.parametrize("store", ["s3"], indirect=True)
def test_the_lease_holds_whatever_the_stores_latency(store: Storage, tmp_path: Path) -> None:
    """Writes that take 0-150 ms each: a lease that trusts a settle time lets both writers in; this one does not."""
    start_race(store)
    results = race_in_processes(store, tmp_path / "barrier", SLOW_SAVES, "--lease", "--slow-writes")
    assert_nothing_lost(store, results, SLOW_SAVES)


@pytest.mark.s3
@pytest.mark.parametrize("store", ["s3"], indirect=True)
def test_a_dead_writers_lease_ticket_expires_and_a_live_one_is_waited_for(store: Storage, monkeypatch) -> None:
    bucket = store.meta
    monkeypatch.setattr(bucket, "_conditional_writes", lambda: False)
    path = bucket.path("lease-test.json")
    folder = f"{path.rsplit('/', 1)[0]}/.lease-test.json.lease"

    def ticket(token: str, expires_in: float) -> None:
        data = {"number": 1, "expires": time.time() + expires_in}
        bucket.fs.pipe_file(f"{folder}/{token}", json.dumps(data).encode())

    ticket("dead", -1)
    bucket.swap("lease-test.json", b"one")
    assert bucket.read("lease-test.json") == b"one" and not bucket.fs.exists(f"{folder}/dead")
    ticket("live", 60)
    refused = pytest.raises(SaveConflict, match="being written by another process")
    with refused, bucket._lease("lease-test.json", path, timeout=0.5):
        pytest.fail("took the lease past a live ticket with a smaller number")
    bucket.fs.rm_file(f"{folder}/live")
    bucket.swap("lease-test.json", b"two")
    assert bucket.read("lease-test.json") == b"two"
    assert bucket._tickets(folder, "") == {}, "a released lease leaves no ticket"


@pytest.mark.parametrize("store", ["memory"], indirect=True)
def test_two_kernels_in_one_process_lose_nothing(store: Storage) -> None:
    """memory:// lives in one process: the racers are threads, each with its own App (its own kernel)."""
    start_race(store)
    results: list[tuple[list[str], int]] = []
    racers = [threading.Thread(target=lambda who=who: results.append(
        race(App("race", store.meta, store.content), who, SAVES))) for who in ("a", "b")]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=600)
    assert_nothing_lost(store, results)


@pytest.mark.s3
@pytest.mark.parametrize("store", ["s3"], indirect=True)
def test_a_write_landing_between_check_and_write_is_refused(store: Storage, monkeypatch) -> None:
    """S3 has no lock: a rival save lands after this save checked the stored copy; this one must raise."""
    app, rival = store.app("demo"), App("demo", store.meta, store.content)
    app.save(Board(name="flow"))
    board, rival_board = app.load("flow"), rival.load("flow")
    board.description, rival_board.description = "my edit", "the rival's edit"
    real_check = store.meta._check

    def check_then_rival_saves(key, check) -> None:
        real_check(key, check)
        monkeypatch.setattr(store.meta, "_check", real_check)
        rival.save(rival_board)

    monkeypatch.setattr(store.meta, "_check", check_then_rival_saves)
    with pytest.raises(SaveConflict, match="another save landed during this one"):
        app.save(board)
    assert App("demo", store.meta, store.content).load("flow").description == "the rival's edit"


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_saves_keep_permissions_and_new_files_follow_the_umask(store: Storage) -> None:
    app = store.app("demo")
    previous = os.umask(0o022)
    try:
        app.save(Board(name="flow"))
    finally:
        os.umask(previous)
    path = Path(store.meta.path(app._board_key("flow")))
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    path.chmod(0o640)
    app.save(Board(name="flow", description="again"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_stale_temporary_files_are_not_boards_and_are_cleaned(store: Storage) -> None:
    app = store.app("demo")
    app.save(Board(name="flow"))
    folder = Path(store.meta.path("apps/demo/boards"))
    stale = folder / ".flow.board.json.1234abcd.tmp"
    stale.write_text("{half a bo")
    (folder / "other.board.json.tmp").write_text("{")
    assert app.boards() == ["flow"]
    assert store.meta.list("apps/demo/boards") == ["apps/demo/boards/flow.board.json"]
    app.save(app.load("flow"))
    assert not stale.exists(), "the next save of the board removes what a killed save left"


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_a_lock_that_stays_taken_refuses_the_save(store: Storage, monkeypatch: pytest.MonkeyPatch) -> None:
    from filelock import FileLock

    from flowlike_core import files

    app = store.app("demo")
    app.save(Board(name="flow"))
    path = Path(store.meta.path(app._board_key("flow")))
    monkeypatch.setattr(files, "LOCK_TIMEOUT", 0.2)
    with FileLock(path.with_name(f".{path.name}.lock")), pytest.raises(SaveConflict, match="another process"):
        app.save(app.load("flow"))
