"""A rich Flow-Like board (see trial4_boards) in every form Flow-Like writes: import, run, export, import again.

Nothing may be lost on the way: positions, comments (their type, author, time, layer), layers (nesting, colour,
bridge coordinates), pin ids, defaults, variables of every type, the fields only Flow-Like has (icon, scores,
docs, version, OAuth...), and nodes we do not have, which must come back exactly as they went in.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from flowlike_json import board_bytes
from trial4_boards import FLOWLIKE_ONLY_NODE, MISSING, PACK_NODES, VARIABLES, fresh

from flowlike_core import Board, commands
from flowlike_core.interop import export_board, open_board
from flowlike_core.interop.api import clipboard_board
from flowlike_core.interop.formats import read_document, write_board
from flowlike_core.interop.mapping import board_to_flowlike

EMPTY: tuple[Any, ...] = (None, False, "", [], {})


def editor_export(fl: dict[str, Any]) -> dict[str, Any]:
    """What Flow-Like's editor exports: React Flow nodes holding the serde nodes, edges `OUT-IN`; no wires on pins."""
    nodes = json.loads(json.dumps(list(fl["nodes"].values())))
    edges = [{"id": f"{pin['id']}-{target}", "source": node["id"], "target": ""}
             for node in nodes for pin in node["pins"].values() for target in pin["connected_to"]]
    for node in nodes:
        for pin in node["pins"].values():
            pin["connected_to"], pin["depends_on"] = [], []
    return {"nodes": [{"id": n["id"], "type": "node", "position": {"x": n["coordinates"][0], "y": n["coordinates"][1]},
                       "data": {"node": n}} for n in nodes]
            + [{"id": c["id"], "type": "commentNode", "data": {"comment": c}} for c in fl["comments"].values()],
            "edges": edges}


FORMS = {
    "serde JSON": lambda fl: json.dumps(fl).encode(),
    ".board": lambda fl: board_bytes(fl),
    ".board, legacy pin layout": lambda fl: board_bytes(fl, "legacy"),
}


def flowlike_of(board: Board, registry) -> dict[str, Any]:
    """The board as Flow-Like reads our export back: through the `.board` bytes."""
    return read_document(write_board(board_to_flowlike(board, registry)), "export").boards[0]


def settled(value: Any) -> Any:
    """A Flow-Like item with its empty fields left out and defaults decoded (JSON text as bytes compares by value)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "default_value" and item:
                item = json.loads(bytes(item))
            if key == "schema" and isinstance(item, str) and item.startswith("{"):
                item = json.loads(item)
            if key in ("depends_on", "connected_to"):
                item = sorted(item or [])
            if item not in EMPTY:
                out[key] = settled(item)
        return out
    if isinstance(value, list):
        return [settled(v) for v in value]
    return value


@pytest.fixture(params=list(FORMS))
def imported(request, registry):
    """(the Flow-Like serde board, our board, the import report) for each form Flow-Like writes."""
    fl = fresh()
    board, report = open_board(FORMS[request.param](fl), registry)
    return fl, board, report


def test_the_import_names_every_node_we_lack_by_key_pack_and_id(imported):
    fl, board, report = imported
    assert report.nodes == len(fl["nodes"]) and report.mapped == len(fl["nodes"]) - len(MISSING)
    found = {(e.node_id, e.pack) for e in report.placeholders}
    assert found == {("n-copilot", "Flow-Like pack 'llm'"), ("n-acme", "unknown pack")}
    assert "'Acme Frobnicate' (n-acme): missing acme_frobnicate (unknown pack)" in str(report)
    unknown = {p.node_id: p.message for p in board.validate() if p.code == "unknown-node-type"}
    assert set(unknown) == {"n-copilot", "n-acme"} and "Flow-Like pack 'llm'" in unknown["n-copilot"]


def test_every_pack_maps_its_flowlike_node_without_dropping_a_pin(imported):
    _, board, report = imported
    for pack, (key, _) in PACK_NODES.items():
        node = board.nodes[f"pack-{pack}"]
        assert node.name == key and not any(e.kind == "pin-dropped" and e.node_id == node.id for e in report.entries)
    assert not report.of("pin-dropped") and not report.of("default-dropped") and not report.of("wire-dropped")


def test_the_board_runs_its_loops_branch_reroutes_and_variables(imported):
    _, board, _ = imported
    run = board.run(start="start")
    assert run.ok, run.error
    assert [line.message for line in run.logs()] == ["begin", "a", "b", "c", "3", "done", "few"]
    assert run.variables["counter"] == 3


def test_a_run_that_would_reach_a_node_we_lack_is_refused_naming_it(imported):
    _, board, _ = imported
    with pytest.raises(Exception, match=r"'Acme Frobnicate' \(n-acme\): missing acme_frobnicate \(unknown pack"):
        board.run(start="offline")


def test_export_then_import_loses_nothing(imported, registry):
    fl, board, first = imported
    before = board.to_dict()
    assert board.run(start="start").ok
    assert board.to_dict() == before, "a run changed the board"
    back = flowlike_of(board, registry)
    again, report = open_board(write_board(back), registry)
    assert again == board
    assert again_only_added(report, first), str(report)
    ours, theirs = settled(fl), settled(back)
    for node_id in MISSING:  # nodes we lack come back exactly as they went in
        assert theirs["nodes"][node_id] == ours["nodes"][node_id]
    for node_id, node in ours["nodes"].items():
        out = theirs["nodes"][node_id]
        assert out["coordinates"] == node["coordinates"] and out.get("layer") == node.get("layer")
        assert out.get("comment") == node.get("comment") and out.get("start") == node.get("start"), node_id
        for pin_id, pin in node["pins"].items():
            if "default_value" in pin:
                assert out["pins"][pin_id]["default_value"] == pin["default_value"], pin_id
    repaired = ("seq.exec_out.1", "few.exec_in")  # Flow-Like had it on the output pin only; now on both
    assert set(wires(theirs)) == set(wires(ours)) and repaired in wires(ours)
    assert set(wires(theirs).values()) == {frozenset({"connected_to", "depends_on"})}
    for key, value in FLOWLIKE_ONLY_NODE.items():
        assert theirs["nodes"]["start"][key] == value
    assert theirs["comments"] == ours["comments"]
    assert theirs["variables"] == ours["variables"]
    assert theirs["layers"] == ours["layers"]
    for key in ("viewport", "stage", "execution_mode", "page_ids", "created_at", "refs", "version", "name"):
        assert theirs[key] == ours[key], key


def wires(fl: dict[str, Any]) -> dict[tuple[str, str], frozenset[str]]:
    """Each wire (output pin, input pin) of a settled board, and which of its two pins record it."""
    found: dict[tuple[str, str], set[str]] = {}
    for node in fl["nodes"].values():
        for pin_id, pin in node["pins"].items():
            for other in pin.get("connected_to", []):
                found.setdefault((pin_id, other), set()).add("connected_to")
            for other in pin.get("depends_on", []):
                found.setdefault((other, pin_id), set()).add("depends_on")
    return {wire: frozenset(sides) for wire, sides in found.items()}


def test_json_and_our_own_file_carry_the_same_board(imported, registry, tmp_path):
    """Import -> our .board.json -> load -> export as serde JSON -> import: the board and its kept fields survive."""
    _, board, first = imported
    mine = Board.load(board.save(tmp_path / "trial.board.json"))
    assert mine == board and mine.nodes["n-acme"].flowlike == board.nodes["n-acme"].flowlike
    again, report = open_board(export_board(mine, tmp_path / "trial.json", as_json=True), registry)
    assert again == board and again_only_added(report, first)


def again_only_added(report, first) -> bool:
    """A re-import reports the placeholders, adds again the pins Flow-Like's nodes lacked (export leaves out those
    still unused) and keeps our type where Flow-Like's disagrees (export writes Flow-Like's back), as the first
    import did."""
    again = [entry for entry in report.entries if entry.kind in ("pin-added", "type-kept")]
    return [e for e in report.entries if e not in again] == report.placeholders and \
        sorted(e.message for e in again) == sorted(e.message for e in first.entries if e.kind in ("pin-added",
                                                                                                 "type-kept"))


def test_fields_of_a_newer_flowlike_survive_a_json_round_trip(registry, tmp_path):
    fl = fresh()
    fl["nodes"]["n-acme"]["future_field"] = {"from": "a newer Flow-Like"}
    fl["comments"]["c-text"]["reactions"] = ["+1"]
    fl["board_theme"] = "dark"
    board, _ = open_board(json.dumps(fl).encode(), registry)
    back = json.loads(export_board(board, tmp_path / "b.json", as_json=True).read_text())
    assert back["nodes"]["n-acme"]["future_field"] == {"from": "a newer Flow-Like"}
    assert back["comments"]["c-text"]["reactions"] == ["+1"] and back["board_theme"] == "dark"


def test_the_editor_export_keeps_wires_positions_and_comments(registry):
    fl = fresh()
    board, report = open_board(json.dumps(editor_export(fl)).encode(), registry)
    direct, _ = open_board(json.dumps(fl).encode(), registry)
    assert report.format == "Flow-Like editor export" and set(board.nodes) == set(direct.nodes)
    assert {c.key() for c in board.connections} == {c.key() for c in direct.connections}
    assert all(board.nodes[n].coordinates == direct.nodes[n].coordinates for n in board.nodes)
    assert board.comments == direct.comments
    assert not report.of("wire-dropped")


def test_variables_of_every_type_keep_their_defaults(imported):
    fl, board, _ = imported
    for var_id, name, data_type, value_type, default, extra in VARIABLES:
        variable = board.variables[var_id]
        assert (variable.name, variable.data_type.value, variable.value_type.value) == (name, data_type, value_type)
        assert variable.default_value == default and variable.secret == extra.get("secret", False)
    assert board.variables["v-person"].schema_["required"] == ["name"]


def test_the_clipboard_carries_nodes_wires_layers_comments_and_the_nodes_we_lack(registry):
    fl = fresh()
    copied = {"nodes": list(fl["nodes"].values()), "comments": list(fl["comments"].values()),
              "layers": list(fl["layers"].values()), "variables": list(fl["variables"].values()),
              "cursor_position": [10, 20]}
    board, report = clipboard_board(json.dumps(copied), registry)
    direct, _ = open_board(json.dumps(fl).encode(), registry)
    assert report.format == "Flow-Like clipboard" and {e.node_id for e in report.placeholders} == set(MISSING)
    assert {c.key() for c in board.connections} == {c.key() for c in direct.connections}
    assert board.nodes["n-acme"] == direct.nodes["n-acme"] and board.layers == direct.layers
    assert board.comments == direct.comments and board.variables == direct.variables


def test_a_comment_flowlike_sized_by_itself_stays_so_unless_resized_here(registry):
    board, _ = open_board(json.dumps(fresh()).encode(), registry)
    image = board.comments["c-image"]
    assert (image.width, image.height) == (240.0, 120.0)
    board.apply(commands.UpsertComment(image.model_copy(update={"width": 500.0})))
    back = board_to_flowlike(board, registry)["comments"]["c-image"]
    assert (back["width"], back["height"]) == (500.0, None)
