"""The run history survives what a killed or concurrent append leaves behind, and says what it needs."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest
from test_history import board_saying

from flowlike_core import Registry
from flowlike_core.cli import main
from flowlike_core.storage import RunHistory, Storage, StorageConfig


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_temporary_files_in_the_history_are_not_records(store: Storage, registry: Registry, capsys) -> None:
    """kill -9 during an append leaves `.<key>.<random>.tmp`; it used to break count(), query() and `runs`."""
    run = board_saying("alpha").run(registry=registry)
    store.runs.append(run.record())
    pending = Path(store.content.path("history/pending"))
    old = pending / ".0123456789abcdef.json.deadbeef0000.tmp"
    old.write_text('{"id": "half')
    hour_ago = time.time() - 7200
    os.utime(old, (hour_ago, hour_ago))
    fresh = pending / ".fedcba9876543210.json.beef00000000.tmp"
    fresh.write_text("{")
    assert store.runs.count() == 1
    assert [r.id for r in store.runs.query()] == [run.id]
    assert main(["runs", "--store", str(Path(store.config.meta_url).parent)]) == 0
    assert run.id in capsys.readouterr().out
    assert not old.exists(), "a fold removes temporary files a killed append left long ago"
    assert fresh.exists(), "a temporary file of an append in progress is left alone"


@pytest.mark.parametrize("store", ["local", "memory"], indirect=True)
def test_concurrent_appends_are_all_kept(store: Storage, registry: Registry) -> None:
    record = board_saying("alpha").run(registry=registry).record()
    writers = [RunHistory(store.content, "history", store.config.options) for _ in range(4)]  # four kernels

    def append_many(history: RunHistory, who: int) -> None:
        for i in range(25):
            history.append(record.model_copy(update={"id": f"{who}-{i}"}))

    threads = [threading.Thread(target=append_many, args=(history, who)) for who, history in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert store.runs.count() == 100


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_pending_records_are_fsynced_before_append_returns(store: Storage, registry: Registry,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    store.runs.append(board_saying("alpha").run(registry=registry).record())
    assert synced, "the pending record was not fsynced"


def test_runs_without_the_vectors_extra_names_the_extra(tmp_path, registry: Registry, monkeypatch: pytest.MonkeyPatch,
                                                        capsys) -> None:
    monkeypatch.setitem(sys.modules, "lancedb", None)  # as on an install without the vectors extra
    Storage(StorageConfig.at(str(tmp_path))).runs.append(board_saying("alpha").run(registry=registry).record())
    assert main(["runs", "--store", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "pip install 'flowlike-nb[vectors]'" in err and "Traceback" not in err


def test_runs_of_a_store_with_no_history_say_so_and_make_nothing_there(tmp_path, capsys) -> None:
    """A mistyped --store is not an empty history: it is said, and no folders appear at that path."""
    typo = tmp_path / "no-such-store"
    assert main(["runs", "--store", str(typo)]) == 0
    assert "no run history in" in capsys.readouterr().err
    assert main(["runs", "--store", str(typo), "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"
    assert not typo.exists()


def test_runs_of_a_store_it_cannot_reach_is_one_line_of_bad_input(tmp_path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys) -> None:
    """S3 without credentials: botocore's error becomes the command's error, not a traceback."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert main(["runs", "--store", "s3://flowlike-no-such-bucket/history-test"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the run history in s3://flowlike-no-such-bucket/history-test" in err
    assert "Traceback" not in err
