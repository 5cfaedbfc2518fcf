"""State sync between the editor's front end and the Board the kernel holds, in both directions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from flowlike_core import Board, Comment, Variable, commands
from flowlike_nb.widgets import BoardEditor
from flowlike_nb.widgets.sync import wire_key

from .conftest import REGISTRY, Number, Recorder, Say


def replay(document: dict[str, Any], revision: int, patches: list[dict[str, Any]]) -> tuple[dict[str, Any], int]:
    """What the front end's store does with patches (js/src/store.js), in Python."""
    document = json.loads(json.dumps(document))
    for patch in patches:
        assert patch["base"] == revision, "a patch must follow the revision before it"
        wires = {wire_key(w) for w in document["connections"]}
        wires -= {wire_key(w) for w in patch["wires_removed"]}
        wires |= {wire_key(w) for w in patch["wires_added"]}
        for node_id in patch["removed_nodes"]:
            del document["nodes"][node_id]
        document["nodes"].update(patch["nodes"])
        document["connections"] = [dict(zip(("from_node", "from_pin", "to_node", "to_pin"), k, strict=True))
                                   for k in sorted(wires)]
        for key in ("variables", "comments"):
            if patch[key] is not None:
                document[key] = patch[key]
        document.update(patch["meta"] or {})
        revision = patch["revision"]
    return document, revision


def test_the_model_starts_from_the_board_document_and_the_catalog_of_its_node_types(editor: BoardEditor) -> None:
    assert json.loads(editor.document) == editor.board.to_dict()
    assert editor.document_revision == editor.revision == editor.board.revision
    used = sorted({node.name for node in editor.board.nodes.values()})
    assert [entry["name"] for entry in editor.catalog] == used
    say = next(entry for entry in editor.catalog if entry["name"] == "w_say")
    assert say == Say.describe()
    assert editor.can_undo and not editor.can_redo


def test_a_node_of_a_new_type_brings_its_catalog_entry_before_its_patch(editor: BoardEditor,
                                                                         frontend: Recorder) -> None:
    seen: list[tuple[str, list[str]]] = []
    editor.observe(lambda change: seen.append(("catalog", [e["name"] for e in change.new])), "catalog")
    sent = frontend.sent
    frontend.editor.send = lambda content, buffers=None: (seen.append(("message", content["type"])),
                                                          sent.append(content))
    assert frontend("add_node", node_type="w_numbers", x=0, y=0)["ok"]
    assert seen[0][0] == "catalog" and "w_numbers" in seen[0][1]
    assert seen[1] == ("message", "patch")
    assert frontend("add_node", node_type="w_numbers", x=0, y=90)["ok"]
    assert [kind for kind, _ in seen].count("catalog") == 1, "the same types: no resend"


def test_an_edit_from_the_front_end_changes_the_kernel_board(editor: BoardEditor, frontend: Recorder) -> None:
    reply = frontend("add_node", node_type="w_number", x=10, y=200)
    assert reply["ok"]
    added = next(n for n in editor.board.nodes.values() if n.name == "w_number")
    assert added.coordinates == (10.0, 200.0, 0.0)
    (patch,) = frontend.of_type("patch")
    assert patch["nodes"] == {added.id: added.model_dump(mode="json", by_alias=True)}
    assert patch["removed_nodes"] == [] and patch["wires_added"] == [] and patch["variables"] is None
    assert editor.revision == editor.board.revision == patch["revision"]


def test_an_edit_in_a_cell_reaches_the_front_end_as_a_small_patch(editor: BoardEditor, frontend: Recorder) -> None:
    editor.board.apply(commands.MoveNode("say", (500, 60, 0)))
    (patch,) = frontend.of_type("patch")
    assert list(patch["nodes"]) == ["say"]
    assert patch["nodes"]["say"]["coordinates"] == [500.0, 60.0, 0.0]
    assert patch["wires_added"] == patch["wires_removed"] == []
    assert patch["comments"] is None and patch["meta"] is None
    assert editor.revision == editor.board.revision


def test_patches_rebuild_the_document_whatever_the_edits(editor: BoardEditor, frontend: Recorder) -> None:
    board = editor.board
    start, revision = json.loads(editor.document), editor.document_revision
    number = board.apply(commands.AddNode(Number.create(node_id="number", coordinates=(0, 200, 0))))
    frontend("connect", from_node="number", from_pin="result", to_node="say", to_pin="times")
    frontend("update_node", node_id="say", friendly_name="Greeter", defaults={"message": "hello"})
    board.apply(commands.UpsertVariable(Variable(name="who", default_value="world")))
    frontend("upsert_comment", comment={"content": "note", "coordinates": [0, -100, 0]})
    frontend("move", nodes={"number": [20, 240]})
    board.apply(commands.Batch([commands.RemoveNode("start"), commands.MoveNode(number.id, (1, 2, 0))]))
    frontend("undo")
    board.redo()
    frontend("undo")
    assert all(reply["ok"] for reply in frontend.of_type("reply")), frontend.of_type("reply")
    document, revision = replay(start, revision, frontend.of_type("patch"))
    assert revision == board.revision
    assert document == board.to_dict()


def test_a_refused_wire_comes_back_with_its_reason(editor: BoardEditor, frontend: Recorder) -> None:
    frontend("add_node", node_type="w_number")
    number = next(n for n in editor.board.nodes.values() if n.name == "w_number")
    before = editor.board.to_dict()
    patches = len(frontend.of_type("patch"))
    reply = frontend("connect", from_node=number.id, from_pin="result", to_node="say", to_pin="message")
    assert reply["ok"] is False and reply["kind"] == "refused" and reply["action"] == "connect"
    assert "data types differ (Integer vs String)" in reply["reason"]
    assert editor.board.to_dict() == before
    assert len(frontend.of_type("patch")) == patches


def test_undo_and_redo_are_one_history_for_cells_and_canvas(editor: BoardEditor, frontend: Recorder) -> None:
    frontend("add_node", node_type="w_number")
    (added,) = [n for n in editor.board.nodes if n not in ("start", "say")]
    editor.board.undo()
    assert added not in editor.board.nodes
    assert frontend.of_type("patch")[-1]["removed_nodes"] == [added]
    assert editor.can_redo
    assert frontend("redo")["ok"]
    assert added in editor.board.nodes
    assert frontend.of_type("patch")[-1]["nodes"].keys() == {added}
    frontend("undo")
    frontend("undo")  # the cell's Connect
    assert editor.board.connections == []
    reply = next(r for r in [frontend("undo"), frontend("undo"), frontend("undo")] if not r["ok"])
    assert reply["kind"] == "error" and "nothing to undo" in reply["reason"]
    assert not editor.can_undo


def test_moving_several_nodes_is_one_undo_step(editor: BoardEditor, frontend: Recorder) -> None:
    frontend("move", nodes={"start": [5, 5], "say": [305, 5]})
    assert editor.board.nodes["start"].coordinates == (5.0, 5.0, 0.0)
    editor.board.undo()
    assert editor.board.nodes["start"].coordinates == (0.0, 0.0, 0.0)
    assert editor.board.nodes["say"].coordinates == (300.0, 0.0, 0.0)


def test_input_defaults_are_checked_by_the_engine(editor: BoardEditor, frontend: Recorder) -> None:
    assert frontend("update_node", node_id="say", defaults={"times": 3, "mode": "loud"})["ok"]
    assert editor.board.nodes["say"].pin("times").default_value == 3
    reply = frontend("update_node", node_id="say", defaults={"mode": "whisper"})
    assert reply["ok"] is False and reply["kind"] == "error" and "valid values" in reply["reason"]
    reply = frontend("update_node", node_id="say", defaults={"times": "many"})
    assert reply["ok"] is False and "does not fit" in reply["reason"]


def test_a_node_added_from_a_dropped_wire_is_wired_through_its_first_fitting_pin(
        editor: BoardEditor, frontend: Recorder) -> None:
    number = editor.board.apply(commands.AddNode(Number.create(node_id="number")))
    result = number.pin("result").id
    assert frontend("add_node", node_type="w_say", x=400, y=200, wire={"node_id": "number", "pin_id": result})["ok"]
    (wire,) = [c for c in editor.board.connections if c.from_node == "number"]
    target = editor.board.nodes[wire.to_node]
    assert target.name == "w_say" and target.pins[wire.to_pin].name == "times"
    editor.board.undo()
    assert wire.to_node not in editor.board.nodes, "adding and wiring is one undo step"

    reply = frontend("add_node", node_type="w_numbers", wire={"node_id": "say", "pin_id": editor.board.nodes[
        "say"].pin("message").id})
    assert reply["ok"] is False and reply["kind"] == "refused" and "none of its pins fits" in reply["reason"]
    assert any(n.name == "w_numbers" for n in editor.board.nodes.values()), "the node stays, unwired"


def test_paste_copies_nodes_with_new_ids_and_their_inner_wires(editor: BoardEditor, frontend: Recorder) -> None:
    document = editor.board.to_dict()
    reply = frontend("paste", nodes=list(document["nodes"].values()), wires=document["connections"],
                     comments=[], dx=40, dy=40)
    assert reply["ok"]
    copies = [n for n in editor.board.nodes.values() if n.id not in ("start", "say")]
    assert sorted(n.name for n in copies) == ["w_say", "w_start"]
    assert {c.id for c in copies}.isdisjoint(document["nodes"])
    assert next(n for n in copies if n.name == "w_say").coordinates == (340.0, 40.0, 0.0)
    assert len(editor.board.connections) == 2
    editor.board.undo()
    assert set(editor.board.nodes) == {"start", "say"}


def test_remove_takes_nodes_wires_and_comments_in_one_step(editor: BoardEditor, frontend: Recorder) -> None:
    note = editor.board.apply(commands.UpsertComment(Comment(content="x")))
    wire = editor.board.connections[0].model_dump()
    assert frontend("remove", wires=[wire])["ok"]
    assert editor.board.connections == []
    assert frontend("remove", nodes=["start"], comments=[note.id])["ok"]
    assert set(editor.board.nodes) == {"say"} and not editor.board.comments
    editor.board.undo()
    assert set(editor.board.nodes) == {"start", "say"} and note.id in editor.board.comments


def test_auto_layout_puts_sources_left_of_their_targets(editor: BoardEditor, frontend: Recorder) -> None:
    editor.board.apply(commands.MoveNode("start", (900, 900, 0)))
    assert frontend("layout")["ok"]
    start, say = editor.board.nodes["start"].coordinates, editor.board.nodes["say"].coordinates
    assert start[0] < say[0]
    editor.board.undo()
    assert editor.board.nodes["start"].coordinates == (900.0, 900.0, 0.0)


def test_save_writes_the_board_file(editor: BoardEditor, frontend: Recorder, tmp_path) -> None:
    reply = frontend("save")
    assert reply["ok"] is False and "path=" in reply["reason"]
    editor.path = str(tmp_path / "greeting.board.json")
    reply = frontend("save")
    assert reply["ok"] and reply["reason"].startswith("saved to")
    assert Board.load(editor.path) == editor.board


def test_save_says_whether_the_file_holds_the_board(board: Board, tmp_path) -> None:
    """The toolbar's Save shows unsaved changes: nothing told a user that edits since the last Save would be lost."""
    path = tmp_path / "greeting.board.json"
    editor = BoardEditor(board, registry=REGISTRY, path=str(path))
    assert editor.saved_revision == -1  # no file yet
    assert Recorder(editor)("save")["ok"]
    assert editor.saved_revision == board.revision == editor.revision
    board.apply(commands.MoveNode("say", (500, 0, 0)))
    assert editor.revision != editor.saved_revision  # edited since
    reopened = BoardEditor(Board.load(path), registry=REGISTRY, path=str(path))
    assert reopened.saved_revision == reopened.board.revision  # the file holds what it shows
    assert BoardEditor(board, registry=REGISTRY, path=str(path)).saved_revision == -1  # the file is older


def test_a_bad_message_is_answered_not_raised(frontend: Recorder) -> None:
    reply = frontend("teleport", where="moon")
    assert reply["ok"] is False and reply["kind"] == "error" and "teleport" in reply["reason"]
    reply = frontend("connect", from_node="nope", from_pin="x", to_node="say", to_pin="exec_in")
    assert reply["ok"] is False and "nope" in reply["reason"]


def test_sync_resends_the_whole_document(editor: BoardEditor, frontend: Recorder) -> None:
    editor.board.apply(commands.MoveNode("say", (1, 1, 0)))
    assert json.loads(editor.document) != editor.board.to_dict()
    assert frontend("sync")["ok"]
    assert json.loads(editor.document) == editor.board.to_dict()
    assert editor.document_revision == editor.board.revision


def test_a_secret_variable_never_reaches_the_front_end_and_survives_its_edits(
        editor: BoardEditor, frontend: Recorder) -> None:
    token = editor.board.apply(commands.UpsertVariable(Variable(name="token", default_value="s3cr3t", secret=True)))
    patch = frontend.of_type("patch")[-1]
    assert patch["variables"][token.id]["default_value"] is None
    shown = dict(patch["variables"][token.id], exposed=True)
    assert frontend("upsert_variable", variable=shown)["ok"]
    assert editor.board.variables[token.id].exposed
    assert editor.board.variables[token.id].default_value == "s3cr3t"


def test_new_node_types_reach_the_search_and_redefined_ones_the_catalog(editor: BoardEditor,
                                                                        frontend: Recorder) -> None:
    generation = editor.catalog_generation
    assert frontend("refresh_catalog", generation=generation)["ok"]
    assert editor.catalog_generation == generation

    class Extra(Number):
        name = "w_extra"

    class LouderSay(Say):
        friendly_name = "Say Louder"

    REGISTRY.register(Extra)
    REGISTRY.register(LouderSay, replace=True)
    try:
        assert "w_extra" in [e["name"] for e in frontend("search_catalog", query="number")["entries"]]
        assert frontend("refresh_catalog", generation=generation)["ok"]
        assert editor.catalog_generation == REGISTRY.generation
        assert next(e for e in editor.catalog if e["name"] == "w_say")["friendly_name"] == "Say Louder"
    finally:
        REGISTRY._types.pop("w_extra")
        REGISTRY.register(Say, replace=True)


@pytest.mark.parametrize("size", [1000])
def test_a_large_board_opens_as_one_document_and_edits_as_small_patches(size: int) -> None:
    board = Board(name="large")
    nodes = [Number.create(node_id=f"n{i}", coordinates=(i % 40 * 250, i // 40 * 120, 0)) for i in range(size)]
    board.apply(commands.Batch([commands.AddNode(n) for n in nodes]))
    board.apply(commands.Batch([commands.Connect(f"n{i}", "result", f"n{i + 1}", "value") for i in range(size - 1)]))
    editor = BoardEditor(board, registry=REGISTRY)
    frontend = Recorder(editor)
    document_bytes = len(editor.document)
    frontend("move", nodes={"n500": [0, -200]})
    (patch,) = frontend.of_type("patch")
    patch_bytes = len(json.dumps(patch))
    print(f"{size} nodes: document {document_bytes / 1e6:.2f} MB, one move patch {patch_bytes} bytes")
    assert list(patch["nodes"]) == ["n500"] and not patch["wires_added"]
    assert patch_bytes * 200 < document_bytes
    document = json.loads(editor.document)
    assert len(document["nodes"]) == size and len(document["connections"]) == size - 1


def test_an_unexpected_failure_is_reported_to_the_canvas_and_logged(
        editor: BoardEditor, frontend: Recorder, monkeypatch, caplog) -> None:
    def broken(board, command):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Board, "apply", broken)
    reply = frontend("move", nodes={"say": [1, 1]})
    assert reply["ok"] is False and reply["reason"] == "move failed: RuntimeError: disk on fire"
    assert "disk on fire" in caplog.text


def test_an_edit_that_changes_nothing_leaves_the_revision_and_the_chain_of_patches(
        editor: BoardEditor, frontend: Recorder) -> None:
    """A value typed again is no edit (`commands.History`): no new revision, no patch, and the next edit's patch
    follows the revision the front end has."""
    revision = editor.board.revision
    assert frontend("update_node", node_id="say", defaults={"message": "hi"})["ok"]
    assert frontend.of_type("patch") == [] and editor.board.revision == revision
    assert frontend("update_node", node_id="say", defaults={"message": "hello"})["ok"]
    (patch,) = frontend.of_type("patch")
    assert (patch["base"], patch["revision"]) == (revision, revision + 1)
