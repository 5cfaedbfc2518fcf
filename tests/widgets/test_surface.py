"""SurfaceView: the A2UI surfaces a run builds, as ipywidgets, updated by messages; user input into the document."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pytest
from flowlike_catalog.std import PACK

from flowlike_core import Board, LogLevel, Node, Registry, commands
from flowlike_nb.widgets.surface import SurfaceView

COMPONENTS = [
    {"id": "root", "component": {"type": "column", "children": {"explicitList": ["title", "name", "form"]}}},
    {"id": "title", "component": {"type": "text", "content": {"literalString": "Hi"}}},
    {"id": "name", "component": {"type": "textField", "value": {"path": "/user/name"},
                                 "placeholder": {"literalString": "Your name"}}},
    {"id": "form", "component": {"type": "row", "children": {"explicitList": ["agree", "color", "size", "go"]}}},
    {"id": "agree", "component": {"type": "checkbox", "checked": {"literalBool": False},
                                  "label": {"literalString": "Agree"}}},
    {"id": "color", "component": {"type": "select", "value": {"literalString": "red"},
                                  "options": {"literalOptions": [{"value": "red", "label": "Red"},
                                                                 {"value": "blue", "label": "Blue"}]}}},
    {"id": "size", "component": {"type": "slider", "value": {"literalNumber": 3}, "min": {"literalNumber": 0},
                                 "max": {"literalNumber": 10}}},
    {"id": "go", "component": {"type": "button", "label": {"literalString": "Go"}}},
]


class Surfaces:
    """A board: start -> Create Surface -> Begin Rendering (the components above) -> more steps."""

    def __init__(self) -> None:
        self.registry = Registry([PACK])
        self.board = Board(name="surface-view")
        self.last = self.add("events_simple")
        surface = self.step("a2ui_create_surface", surface_id="main")
        begin = self.step("a2ui_begin_rendering", components=COMPONENTS, data_model={"user": {"name": "Ada"}})
        self.board.apply(commands.Connect(surface.id, "surface", begin.id, "surface"))

    def add(self, key: str, **defaults: Any) -> Node:
        return self.board.apply(commands.AddNode(self.registry.get(key).create(**defaults)))

    def step(self, key: str, **defaults: Any) -> Node:
        node = self.add(key, **defaults)
        self.board.apply(commands.Connect(self.last.id, "exec_out", node.id, "exec_in"))
        self.last = node
        return node

    def run(self, **options: Any):
        run = self.board.run(registry=self.registry, **options)
        run.raise_for_status()
        return run


def tree(view: SurfaceView) -> widgets.Box:
    """The root container of the view's one surface."""
    [root] = [w for w in view.widget.children if isinstance(w, widgets.Box)]
    return root


@pytest.fixture
def surfaces() -> Surfaces:
    return Surfaces()


def test_a_finished_run_renders_as_a_widget_tree(surfaces):
    view = SurfaceView(surfaces.run())
    root = tree(view)
    title, name, form = root.children
    assert isinstance(root, widgets.VBox) and isinstance(form, widgets.HBox)
    assert isinstance(title, widgets.Label) and title.value == "Hi"
    assert isinstance(name, widgets.Text) and name.value == "Ada" and name.placeholder == "Your name"
    agree, color, size, go = form.children
    assert isinstance(agree, widgets.Checkbox) and agree.value is False and agree.description == "Agree"
    assert isinstance(color, widgets.Dropdown) and color.value == "red" and color.options == (("Red", "red"),
                                                                                              ("Blue", "blue"))
    assert isinstance(size, widgets.IntSlider) and (size.min, size.max, size.value) == (0, 10, 3)
    assert isinstance(go, widgets.Button) and go.description == "Go"


def test_messages_arriving_live_update_the_widgets(surfaces):
    surfaces.step("a2ui_set_element_text", element_ref="title", text="Hello")
    surfaces.step("a2ui_set_element_visibility", element_ref="go", visible=False)
    surfaces.step("a2ui_set_element_disabled", element_ref="agree", disabled=True)
    view = SurfaceView()
    surfaces.run(listeners=[view])
    title, _, form = tree(view).children
    assert title.value == "Hello"
    agree, *_, go = form.children
    assert go.layout.display == "none" and agree.disabled is True


def test_an_unchanged_element_keeps_its_widget_and_a_removed_one_is_closed(surfaces):
    view = SurfaceView(surfaces.run())
    root, title = tree(view), tree(view).children[0]
    name, go = root.children[1], root.children[2].children[3]
    view.apply({"type": "upsertElement", "elementId": "main/title", "value": {"type": "setText", "text": "Bye"}})
    assert tree(view) is root and root.children[0].value == "Bye" and root.children[1] is name
    assert title.comm is None  # the old label was closed, not left behind in the kernel
    view.apply({"type": "removeElement", "surfaceId": "main", "elementId": "go"})
    assert go.comm is None and len(root.children[2].children) == 3


def test_values_the_user_enters_land_in_the_document_and_go_to_the_next_run(surfaces):
    view = SurfaceView(surfaces.run())
    name = tree(view).children[1]
    agree, color, size, _ = tree(view).children[2].children
    name.value = "Bob"
    agree.value = True
    color.value = "blue"
    size.value = 7
    document = view.document
    assert document.data_models["main"]["user"]["name"] == "Bob"  # the text field is bound to /user/name
    assert document.prop("main/agree", document.get("agree")[1], "checked") is True
    assert document.prop("main/color", document.get("color")[1], "value") == "blue"
    assert document.prop("main/size", document.get("size")[1], "value") == 7
    assert tree(view).children[1] is name  # typing does not rebuild the field under the cursor
    reader = Surfaces()
    back = reader.add("events_generic_return_result")
    value = reader.add("a2ui_get_element_value", element_ref="name")
    start = reader.add("events_simple")
    reader.board.apply(commands.Connect(start.id, "exec_out", back.id, "exec_in"))
    reader.board.apply(commands.Connect(value.id, "value", back.id, "response"))
    run = reader.board.run(registry=reader.registry, start=start.id, payload=view.payload())
    run.raise_for_status()
    assert run.result == "Bob"


def test_a_click_hands_the_element_and_the_payload_to_on_action(surfaces):
    clicks: list[tuple[str, dict[str, Any]]] = []
    view = SurfaceView(surfaces.run(), on_action=lambda element, payload: clicks.append((element, payload)))
    go = tree(view).children[2].children[3]
    go.click()
    [(element, payload)] = clicks
    assert element == "main/go" and payload["_route"] == "/"
    assert payload["_elements"]["main/name"]["component"]["value"] == {"literalString": "Ada"}


def test_markdown_table_progress_and_dialogs(surfaces):
    for key, kind, props in (("md", "markdown", {"content": "# Title"}), ("bar", "progress", {"value": 0}),
                             ("t", "table", {"columns": [], "data": []})):
        surfaces.step("a2ui_create_element", surface_id="main", parent_id="root", element_id=key,
                      component_type=kind, props=props)
    surfaces.step("a2ui_set_progress", element_ref="bar", value=40)
    surfaces.step("a2ui_write_csv_to_table", element_ref="t", csv="a,b\n1,<2>")
    surfaces.step("a2ui_open_dialog", route="/edit", title="Edit item")
    view = SurfaceView(surfaces.run())
    md, bar, table = tree(view).children[3:]
    assert "<h1>Title</h1>" in md.value
    assert isinstance(bar, widgets.FloatProgress) and bar.value == 40
    assert "<th>a</th><th>b</th>" in table.value and "<td>&lt;2&gt;</td>" in table.value
    assert any("Edit item" in getattr(w, "value", "") for w in view.widget.children)


def test_a_chart_shows_its_data(surfaces):
    surfaces.step("a2ui_create_element", surface_id="main", parent_id="root", element_id="c",
                  component_type="nivoChart", props={})
    surfaces.step("a2ui_push_csv_to_chart", element_ref="c", csv="m,n\nJan,3")
    surfaces.step("a2ui_create_element", surface_id="main", parent_id="root", element_id="p",
                  component_type="plotlyChart", props={})
    surfaces.step("a2ui_push_csv_to_chart", element_ref="p", library="Plotly", csv="m,n\nJan,3")
    bars, lines = tree(SurfaceView(surfaces.run())).children[3:]
    assert "<td>Jan</td><td>3.0</td>" in bars.value
    assert lines.value.startswith("<pre>") and "&quot;bar&quot;" in lines.value


def test_an_image_lists_its_hotspots(surfaces):
    surfaces.step("a2ui_create_element", surface_id="main", parent_id="root", element_id="map",
                  component_type="imageHotspot", props={"src": "plan.png"})
    surfaces.step("a2ui_update_hotspot", element_ref="map", hotspot={"id": "door", "x": 0.2, "y": 0.5})
    spots = tree(SurfaceView(surfaces.run())).children[3]
    assert "<img src='plan.png'" in spots.value and "<td>door</td><td>0.2</td><td>0.5</td>" in spots.value


def test_a_geo_map_lists_its_viewport_and_markers(surfaces):
    surfaces.step("a2ui_create_element", surface_id="main", parent_id="root", element_id="map",
                  component_type="geoMap", props={})
    surfaces.step("a2ui_update_geomap", element_ref="map", markers=[
        {"id": "hq", "coordinate": {"latitude": 48.1, "longitude": 11.6}, "label": "HQ"}])
    surfaces.step("a2ui_update_geomap", element_ref="map", property="Viewport",
                  viewport={"latitude": 48, "longitude": 11, "zoom": 5})
    geo = tree(SurfaceView(surfaces.run())).children[3]
    assert "map latitude 48, longitude 11, zoom 5" in geo.value
    assert "<td>hq</td><td>HQ</td><td>48.1</td><td>11.6</td>" in geo.value


def test_a_deleted_surface_disappears(surfaces):
    surfaces.step("a2ui_delete_surface", surface_id="main")
    view = SurfaceView(surfaces.run())
    assert [w for w in view.widget.children if isinstance(w, widgets.Box)] == []


def test_a_board_at_warning_level_shows_its_surface_live_and_afterwards(surfaces):
    surfaces.board.log_level = LogLevel.WARN
    surfaces.step("a2ui_set_element_text", element_ref="title", text="Quiet")
    live = SurfaceView()
    run = surfaces.run(listeners=[live])
    assert run.logs() == []
    for view in (live, SurfaceView(run)):
        assert tree(view).children[0].value == "Quiet"


def test_a_stored_run_record_renders_as_the_run_did(surfaces, tmp_path):
    from flowlike_core.storage import Storage, StorageConfig

    surfaces.step("a2ui_set_element_text", element_ref="title", text="Kept")
    run = surfaces.run()
    store = Storage(StorageConfig.at(str(tmp_path / "store")))
    store.record(run)
    view = SurfaceView(store.runs.get(run.id))
    assert tree(view).children[0].value == "Kept" and tree(view).children[1].value == "Ada"
