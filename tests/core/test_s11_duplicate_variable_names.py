"""Two variables of one name in a board file (a hand edit, a merge) passed `flowlike validate` ("no problems"), and
`flowlike run` failed inside a node: `TypeError: '>' not supported between instances of 'int' and 'NoneType'`, the
run reading the one the other shadowed. validate names the variables, and run stops before it starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowlike_core import Board
from flowlike_core.cli import main

LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


@pytest.fixture
def doubled(tmp_path: Path) -> Path:
    document = json.loads(LOOP.read_text())
    threshold = next(v for v in document["variables"].values() if v["name"] == "threshold")
    document["variables"]["merged-in"] = {"id": "merged-in", "name": "threshold", "data_type": "Integer"}
    path = tmp_path / "doubled.board.json"
    path.write_text(json.dumps(document))
    return path, threshold["id"]


def test_validate_names_both_variables(doubled: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    path, first = doubled
    problems = [p for p in Board.load(path).validate() if p.code == "duplicate-variable-name"]
    assert [str(p) for p in problems] == [f"[duplicate-variable-name] 2 variables are called 'threshold' (ids "
                                          f"{first}, merged-in): a run cannot tell them apart; rename or remove "
                                          f"one"]
    assert main(["validate", str(path)]) == 1
    assert "[duplicate-variable-name]" in capsys.readouterr().out


def test_run_stops_before_it_starts(doubled: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(doubled[0]), "--no-history"]) == 2
    captured = capsys.readouterr()
    assert "2 variables are called 'threshold'" in captured.err and "TypeError" not in captured.out + captured.err
