"""Run history: one answer to "does this store answer, and has it a run history", shared by `flowlike runs` and
`flowlike run --store`."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_history import board_saying

from flowlike_core import Registry
from flowlike_core.cli import main
from flowlike_core.errors import StorageError
from flowlike_core.storage import Storage, StorageConfig

UNREACHABLE = "s3://flowlike-no-such-bucket/trial4"


@pytest.fixture
def no_aws_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_exists_tells_a_store_with_history_from_one_without(tmp_path: Path, registry: Registry) -> None:
    store = Storage(StorageConfig.at(str(tmp_path / "store")))
    assert store.runs.exists() is False
    assert not (tmp_path / "store").exists(), "asking made nothing"
    store.runs.append(board_saying("alpha").run(registry=registry).record())
    assert store.runs.exists() is True


def test_a_store_that_does_not_answer_is_one_error_for_both_commands(no_aws_credentials: None, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(StorageError, match=f"cannot reach the run history in {UNREACHABLE}/"):
        Storage(StorageConfig.at(UNREACHABLE)).runs.exists()
    assert main(["runs", "--store", UNREACHABLE]) == 2
    listing = capsys.readouterr().err.strip().splitlines()
    board = tmp_path / "say.board.json"
    board.write_text('{"name": "empty"}')
    assert main(["run", str(board), "--store", UNREACHABLE]) == 2
    running = capsys.readouterr().err.strip().splitlines()
    assert len(listing) == 1
    assert listing[0].startswith(f"flowlike: error: cannot reach the run history in {UNREACHABLE}/")
    assert running[-1] == f"{listing[0]}; fix --store or pass --no-history"
