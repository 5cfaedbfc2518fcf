"""The A2UI document of a run: the surfaces a board builds, kept as plain data and changed only by A2UI messages.

Every UI node makes one message (Flow-Like's tagged form of the A2UI protocol: `beginRendering`, `surfaceUpdate`,
`dataModelUpdate`, `deleteSurface`, and Flow-Like's element, state and navigation messages), applies it to the
run's document (in `ctx.cache`, seeded from the payload's `_elements`/`_route`/`_query_params` as Flow-Like's
frontend sends them) and emits it as one `a2ui` event (`ctx.emit("a2ui", message)`, as Flow-Like streams its
A2UI messages with the event type "a2ui"): the run's UI output, whatever the board's log level. A renderer applies
those messages with the same `Document.apply`, live through a listener's `event` hook or afterwards through
`messages(run)` (a live `Run` or a stored `RunRecord`); so the engine stays free of UI concerns and the document a
node reads is the one the user sees.
"""

from __future__ import annotations

import copy
import json
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowlike_core import Context, Run
    from flowlike_core.run import RunRecord

EVENT_TYPE = "a2ui"
"""The event type of A2UI messages (`ctx.emit`), Flow-Like's."""
CACHE_KEY = "a2ui.document"

TEXT_PROPERTY = {"button": "label", "link": "text", "checkbox": "label", "switch": "label"}
"""Which property `setText` changes, by component type (`content` for the others: text, markdown, badge...)."""

VALUE_PROPERTY = {"checkbox": "checked", "switch": "checked"}
"""Which property holds an input's value, by component type (`value` for the others)."""

FLAG_UPDATES = {"setVisibility": "visible", "setDisabled": "disabled", "setLoading": "loading", "setError": "error",
                "setPlaceholder": "placeholder", "setProgress": "value"}
"""Element updates that set one property: the update's type and the property (and the update's field) it sets."""

ANNOTATION_UPDATES = {"addHotspot": ("hotspots", "add"), "removeHotspot": ("hotspots", "remove"),
                      "setHotspots": ("hotspots", "set"), "setHotspotImage": ("hotspots", "image"),
                      "addLabelerBox": ("boxes", "add"), "removeLabelerBox": ("boxes", "remove"),
                      "updateLabelerBoxLabel": ("boxes", "relabel"), "setLabelerBoxes": ("boxes", "set"),
                      "setLabelerImage": ("boxes", "image")}
"""Updates of an image's annotations: the property holding them and what the update does."""


class A2UIError(ValueError):
    """A UI node was given something that names no element, surface or container of the run's document."""


def literal(value: Any) -> Any:
    """The A2UI bound value of a literal (`{"literalString": ...}` and the like); structures stay as they are."""
    if isinstance(value, bool):
        return {"literalBool": value}
    if isinstance(value, int | float):
        return {"literalNumber": value}
    if isinstance(value, str):
        return {"literalString": value}
    return value


def unbound(value: Any, data: dict[str, Any] | None = None) -> Any:
    """The plain value of a bound value: a literal's content, a path's value in the data model (or None)."""
    if isinstance(value, dict):
        if isinstance(value.get("literalJson"), str):  # JSON sent as text (a geo map's markers and routes)
            return json.loads(value["literalJson"])
        for key in ("literalString", "literalNumber", "literalBool", "literalOptions", "literalJson"):
            if key in value:
                return value[key]
        if "path" in value and len(value) <= 2:
            return data_at(data or {}, value["path"], value.get("defaultValue"))
    return value


def data_at(data: dict[str, Any], path: str, default: Any = None) -> Any:
    node: Any = data
    for part in [p for p in path.split("/") if p]:
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def set_data_at(data: dict[str, Any], path: str, value: Any) -> None:
    parts = [p for p in path.split("/") if p]
    if not parts:
        if not isinstance(value, dict):
            raise A2UIError(f"the data model's root must be an object, got {type(value).__name__}")
        data.clear()
        data.update(value)
        return
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise A2UIError(f"data path {path!r} goes through a value that is not an object")
    node[parts[-1]] = value


def element_id_of(ref: Any) -> str:
    """The element id a pin holds: an id string, or an element struct's `__element_id` / `id` (Flow-Like's forms)."""
    if isinstance(ref, str) and ref:
        return ref
    if isinstance(ref, dict):
        for key in ("__element_id", "id"):
            if isinstance(ref.get(key), str) and ref[key]:
                return ref[key]
    raise A2UIError(f"expected an element id or an element struct with '__element_id' or 'id', got {ref!r}")


def children_of(component: dict[str, Any]) -> list[str]:
    children = component.get("children")
    if isinstance(children, dict):
        return children.setdefault("explicitList", [])
    if isinstance(children, list):
        return children
    component["children"] = {"explicitList": []}
    return component["children"]["explicitList"]


class Document:
    """Surfaces (component trees by id), their data models, page and global state, route and dialogs."""

    def __init__(self) -> None:
        self.surfaces: dict[str, dict[str, Any]] = {}
        self.data_models: dict[str, dict[str, Any]] = {}
        self.global_state: dict[str, Any] = {}
        self.page_state: dict[str, dict[str, Any]] = {}
        self.route = "/"
        self.query_params: dict[str, str] = {}
        self.route_params: dict[str, Any] = {}
        self.dialogs: list[dict[str, Any]] = []
        self.requested: list[str] = []

    @classmethod
    def from_payload(cls, payload: Any) -> Document:
        """A document seeded with what a frontend sends along with an action (Flow-Like's payload keys)."""
        document = cls()
        if not isinstance(payload, dict):
            return document
        for key, element in (payload.get("_elements") or {}).items():
            if not isinstance(element, dict):
                raise A2UIError(f"payload element {key!r} must be an object with a 'component', got {element!r}")
            surface_id, _, component_id = key.rpartition("/")
            surface = document.surface(surface_id or "main", create=True)
            surface["components"][component_id] = {"id": component_id, "style": element.get("style"),
                                                   "component": copy.deepcopy(element.get("component", {}))}
        document.route = str(payload.get("_route", "/"))
        document.query_params = dict(payload.get("_query_params") or {})
        document.route_params = dict(payload.get("_route_params") or {})
        return document

    # ---- reading ---------------------------------------------------------------------------------------

    def surface(self, surface_id: str, *, create: bool = False) -> dict[str, Any]:
        if surface_id not in self.surfaces:
            if not create:
                raise A2UIError(f"no surface {surface_id!r} (surfaces: {sorted(self.surfaces) or 'none'})")
            self.surfaces[surface_id] = {"id": surface_id, "rootComponentId": "root", "components": {},
                                         "catalogId": None}
            self.data_models.setdefault(surface_id, {})
        return self.surfaces[surface_id]

    def find(self, element_id: str) -> tuple[str, dict[str, Any]] | None:
        """`surface/component` exactly, or a bare component id on any surface: (the full id, the component)."""
        surface_id, _, component_id = element_id.rpartition("/")
        if surface_id:
            found = self.surfaces.get(surface_id, {}).get("components", {}).get(component_id)
            return (element_id, found) if found is not None else None
        for sid, surface in self.surfaces.items():
            if element_id in surface["components"]:
                return f"{sid}/{element_id}", surface["components"][element_id]
        return None

    def get(self, ref: Any) -> tuple[str, dict[str, Any]]:
        element_id = element_id_of(ref)
        found = self.find(element_id)
        if found is None:
            raise A2UIError(f"no element {element_id!r} on the run's surfaces")
        return found

    def elements(self) -> dict[str, dict[str, Any]]:
        """Every element by `surface/component` id: what a frontend sends back as `_elements`."""
        return {f"{sid}/{cid}": component for sid, surface in self.surfaces.items()
                for cid, component in surface["components"].items()}

    def element(self, full_id: str, component: dict[str, Any]) -> dict[str, Any]:
        """An element as nodes hand it on: a copy with its `__element_id`."""
        return {**copy.deepcopy(component), "__element_id": full_id}

    def prop(self, full_id: str, component: dict[str, Any], name: str) -> Any:
        return unbound(component.get("component", {}).get(name), self.data_models.get(full_id.rpartition("/")[0]))

    def parent_of(self, full_id: str) -> str | None:
        surface_id, _, component_id = full_id.rpartition("/")
        for cid, component in self.surfaces.get(surface_id, {}).get("components", {}).items():
            children = component.get("component", {}).get("children")
            if children is not None and component_id in children_of(component["component"]):
                return f"{surface_id}/{cid}"
        return None

    # ---- changing ----------------------------------------------------------------------------------------

    def apply(self, message: dict[str, Any]) -> None:
        """Change the document as `message` says (the one place that does, for nodes and renderers alike)."""
        kind = message.get("type")
        handler = getattr(self, f"_on_{kind}", None)
        if handler is None:
            raise A2UIError(f"unknown A2UI message type {kind!r}")
        try:
            handler(message)
        except KeyError as missing:
            raise A2UIError(f"A2UI message {kind!r} lacks {missing}: {message!r}") from None

    def _on_beginRendering(self, m: dict[str, Any]) -> None:  # noqa: N802 (A2UI's message names)
        self.surfaces[m["surfaceId"]] = {"id": m["surfaceId"], "rootComponentId": m.get("rootComponentId", "root"),
                                         "components": {c["id"]: copy.deepcopy(c) for c in m.get("components", [])},
                                         "catalogId": m.get("catalogId")}
        self.data_models[m["surfaceId"]] = {e["key"]: copy.deepcopy(e["value"]) for e in m.get("dataModel", [])}

    def _on_surfaceUpdate(self, m: dict[str, Any]) -> None:  # noqa: N802
        components = self.surface(m["surfaceId"], create=True)["components"]
        for component in m.get("components", []):
            components[component["id"]] = copy.deepcopy(component)
            if m.get("parentId"):
                parent = components.get(m["parentId"])
                if parent is None:
                    raise A2UIError(f"no container {m['parentId']!r} on surface {m['surfaceId']!r}")
                siblings = children_of(parent["component"])
                if component["id"] not in siblings:
                    siblings.append(component["id"])

    def _on_dataModelUpdate(self, m: dict[str, Any]) -> None:  # noqa: N802
        model = self.data_models.setdefault(m["surfaceId"], {})
        for entry in m.get("contents", []):
            set_data_at(model, f"{m.get('path') or ''}/{entry['key']}", copy.deepcopy(entry["value"]))

    def _on_deleteSurface(self, m: dict[str, Any]) -> None:  # noqa: N802
        self.surfaces.pop(m["surfaceId"], None)
        self.data_models.pop(m["surfaceId"], None)

    def _on_createElement(self, m: dict[str, Any]) -> None:  # noqa: N802
        components = self.surface(m["surfaceId"], create=True)["components"]
        component = copy.deepcopy(m["component"])
        components[component["id"]] = component
        if m.get("parentId"):
            parent = components.get(m["parentId"])
            if parent is None:
                raise A2UIError(f"no container {m['parentId']!r} on surface {m['surfaceId']!r}")
            siblings = children_of(parent["component"])
            index = m.get("index")
            siblings.insert(len(siblings) if index is None or index < 0 else index, component["id"])

    def _on_removeElement(self, m: dict[str, Any]) -> None:  # noqa: N802
        full_id, _ = self.get(f"{m['surfaceId']}/{m['elementId']}" if m.get("surfaceId") else m["elementId"])
        surface_id, _, component_id = full_id.rpartition("/")
        components = self.surfaces[surface_id]["components"]
        for component in components.values():
            if component.get("component", {}).get("children") is not None:
                siblings = children_of(component["component"])
                if component_id in siblings:
                    siblings.remove(component_id)
        doomed = [component_id]
        while doomed:  # the element and everything below it
            gone = components.pop(doomed.pop(), None)
            if gone is not None and gone.get("component", {}).get("children") is not None:
                doomed.extend(children_of(gone["component"]))

    def _on_upsertElement(self, m: dict[str, Any]) -> None:  # noqa: N802
        full_id, element = self.get(m["elementId"])
        update = m["value"]
        props = element.setdefault("component", {})
        kind = props.get("type", "")
        op = update.get("type")
        if op == "setText":
            props[TEXT_PROPERTY.get(kind, "content")] = literal(update["text"])
        elif op == "setValue":
            props[VALUE_PROPERTY.get(kind, "value")] = literal(update["value"])
        elif op == "setChecked":
            props["checked"] = literal(bool(update["checked"]))
        elif op in FLAG_UPDATES:
            props[FLAG_UPDATES[op]] = literal(update[FLAG_UPDATES[op]])
        elif op == "setStyle":
            element["style"] = copy.deepcopy(update["style"])
        elif op == "setIcon":
            props["name"] = literal(update["name"])
        elif op == "setSelectOptions":
            props["options"] = {"literalOptions": copy.deepcopy(update["options"])}
        elif op == "setProps":
            props.update(copy.deepcopy(update["props"]))
        elif op in ("setChartData", "setNivoData"):
            props["data"] = {"literalJson": copy.deepcopy(update["data"])}
        elif op == "setChartLayout":
            props["layout"] = {"literalJson": copy.deepcopy(update["layout"])}
        elif op == "setNivoConfig":
            for key in ("config", "chartType", "colors", "height"):
                if key in update:
                    props[key] = literal(copy.deepcopy(update[key]))
        elif op in ANNOTATION_UPDATES:
            self._annotate(full_id, props, op, update)
        elif op in ("setGeoMapMarkers", "setGeoMapRoutes"):
            key = "markers" if op == "setGeoMapMarkers" else "routes"
            props[key] = copy.deepcopy(update[key])
        elif op == "setGeoMapViewport":
            props.update({key: literal(value) for key, value in update["viewport"].items()})
        elif op == "setAction":
            element["actions"] = [copy.deepcopy(update["action"])]
        elif op == "setTableData":
            props["data"] = {"literalOptions": copy.deepcopy(update["data"])}
        elif op == "setTableColumns":
            props["columns"] = {"literalOptions": copy.deepcopy(update["columns"])}
        elif op == "addTableRow":
            rows = unbound(props.get("data")) or []
            props["data"] = {"literalOptions": [*rows, copy.deepcopy(update["row"])]}
        elif op == "removeTableRow":
            rows = list(unbound(props.get("data")) or [])
            if not 0 <= update["index"] < len(rows):
                raise A2UIError(f"table {full_id!r} has no row {update['index']} ({len(rows)} rows)")
            del rows[update["index"]]
            props["data"] = {"literalOptions": rows}
        elif op in ("pushChild", "insertChildAt"):
            siblings = children_of(props)
            index = update.get("index", len(siblings))
            siblings.insert(max(0, min(index, len(siblings))), update["childId"])
        elif op == "removeChildAt":
            siblings = children_of(props)
            if not 0 <= update["index"] < len(siblings):
                raise A2UIError(f"container {full_id!r} has no child at index {update['index']}")
            del siblings[update["index"]]
        elif op == "clearChildren":
            children_of(props).clear()
        else:
            raise A2UIError(f"unknown element update {op!r} for {full_id!r}")

    def _annotate(self, full_id: str, props: dict[str, Any], op: str, update: dict[str, Any]) -> None:
        """Hotspots of an image-hotspot element, boxes of an image labeler: add, remove, relabel, set, image."""
        key, verb = ANNOTATION_UPDATES[op]
        items = [dict(i) for i in unbound(props.get(key)) or []]
        if verb == "image":
            props["src"] = literal(update["src"])
            if "alt" in update:
                props["alt"] = literal(update["alt"])
            return
        if verb == "set":
            items = copy.deepcopy(update[key])
        elif verb == "add":
            added = copy.deepcopy(update["hotspot" if key == "hotspots" else "box"])
            items = [i for i in items if i.get("id") != added["id"]] + [added]
        else:
            item_id = update["hotspotId" if key == "hotspots" else "boxId"]
            if not any(i.get("id") == item_id for i in items):
                raise A2UIError(f"{full_id!r} has no {key[:-1] if key == 'hotspots' else 'box'} {item_id!r}")
            items = [i for i in items if i.get("id") != item_id] if verb == "remove" else [
                {**i, "label": update["label"]} if i.get("id") == item_id else i for i in items]
        props[key] = {"literalJson": items}

    def _on_requestElements(self, m: dict[str, Any]) -> None:  # noqa: N802
        self.requested = list(m["elementIds"])

    def _on_navigateTo(self, m: dict[str, Any]) -> None:  # noqa: N802
        self.route = m["route"]
        self.query_params = dict(m.get("queryParams") or {})

    def _on_setQueryParam(self, m: dict[str, Any]) -> None:  # noqa: N802
        if m.get("value") is None:
            self.query_params.pop(m["key"], None)
        else:
            self.query_params[m["key"]] = m["value"]

    def _on_openDialog(self, m: dict[str, Any]) -> None:  # noqa: N802
        self.dialogs.append({k: m[k] for k in ("route", "title", "queryParams", "dialogId") if k in m})

    def _on_closeDialog(self, m: dict[str, Any]) -> None:  # noqa: N802
        dialog_id = m.get("dialogId")
        if dialog_id is None:
            if self.dialogs:
                self.dialogs.pop()
        else:
            self.dialogs = [d for d in self.dialogs if d.get("dialogId") != dialog_id]

    def _on_setGlobalState(self, m: dict[str, Any]) -> None:  # noqa: N802
        self.global_state[m["key"]] = copy.deepcopy(m["value"])

    def _on_setPageState(self, m: dict[str, Any]) -> None:  # noqa: N802
        self.page_state.setdefault(m["pageId"], {})[m["key"]] = copy.deepcopy(m["value"])


# ---- the run's side ------------------------------------------------------------------------------------------


def document_of(ctx: Context) -> Document:
    """The run's document, made on first use from the payload (a UI action's elements, route and query)."""
    document = ctx.cache.get(CACHE_KEY)
    if document is None:
        document = ctx.cache[CACHE_KEY] = Document.from_payload(ctx.payload)
    return document


def emit(ctx: Context, message: dict[str, Any]) -> Document:
    """Apply `message` to the run's document and send it out as the run's UI output (one `a2ui` event)."""
    document = document_of(ctx)
    document.apply(message)
    ctx.emit(EVENT_TYPE, message)
    return document


def messages(run: Run | RunRecord) -> list[dict[str, Any]]:
    """The A2UI messages a run kept, in order (what a renderer replays), from a live run or its stored record. A run
    keeps its first `flowlike_core.run.MAX_EVENTS` events: past that a warning says how many it dropped (a live
    listener gets every message)."""
    if run.dropped_events:
        warnings.warn(f"run {run.id} kept its first {len(run.events)} events and dropped {run.dropped_events}: the "
                      "A2UI messages replayed from it miss those (watch the run live with a listener)", RuntimeWarning,
                      stacklevel=2)
    return [event.payload for event in run.events if event.event_type == EVENT_TYPE]


def replay(run: Run | RunRecord, payload: Any = None) -> Document:
    """The document a run left: its messages applied to what its payload seeded."""
    document = Document.from_payload(payload)
    for message in messages(run):
        document.apply(message)
    return document
