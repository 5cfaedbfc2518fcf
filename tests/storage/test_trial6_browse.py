"""Trial 6, as a data scientist: two runs of one board with different parameters, then the history. `flowlike runs`
listed runs and nothing more: no way to see one run's nodes and log, or what differed between two, short of reading
`--json` of every run; in a notebook `store.runs.query()` gave a list of records whose repr filled the screen."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_trial6_large_values import DATA, VALUES, big_variables_board

from flowlike_core.cli import main
from flowlike_core.run import RunStatus
from flowlike_core.storage import Storage, StorageConfig

LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


@pytest.fixture
def two_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str, str]:
    """The store, and the ids of two runs of the example loop with threshold 2 (result 24) and 5 (result 17)."""
    board = shutil.copy(LOOP, tmp_path / "loop.board.json")
    ids = []
    for threshold in (2, 5):
        assert main(["run", str(board), "--var", f"threshold={threshold}", "--store", str(tmp_path / "s"),
                     "--json"]) == 0
        ids.append(json.loads(capsys.readouterr().out)["id"])
    return tmp_path / "s", ids[0], ids[1]


def test_flowlike_runs_lists_each_result(two_runs: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]) -> None:
    store, first, second = two_runs
    assert main(["runs", "--store", str(store)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[7:] == ["RESULT", "VARIABLES", "ERROR"]
    times = [line.split()[5:7] for line in lines[1:]]  # "412 µs": a number and its unit
    assert all(unit in ("µs", "ms", "s") for _, unit in times), times
    assert [line.split()[8:10] for line in lines[1:]] == [["17", "numbers=[3,8,1,9,4]"], ["24", "numbers=[3,8,1,9,4]"]]


def test_flowlike_history_is_flowlike_runs(two_runs: tuple[Path, str, str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """`flowlike history` (the word the README uses: "the run history") said "invalid choice: 'history'"."""
    store, first, second = two_runs
    assert main(["history", "--store", str(store)]) == 0
    listed = capsys.readouterr().out
    assert main(["runs", "--store", str(store)]) == 0
    assert listed == capsys.readouterr().out and first in listed and second in listed


def test_flowlike_runs_shows_one_run(two_runs: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]) -> None:
    store, first, _ = two_runs
    assert main(["runs", first, "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"run {first}: board 'loop-and-branch' 0.1.0, Success, started ")
    assert "  threshold = 2" in out and "result: 24" in out
    assert [line.split()[:3] for line in out.splitlines() if line.startswith("log_info (log_total)")] == [
        ["log_info", "(log_total)", "4"]]
    assert out.rstrip().endswith("log_total    24"), "its log lines, last"
    assert main(["runs", first, "--store", str(store), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == first


def test_flowlike_runs_compares_two_runs(two_runs: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]) -> None:
    store, first, second = two_runs
    assert main(["runs", first, second, "--store", str(store)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"run {first} -> run {second} (board 'loop-and-branch'; ")
    assert lines[1:5] == ["~ run result: 24 -> 17", "~ run steps: 17 -> 15", "~ variable threshold: 2 -> 5",
                          "~ node variable_set (set_total): executions: 4 -> 2"]
    assert "~ node log_info (log_skip): executions: 1 -> 3, logs: 1 -> 3" in lines
    assert main(["runs", first, first, "--store", str(store)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "no difference but their times"
    assert main(["runs", first, second, "--store", str(store), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0] == {"kind": "changed", "item": "run", "label": "result", "old": 24,
                                                      "new": 17, "detail": {}}


def test_a_run_that_is_not_there_is_named(two_runs: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]) -> None:
    store, first, _ = two_runs
    assert main(["runs", first, "nope", "--store", str(store)]) == 2
    assert f"no run 'nope' in the run history at {store}" in capsys.readouterr().err
    assert main(["runs", first, first, first, "--store", str(store)]) == 2
    assert "give one run to show it or two to compare them, not 3" in capsys.readouterr().err


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_large_values_are_compared_by_their_blobs(store: Storage) -> None:
    board = big_variables_board()
    first, second = (board.run({"payload": DATA, "values": values}) for values in (VALUES, [1, 2]))
    for run in (first, second):
        store.record(run.core)
    changes = [str(change) for change in store.runs.diff(first.id, second.id)]
    assert changes == ["~ variable values: <JSON, 1,288,891 characters> -> [1,2]"], "the same payload: no change"
    assert repr(store.runs.diff(first.id, second.id)) == f"[{changes[0]}]"


def test_a_notebook_compares_runs_in_one_frame(two_runs: tuple[Path, str, str]) -> None:
    store, first, second = two_runs
    frame = Storage(StorageConfig.at(str(store))).runs.frame(board="loop-and-branch")
    assert list(frame.columns) == ["id", "board", "status", "start", "duration", "steps", "numbers", "threshold",
                                   "total", "result", "error"]
    assert frame[["id", "threshold", "result"]].values.tolist() == [[second, 5, 17], [first, 2, 24]]


def test_an_old_run_runs_again_with_the_parameters_it_had(two_runs: tuple[Path, str, str]) -> None:
    """`board.run(old.variables)` in a notebook: "variable 'total' of board 'loop-and-branch' is not exposed" (a
    record keeps every variable, a run takes only the exposed ones)."""
    import flowlike_nb as fnb

    store, first, _ = two_runs
    history = Storage(StorageConfig.at(str(store))).runs
    board = fnb.Board.open(str(LOOP))
    assert history.parameters(first, board) == {"numbers": [3, 8, 1, 9, 4], "threshold": 2}
    assert board.run(history.parameters(first, board)).result == history.get(first).result == 24


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_parameters_kept_as_blobs_and_secrets(store: Storage) -> None:
    board = big_variables_board()
    board.variable("token", str, "sk-live-4f9a2b", secret=True, exposed=True)
    run = board.run({"payload": DATA, "values": VALUES})
    store.record(run.core)
    given = store.runs.parameters(run.id, board)
    assert given == {"payload": DATA, "values": VALUES, "label": "small"}, "no secret: the record masks it"
    assert board.run(given).status == "Success"


def test_a_failed_run_shows_where_it_failed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    board = shutil.copy(LOOP.with_name("fails_on_purpose.board.json"), tmp_path / "fails.board.json")
    assert main(["run", str(board), "--store", str(tmp_path / "s"), "--json"]) == 1
    run_id = json.loads(capsys.readouterr().out)["id"]
    assert main(["runs", run_id, "--store", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert "error: node '10 / divisor' (divide) failed: ZeroDivisionError: cannot divide 10.0 by zero" in out
    assert 'raise ZeroDivisionError(f"cannot divide {a} by zero")' in out, "the end of its traceback"


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_an_error_of_several_lines_stays_on_its_row(store: Storage, capsys: pytest.CaptureFixture[str]) -> None:
    """A process-backend run refused by its worker ("An attempt has been made to start a new process before the
    current process has finished its bootstrapping phase.\\n\\n        This probably means...") broke the table."""
    record = big_variables_board().run({"values": [1]}).core.record()
    failed = {"status": RunStatus.FAILED, "error": "it broke:\n\n    here\n    and there"}
    store.runs.append(record.model_copy(update=failed))
    assert main(["runs", "--store", store.config.content_url.rsplit("/", 1)[0]]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[1].endswith("it broke: here and there")
