"""What `flowlike run` prints, as a fresh user reads it: times below a second in ms or µs, counts with their own
plural, and a refused capability (an expected user error) as its message and the flag that grants it, no traceback.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from flowlike_core import Board, DataType, NodeType, Variable, commands, default_registry, exec_in, exec_out
from flowlike_core.cli import main
from flowlike_core.policy import Capability, allowed_path
from flowlike_core.wording import counted, duration

READABLE = r"\d+(\.\d+)? (µs|ms|s)"
"""A duration as `flowlike_core.wording.duration` writes it (these runs take well under a minute)."""


@pytest.mark.parametrize(("seconds", "text"), [
    (0.0, "0 µs"), (0.0000004, "0 µs"), (0.000012, "12 µs"), (0.0009994, "999 µs"), (0.0009996, "1.00 ms"),
    (0.00123, "1.23 ms"), (0.0493, "49.3 ms"), (0.4931, "493 ms"), (0.9996, "1.00 s"), (1.5, "1.50 s"),
    (59.994, "59.99 s"), (59.996, "1 min 0 s"), (125.3, "2 min 5 s"), (3725, "1 h 2 min"),
])
def test_a_duration_reads_in_the_unit_that_suits_it(seconds, text):
    assert duration(seconds) == text


@pytest.mark.parametrize(("count", "text"), [(0, "0 variables"), (1, "1 variable"), (2, "2 variables"),
                                             (1234, "1,234 variables")])
def test_a_count_has_its_nouns_plural_only_when_it_is_not_one(count, text):
    assert counted(count, "variable") == text


def test_the_run_summary_shows_a_short_run_in_readable_units(counting_board, capsys):
    """It said `3 node executions in 0.000s`."""
    assert main(["run", str(counting_board)]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("Success:"))
    assert re.fullmatch(rf"Success: board 'counting', 3 node executions in {READABLE} \(run \w+\)", line), line


class Start(NodeType):
    name = "cli_s8_start"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx):
        ctx.activate("exec_out")


class WriteOut(NodeType):
    """Asks for a path outside the store, as a file-writing node does before it opens it."""

    name = "cli_s8_write_out"
    friendly_name = "Write out"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        allowed_path("/definitely/outside/the/store.txt", "file")
        ctx.activate("exec_out")


class Fetch(NodeType):
    name = "cli_s8_fetch"
    friendly_name = "Fetch"
    capabilities = (Capability.NETWORK,)
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        ctx.activate("exec_out")


for node_type in (Start, WriteOut, Fetch):
    default_registry().register(node_type, pack="cli-s8-output", replace=True)


def one_step_board(tmp_path: Path, step: type[NodeType]) -> Path:
    board = Board(name="refused")
    start = board.apply(commands.AddNode(Start.create()))
    node = board.apply(commands.AddNode(step.create()))
    board.apply(commands.Connect(start.id, "exec_out", node.id, "exec_in"))
    return board.save(tmp_path / "refused.board.json")


@pytest.mark.parametrize(("step", "says"), [
    (WriteOut, ["node 'Write out'", "'/definitely/outside/the/store.txt' is outside the store", "--allow-path DIR",
                "--allow files"]),
    (Fetch, ["node 'Fetch'", "needs network", "--allow network"]),
])
def test_a_refused_capability_prints_its_message_and_no_traceback(tmp_path, capsys, step, says):
    assert main(["run", str(one_step_board(tmp_path, step))]) == 1
    out = capsys.readouterr().out
    error = [line for line in out.splitlines() if line.startswith("error: ")]
    assert len(error) == 1 and all(part in error[0] for part in says), out
    assert "Traceback" not in out and "executor.py" not in out and "policy.py" not in out, out


def test_a_refused_capability_keeps_its_traceback_in_the_json_record(tmp_path, capsys):
    assert main(["run", str(one_step_board(tmp_path, WriteOut)), "--json"]) == 1
    record = json.loads(capsys.readouterr().out)
    assert "CapabilityRefused" in next(t["traceback"] for t in record["traces"] if t["status"] == "Failed")


def test_a_failing_node_of_the_users_still_shows_where_it_failed(failing_board, capsys):
    assert main(["run", str(failing_board)]) == 1
    assert "  Traceback (most recent call last):" in capsys.readouterr().out


@pytest.mark.parametrize("arguments", [
    ["{tmp}/nowhere.board.json"],
    ["{tmp}/malformed.board.json"],
    ["{board}", "--var", "nope=1"],
    ["{board}", "--var", "times=abc"],
    ["{board}", "--var", "times=[1]"],
    ["{board}", "--start", "Nowhere"],
])
def test_expected_user_errors_print_one_line_and_no_traceback(counting_board, tmp_path, capsys, arguments):
    (tmp_path / "malformed.board.json").write_text('{"name": ')
    words = [word.format(tmp=tmp_path, board=counting_board) for word in arguments]
    assert main(["run", *words]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.splitlines()) == 1, captured.err
    assert captured.err.startswith("flowlike: error: ") and "Traceback" not in captured.err


@pytest.mark.parametrize(("var", "message"), [
    ("times=abc", "times=abc: not an Integer value (read as JSON: Expecting value)"),
    ("when=someday", "when=someday: not a Date value (an ISO date or time"),
])
def test_a_wrong_var_names_the_type_as_the_user_knows_it(counting_board, capsys, var, message):
    board = Board.load(counting_board)
    board.apply(commands.UpsertVariable(Variable(name="when", data_type=DataType.DATE, exposed=True)))
    board.save(counting_board)
    assert main(["run", str(counting_board), "--var", var]) == 2
    assert message in capsys.readouterr().err


def test_the_run_history_shows_times_as_flowlike_run_does(counting_board, capsys):
    """`flowlike runs` printed `0.000` seconds per run and per node, and `0.000s -> 0.000s` in a comparison."""
    ids = []
    for times in ("1", "2"):
        assert main(["run", str(counting_board), "--var", f"times={times}", "--json"]) == 0
        ids.append(json.loads(capsys.readouterr().out)["id"])
    assert main(["runs", "--board", "counting"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[4:7] == ["(UTC)", "TIME", "STEPS"]
    assert all(re.search(rf"\d\d:\d\d:\d\d  {READABLE} +\d+ ", row) for row in table[1:]), table
    assert main(["runs", ids[0]]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert re.search(rf", Success, started .* UTC, {READABLE}, \d+ steps$", shown[0]), shown[0]
    nodes = shown[shown.index(next(line for line in shown if line.startswith("NODE"))):]
    assert nodes[0].split() == ["NODE", "RUNS", "LAST", "STATUS", "TIME", "ERROR"]
    assert all(re.search(rf"Success +{READABLE}$", row) for row in nodes[1:4]), nodes
    assert main(["runs", *ids]) == 0
    assert re.search(rf"; {READABLE} -> {READABLE}\)$", capsys.readouterr().out.splitlines()[0])


def test_a_sweeps_table_shows_times_as_flowlike_run_does(counting_board, capsys):
    assert main(["sweep", str(counting_board), "-p", "times=1,2"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert len(rows) == 2 and all(re.search(rf" Success +{READABLE} *$", row) for row in rows), rows


@pytest.mark.parametrize("steps", ["0", "-3", "many"])
def test_a_step_limit_below_one_is_bad_input(counting_board, capsys, steps):
    """`--max-steps -3` ran the board and failed it at its first node: 'step limit of -3 steps reached'."""
    assert main(["run", str(counting_board), "--max-steps", steps]) == 2
    captured = capsys.readouterr()
    assert f"--max-steps: {steps!r} is not a whole number of at least 1" in captured.err and captured.out == ""



def test_a_warning_prints_as_one_line_of_the_commands_own(tmp_path):
    """A run the history could not keep (a file where its pending records go) printed Python's warning: the
    engine's file and line, then its source line (`store.runs.keep_in_spool(run, exc)`)."""
    import subprocess
    import sys

    store = tmp_path / "store"
    (store / "content" / "history").mkdir(parents=True)
    (store / "content" / "history" / "pending").write_text("")
    flowlike = Path(sys.executable).with_name("flowlike")
    board = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"
    done = subprocess.run([str(flowlike), "run", str(board), "--store", str(store)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "FLOWLIKE_SPOOL": str(tmp_path / "spool")})
    assert done.returncode == 0 and "Success: board 'loop-and-branch'" in done.stdout, done
    warned = [line for line in done.stderr.splitlines() if "was not kept in the run history" in line]
    assert len(warned) == 1 and warned[0].startswith("flowlike: warning: run "), done.stderr
    assert "RuntimeWarning" not in done.stderr and "keep_in_spool" not in done.stderr, done.stderr
