"""A2UI game and 3D elements: model, scene and sprite properties as setProps updates."""

from __future__ import annotations

from a2ui_boards import surface_board
from flowlike_catalog.std.a2ui_document import messages, replay

from flowlike_core import RunStatus


def element(key: str, kind: str):
    return ("a2ui_create_element", {"surface_id": "main", "parent_id": "root", "element_id": key,
                                    "component_type": kind, "props": {}})


def run_steps(b, *steps):
    surface_board(b, *(b.add(key, **inputs) for key, inputs in steps))
    return b.run()


def test_model_scene_and_sprite_properties(b):
    run = run_steps(b, element("m", "model3d"), element("s", "scene3d"), element("p", "sprite"),
                    ("a2ui_update_model3d", {"element_ref": "m", "src": "ship.glb"}),
                    ("a2ui_update_model3d", {"element_ref": "m", "property": "Transform",
                                             "transform": {"position": {"x": 1, "y": 2, "z": 3}, "scale": 2}}),
                    ("a2ui_update_model3d", {"element_ref": "m", "property": "Animation",
                                             "animation": {"name": "walk", "loop": True}}),
                    ("a2ui_update_scene3d", {"element_ref": "s", "camera": {"type": "orthographic",
                                                                            "lookAt": {"x": 0, "y": 0, "z": 0}}}),
                    ("a2ui_update_scene3d", {"element_ref": "s", "property": "Controls",
                                             "controls": {"autoRotate": True}}),
                    ("a2ui_update_sprite", {"element_ref": "p", "property": "Position", "position": {"x": 5, "y": 6}}))
    run.raise_for_status()
    sent = [m["value"]["props"] for m in messages(run)[4:]]
    assert sent == [{"src": "ship.glb"}, {"position": [1, 2, 3], "scale": 2},
                    {"animation": "walk", "animationLoop": True}, {"cameraType": "orthographic", "target": [0, 0, 0]},
                    {"autoRotate": True}, {"x": 5, "y": 6}]
    components = replay(run).surfaces["main"]["components"]
    assert components["m"]["component"]["animation"] == "walk" and components["p"]["component"]["x"] == 5


def test_a_property_without_its_struct_or_an_unknown_property_fails(b):
    run = run_steps(b, element("s", "scene3d"), ("a2ui_update_scene3d", {"element_ref": "s",
                                                                          "property": "Lighting"}))
    assert run.status is RunStatus.FAILED and "Lighting sets none of ambientIntensity" in run.error
    board = type(b)()
    run = run_steps(board, element("s", "scene3d"), ("a2ui_update_scene3d", {"element_ref": "s",
                                                                              "property": "Source"}))
    assert run.status is RunStatus.FAILED and "one of Camera, Background, Lighting, Controls" in run.error
