"""Where the search popup puts a new node, and which run statuses an edit makes out of date."""

from __future__ import annotations

from flowlike_core import Board, Comment, commands
from flowlike_core.registry import default_registry
from flowlike_nb.widgets import BoardEditor
from flowlike_nb.widgets.layout import NODE_WIDTH, box_height

from .conftest import REGISTRY, Recorder, Say, Tell


def test_a_node_added_on_a_comment_lands_next_to_it(board: Board, frontend: Recorder) -> None:
    """A comment box ("Step 1: say hello") was hidden under a node the popup added where the pointer was."""
    note = Comment(content="Step 1: say hello", coordinates=(0, 300, 0), width=400, height=160)
    assert frontend("upsert_comment", comment=note.model_dump(mode="json"))["ok"]
    assert frontend("add_node", node_type="w_number", x=100, y=340)["ok"]
    (added,) = set(board.nodes) - {"start", "say"}
    x, y, _ = board.nodes[added].coordinates
    assert x + NODE_WIDTH <= 0 or x >= 400 or y + box_height(board.nodes[added]) <= 300 or y >= 460, (x, y)


def test_a_node_added_inside_a_layer_ignores_the_comments_of_the_board(board: Board, frontend: Recorder) -> None:
    """Comments belong to the board's level (the canvas draws none inside a layer): they take no room there."""
    assert frontend("create_layer", name="Greeting", nodes=["start", "say"], x=0, y=0)["ok"]
    (layer,) = board.layers
    note = Comment(content="far above", coordinates=(900, 900, 0), width=400, height=160)
    assert frontend("upsert_comment", comment=note.model_dump(mode="json"))["ok"]
    assert frontend("add_node", node_type="w_number", x=1000, y=950, layer=layer)["ok"]
    (added,) = set(board.nodes) - {"start", "say"}
    assert board.nodes[added].coordinates == (1000, 950, 0)


def chain(board: Board) -> Board:
    """start -> say -> second -> third by exec; Tell feeds say and third."""
    for node_id, kind, x in [("second", Say, 600), ("third", Say, 900), ("tell", Tell, 300)]:
        board.apply(commands.AddNode(kind.create(node_id=node_id, coordinates=(x, 200, 0))))
    board.apply(commands.Connect("say", "exec_out", "second", "exec_in"))
    board.apply(commands.Connect("second", "exec_out", "third", "exec_in"))
    board.apply(commands.Connect("tell", "text", "say", "message"))
    board.apply(commands.Connect("tell", "text", "third", "message"))
    return board


def stale_after(frontend: Recorder, edit: commands.Command | str) -> set[str] | None:
    """The nodes the canvas is told are stale after one edit (or "undo") following a finished run."""
    if frontend.editor.last_run is None:
        frontend("run", start="start")
        frontend.editor.wait(30)
    before = len(frontend.of_type("stale"))
    if edit == "undo":
        frontend.editor.board.undo()
    else:
        frontend.editor.board.apply(edit)
    told = frontend.of_type("stale")[before:]
    assert len(told) <= 1
    return set() if not told else None if told[0]["nodes"] is None else set(told[0]["nodes"])


def test_removing_a_node_makes_the_nodes_after_it_stale_and_not_those_before(board: Board, frontend: Recorder) -> None:
    """Deleting Say left "second" and "third" green although they no longer run."""
    chain(board)
    assert stale_after(frontend, commands.RemoveNode("say")) == {"second", "third"}


def test_undoing_a_removal_marks_the_node_back_and_after_it_only(board: Board, frontend: Recorder) -> None:
    """Undoing the removal of the last node marked the whole chain, and the pure node feeding it, stale."""
    chain(board)
    stale_after(frontend, commands.RemoveNode("third"))
    assert stale_after(frontend, "undo") == {"third"}


def test_a_wire_that_replaces_another_makes_the_old_target_stale_too(board: Board, frontend: Recorder) -> None:
    """An exec output takes one wire: wiring say -> third dropped say -> second, yet "second" stayed green."""
    chain(board)
    assert stale_after(frontend, commands.Connect("say", "exec_out", "third", "exec_in")) == {"second", "third"}


def test_a_default_changed_upstream_leaves_the_nodes_before_it_current(board: Board, frontend: Recorder) -> None:
    chain(board)
    assert stale_after(frontend, commands.UpdateNode("tell", defaults={"name": "class"})) == {
        "tell", "say", "second", "third"}
    assert stale_after(frontend, commands.UpdateNode("third", defaults={"times": 2})) == {"third"}


def test_the_search_popup_opens_on_the_nodes_a_board_starts_from() -> None:
    """Opened on an empty board, the popup listed browser automation first: a board runs from an event node."""
    frontend = Recorder(BoardEditor(Board(name="empty")))
    entries = frontend("search_catalog", query="", limit=10)["entries"]
    assert entries[0]["name"] == "events_simple"
    assert all(entry["event"] for entry in entries[:3]), entries[:3]
    assert frontend("search_catalog", query="  ", limit=10)["entries"] == entries
    assert frontend("search_catalog", query="", limit=500)["total"] == len(list(default_registry()))


def test_a_template_edit_that_changes_pins_leaves_the_nodes_feeding_it_current() -> None:
    """Format String's template edit (its pins follow the placeholders) marked the node feeding it stale, and all
    that node fed."""
    registry = default_registry()
    board = Board(name="prompt")
    for key, node_id, defaults in [("events_simple", "start", {}), ("log_info", "say", {}), ("log_info", "also", {}),
                                   ("string_to_upper", "up", {"string": "ada"}),
                                   ("string_format", "fmt", {"format_string": "Hi {name}"})]:
        board.apply(commands.AddNode(registry.get(key).create(node_id=node_id, **defaults)))
    board.apply(commands.Connect("start", "exec_out", "say", "exec_in"))
    board.apply(commands.Connect("say", "exec_out", "also", "exec_in"))
    board.apply(commands.Connect("up", "uppercase_string", "fmt", "name"))
    board.apply(commands.Connect("fmt", "formatted_string", "say", "message"))
    board.apply(commands.Connect("up", "uppercase_string", "also", "message"))
    frontend = Recorder(BoardEditor(board, registry=registry))
    assert frontend("run", start="start")["ok"]
    assert frontend.editor.wait(30).ok
    assert frontend("update_node", node_id="fmt", defaults={"format_string": "Hi {name}, {count}"})["ok"]
    assert frontend.of_type("stale")[-1]["nodes"] == ["also", "fmt", "say"]


def test_run_without_a_start_says_what_to_do_on_the_canvas(board: Board, frontend: Recorder) -> None:
    """With two event nodes Run answered "say which: start= (flowlike run --start NODE)": advice for code."""
    frontend("add_node", node_type="w_start", x=0, y=300)
    reason = frontend("run")["reason"]
    assert "several event nodes" in reason and "select the event node to start from" in reason
    assert frontend("run", start="start")["ok"]
    frontend.editor.wait(30)
    assert "add one" in Recorder(BoardEditor(Board(name="empty"), registry=REGISTRY))("run")["reason"]


def test_places_from_the_canvas_are_kept_in_whole_units(board: Board, frontend: Recorder) -> None:
    """A node double-clicked in at a zoom of 0.83 sat at 119.078125 in the board file (and so did every drag)."""
    assert frontend("add_node", node_type="w_number", x=40.4, y=419.078125)["ok"]
    (added,) = set(board.nodes) - {"start", "say"}
    assert board.nodes[added].coordinates == (40, 419, 0)
    assert frontend("move", nodes={"say": [300.5001, 12.25]}, comments={})["ok"]
    assert board.nodes["say"].coordinates == (301, 12, 0)
    note = Comment(content="note", coordinates=(10.7, 900.2, 0))
    assert frontend("upsert_comment", comment=note.model_dump(mode="json"))["ok"]
    assert board.comments[note.id].coordinates == (11, 900, 0)
