"""Trial 5: a storage config file (the one way to give S3 an endpoint and keys) works wherever a store is named.
`flowlike run --store flowlike.toml` (its help says it takes one) used the file's path as a root directory: the
run was not recorded (a RuntimeWarning: "Not a directory: flowlike.toml/content/...") and the command exited 0."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flowlike_core import storage
from flowlike_core.cli import main
from flowlike_core.storage import Storage, StorageConfig

LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def config_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A storage config file naming both buckets (and, for S3, the endpoint and keys)."""
    if request.param == "local":
        config = {"meta_url": str(tmp_path / "boards"), "content_url": str(tmp_path / "big")}
    else:
        s3 = request.getfixturevalue("seaweedfs")
        root = f"s3://{s3['bucket']}/{tmp_path.name}"
        config = {"meta_url": f"{root}/meta", "content_url": f"{root}/content", "options": s3["options"]}
    path = tmp_path / "flowlike.json"
    path.write_text(json.dumps(config))
    return path


def test_flowlike_run_keeps_its_run_in_the_store_a_config_file_names(config_file: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    board = shutil.copy(LOOP, tmp_path / "loop.board.json")
    assert main(["run", str(board), "--var", "threshold=2", "--store", str(config_file), "--json"]) == 0
    run_id = json.loads(capsys.readouterr().out)["id"]
    kept = Storage(StorageConfig.load(str(config_file))).runs.get(run_id)
    assert (kept.variables["threshold"], kept.result) == (2, 24)
    assert not (tmp_path / "flowlike.json" / "content").exists()
    assert main(["runs", "--store", str(config_file), "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [run_id]


def test_configure_reads_a_config_file(config_file: Path) -> None:
    configured = storage.configure(str(config_file), record_runs=False)
    assert configured.config == StorageConfig.load(str(config_file))


def test_the_cache_store_may_be_a_config_file(config_file: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    board = shutil.copy(LOOP, tmp_path / "loop.board.json")
    for _ in range(2):
        assert main(["run", str(board), "--no-history", "--cache-store", str(config_file)]) == 0
    expected = StorageConfig.load(str(config_file)).content_url
    assert f"result cache (kept in {expected}" in capsys.readouterr().out


def test_a_board_whose_name_cannot_name_a_file_is_told_how_to_save_it(tmp_path: Path) -> None:
    """The parameterized notebook's demo board is "numbers above a threshold": saving it said only what a name may
    hold."""
    from flowlike_core import Board
    from flowlike_core.errors import UnsafePathError

    app = Storage(StorageConfig.at(str(tmp_path))).app("demo")
    with pytest.raises(UnsafePathError, match=r"give it a name to save it under: app.save\(board, "
                                              r"'numbers-above-a-threshold'\)"):
        app.save(Board(name="numbers above a threshold"))
    app.save(Board(name="numbers above a threshold"), "numbers-above-a-threshold")
    assert app.load("numbers-above-a-threshold").name == "numbers above a threshold"
