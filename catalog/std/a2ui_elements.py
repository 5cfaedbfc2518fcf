"""A2UI elements while a board runs: create, clone, remove, read and change elements of the run's surfaces (text,
value, visibility, style, children, inputs, selects, tables...). An element pin takes an id (`surface/component`
or a bare component id) or an element struct from Get Element; setters send `upsertElement` messages."""

from __future__ import annotations

import copy
import csv
import io
import re
from typing import Annotated, Any, NamedTuple

from flowlike_catalog.std.a2ui_document import A2UIError, children_of, document_of, element_id_of, emit, unbound
from flowlike_catalog.std.a2ui_surface import component_of

from flowlike_core import Context, Pin, node

CATEGORY = "UI/Elements"
CACHEABLE = False


def update(ctx: Context, element_ref: Any, change: dict[str, Any]) -> str:
    """Send one element update; returns the element's full id."""
    full_id, _ = document_of(ctx).get(element_ref)
    emit(ctx, {"type": "upsertElement", "elementId": full_id, "value": change})
    return full_id


def prop(ctx: Context, element_ref: Any, name: str) -> Any:
    document = document_of(ctx)
    full_id, element = document.get(element_ref)
    return document.prop(full_id, element, name)


# ---- create, clone, remove -----------------------------------------------------------------------------------


@node(friendly_name="Create Element", exec_pins=True)
def a2ui_create_element(ctx: Context, surface_id: str, parent_id: Any, element_id: str, component_type: str,
                        props: Any = None, index: int = -1) -> Annotated[str, Pin(name="created_id")]:
    """Adds an element to a surface, as a child of `parent_id` at `index` (-1: last); gives its full id."""
    parent = element_id_of(parent_id) if parent_id else ""
    document = document_of(ctx)
    document.surface(surface_id)
    if parent and document.find(f"{surface_id}/{parent.rpartition('/')[2]}") is None:
        raise A2UIError(f"Create Element: no parent {parent!r} on surface {surface_id!r}")
    emit(ctx, {"type": "createElement", "surfaceId": surface_id, "parentId": parent.rpartition("/")[2] or None,
               "component": component_of(element_id, component_type, props), "index": index})
    return f"{surface_id}/{element_id}"


@node(friendly_name="Clone Element", exec_pins=True)
def a2ui_clone_element(ctx: Context, source_element: str, new_element_id: str, parent_id: str = "",
                       index: int = -1) -> Annotated[str, Pin(name="cloned_element_ref")]:
    """Copies an element under a new id (into `parent_id`, else next to the source); gives the copy's full id."""
    document = document_of(ctx)
    full_id, element = document.get(source_element)
    surface_id = full_id.rpartition("/")[0]
    parent = (parent_id.rpartition("/")[2] if parent_id else (document.parent_of(full_id) or "").rpartition("/")[2])
    emit(ctx, {"type": "createElement", "surfaceId": surface_id, "parentId": parent or None,
               "component": {**copy.deepcopy(element), "id": new_element_id}, "index": index})
    return f"{surface_id}/{new_element_id}"


@node(friendly_name="Remove Element", exec_pins=True)
def a2ui_remove_element(ctx: Context, surface_id: str, element_id: Any) -> None:
    """Removes an element and everything inside it."""
    full_id, _ = document_of(ctx).get(f"{surface_id}/{element_id_of(element_id)}" if surface_id else element_id)
    sid, _, cid = full_id.rpartition("/")
    emit(ctx, {"type": "removeElement", "surfaceId": sid, "elementId": cid})


# ---- read ------------------------------------------------------------------------------------------------------


class ElementFound(NamedTuple):
    element: dict
    exists: bool


@node(friendly_name="Get Element")
def a2ui_get_element(ctx: Context, element_ref: str) -> ElementFound:
    """The element (its component, style, children and `__element_id`), or an empty struct when it is missing."""
    document = document_of(ctx)
    found = document.find(element_id_of(element_ref))
    return ElementFound(document.element(*found), True) if found else ElementFound({}, False)


class TextFound(NamedTuple):
    text: str
    exists: bool


@node(friendly_name="Get Element Text")
def a2ui_get_element_text(ctx: Context, element_ref: dict | str) -> TextFound:
    """The text an element shows (content, text or label)."""
    document = document_of(ctx)
    found = document.find(element_id_of(element_ref))
    if found is None:
        return TextFound("", False)
    for name in ("content", "text", "label"):
        value = document.prop(*found, name)
        if value is not None:
            return TextFound(str(value), True)
    return TextFound("", True)


class ValueFound(NamedTuple):
    value: Any
    exists: bool


@node(friendly_name="Get Element Value")
def a2ui_get_element_value(ctx: Context, element_ref: dict | str) -> ValueFound:
    """The value of an input element (text field, select, slider, checkbox...)."""
    document = document_of(ctx)
    found = document.find(element_id_of(element_ref))
    if found is None:
        return ValueFound(None, False)
    for name in ("value", "defaultValue", "checked", "selected"):
        value = document.prop(*found, name)
        if value is not None:
            return ValueFound(value, True)
    return ValueFound(None, True)


@node(friendly_name="Get Button Disabled", category="UI/Elements/Button")
def a2ui_get_button_disabled(ctx: Context, element_ref: dict | str) -> Annotated[bool, Pin(name="disabled")]:
    """Whether the button is disabled."""
    return bool(prop(ctx, element_ref, "disabled"))


@node(friendly_name="Get Button Label", category="UI/Elements/Button")
def a2ui_get_button_label(ctx: Context, element_ref: dict | str) -> Annotated[str, Pin(name="label")]:
    """The button's label."""
    return str(prop(ctx, element_ref, "label") or "")


@node(friendly_name="Get Button Loading", category="UI/Elements/Button")
def a2ui_get_button_loading(ctx: Context, element_ref: dict | str) -> Annotated[bool, Pin(name="loading")]:
    """Whether the button shows its loading state."""
    return bool(prop(ctx, element_ref, "loading"))


@node(friendly_name="Get Iframe Source", category="UI/Elements/Get")
def a2ui_get_iframe_src(ctx: Context, element_ref: dict | str) -> Annotated[str, Pin(name="src")]:
    """The address an iframe shows."""
    return str(prop(ctx, element_ref, "src") or "")


class TooltipContent(NamedTuple):
    content: str
    side: str


@node(friendly_name="Get Tooltip Content", category="UI/Elements/Get")
def a2ui_get_tooltip_content(ctx: Context, element_ref: dict | str) -> TooltipContent:
    """A tooltip's text and the side it opens on."""
    return TooltipContent(str(prop(ctx, element_ref, "content") or ""), str(prop(ctx, element_ref, "side") or "top"))


@node(friendly_name="Get Input Placeholder", category="UI/Elements/Input")
def a2ui_get_input_placeholder(ctx: Context, element_ref: dict | str) -> Annotated[str, Pin(name="placeholder")]:
    """A text field's placeholder."""
    return str(prop(ctx, element_ref, "placeholder") or "")


class Selection(NamedTuple):
    value: str
    has_selection: bool


@node(friendly_name="Get Select Value", category="UI/Elements/Select")
def a2ui_get_select_value(ctx: Context, element_ref: dict | str) -> Selection:
    """The selected option's value."""
    value = prop(ctx, element_ref, "value")
    return Selection("" if value is None else str(value), value not in (None, ""))


# ---- change ----------------------------------------------------------------------------------------------------


@node(friendly_name="Set Element Text", exec_pins=True)
def a2ui_set_element_text(ctx: Context, element_ref: dict | str, text: str = "") -> None:
    """Sets the text an element shows (a button's label, a text's content)."""
    update(ctx, element_ref, {"type": "setText", "text": text})


@node(friendly_name="Set Element Value", exec_pins=True)
def a2ui_set_element_value(ctx: Context, element_ref: dict | str, value: str = "") -> None:
    """Sets an input's value."""
    update(ctx, element_ref, {"type": "setValue", "value": value})


@node(friendly_name="Set Element Visibility", exec_pins=True)
def a2ui_set_element_visibility(ctx: Context, element_ref: Any, visible: bool = True) -> None:
    """Shows or hides an element."""
    update(ctx, element_ref, {"type": "setVisibility", "visible": visible})


@node(friendly_name="Set Element Disabled", exec_pins=True)
def a2ui_set_element_disabled(ctx: Context, element_ref: dict | str, disabled: bool = False) -> None:
    """Enables or disables an element."""
    update(ctx, element_ref, {"type": "setDisabled", "disabled": disabled})


@node(friendly_name="Set Element Loading", exec_pins=True)
def a2ui_set_element_loading(ctx: Context, element_ref: dict | str, loading: bool = False) -> None:
    """Shows or ends an element's loading state."""
    update(ctx, element_ref, {"type": "setLoading", "loading": loading})


@node(friendly_name="Set Element Style", exec_pins=True)
def a2ui_set_element_style(ctx: Context, element_ref: Any, style: Any = None) -> None:
    """Replaces an element's style."""
    if not isinstance(style, dict):
        raise A2UIError(f"Set Element Style needs a Style object, got {style!r}")
    update(ctx, element_ref, {"type": "setStyle", "style": style})


ACTIONS = ("navigate_page", "open_url", "call_workflow")


@node(friendly_name="Set Element Action", exec_pins=True)
def a2ui_set_element_action(ctx: Context, element_ref: dict | str,
                            action_type: Annotated[str, Pin(valid_values=list(ACTIONS))] = "navigate_page",
                            route: str = "", query_params: str = "", url: str = "", node_id: str = "") -> None:
    """Sets what clicking the element does: go to a page, open an address, or start an event of the board."""
    if action_type not in ACTIONS:
        raise A2UIError(f"Set Element Action: action type must be one of {', '.join(ACTIONS)}, got {action_type!r}")
    context = {"navigate_page": {"route": route, "queryParams": query_params}, "open_url": {"url": url},
               "call_workflow": {"nodeId": node_id}}[action_type]
    update(ctx, element_ref, {"type": "setAction", "action": {"name": action_type, "context": context}})


@node(friendly_name="Set Button Label", category="UI/Elements/Button", exec_pins=True)
def a2ui_set_button_label(ctx: Context, element_ref: dict | str, label: str = "") -> None:
    """Sets a button's label."""
    update(ctx, element_ref, {"type": "setText", "text": label})


@node(friendly_name="Update Toggle", category="UI/Elements/Checkbox", exec_pins=True)
def a2ui_update_toggle(ctx: Context, element_ref: dict | str,
                       operation: Annotated[str, Pin(valid_values=["Set", "Toggle"])] = "Set",
                       checked: bool = False) -> None:
    """Sets a checkbox or switch, or flips it."""
    if operation not in ("Set", "Toggle"):
        raise A2UIError(f"Update Toggle: operation must be Set or Toggle, got {operation!r}")
    state = checked if operation == "Set" else not bool(prop(ctx, element_ref, "checked"))
    update(ctx, element_ref, {"type": "setChecked", "checked": state})


@node(friendly_name="Set Badge Content", category="UI/Elements/Display", exec_pins=True)
def a2ui_set_badge_content(ctx: Context, element_ref: dict | str, content: str = "") -> None:
    """Sets a badge's text."""
    update(ctx, element_ref, {"type": "setText", "text": content})


@node(friendly_name="Set Icon", category="UI/Elements/Display", exec_pins=True)
def a2ui_set_icon(ctx: Context, element_ref: dict | str, name: str = "") -> None:
    """Sets which icon an icon element shows."""
    update(ctx, element_ref, {"type": "setIcon", "name": name})


@node(friendly_name="Set Markdown Content", category="UI/Elements/Display", exec_pins=True)
def a2ui_set_markdown_content(ctx: Context, element_ref: dict | str, content: str = "") -> None:
    """Sets the Markdown a markdown element shows."""
    update(ctx, element_ref, {"type": "setText", "text": content})


@node(friendly_name="Set Progress", category="UI/Elements/Display", exec_pins=True)
def a2ui_set_progress(ctx: Context, element_ref: dict | str, value: float = 0.0) -> None:
    """Sets a progress bar (0 to 100, clamped)."""
    update(ctx, element_ref, {"type": "setProgress", "value": min(100.0, max(0.0, float(value)))})


@node(friendly_name="Set Tooltip Content", category="UI/Elements/Set", exec_pins=True)
def a2ui_set_tooltip_content(ctx: Context, element_ref: dict | str, content: str = "") -> None:
    """Sets a tooltip's text."""
    update(ctx, element_ref, {"type": "setProps", "props": {"content": {"literalString": content}}})


@node(friendly_name="Clear Input", category="UI/Elements/Input", exec_pins=True)
def a2ui_clear_input(ctx: Context, element_ref: Any) -> None:
    """Empties an input."""
    update(ctx, element_ref, {"type": "setValue", "value": ""})


@node(friendly_name="Set Input Placeholder", category="UI/Elements/Input", exec_pins=True)
def a2ui_set_input_placeholder(ctx: Context, element_ref: dict | str, placeholder: str = "") -> None:
    """Sets a text field's placeholder."""
    update(ctx, element_ref, {"type": "setPlaceholder", "placeholder": placeholder})


@node(friendly_name="Set Text Field Error", category="UI/Elements/Input", exec_pins=True)
def a2ui_set_textfield_error(ctx: Context, element_ref: dict | str, error: str = "") -> None:
    """Shows an error under a text field (empty: none)."""
    update(ctx, element_ref, {"type": "setError", "error": error})


@node(friendly_name="Set Select Options", category="UI/Elements/Select", exec_pins=True)
def a2ui_set_select_options(ctx: Context, element_ref: dict | str, options: Any = None) -> None:
    """Sets a select's options: a list of `{"value", "label"}` objects or of plain strings."""
    if not isinstance(options, list):
        raise A2UIError(f"Set Select Options needs a list of options, got {options!r}")
    listed = [o if isinstance(o, dict) and "value" in o else {"value": str(o), "label": str(o)} for o in options]
    update(ctx, element_ref, {"type": "setSelectOptions", "options": listed})


@node(friendly_name="Set Select Value", category="UI/Elements/Select", exec_pins=True)
def a2ui_set_select_value(ctx: Context, element_ref: dict | str, value: str = "") -> None:
    """Selects an option by its value."""
    update(ctx, element_ref, {"type": "setValue", "value": value})


@node(friendly_name="Set Slider Value", category="UI/Elements/Slider", exec_pins=True)
def a2ui_set_slider_value(ctx: Context, element_ref: dict | str, value: float = 0.0) -> None:
    """Moves a slider."""
    update(ctx, element_ref, {"type": "setValue", "value": float(value)})


MEDIA = {"Image": ("image", "setImageSrc"), "Avatar": ("avatar", "setAvatarSrc"), "Video": ("video", "setVideoSrc"),
         "Lottie": ("lottie", "setLottieSrc"), "Iframe": ("iframe", "setIframeSrc")}


@node(friendly_name="Set Media Source", category="UI/Elements/Media", exec_pins=True)
def a2ui_set_media_source(ctx: Context, element_ref: dict | str,
                          media_type: Annotated[str, Pin(valid_values=list(MEDIA))] = "Image",
                          image: dict | None = None) -> None:
    """Sets the source of an image, avatar, video, animation or iframe (`{"src": ...}`)."""
    if media_type not in MEDIA:
        raise A2UIError(f"Set Media Source: media type must be one of {', '.join(MEDIA)}, got {media_type!r}")
    src = (image or {}).get("src") or (image or {}).get("url")
    if not src:
        raise A2UIError(f"Set Media Source needs a source with 'src', got {image!r}")
    update(ctx, element_ref, {"type": "setProps", "props": {"src": {"literalString": str(src)}}})


# ---- containers ------------------------------------------------------------------------------------------------


def child_id(ctx: Context, container_ref: Any, child_ref: Any) -> tuple[str, str]:
    """The container's full id and the child's component id (both must be on the same surface)."""
    document = document_of(ctx)
    container, _ = document.get(container_ref)
    child, _ = document.get(child_ref)
    if child.rpartition("/")[0] != container.rpartition("/")[0]:
        raise A2UIError(f"{child!r} and container {container!r} are on different surfaces")
    return container, child.rpartition("/")[2]


@node(friendly_name="Push Child", category="UI/Elements/Containers", exec_pins=True)
def a2ui_push_child(ctx: Context, container_ref: Any, child_ref: Any) -> None:
    """Adds an existing element as the container's last child."""
    container, child = child_id(ctx, container_ref, child_ref)
    update(ctx, container, {"type": "pushChild", "childId": child})


@node(friendly_name="Push Child At Index", category="UI/Elements/Containers", exec_pins=True)
def a2ui_push_child_at_index(ctx: Context, container_ref: Any, child_ref: Any, index: int = 0) -> None:
    """Adds an existing element as the container's child at `index`."""
    container, child = child_id(ctx, container_ref, child_ref)
    update(ctx, container, {"type": "insertChildAt", "childId": child, "index": index})


@node(friendly_name="Remove Child At Index", category="UI/Elements/Containers", exec_pins=True)
def a2ui_remove_child_at_index(ctx: Context, container_ref: Any, index: int = 0) -> None:
    """Takes the child at `index` out of the container (the element stays on the surface)."""
    update(ctx, container_ref, {"type": "removeChildAt", "index": index})


@node(friendly_name="Clear Children", category="UI/Elements/Containers", exec_pins=True)
def a2ui_clear_children(ctx: Context, container_ref: Any) -> None:
    """Takes every child out of the container."""
    update(ctx, container_ref, {"type": "clearChildren"})


class ChildFound(NamedTuple):
    child: dict
    child_id: str
    found: bool


@node(friendly_name="Get Child At Index", category="UI/Elements/Containers")
def a2ui_get_child_at_index(ctx: Context, container_ref: str, index: int = 0) -> ChildFound:
    """The container's child at `index`."""
    document = document_of(ctx)
    full_id, container = document.get(container_ref)
    children = children_of(copy.deepcopy(container.get("component", {})))
    if not -len(children) <= index < len(children):
        return ChildFound({}, "", False)
    found = document.find(f"{full_id.rpartition('/')[0]}/{children[index]}")
    return ChildFound(document.element(*found), found[0], True) if found else ChildFound({}, children[index], False)


# ---- query -----------------------------------------------------------------------------------------------------


class Children(NamedTuple):
    children: Annotated[list[dict], Pin(description="The child elements, in order")]
    child_ids: Annotated[Any, Pin(description="Their full ids (a list of strings)")]
    count: int


@node(friendly_name="Query Children", category="UI/Elements/Query")
def a2ui_query_children(ctx: Context, element_ref: str) -> Children:
    """An element's children."""
    document = document_of(ctx)
    full_id, element = document.get(element_ref)
    surface_id = full_id.rpartition("/")[0]
    found = [f for cid in children_of(copy.deepcopy(element.get("component", {})))
             if (f := document.find(f"{surface_id}/{cid}")) is not None]
    return Children([document.element(*f) for f in found], [f[0] for f in found], len(found))


class Matches(NamedTuple):
    elements: list[dict]
    element_ids: Annotated[Any, Pin(description="Their full ids (a list of strings)")]
    count: int


MATCH_TYPES = ("exact", "contains", "starts_with", "ends_with", "regex")


@node(friendly_name="Query Elements By ID", category="UI/Elements/Query")
def a2ui_query_elements_by_id(ctx: Context, pattern: str,
                              match_type: Annotated[str, Pin(valid_values=list(MATCH_TYPES))] = "contains") -> Matches:
    """Elements whose component id matches the pattern (exact, contains, starts_with, ends_with or regex)."""
    if match_type not in MATCH_TYPES:
        raise A2UIError(f"Query Elements By ID: match type must be one of {', '.join(MATCH_TYPES)}, got {match_type!r}")
    test = {"exact": lambda i: i == pattern, "contains": lambda i: pattern in i,
            "starts_with": lambda i: i.startswith(pattern), "ends_with": lambda i: i.endswith(pattern),
            "regex": lambda i: re.search(pattern, i) is not None}[match_type]
    document = document_of(ctx)
    found = [(i, e) for i, e in document.elements().items() if test(i.rpartition("/")[2])]
    return Matches([document.element(*f) for f in found], [f[0] for f in found], len(found))


class TypeMatches(NamedTuple):
    elements: list[dict]
    count: int


@node(friendly_name="Query Elements By Type", category="UI/Elements/Query")
def a2ui_query_elements_by_type(ctx: Context, component_type: str) -> TypeMatches:
    """Elements of one component type (`button`, `textField`...)."""
    document = document_of(ctx)
    found = [document.element(i, e) for i, e in document.elements().items()
             if e.get("component", {}).get("type", "").lower() == component_type.lower()]
    return TypeMatches(found, len(found))


class Parent(NamedTuple):
    parent: dict
    parent_id: str
    has_parent: bool


@node(friendly_name="Query Parent", category="UI/Elements/Query")
def a2ui_query_parent(ctx: Context, element_ref: str) -> Parent:
    """The container that holds an element."""
    document = document_of(ctx)
    full_id, _ = document.get(element_ref)
    parent_id = document.parent_of(full_id)
    if parent_id is None:
        return Parent({}, "", False)
    return Parent(document.element(*document.get(parent_id)), parent_id, True)


# ---- tables ----------------------------------------------------------------------------------------------------


TABLE_OPERATIONS = ("Set Data", "Set Columns", "Add Row", "Remove Row")


@node(friendly_name="Update Table", category="UI/Elements/Table", exec_pins=True)
def a2ui_update_table(ctx: Context, element_ref: dict | str,
                      operation: Annotated[str, Pin(valid_values=list(TABLE_OPERATIONS))] = "Set Data",
                      data: dict | None = None) -> None:
    """Changes a table: `{"rows": [...]}` for Set Data, `{"columns": [...]}`, `{"row": {...}}`, `{"index": n}`."""
    data = data or {}
    change = {"Set Data": lambda: {"type": "setTableData", "data": data.get("rows", data.get("data", []))},
              "Set Columns": lambda: {"type": "setTableColumns", "columns": data.get("columns", [])},
              "Add Row": lambda: {"type": "addTableRow", "row": data.get("row", data)},
              "Remove Row": lambda: {"type": "removeTableRow", "index": int(data.get("index", -1))}}.get(operation)
    if change is None:
        raise A2UIError(f"Update Table: operation must be one of {', '.join(TABLE_OPERATIONS)}, got {operation!r}")
    update(ctx, element_ref, change())


@node(friendly_name="Write CSV To Table", category="UI/Elements/Table", exec_pins=True)
def a2ui_write_csv_to_table(ctx: Context, element_ref: dict | str, csv: str = "", table: dict | None = None,
                            delimiter: str = ",") -> None:
    """Fills a table from CSV text (the first row names the columns) or from a table struct's `rows`."""
    rows = table.get("rows", []) if table else read_csv(csv, delimiter)
    names = list(dict.fromkeys(key for row in rows for key in row))
    columns = [{"id": n, "header": {"literalString": n}, "accessor": {"literalString": n}} for n in names]
    update(ctx, element_ref, {"type": "setProps", "props": {"columns": {"literalOptions": columns},
                                                             "data": {"literalOptions": rows}}})


def read_csv(text: str, delimiter: str) -> list[dict[str, str]]:
    if len(delimiter) != 1:
        raise A2UIError(f"Write CSV To Table: the delimiter must be one character, got {delimiter!r}")
    return [dict(row) for row in csv.DictReader(io.StringIO(text), delimiter=delimiter)]


def table_rows(component: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows a table component holds (for renderers and readers)."""
    return list(unbound(component.get("data")) or [])
