"""`flowlike import FILE|FOLDER [-o OUT] [--json]` and `flowlike export BOARD -o NAME.board [--json]`."""

from __future__ import annotations

import json
import subprocess
import sys

from flowlike_json import board_bytes, exec_pin, fl_board, fl_node

from flowlike_core import Board
from flowlike_core.cli import main
from flowlike_core.interop import formats, open_board


def app_folder(tmp_path, hello):
    folder = tmp_path / "app"
    folder.mkdir()
    other = fl_board(fl_node("n1", "events_simple", [exec_pin("p1", "exec_out", "Output")]), id="b2", name="second")
    (folder / "fl-board.board").write_bytes(board_bytes(hello, "legacy"))
    (folder / "b2.board").write_bytes(board_bytes(other))
    (folder / "manifest.app").write_bytes(formats.write_app("app", ["fl-board", "b2"]))
    return folder


def test_import_folder_prints_the_report_and_writes_every_board(tmp_path, hello, capsys):
    folder = app_folder(tmp_path, hello)
    assert main(["import", str(folder), "-o", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert ("fl-board.board (.board, legacy pin layout): board 'from flow-like': 4 nodes, 3 mapped, 1 placeholder, "
            "4 wires") in printed
    assert "missing copilot_abort (Flow-Like pack 'llm')" in printed
    assert "b2.board (.board, current pin layout): board 'second': 1 node, 1 mapped, 0 placeholders, 0 wires" in printed
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["from_flow-like.board.json", "second.board.json"]
    assert Board.load(tmp_path / "out" / "second.board.json").nodes["n1"].name == "events_simple"


def test_import_json_report_and_default_output_in_the_current_folder(tmp_path, hello, capsys, monkeypatch):
    source = tmp_path / "in" / "hello.board"
    source.parent.mkdir()
    source.write_bytes(board_bytes(hello))
    monkeypatch.chdir(tmp_path)
    assert main(["import", str(source), "--json"]) == 0
    [report] = json.loads(capsys.readouterr().out)
    assert (report["nodes"], report["mapped"], report["placeholders"], report["wires"]) == (4, 3, 1, 4)
    assert [e["node_id"] for e in report["entries"] if e["kind"] == "placeholder"] == ["n-fetch"]
    assert report["written_to"] == str(tmp_path / "from_flow-like.board.json")
    assert not (tmp_path / "in" / "from_flow-like.board.json").exists()
    assert Board.load(report["written_to"]).nodes["n-fetch"].name == "copilot_abort"


def test_export_board_and_json_then_import_gives_the_same_board(tmp_path, hello, capsys):
    source = tmp_path / "hello.board.json"
    board, _ = open_board(json.dumps(hello).encode())
    board.save(source)
    assert main(["export", str(source), "-o", str(tmp_path / "x.board")]) == 0
    assert main(["export", str(source), "-o", str(tmp_path / "x.json"), "--json"]) == 0
    assert "Flow-Like .board with 4 nodes, 4 wires" in capsys.readouterr().out
    single = tmp_path / "single.board.json"
    one_node = fl_board(fl_node("n1", "events_simple", [exec_pin("p1", "exec_out", "Output")]))
    open_board(board_bytes(one_node))[0].save(single)
    assert main(["export", str(single), "-o", str(tmp_path / "single.board")]) == 0
    assert "Flow-Like .board with 1 node, 0 wires, 0 variables, 0 comments, 0 layers" in capsys.readouterr().out
    assert open_board(tmp_path / "x.board")[0] == board
    assert open_board(tmp_path / "x.json")[0] == board
    serde = json.loads((tmp_path / "x.json").read_text())
    log_out = serde["nodes"]["n-log"]["pins"]["p-log-out"]
    assert log_out["connected_to"] == ["p-fetch-in"] and serde["nodes"]["n-start"]["start"] is True


def test_bad_input_exits_2_with_the_reason(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["import", str(tmp_path / "empty")]) == 2
    assert "no manifest.app and no .board files" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "missing.board.json"), "-o", str(tmp_path / "x.board")]) == 2


def test_console_script(tmp_path, hello):
    source = tmp_path / "hello.board"
    source.write_bytes(board_bytes(hello))
    done = subprocess.run([sys.executable, "-m", "flowlike_core.cli", "import", str(source)], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 placeholder," in done.stdout


def test_export_gives_versioned_flowlike_nodes_their_catalog_version(tmp_path):
    """Flow-Like re-syncs a node older than its catalog entry (dropping wires of retyped pins): say the version."""
    nodes = [fl_node("r", "string_replace", []), fl_node("s", "events_simple", [exec_pin("p", "exec_out", "Output")])]
    board, _ = open_board(json.dumps(fl_board(*nodes)).encode())
    assert main(["export", str(board.save(tmp_path / "b")), "-o", str(tmp_path / "b.json"), "--json"]) == 0
    serde = json.loads((tmp_path / "b.json").read_text())
    assert (serde["nodes"]["r"]["version"], serde["nodes"]["s"]["version"]) == (1, None)


def test_flowlike_run_goes_ahead_unless_the_run_would_reach_a_placeholder(tmp_path, hello, capsys):
    board, _ = open_board(json.dumps(hello).encode())
    path = board.save(tmp_path / "hello")
    assert main(["run", str(path), "--no-history"]) == 2
    assert "missing copilot_abort (Flow-Like pack 'llm')" in capsys.readouterr().err
    hello["nodes"]["n-log"]["pins"]["p-log-out"]["connected_to"] = []
    hello["nodes"]["n-fetch"]["pins"]["p-fetch-in"]["depends_on"] = []
    board, _ = open_board(json.dumps(hello).encode())
    assert main(["run", str(board.save(tmp_path / "cut")), "--no-history"]) == 0
    assert "hello" in capsys.readouterr().out
