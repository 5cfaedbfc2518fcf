"""A2UI surfaces: boards that build a surface, change its elements and read them back; the messages they send."""

from __future__ import annotations

import pytest
from a2ui_boards import read_after, returning, surface_board
from flowlike_catalog.std.a2ui_document import A2UIError, Document, messages, replay

from flowlike_core import RunStatus


def test_begin_rendering_sends_the_surface_and_its_data_model(b):
    surface_board(b)
    run = b.run()
    run.raise_for_status()
    [begin] = messages(run)
    assert begin["type"] == "beginRendering" and begin["surfaceId"] == "main"
    assert begin["rootComponentId"] == "root" and [c["id"] for c in begin["components"]] == ["root", "title", "name",
                                                                                                "go"]
    assert begin["dataModel"] == [{"key": "user", "value": {"name": "Ada"}}]
    document = replay(run)
    assert document.surfaces["main"]["components"]["go"]["component"]["label"] == {"literalString": "Go"}
    assert document.data_models["main"] == {"user": {"name": "Ada"}}


def test_create_component_builds_a_surface_component(b):
    assert b.compute("a2ui_create_component", "component", component_id="ok", component_type="button",
                     props={"label": "OK", "disabled": False}, style={"className": "p-2"}) == {
        "id": "ok", "style": {"className": "p-2"},
        "component": {"label": {"literalString": "OK"}, "disabled": {"literalBool": False}, "type": "button"}}


def test_setters_change_the_document_and_readers_see_it(b):
    text = b.add("a2ui_set_element_text", element_ref="title", text="Hello")
    value = b.add("a2ui_set_element_value", element_ref="main/name", value="Bob")
    hide = b.add("a2ui_set_element_visibility", element_ref="go", visible=False)
    disable = b.add("a2ui_set_element_disabled", element_ref="go", disabled=True)
    label = b.add("a2ui_set_button_label", element_ref={"__element_id": "main/go"}, label="Send")
    last = surface_board(b, text, value, hide, disable, label)
    read = b.add("a2ui_get_element_value", element_ref="name")
    run = returning(b, last, read, "value")
    assert run.result == "Bob"
    sent = messages(run)[1:]
    assert [m["type"] for m in sent] == ["upsertElement"] * 5
    assert sent[0] == {"type": "upsertElement", "elementId": "main/title",
                       "value": {"type": "setText", "text": "Hello"}}
    assert sent[2]["value"] == {"type": "setVisibility", "visible": False}
    go = replay(run).surfaces["main"]["components"]["go"]["component"]
    assert go["label"] == {"literalString": "Send"} and go["disabled"] == {"literalBool": True}
    assert go["visible"] == {"literalBool": False}


def test_a_bound_value_reads_from_the_data_model_and_data_update_changes_it(b):
    update = b.add("a2ui_data_update", surface_id="main", path="/user/name", value="Grace")
    last = surface_board(b, update)
    read = b.add("a2ui_get_element_value", element_ref="name")
    run = returning(b, last, read, "value")
    assert run.result == "Grace"
    assert messages(run)[-1] == {"type": "dataModelUpdate", "surfaceId": "main", "path": "/user",
                                 "contents": [{"key": "name", "value": "Grace"}]}


def test_button_getters_and_element_text(b):
    loading = ("a2ui_set_element_loading", {"element_ref": "go", "loading": True})
    assert read_after(b, [loading], "a2ui_get_button_loading", "loading", element_ref="go") is True
    assert read_after(b, [loading], "a2ui_get_button_disabled", "disabled", element_ref="go") is False
    assert read_after(b, [loading], "a2ui_get_button_label", "label", element_ref="go") == "Go"
    assert read_after(b, [loading], "a2ui_get_element_text", "text", element_ref="title") == "Hi"
    placeholder = ("a2ui_set_input_placeholder", {"element_ref": "name", "placeholder": "Full name"})
    assert read_after(b, [placeholder], "a2ui_get_input_placeholder", "placeholder", element_ref="name") == "Full name"
    cleared = ("a2ui_clear_input", {"element_ref": "name"})
    assert read_after(b, [cleared], "a2ui_get_element_value", "value", element_ref="name") == ""


def test_get_element_of_a_missing_element_says_so(b):
    reader = b.add("a2ui_get_element", element_ref="nowhere")
    run = returning(b, surface_board(b), reader, "exists")
    assert run.result is False


def test_a_setter_on_a_missing_element_fails_the_run_naming_it(b):
    surface_board(b, b.add("a2ui_set_element_text", element_ref="ghost", text="x"))
    run = b.run()
    assert run.status is RunStatus.FAILED and "ghost" in run.error


def test_style_and_action(b):
    style = b.add("a2ui_set_element_style", element_ref="go", style={"className": "bold"})
    action = b.add("a2ui_set_element_action", element_ref="go", action_type="navigate_page", route="/next")
    surface_board(b, style, action)
    run = b.run()
    run.raise_for_status()
    go = replay(run).surfaces["main"]["components"]["go"]
    assert go["style"] == {"className": "bold"}
    assert go["actions"] == [{"name": "navigate_page", "context": {"route": "/next", "queryParams": ""}}]


def test_surface_update_and_delete_surface(b):
    more = b.add("a2ui_surface_update", surface_id="main",
                 components=[{"id": "title", "component": {"type": "text", "content": {"literalString": "New"}}}])
    gone = b.add("a2ui_delete_surface", surface_id="main")
    surface_board(b, more, gone)
    run = b.run()
    run.raise_for_status()
    assert [m["type"] for m in messages(run)] == ["beginRendering", "surfaceUpdate", "deleteSurface"]
    assert replay(run).surfaces == {}


def test_elements_sent_by_a_frontend_seed_the_document(b):
    read = b.add("a2ui_get_select_value", element_ref="color")
    start, back = b.start(), b.add("events_generic_return_result")
    b.chain(start, back)
    b.wire(read, "value", back, "response")
    run = b.run(payload={"_elements": {"form/color": {"component": {"type": "select",
                                                                    "value": {"literalString": "red"}}}}})
    run.raise_for_status()
    assert run.result == "red"


def test_document_refuses_unknown_messages_and_updates():
    document = Document()
    with pytest.raises(A2UIError, match="unknown A2UI message"):
        document.apply({"type": "explode"})
    document.apply({"type": "surfaceUpdate", "surfaceId": "s", "components": [{"id": "t", "component": {}}]})
    with pytest.raises(A2UIError, match="unknown element update 'melt'"):
        document.apply({"type": "upsertElement", "elementId": "t", "value": {"type": "melt"}})
    with pytest.raises(A2UIError, match="'deleteSurface' lacks 'surfaceId'"):
        document.apply({"type": "deleteSurface"})
    with pytest.raises(A2UIError, match="payload element 'main/x' must be an object"):
        Document.from_payload({"_elements": {"main/x": "text"}})


def test_instantiate_widget_names_the_app_widget_and_its_bindings(b):
    assert b.compute("a2ui_instantiate_widget", "widget_instance", app_id="shop", widget_id="cart",
                     instance_id="cart-1", action_bindings={"checkout": "pay"}) == {
        "widgetId": "cart", "instanceId": "cart-1", "customizationValues": {}, "actionBindings": {"checkout": "pay"},
        "widgetRef": {"appId": "shop", "widgetId": "cart"}}
