"""`flowlike run`: logs, progress, summary, --json, --var, and the exit codes 0 / 1 / 2."""

from __future__ import annotations

import io
import json

import pytest

from flowlike_core import DataType, ValueType, Variable, commands
from flowlike_core.board import Board, LogLevel
from flowlike_core.cli import RunReporter, main, parse_var
from flowlike_core.run import LogLine


def test_success_prints_logs_and_summary(counting_board, capsys):
    assert main(["run", str(counting_board)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:4] == ["INFO  cli_test_read_times: times is 3", "INFO  Count: tick 1",
                                    "INFO  Count: tick 2", "INFO  Count: tick 3"]
    assert "Success: board 'counting', 3 node executions" in out
    assert "result: 3" in out


def test_var_overrides_an_exposed_variable(counting_board, capsys):
    assert main(["run", str(counting_board), "--var", "times=5"]) == 0
    assert "times is 5" in capsys.readouterr().out


def variables_board() -> Board:
    board = Board(name="vars")
    for name, data_type, value_type in (("code", DataType.STRING, ValueType.NORMAL),
                                        ("n", DataType.INTEGER, ValueType.NORMAL),
                                        ("flags", DataType.BOOLEAN, ValueType.ARRAY)):
        board.apply(commands.UpsertVariable(Variable(name=name, data_type=data_type, value_type=value_type,
                                                     exposed=True)))
    return board


@pytest.mark.parametrize(("text", "value"), [("code=123", "123"), ('code="3"', '"3"'), ("code=a=b", "a=b"),
                                             ("code=", ""), ("n=3", 3), ("flags=[true, false]", [True, False])])
def test_var_values_are_read_as_their_variables_type(text, value):
    assert parse_var(variables_board(), text) == (text.partition("=")[0], value)


def test_json_prints_only_the_record_on_stdout(counting_board, capsys):
    assert main(["run", str(counting_board), "--json", "--var", "times=7"]) == 0
    captured = capsys.readouterr()
    record = json.loads(captured.out)
    assert record["status"] == "Success" and record["result"] == 3
    assert record["variables"] == {"times": 7, "hidden": "x"}
    assert [t["node_name"] for t in record["traces"]] == ["cli_test_start", "cli_test_read_times", "cli_test_count"]
    assert [line["message"] for line in record["traces"][2]["logs"]] == ["tick 1", "tick 2", "tick 3"]
    assert "INFO  Count: tick 1" in captured.err and "Success:" in captured.err


def test_failed_run_exits_1_and_shows_the_error(failing_board, capsys):
    assert main(["run", str(failing_board)]) == 1
    out = capsys.readouterr().out
    assert "WARN  Divide: dividing" in out
    assert "Failed: board 'failing', 2 node executions" in out
    assert "error: node 'Divide' (" in out and "failed: ZeroDivisionError: float division by zero" in out
    assert "  Traceback (most recent call last):" in out and 'ctx.get_input("a") / ctx.get_input("b")' in out


def test_failed_run_json_has_the_error_record(failing_board, capsys):
    assert main(["run", str(failing_board), "--json"]) == 1
    record = json.loads(capsys.readouterr().out)
    assert record["status"] == "Failed" and "ZeroDivisionError" in record["error"]
    failed = [t for t in record["traces"] if t["status"] == "Failed"]
    assert [t["node_id"] for t in failed] == [record["error_node"]]
    assert "ZeroDivisionError" in failed[0]["traceback"]


def test_step_limit_fails_the_run(counting_board, capsys):
    assert main(["run", str(counting_board), "--max-steps", "2"]) == 1
    assert "step limit of 2" in capsys.readouterr().out


def test_short_runs_print_no_progress_when_not_a_terminal(counting_board, capsys):
    assert main(["run", str(counting_board)]) == 0
    assert capsys.readouterr().err == ""


def test_progress_lines_every_interval_when_not_a_terminal(counting_board):
    out, err = io.StringIO(), io.StringIO()
    board = Board.load(counting_board)
    count = board.node("Count").id
    now = [100.0]
    report = RunReporter(board, out, err, interval=0.05, clock=lambda: now[0])
    report.progress(None, count, 0.25, "")
    now[0] += 0.06
    report.progress(None, count, 0.5, "half")
    report.progress(None, count, 0.75, "")
    report.progress(None, count, 1.0, "")
    lines = err.getvalue().splitlines()
    assert lines == ["progress Count:  50.0% half (60.0 ms)", "progress Count: 100.0% (60.0 ms)"]
    assert out.getvalue() == ""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_redraws_one_line_on_a_terminal(counting_board):
    out, err = io.StringIO(), Terminal()
    board = Board.load(counting_board)
    count = board.node("Count").id
    report = RunReporter(board, out, err, interval=0)
    report.progress(None, count, 0.5, "half")
    report.log(None, LogLine(LogLevel.INFO, "tick", 0.0, count))
    report.progress(None, count, 1.0, "")
    report.finished(None)
    assert err.getvalue() == "\r\x1b[KCount:  50.0% half\r\x1b[K\r\x1b[KCount: 100.0%\r\x1b[K"
    assert out.getvalue() == "INFO  Count: tick\n"


# ---- bad input: exit 2 ------------------------------------------------------------------------------------


def test_malformed_board_file_names_line_and_column(tmp_path, capsys):
    path = tmp_path / "bad.board.json"
    path.write_text('{\n  "name": "x",\n  "nodes": {,}\n}\n')
    assert main(["run", str(path)]) == 2
    assert f"{path}:3:13: not valid JSON" in capsys.readouterr().err


def test_missing_board_file(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nowhere.board.json")]) == 2
    assert "no such board file" in capsys.readouterr().err


def test_not_a_board_document(tmp_path, capsys):
    path = tmp_path / "list.board.json"
    path.write_text("[1, 2]")
    assert main(["run", str(path)]) == 2
    assert "not a board document" in capsys.readouterr().err


@pytest.mark.parametrize(("var", "message"), [
    ("nope=1", "has no variable 'nope'"),
    ("hidden=y", "variable 'hidden' of board 'counting' is not exposed"),
    ("times=abc", "times=abc: not an Integer value (read as JSON: Expecting value)"),
    ("times=1.5", "does not fit"),
    ("times=null", "value None for variable 'times' does not fit its type Integer; leave it out to use its default"),
    ("novalue", "expected NAME=VALUE"),
])
def test_bad_variables(counting_board, capsys, var, message):
    assert main(["run", str(counting_board), "--var", var]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_unknown_start_node(counting_board, capsys):
    assert main(["run", str(counting_board), "--start", "Nowhere"]) == 2
    assert "has no node 'Nowhere'" in capsys.readouterr().err


def test_invalid_board_is_not_run(counting_board, capsys):
    document = json.loads(counting_board.read_text())
    next(iter(document["nodes"].values()))["name"] = "no_such_type"
    counting_board.write_text(json.dumps(document))
    assert main(["run", str(counting_board)]) == 2
    err = capsys.readouterr().err
    assert "the board has 1 problem;" in err and "[unknown-node-type]" in err and "'no_such_type'" in err


def test_usage_errors_exit_2(capsys):
    assert main(["run"]) == 2
    assert "the following arguments are required: BOARD" in capsys.readouterr().err
    assert main([]) == 2
    assert main(["--help"]) == 0


def test_a_store_that_cannot_keep_the_run_is_refused_before_it_runs(counting_board, tmp_path, monkeypatch, capsys):
    """S3 without credentials: the run would succeed and its record be lost with a warning; it is bad input."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert main(["run", str(counting_board), "--store", "s3://flowlike-no-such-bucket/cli-test"]) == 2
    captured = capsys.readouterr()
    assert "cannot reach the run history in s3://flowlike-no-such-bucket/cli-test" in captured.err
    assert "--no-history" in captured.err and "tick" not in captured.out
    assert main(["serve", str(tmp_path), "--store", "s3://flowlike-no-such-bucket/cli-test"]) == 2, "serve alike"
    assert "cannot reach the run history" in capsys.readouterr().err
