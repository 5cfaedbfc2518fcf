"""Sweeps: one run per combination, gathered into one table, from Python, the notebook handle and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scale_boards import square_board

from flowlike_core.cli import main
from flowlike_core.errors import BoardError
from flowlike_core.sweep import combinations, sweep

BOARDS = Path(__file__).parents[2] / "notebooks" / "boards"


def test_combinations_vary_the_last_parameter_fastest():
    assert combinations({"a": [1, 2], "b": ["x", "y"]}) == [
        {"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 2, "b": "x"}, {"a": 2, "b": "y"}]
    with pytest.raises(BoardError, match="sweep parameter 'a': give a list of values"):
        combinations({"a": "12"})


@pytest.mark.parametrize("backend", ["thread", "process"])
def test_sweep_gathers_one_row_per_run(registry, process_backend, backend):
    result = sweep(square_board(registry), {"n": [1, 2, 3]}, outputs=["result", "n", "square.value"],
                   registry=registry, backend=process_backend if backend == "process" else "thread")
    assert [(r["n"], r["status"], r["result"], r["square.value"]) for r in result.records()] == [
        (1, "Success", 1, 1), (2, "Success", 4, 4), (3, "Success", 9, 9)]
    assert all(row.duration > 0 for row in result.rows)
    frame = result.to_dataframe()
    assert list(frame.columns) == ["n", "status", "duration", "result", "n", "square.value", "error"]


def test_sweep_on_dask_matches_thread(registry, dask_backend):
    grid = {"n": [4, 5]}
    there = sweep(square_board(registry), grid, outputs=["result"], registry=registry, backend=dask_backend)
    here = sweep(square_board(registry), grid, outputs=["result"], registry=registry)
    assert [r["result"] for r in there.records()] == [r["result"] for r in here.records()] == [16, 25]


def test_notebook_handle_sweep_is_a_dataframe(registry):
    from flowlike_nb.kernel.handles import Board

    frame = Board(square_board(registry), registry=registry).sweep({"n": range(3)}, outputs=["result"])
    assert frame[["n", "status", "result"]].values.tolist() == [[0, "Success", 0], [1, "Success", 1],
                                                                 [2, "Success", 4]]


def test_cli_sweep_prints_a_table_and_json(capsys):
    board = str(BOARDS / "loop_and_branch.board.json")
    assert main(["sweep", board, "-p", "threshold=1,5", "-p", "numbers=[[1,2],[9]]", "-o", "total", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["threshold"], r["numbers"], r["status"], r["total"]) for r in rows] == [
        (1, [1, 2], "Success", 2), (1, [9], "Success", 9), (5, [1, 2], "Success", 0), (5, [9], "Success", 9)]
    assert all(len(r["run"]) == 12 for r in rows) and len({r["run"] for r in rows}) == 4
    assert main(["sweep", board, "-p", "threshold=1,5", "-o", "total"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["run", "threshold", "status", "duration", "total", "error"]
    assert [line.split()[1:3] for line in lines[1:]] == [["1", "Success"], ["5", "Success"]]


def test_cli_sweep_fails_when_a_run_fails_and_refuses_bad_parameters(capsys):
    board = str(BOARDS / "fails_on_purpose.board.json")
    assert main(["sweep", board, "-p", "divisor=0,2", "--backend", "process"]) == 1
    assert "Failed" in capsys.readouterr().out
    assert main(["sweep", board, "-p", "divisor"]) == 2
    assert "expected NAME=VALUE,VALUE" in capsys.readouterr().err
    assert main(["sweep", board, "-p", "nope=1"]) == 2


def test_an_unknown_output_says_what_an_output_can_be(capsys):
    board = str(BOARDS / "loop_and_branch.board.json")
    assert main(["sweep", board, "-p", "threshold=1,5", "-o", "totl"]) == 2
    err = capsys.readouterr().err
    assert "output 'totl': board 'loop-and-branch' has no variable 'totl'" in err
    assert "an output is a variable's name, 'result' (what the run returned) or node.pin" in err


def test_a_long_value_is_cut_in_the_table_and_whole_in_json(capsys):
    board = str(BOARDS / "loop_and_branch.board.json")
    many = json.dumps(list(range(40)))
    assert main(["sweep", board, "-p", f"numbers=[{many},[1]]", "-o", "result"]) == 0
    first = capsys.readouterr().out.splitlines()[1]
    assert first.split(maxsplit=1)[1].startswith("[0, 1, 2, 3") and "…" in first and "39]" not in first
    assert main(["sweep", board, "-p", f"numbers=[{many},[1]]", "-o", "result", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["numbers"] == list(range(40))


def _interrupt_when(heard: list[str], count: int) -> None:
    """Ctrl-C (KeyboardInterrupt in the main thread) once `count` runs of the sweep have started waiting."""
    import _thread
    import threading

    from scale_boards import until

    def press() -> None:
        until(lambda: len(heard) >= count, f"{count} runs waiting")
        _thread.interrupt_main()

    threading.Thread(target=press, daemon=True).start()


@pytest.mark.parametrize("backend", ["thread", "process"])
def test_ctrl_c_stops_the_whole_sweep(registry, process_backend, tmp_path, backend):
    """Ctrl-C cancels the run going on and every run after it (on the thread backend the next combinations ran one
    after another; on the process pool the run waiting for a worker ran to its end and showed Success)."""
    from pack_builder import Builder

    from flowlike_core import DataType, Listener, Variable, commands

    build = Builder()
    build.registry.register(registry.get("s_wait_for"))
    build.board.apply(commands.UpsertVariable(Variable(name="n", data_type=DataType.INTEGER, default_value=0,
                                                       exposed=True)))
    start, value, wait = build.add("events_simple"), build.add("variable_get", var_ref="n"), \
        build.add("s_wait_for", path=str(tmp_path / "never"))
    build.chain(start, wait)
    build.wire(value, "value_ref", wait, "value")
    heard: list[str] = []

    class Heard(Listener):
        def log(self, run, line):
            heard.append(line.message)

    going = 1 if backend == "thread" else 2  # (the pool has two workers: the third run waits for one)
    _interrupt_when(heard, going)
    result = sweep(build.board, {"n": [1, 2, 3]}, registry=build.registry, listeners=[Heard()],
                   backend=process_backend if backend == "process" else "thread")
    assert [row.status for row in result.rows] == ["Cancelled"] * 3
    if backend == "thread":
        assert heard == ["waiting 1"], "a run after Ctrl-C started"
        assert [row.error for row in result.rows[1:]] == ["the sweep was cancelled before this run started"] * 2
    # (process: the run waiting for a worker is cancelled when one frees up; it may have started by then)


@pytest.mark.parametrize("backend", ["thread", "process"])
def test_cli_sweep_keeps_every_run_in_the_store_a_config_file_names(tmp_path, capsys, backend):
    """`flowlike sweep --store` was refused (flowlike run has it): a sweep's runs could not be found again."""
    from flowlike_core.storage import Storage, StorageConfig

    config = tmp_path / "flowlike.json"
    config.write_text(json.dumps({"meta_url": str(tmp_path / "boards"), "content_url": str(tmp_path / "big")}))
    board = str(BOARDS / "loop_and_branch.board.json")
    assert main(["sweep", board, "-p", "threshold=1,5", "-o", "total", "--backend", backend,
                 "--store", str(config)]) == 0
    kept = Storage(StorageConfig.load(str(config))).runs.query()
    assert sorted((r.variables["threshold"], r.status.value) for r in kept) == [(1, "Success"), (5, "Success")]
    shown = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert shown == [r.id for r in sorted(kept, key=lambda r: r.variables["threshold"])], "the ids flowlike runs takes"
    assert main(["sweep", board, "-p", "threshold=2", "--store", str(config), "--no-history"]) == 0
    assert len(Storage(StorageConfig.load(str(config))).runs.query()) == 2
    capsys.readouterr()
    assert main(["sweep", board, "-p", "threshold=2", "--store", str(tmp_path / "typo.toml")]) == 2
    assert "typo.toml: not a usable storage configuration" in capsys.readouterr().err
