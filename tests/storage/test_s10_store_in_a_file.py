"""A local store whose folder cannot be made (a file stands where a folder of its path must be) stops `flowlike run`
before the run, naming the file: the run went, exited 0, and its record went to the local spool with a warning, to
wait for a store that can never take it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flowlike_core.errors import StorageError
from flowlike_core.storage import Storage, StorageConfig

FLOWLIKE = Path(sys.executable).with_name("flowlike")
BOARD = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


def test_flowlike_run_refuses_a_store_under_a_file(tmp_path: Path) -> None:
    in_the_way = tmp_path / "notes.txt"
    in_the_way.write_text("mine")
    spool = tmp_path / "spool"
    done = subprocess.run([str(FLOWLIKE), "run", str(BOARD), "--store", str(in_the_way / "store")],
                          capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FLOWLIKE_SPOOL": str(spool)})
    assert done.returncode == 2, done
    assert done.stderr == (f"flowlike: error: cannot keep a run history in {in_the_way}/store/content: "
                           f"{in_the_way} is a file, not a folder; fix --store or pass --no-history\n"), done.stderr
    assert "Success" not in done.stdout and not spool.exists()
    assert in_the_way.read_text() == "mine"


def test_the_history_says_so_when_asked_whether_it_exists(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(StorageError, match=r"cannot keep a run history in .*/file/content: .*/file is a file"):
        Storage(StorageConfig.at(str(tmp_path / "file"))).runs.exists()
