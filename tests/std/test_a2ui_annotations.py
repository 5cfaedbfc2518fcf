"""A2UI image annotations: hotspots and labeler boxes added, removed, relabelled, replaced, listed."""

from __future__ import annotations

from a2ui_boards import read_after, surface_board
from flowlike_catalog.std.a2ui_document import messages, replay

from flowlike_core import RunStatus

SPOT = {"id": "door", "x": 0.2, "y": 0.5, "label": "Door"}
BOX = {"id": "cat", "x": 10, "y": 20, "width": 30, "height": 40, "label": "cat"}


def element(key: str, kind: str) -> tuple[str, dict]:
    return ("a2ui_create_element", {"surface_id": "main", "parent_id": "root", "element_id": key,
                                    "component_type": kind, "props": {"src": "a.png"}})


def test_hotspots_add_remove_and_get_all(b):
    steps = [element("map", "imageHotspot"),
             ("a2ui_update_hotspot", {"element_ref": "map", "hotspot": SPOT}),
             ("a2ui_update_hotspot", {"element_ref": "map", "hotspot": {"id": "win", "x": 0.7, "y": 0.1}})]
    assert read_after(b, [*steps, ("a2ui_update_hotspot", {"element_ref": "map", "operation": "Remove",
                                                           "hotspot_id": "win"})],
                      "a2ui_get_element", "element", element_ref="map")["component"]["hotspots"] == {
        "literalJson": [SPOT]}
    assert read_after(b, steps, "a2ui_update_hotspot", "count", element_ref="map", operation="Get All") == 2
    assert read_after(b, steps, "a2ui_update_hotspot", "hotspot_id", element_ref="map",
                      hotspot={"id": "roof", "x": 0.5, "y": 0.0}) == "roof"


def test_labeler_boxes_relabel_clear_and_image(b):
    steps = [element("pic", "imageLabeler"), ("a2ui_update_labeler", {"element_ref": "pic", "box": BOX}),
             ("a2ui_update_labeler", {"element_ref": "pic", "operation": "Update Label", "box_id": "cat",
                                      "label": "tiger"}),
             ("a2ui_update_labeler", {"element_ref": "pic", "operation": "Set Image", "image": {"src": "b.png"}})]
    surface_board(b, *(b.add(k, **i) for k, i in steps))
    run = b.run()
    run.raise_for_status()
    props = replay(run).surfaces["main"]["components"]["pic"]["component"]
    assert props["boxes"] == {"literalJson": [{**BOX, "label": "tiger"}]} and props["src"] == {"literalString": "b.png"}
    assert [m["value"]["type"] for m in messages(run)[2:]] == ["addLabelerBox", "updateLabelerBoxLabel",
                                                               "setLabelerImage"]
    cleared = [*steps, ("a2ui_update_labeler", {"element_ref": "pic", "operation": "Clear"})]
    assert read_after(b, cleared, "a2ui_get_element", "element", element_ref="pic")["component"]["boxes"] == {
        "literalJson": []}


def test_removing_an_unknown_box_or_adding_a_box_without_size_fails(b):
    surface_board(b, b.add("a2ui_create_element", **element("pic", "imageLabeler")[1]),
                  b.add("a2ui_update_labeler", element_ref="pic", operation="Remove", box_id="ghost"))
    run = b.run()
    assert run.status is RunStatus.FAILED and "no box 'ghost'" in run.error
    board = type(b)()
    surface_board(board, board.add("a2ui_create_element", **element("pic", "imageLabeler")[1]),
                  board.add("a2ui_update_labeler", element_ref="pic", box={"id": "x", "x": 1, "y": 2}))
    run = board.run()
    assert run.status is RunStatus.FAILED and "'width', 'height'" in run.error
