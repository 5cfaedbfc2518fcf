"""A2UI elements: creating, cloning, removing, containers, queries, inputs, tables and display elements."""

from __future__ import annotations

from a2ui_boards import read_after, surface_board
from flowlike_catalog.std.a2ui_document import messages, replay

from flowlike_core import RunStatus


def run_steps(b, *steps: tuple[str, dict]):
    surface_board(b, *(b.add(key, **inputs) for key, inputs in steps))
    run = b.run()
    run.raise_for_status()
    return run


def children(run, container: str = "root") -> list[str]:
    return replay(run).surfaces["main"]["components"][container]["component"]["children"]["explicitList"]


def test_create_element_inserts_it_into_its_parent_and_sends_create_element(b):
    run = run_steps(b, ("a2ui_create_element", {"surface_id": "main", "parent_id": "root", "element_id": "note",
                                                "component_type": "text", "props": {"content": "saved"},
                                                "index": 1}))
    assert children(run) == ["title", "note", "name", "go"]
    assert messages(run)[-1] == {"type": "createElement", "surfaceId": "main", "parentId": "root", "index": 1,
                                 "component": {"id": "note", "style": None,
                                               "component": {"content": {"literalString": "saved"}, "type": "text"}}}


def test_clone_and_remove_element(b):
    run = run_steps(b, ("a2ui_clone_element", {"source_element": "go", "new_element_id": "go2"}),
                    ("a2ui_remove_element", {"surface_id": "main", "element_id": "title"}))
    assert children(run) == ["name", "go", "go2"]
    components = replay(run).surfaces["main"]["components"]
    assert "title" not in components and components["go2"]["component"]["label"] == {"literalString": "Go"}
    assert messages(run)[-1] == {"type": "removeElement", "surfaceId": "main", "elementId": "title"}


def test_removing_a_container_removes_what_it_holds(b):
    run = run_steps(b, ("a2ui_remove_element", {"surface_id": "main", "element_id": "root"}))
    assert replay(run).surfaces["main"]["components"] == {}


def test_container_children_push_insert_remove_clear(b):
    run = run_steps(b, ("a2ui_create_element", {"surface_id": "main", "parent_id": "", "element_id": "row",
                                                "component_type": "row", "props": {}}),
                    ("a2ui_push_child", {"container_ref": "row", "child_ref": "go"}),
                    ("a2ui_push_child_at_index", {"container_ref": "row", "child_ref": "title", "index": 0}),
                    ("a2ui_remove_child_at_index", {"container_ref": "root", "index": 0}))
    assert children(run, "row") == ["title", "go"] and children(run) == ["name", "go"]
    assert [m["value"]["type"] for m in messages(run)[2:]] == ["pushChild", "insertChildAt", "removeChildAt"]
    board = type(b)()
    assert children(run_steps(board, ("a2ui_clear_children", {"container_ref": "root"}))) == []


def test_get_child_at_index_and_queries(b):
    assert read_after(b, [], "a2ui_get_child_at_index", "child_id", container_ref="root", index=2) == "main/go"
    assert read_after(b, [], "a2ui_get_child_at_index", "found", container_ref="root", index=7) is False
    assert read_after(b, [], "a2ui_query_children", "child_ids", element_ref="root") == ["main/title", "main/name",
                                                                                         "main/go"]
    assert read_after(b, [], "a2ui_query_parent", "parent_id", element_ref="go") == "main/root"
    assert read_after(b, [], "a2ui_query_parent", "has_parent", element_ref="root") is False
    assert read_after(b, [], "a2ui_query_elements_by_id", "element_ids", pattern="^(go|name)$",
                      match_type="regex") == ["main/name", "main/go"]
    assert read_after(b, [], "a2ui_query_elements_by_type", "count", component_type="button") == 1
    parent = read_after(b, [], "a2ui_query_parent", "parent", element_ref="go")
    assert parent["__element_id"] == "main/root" and parent["component"]["type"] == "column"


def test_a_bad_match_type_fails_naming_the_choices(b):
    reader = b.add("a2ui_query_elements_by_id", pattern="x", match_type="fuzzy")
    back = b.add("events_generic_return_result")
    b.chain(surface_board(b), back)
    b.wire(reader, "count", back, "response")
    run = b.run()
    assert run.status is RunStatus.FAILED and "exact, contains" in run.error


def test_inputs_select_slider_toggle(b):
    select = [("a2ui_create_element", {"surface_id": "main", "parent_id": "root", "element_id": "color",
                                       "component_type": "select", "props": {"value": ""}}),
              ("a2ui_set_select_options", {"element_ref": "color", "options": ["red", "green"]}),
              ("a2ui_set_select_value", {"element_ref": "color", "value": "green"})]
    assert read_after(b, select, "a2ui_get_select_value", "value", element_ref="color") == "green"
    assert read_after(b, select[:2], "a2ui_get_select_value", "has_selection", element_ref="color") is False
    slider = [("a2ui_create_element", {"surface_id": "main", "parent_id": "root", "element_id": "size",
                                       "component_type": "slider", "props": {"value": 1, "min": 0, "max": 10}}),
              ("a2ui_set_slider_value", {"element_ref": "size", "value": 7})]
    assert read_after(b, slider, "a2ui_get_element_value", "value", element_ref="size") == 7.0
    toggle = [("a2ui_create_element", {"surface_id": "main", "parent_id": "root", "element_id": "ok",
                                       "component_type": "checkbox", "props": {"checked": False}}),
              ("a2ui_update_toggle", {"element_ref": "ok", "operation": "Toggle"})]
    assert read_after(b, toggle, "a2ui_get_element_value", "value", element_ref="ok") is True
    twice = [*toggle, ("a2ui_update_toggle", {"element_ref": "ok", "operation": "Toggle"})]
    assert read_after(b, twice, "a2ui_get_element_value", "value", element_ref="ok") is False
    error = [("a2ui_set_textfield_error", {"element_ref": "name", "error": "required"})]
    board = type(b)()
    assert replay(run_steps(board, *error)).surfaces["main"]["components"]["name"]["component"]["error"] == {
        "literalString": "required"}


def test_tables_from_rows_and_csv(b):
    table = ("a2ui_create_element", {"surface_id": "main", "parent_id": "root", "element_id": "t",
                                     "component_type": "table", "props": {"columns": [], "data": []}})
    run = run_steps(b, table, ("a2ui_write_csv_to_table", {"element_ref": "t", "csv": "a;b\n1;2\n3;4",
                                                           "delimiter": ";"}),
                    ("a2ui_update_table", {"element_ref": "t", "operation": "Add Row", "data": {"row": {"a": "5"}}}),
                    ("a2ui_update_table", {"element_ref": "t", "operation": "Remove Row", "data": {"index": 0}}))
    component = replay(run).surfaces["main"]["components"]["t"]["component"]
    assert [c["id"] for c in component["columns"]["literalOptions"]] == ["a", "b"]
    assert component["data"]["literalOptions"] == [{"a": "3", "b": "4"}, {"a": "5"}]


def test_display_elements_markdown_progress_badge_icon_tooltip_media(b):
    make = [("a2ui_create_element", {"surface_id": "main", "parent_id": "root", "element_id": key,
                                     "component_type": kind, "props": {}})
            for key, kind in (("md", "markdown"), ("bar", "progress"), ("tag", "badge"), ("star", "icon"),
                              ("tip", "tooltip"), ("pic", "image"))]
    run = run_steps(b, *make, ("a2ui_set_markdown_content", {"element_ref": "md", "content": "# Title"}),
                    ("a2ui_set_progress", {"element_ref": "bar", "value": 140}),
                    ("a2ui_set_badge_content", {"element_ref": "tag", "content": "new"}),
                    ("a2ui_set_icon", {"element_ref": "star", "name": "star"}),
                    ("a2ui_set_tooltip_content", {"element_ref": "tip", "content": "help"}),
                    ("a2ui_set_media_source", {"element_ref": "pic", "image": {"src": "https://x.org/a.png"}}))
    components = replay(run).surfaces["main"]["components"]
    assert components["md"]["component"]["content"] == {"literalString": "# Title"}
    assert components["bar"]["component"]["value"] == {"literalNumber": 100.0}
    assert components["tag"]["component"]["content"] == {"literalString": "new"}
    assert components["star"]["component"]["name"] == {"literalString": "star"}
    assert components["tip"]["component"]["content"] == {"literalString": "help"}
    assert components["pic"]["component"]["src"] == {"literalString": "https://x.org/a.png"}


def test_push_to_and_remove_from_container_say_whether_they_did(b):
    pushed = [("a2ui_push_to_container", {"container_id": "root", "element_id": "extra", "element_type": "text",
                                          "element_props": {"content": "more"}, "position": -1})]
    assert read_after(b, pushed, "a2ui_query_children", "count", element_ref="root") == 4
    board = type(b)()
    run = run_steps(board, *pushed, ("a2ui_remove_from_container", {"container_id": "root", "element_id": "extra"}))
    assert children(run) == ["title", "name", "go"]
    assert board.compute("a2ui_push_to_container", "success", container_id="nowhere", element_id="x") is False
