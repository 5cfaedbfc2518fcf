"""The example boards in notebooks/boards: regenerated identically, run by the CLI in-process and through the
installed `flowlike` console script (exit codes, --json, --var, Ctrl-C)."""

from __future__ import annotations

import json
import runpy
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from flowlike_core import Board, DataType, Variable, commands, default_registry
from flowlike_core.cli import main

BOARDS = Path(__file__).parents[2] / "notebooks" / "boards"
LOOP = BOARDS / "loop_and_branch.board.json"
FAILS = BOARDS / "fails_on_purpose.board.json"
FLOWLIKE = Path(sys.executable).with_name("flowlike")


def test_regenerating_gives_identical_files(tmp_path):
    written = runpy.run_path(str(BOARDS / "make_boards.py"))["main"](tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in BOARDS.glob("*.board.json"))
    for path in written:
        assert path.read_bytes() == (BOARDS / path.name).read_bytes(), path.name


@pytest.mark.parametrize("path", [LOOP, FAILS], ids=lambda p: p.name)
def test_load_save_is_the_identity(path, tmp_path):
    assert Board.load(path).save(tmp_path / path.name).read_text() == path.read_text()


@pytest.mark.parametrize(("options", "result", "skipped"), [
    ([], 17, ["3", "1", "4"]),
    (["--var", "threshold=2"], 24, ["1"]),
    (["--var", "numbers=[10, 20, 30]", "--var", "threshold=15"], 50, ["10"]),
])
def test_loop_and_branch(capsys, options, result, skipped):
    assert main(["run", str(LOOP), *options]) == 0
    out = capsys.readouterr().out
    assert f"result: {result}" in out
    assert [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("INFO  Skipped:")] == skipped
    assert f"INFO  Counted, total now: {result}" in out


def test_fails_on_purpose(capsys):
    assert main(["run", str(FAILS), "--json"]) == 1
    record = json.loads(capsys.readouterr().out)
    assert record["status"] == "Failed" and record["error_node"] == "divide"
    failed = {t["node_id"]: t for t in record["traces"] if t["status"] == "Failed"}
    assert "ZeroDivisionError: cannot divide 10.0 by zero" in failed["divide"]["traceback"]
    assert set(failed) == {"divide", "log_quotient"}  # the log node pulled the division
    assert main(["run", str(FAILS), "--var", "divisor=4"]) == 0
    assert "INFO  Quotient: 2.5" in capsys.readouterr().out


def flowlike(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FLOWLIKE), *args], capture_output=True, text=True, timeout=timeout)


def test_console_script_exit_codes():
    ok = flowlike("run", str(LOOP), "--json", "--var", "threshold=2")
    assert ok.returncode == 0, ok.stderr
    record = json.loads(ok.stdout)
    assert record["result"] == 24 and record["variables"]["threshold"] == 2
    assert {t["node_id"] for t in record["traces"]} >= {"start", "for_each", "branch", "set_total", "result"}
    assert "INFO  Counted, total now: 24" in ok.stderr
    failed = flowlike("run", str(FAILS))
    assert failed.returncode == 1 and "ZeroDivisionError: cannot divide 10.0 by zero" in failed.stdout
    bad = flowlike("run", str(LOOP), "--var", "threshold=high")
    assert bad.returncode == 2 and "threshold=high: not an Integer value" in bad.stderr and bad.stdout == ""
    assert flowlike("--help").returncode == 0


def test_ctrl_c_cancels_the_run(tmp_path):
    board = Board(name="forever")
    registry = default_registry()
    board.apply(commands.UpsertVariable(Variable(name="n", data_type=DataType.INTEGER, default_value=0)))
    start = board.apply(commands.AddNode(registry.get("events_simple").create()))
    loop = board.apply(commands.AddNode(registry.get("control_while_loop").create(condition=True,
                                                                                    max_iter=1_000_000_000)))
    tick = board.apply(commands.AddNode(registry.get("log_info").create(message="tick", friendly_name="Tick")))
    wait = board.apply(commands.AddNode(registry.get("delay").create(time=20.0)))
    for source, output, target in ((start, "exec_out", loop), (loop, "exec_out", tick), (tick, "exec_out", wait)):
        board.apply(commands.Connect(source.id, output, target.id, "exec_in"))
    path = board.save(tmp_path / "forever.board.json")
    process = subprocess.Popen([str(FLOWLIKE), "run", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout.readline() == "INFO  Tick: tick\n"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 1, err
    assert "Cancelled: board 'forever'" in out and "error: the run was cancelled" in out


def test_max_steps_counts_exec_node_executions_as_its_help_says(capsys):
    """loop_and_branch at threshold 2 takes 17 steps and 37 node executions: 17 is enough, 16 is not."""
    loop = str(LOOP)
    assert main(["run", loop, "--no-history", "--var", "threshold=2", "--max-steps", "17"]) == 0
    assert "37 node executions" in capsys.readouterr().out
    assert main(["run", loop, "--no-history", "--var", "threshold=2", "--max-steps", "16"]) == 1
    assert main(["run", "--help"]) == 0
    assert "N steps (executions of exec nodes" in " ".join(capsys.readouterr().out.split())


def test_a_long_result_is_cut_in_the_summary_and_whole_in_the_record(tmp_path, capsys):
    registry = default_registry()
    board = Board(name="long result")
    start = board.apply(commands.AddNode(registry.get("events_simple").create()))
    back = board.apply(commands.AddNode(registry.get("events_generic_return_result").create(response="ab" * 3000)))
    board.apply(commands.Connect(start.id, "exec_out", back.id, "exec_in"))
    path = board.save(tmp_path / "long.board.json")
    assert main(["run", str(path), "--no-history"]) == 0
    line = [line for line in capsys.readouterr().out.splitlines() if line.startswith("result: ")][0]
    assert len(line) < 1100 and line.endswith("… (6,002 characters in all)")
    assert main(["run", str(path), "--no-history", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["result"] == "ab" * 3000
