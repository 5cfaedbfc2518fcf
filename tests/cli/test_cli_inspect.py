"""`flowlike validate`, `catalog` and `schema`."""

from __future__ import annotations

import json

import jsonschema

from flowlike_core import Connection
from flowlike_core.board import Board
from flowlike_core.cli import main


def test_validate_clean_board(counting_board, capsys):
    assert main(["validate", str(counting_board)]) == 0
    assert "no problems (3 nodes, 2 connections)" in capsys.readouterr().out


def test_validate_lists_every_problem_with_node_and_pin(counting_board, capsys):
    board = Board.load(counting_board)
    count = board.node("Count")
    document = json.loads(counting_board.read_text())
    document["nodes"][board.node("Start").id]["name"] = "no_such_type"
    document["connections"].append(Connection(from_node="ghost", from_pin="p", to_node=count.id,
                                              to_pin=count.pin("times").id).model_dump())
    counting_board.write_text(json.dumps(document))
    assert main(["validate", str(counting_board)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["NODE", "PIN", "PROBLEM"]
    assert lines[-1] == "2 problems"
    unknown = next(line for line in lines if "[unknown-node-type]" in line)
    assert unknown.startswith("'Start' (") and "'no_such_type'" in unknown
    dangling = next(line for line in lines if "[dangling-connection]" in line)
    assert dangling.startswith(f"'Count' ({count.id})") and dangling.split()[2] == "times"


def test_validate_unreadable_board(tmp_path, capsys):
    path = tmp_path / "broken.board.json"
    path.write_text('{"nodes": ')
    assert main(["validate", str(path)]) == 2
    assert f"{path}:1:11: not valid JSON" in capsys.readouterr().err


def test_catalog_table_and_search(capsys):
    assert main(["catalog"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["KEY", "NAME", "CATEGORY", "PACK", "DATA", "PINS", "(IN", "->", "OUT)"]
    assert any(line.split()[:3] == ["cli_test_divide", "Divide", "cli-tests"] for line in out.splitlines())
    assert main(["catalog", "--search", "cli-tests count"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert [row.split()[0] for row in rows[1:-1]] == ["cli_test_count"] and rows[-1] == "1 node type"
    assert rows[1].endswith("  times ->")


def test_catalog_json(capsys):
    assert main(["catalog", "--json", "--search", "cli-tests"]) == 0
    entries = {entry["name"]: entry for entry in json.loads(capsys.readouterr().out)}
    assert set(entries) == {"cli_test_start", "cli_test_count", "cli_test_divide", "cli_test_read_times"}
    divide = entries["cli_test_divide"]
    assert divide["friendly_name"] == "Divide" and divide["pack"] == "cli-tests" and divide["category"] == ""
    pins = {(pin["name"], pin["direction"]): pin for pin in divide["pins"]}
    assert pins[("b", "Input")]["data_type"] == "Float"
    assert ("auto_handle_error", "Output") in pins


def test_schema_is_a_json_schema_that_board_files_follow(counting_board, capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(counting_board.read_text()), schema)
    broken = json.loads(counting_board.read_text()) | {"nodes": {"x": {"name": 3}}}
    assert not jsonschema.Draft202012Validator(schema).is_valid(broken)


def test_runs_command_from_storage_is_wired(tmp_path, capsys):
    assert main(["runs", "--store", str(tmp_path), "--limit", "5"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "no run has been recorded there" in err  # (an empty store is no history, not no match)
