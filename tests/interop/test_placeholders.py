"""Placeholder nodes: unknown keys open, edit, save and export unchanged, are named by validate(), and a run
that could reach one is refused before anything runs."""

from __future__ import annotations

import json

import pytest
from flowlike_json import exec_pin, fl_board, fl_node, fl_pin, link

from flowlike_core import Board, BoardError, RunStatus, commands
from flowlike_core.interop import export_board, open_board


@pytest.fixture
def imported(hello, registry):
    return open_board(json.dumps(hello).encode(), registry)


def test_unknown_key_keeps_pins_position_defaults_and_wires(imported):
    board, report = imported
    node = board.nodes["n-fetch"]
    assert (node.name, node.friendly_name, node.coordinates) == ("copilot_abort", "Sticker", (400, 0, 0))
    assert (node.description, node.category) == ("Sends a sticker", "AI/GitHub/Copilot/Chat")
    assert node.pin("sticker").default_value == "CAACAgIAAxk"
    assert {p.id for p in node.pins.values()} == {"p-fetch-in", "p-fetch-url", "p-fetch-out", "p-fetch-body"}
    assert {(w.from_pin, w.to_pin) for w in board.wires_of("n-fetch")} == {
        ("p-log-out", "p-fetch-in"), ("p-fetch-out", "p-after-in"), ("p-fetch-body", "p-after-msg")}
    [entry] = report.placeholders
    assert (entry.node_id, entry.pack) == ("n-fetch", "Flow-Like pack 'llm'")
    assert "missing copilot_abort (Flow-Like pack 'llm')" in str(report)


def test_validate_names_the_placeholder_and_its_pack(imported, registry):
    board, _ = imported
    [problem] = [p for p in board.validate(registry) if p.code == "unknown-node-type"]
    assert problem.node_id == "n-fetch"
    assert "missing: copilot_abort, Flow-Like pack 'llm'" in problem.message


def test_keys_flowlike_does_not_list_name_no_pack(registry):
    board, report = open_board(json.dumps(fl_board(fl_node("z", "my_custom_node", []))).encode(), registry)
    assert report.placeholders[0].pack == "unknown pack"


def test_edit_save_reopen_and_export_keep_the_placeholder(imported, registry, tmp_path):
    board, _ = imported
    board.apply(commands.MoveNode("n-fetch", (450.0, 50.0, 0.0)))
    board.apply(commands.UpdateNode("n-log", defaults={"message": "edited"}))
    saved = Board.load(board.save(tmp_path / "with-placeholder"))
    assert saved == board
    assert saved.nodes["n-fetch"].coordinates == (450.0, 50.0, 0.0)
    again, report = open_board(export_board(saved, tmp_path / "out.board", registry=registry), registry)
    assert again == saved
    assert [e.node_id for e in report.placeholders] == ["n-fetch"]


def test_a_run_that_would_reach_a_placeholder_fails_before_anything_runs(imported, registry):
    board, _ = imported
    with pytest.raises(BoardError, match=r"would reach 1 node no installed pack provides: 'Sticker' \(n-fetch\): "
                                         r"missing copilot_abort "
                                         r"\(Flow-Like pack 'llm'\)"):
        board.run(registry=registry)


def test_a_run_that_cannot_reach_a_placeholder_runs(registry):
    start_out, log_in = exec_pin("so", "exec_out", "Output"), exec_pin("li", "exec_in", "Input")
    link(start_out, log_in)
    other_out, unknown_in = exec_pin("oo", "exec_out", "Output"), exec_pin("ui", "exec_in", "Input")
    link(other_out, unknown_in)
    nodes = [fl_node("s", "events_simple", [start_out]),
             fl_node("l", "log_info", [log_in, fl_pin("m", "message", default="ran", index=1)]),
             fl_node("t", "events_simple", [other_out]), fl_node("u", "not_here_yet", [unknown_in])]
    board, _ = open_board(json.dumps(fl_board(*nodes)).encode(), registry)
    run = board.run(start="s", registry=registry)
    assert run.status is RunStatus.SUCCESS, run.error
    assert [line.message for line in run.logs()] == ["ran"]
    with pytest.raises(BoardError, match="not_here_yet"):
        board.run(start="t", registry=registry)


def test_a_placeholder_feeding_data_counts_as_reached(registry):
    start_out, log_in = exec_pin("so", "exec_out", "Output"), exec_pin("li", "exec_in", "Input")
    message, source = fl_pin("m", "message", index=1), fl_pin("v", "value", "Output")
    link(start_out, log_in)
    link(source, message)
    nodes = [fl_node("s", "events_simple", [start_out]), fl_node("l", "log_info", [log_in, message]),
             fl_node("p", "pure_unknown_value", [source])]
    board, _ = open_board(json.dumps(fl_board(*nodes)).encode(), registry)
    with pytest.raises(BoardError, match="pure_unknown_value"):
        board.run(registry=registry)


def test_placeholder_pins_keep_schema_options_and_values_through_export(registry, tmp_path):
    pin = fl_pin("s", "session", data_type="Struct", schema="TelegramSession", default={"chat": 42},
                 options={"valid_values": ["a", "b"], "range": [0, 5], "step": 0.5, "sensitive": True})
    board, _ = open_board(json.dumps(fl_board(fl_node("t", "copilot_abort", [pin]))).encode(), registry)
    again, _ = open_board(export_board(board, tmp_path / "t.board", registry=registry), registry)
    kept = again.nodes["t"].pins["s"]
    assert again == board
    assert (kept.schema_, kept.default_value) == ({"x-flowlike-schema": "TelegramSession"}, {"chat": 42})
    assert (kept.options.valid_values, kept.options.range, kept.options.step, kept.options.sensitive) == (
        ["a", "b"], (0.0, 5.0), 0.5, True)
    serde = json.loads(export_board(board, tmp_path / "t.json", as_json=True, registry=registry).read_text())
    assert serde["nodes"]["t"]["pins"]["s"]["schema"] == "TelegramSession"


def test_starting_on_a_placeholder_is_refused_naming_it(imported, registry):
    board, _ = imported
    with pytest.raises(BoardError, match=r"'Sticker' \(n-fetch\): missing copilot_abort"):
        board.run(start="n-fetch", registry=registry)


def test_a_board_whose_event_is_a_placeholder_says_so(registry):
    from flowlike_core import UnknownNodeError

    board, _ = open_board(json.dumps(fl_board(fl_node("c", "copilot_client_stop",
                                                      [exec_pin("o", "exec_out", "Output")],
                                                      friendly_name="Discord"))).encode(), registry)
    with pytest.raises(UnknownNodeError, match=r"no event node to start from; 'Discord' \(c\) is a placeholder"):
        board.run(registry=registry)
