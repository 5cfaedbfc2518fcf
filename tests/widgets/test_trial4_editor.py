"""Rough edges of the editor's kernel side met in a user trial: words from other tools in the search popup, nodes
added on top of others."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

from flowlike_core import Board, Variable, commands
from flowlike_core.registry import ENTRY_POINT_GROUP, Registry, default_registry
from flowlike_nb.widgets.catalog import CatalogIndex
from flowlike_nb.widgets.layout import GAP, NODE_WIDTH, box_height, layer_height
from flowlike_nb.widgets.staleness import stale_nodes

from .conftest import Recorder


@pytest.fixture(scope="module")
def index() -> CatalogIndex:
    """The installed packs as a user has them (the default registry of a test session also holds test nodes)."""
    return CatalogIndex(Registry(entries=entry_points(group=ENTRY_POINT_GROUP)))


@pytest.mark.parametrize(("query", "wanted", "within"), [
    ("if", "control_branch", 1), ("print", "log_info", 1), ("sleep", "delay", 1), ("loop", "control_for_each", 3),
    ("else", "control_branch", 1), ("echo", "log_info", 1), ("on start", "events_simple", 1),
    ("begin", "events_simple", 1), ("entry point", "events_simple", 1), ("start", "events_simple", 1),
])
def test_words_from_other_tools_find_our_nodes(index: CatalogIndex, query: str, wanted: str, within: int) -> None:
    """A user typing "if", "print", "sleep" or "loop" found Jira sprints and iframes, never Branch or Delay."""
    found = [entry["name"] for entry in index.search(query, limit=10)["entries"]]
    assert wanted in found[:within], found


def test_a_node_named_so_still_comes_before_one_with_the_word_as_a_keyword(index: CatalogIndex) -> None:
    found = [entry["name"] for entry in index.search("while loop")["entries"]]
    assert found[0] == "control_while_loop"


def overlaps(board: Board, first: str, second: str) -> bool:
    a, b = board.nodes[first], board.nodes[second]
    (ax, ay, _), (bx, by, _) = a.coordinates, b.coordinates
    return ax < bx + NODE_WIDTH and bx < ax + NODE_WIDTH and ay < by + box_height(b) and by < ay + box_height(a)


def test_a_node_added_over_another_lands_next_to_it(board: Board, frontend: Recorder) -> None:
    """The popup adds a node where the pointer was: right on top of the Say node there, it hid that node."""
    x, y, _ = board.nodes["say"].coordinates
    assert frontend("add_node", node_type="w_number", x=x + 30, y=y + 10)["ok"]
    (added,) = set(board.nodes) - {"start", "say"}
    assert not overlaps(board, added, "say") and not overlaps(board, added, "start")
    ax, ay, _ = board.nodes[added].coordinates
    assert abs(ax - x - 30) + abs(ay - y - 10) <= NODE_WIDTH + box_height(board.nodes["say"]) + 2 * GAP


def test_a_node_added_in_free_space_stays_where_it_was_asked_for(board: Board, frontend: Recorder) -> None:
    assert frontend("add_node", node_type="w_number", x=40, y=400)["ok"]
    (added,) = set(board.nodes) - {"start", "say"}
    assert board.nodes[added].coordinates == (40, 400, 0)


def test_nodes_added_at_one_point_never_pile_up(board: Board, frontend: Recorder) -> None:
    for _ in range(6):
        assert frontend("add_node", node_type="w_number", x=300, y=0)["ok"]
    ids = sorted(board.nodes)
    assert [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if overlaps(board, a, b)] == []


def stale_messages(frontend: Recorder) -> list[list[str] | None]:
    return [message["nodes"] for message in frontend.of_type("stale")]


def test_an_edit_that_changes_results_makes_the_statuses_after_it_stale(board: Board, frontend: Recorder) -> None:
    """After a run, changing Say's default left its green "succeeded" on the canvas, as if it were still true."""
    frontend("run", start="start")
    frontend.editor.wait(30)
    frontend("move", nodes={"say": [320, 20]}, comments={})
    frontend("update_node", node_id="say", friendly_name="Speak")
    frontend("toggle_breakpoint", nodes=["say"])
    assert stale_messages(frontend) == []  # the picture changed, not what runs

    assert frontend("update_node", node_id="say", defaults={"message": "hello"})["ok"]
    assert stale_messages(frontend) == [["say"]]
    assert frontend("disconnect", from_node="start", from_pin="exec_out", to_node="say", to_pin="exec_in")["ok"]
    assert stale_messages(frontend)[-1] == ["say"]


def test_before_any_run_an_edit_sends_no_staleness(frontend: Recorder) -> None:
    assert frontend("update_node", node_id="say", defaults={"message": "hello"})["ok"]
    assert stale_messages(frontend) == []


def test_a_view_opened_late_asks_for_the_run_as_the_engine_has_it(board: Board, frontend: Recorder) -> None:
    """A second view of the editor (the page reloaded, the editor shown again) said "idle" over a paused run."""
    assert frontend("run_state")["events"] == []
    frontend("toggle_breakpoint", nodes=["say"])
    frontend("run", start="start")
    debugger = frontend.editor.debugger
    assert debugger is not None and debugger.wait_paused(30)
    state = frontend("run_state")
    assert state["events"][0] == {"kind": "run_started"} and state["summary"] is None
    assert state["events"][-1] == {"kind": "paused", "node_id": "say"}
    assert {"kind": "node_finished", "node_id": "start", "status": "Success"}.items() <= next(
        e for e in state["events"] if e["kind"] == "node_finished" and e["node_id"] == "start").items()

    frontend("debug", command="continue")
    frontend.editor.wait(30)
    state = frontend("run_state")
    assert state["summary"]["status"] == "Success" and state["events"][-1]["kind"] == "node_finished"


def test_a_node_added_over_a_layer_box_lands_next_to_it(board: Board, frontend: Recorder) -> None:
    """A collapsed layer is drawn as a box as a node is: a node added on it hid it."""
    assert frontend("create_layer", name="Greeting", nodes=["start", "say"], x=100, y=100)["ok"]
    assert frontend("add_node", node_type="w_number", x=120, y=110)["ok"]
    (added,) = set(board.nodes) - {"start", "say"}
    ax, ay, _ = board.nodes[added].coordinates
    assert ax + NODE_WIDTH <= 100 or ax >= 100 + NODE_WIDTH or ay + box_height(board.nodes[added]) <= 100 \
        or ay >= 100 + layer_height(board, next(iter(board.layers)))


def test_a_variable_edit_makes_the_nodes_that_read_it_and_those_after_them_stale() -> None:
    types, board = default_registry(), Board(name="vars")
    items = board.apply(commands.UpsertVariable(Variable(name="items", default_value="red")))
    for key, node_id, defaults in [("variable_get", "get", {"var_ref": "items"}), ("log_info", "say", {}),
                                   ("log_info", "apart", {"message": "items?"})]:
        board.apply(commands.AddNode(types.get(key).create(node_id=node_id, **defaults)))
    board.apply(commands.Connect("get", "value_ref", "say", "message"))
    edit = commands.UpsertVariable(items.model_copy(update={"default_value": "blue"}))
    board.apply(edit)
    assert stale_nodes(board, edit, []) == {"get", "say"}
    assert stale_nodes(board, commands.RemoveVariable(items.id), []) is None


def test_an_entry_says_which_words_also_find_it(index: CatalogIndex) -> None:
    (branch,) = [entry for entry in index.search("if")["entries"] if entry["name"] == "control_branch"]
    assert "if" in branch["synonyms"]
    assert all("synonyms" not in entry for entry in index.search("concatenate")["entries"]
               if not default_registry().get(entry["name"]).synonyms)
