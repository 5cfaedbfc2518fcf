"""`--allow-path` naming a folder that is not there (a typo, most often) was taken silently: the run then refused a
node's file as outside the allowed paths, the folder given looking right. It warns, naming the folder, and the run
goes on (a node may make the folder: Write CSV does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowlike_core.cli import main

LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


def test_a_missing_allowed_folder_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "data").mkdir()
    typo = tmp_path / "dta"
    assert main(["run", str(LOOP), "--no-history", "--allow-path", str(tmp_path / "data"),
                 "--allow-path", str(typo), "--allow-path", "s3://bucket/prefix"]) == 0
    err = capsys.readouterr().err
    assert err.count("flowlike: warning: ") == 1, err
    assert f"flowlike: warning: --allow-path {typo}: no such folder (yet); a node may make it, else check the " \
           f"spelling\n" in err, err

