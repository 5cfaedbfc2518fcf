"""The A2UI surfaces a run builds, shown as ipywidgets: a board's UI in the notebook, no JavaScript of ours.

    view = SurfaceView(run)                        # what a finished run left (or its stored RunRecord)
    view = SurfaceView()                           # or live: messages arrive while the board runs
    board.run(listeners=[view])
    view.document.elements()["main/name"]          # a value typed into a text field lands in the document
    view = SurfaceView(on_action=lambda element, payload: board.run(payload=payload, listeners=[view]))

The view replays the run's A2UI messages (`a2ui_document.messages`, or live through the listener's `event` hook)
with the same `Document.apply` the nodes use, then renders each surface's component tree: a VBox/HBox per
container, a Label, Button, Text, Checkbox, Dropdown, slider or progress bar per element, HTML for Markdown,
tables and images (an image's hotspots or labelled boxes listed under it); a chart shows the data it would
draw (as a table or JSON), a geo map its viewport and markers, other components their type.
An element's widget is rebuilt only when its component changed. What the user types,
picks or ticks goes into the document (the data model when the input is bound to a path), so `payload()` is
what a frontend sends with its next action (`_elements`, `_route`, `_query_params`) and the board reads it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
from flowlike_catalog.std.a2ui_document import EVENT_TYPE, Document, children_of, literal, messages, unbound

from flowlike_core.events import Listener
from flowlike_core.run import Run, RunEvent, RunRecord

CONTAINERS = {"row": widgets.HBox}
"""Container types laid out in a row; every other component with children is a column."""

Action = Callable[[str, dict[str, Any]], Any]


class SurfaceView(Listener):
    """A run's surfaces as live widgets (`view.widget`, or display the view itself)."""

    def __init__(self, run: Run | RunRecord | None = None, *, payload: Any = None,
                 on_action: Action | None = None) -> None:
        self.document = Document.from_payload(payload)
        self.on_action = on_action
        """Called with (element id, `payload()`) when a button is clicked: start the board's next run there."""
        self.widget = widgets.VBox()
        self._built: dict[str, tuple[str, widgets.Widget]] = {}
        """Each element's widget with the component snapshot it was built from."""
        self._boxes: dict[str, widgets.Box] = {}
        """Each container's box (its children are set anew as they change)."""
        self._route, self._dialogs = widgets.HTML(), widgets.HTML()
        for message in messages(run) if run is not None else ():
            self.document.apply(message)
        self.render()

    # ---- messages in ---------------------------------------------------------------------------------------

    def apply(self, message: dict[str, Any]) -> None:
        """Take one A2UI message and show what changed."""
        self.document.apply(message)
        self.render()

    def event(self, run: Run, event: RunEvent) -> None:
        if event.event_type == EVENT_TYPE:
            self.apply(event.payload)

    # ---- what goes back ---------------------------------------------------------------------------------------

    def payload(self) -> dict[str, Any]:
        """What the UI sends with an action: its elements (with the user's values), route and query."""
        elements = {}
        for full_id, element in self.document.elements().items():
            props = {key: literal(self.document.prop(full_id, element, key)) if is_path(value) else value
                     for key, value in element.get("component", {}).items()}  # bound values as the user sees them
            elements[full_id] = {**element, "component": props}
        return {"_elements": json.loads(json.dumps(elements, default=str)), "_route": self.document.route,
                "_query_params": dict(self.document.query_params)}

    def _input(self, full_id: str, value: Any) -> None:
        """The user changed an input: into the data model if it is bound to a path, else into the element."""
        _, component = self.document.get(full_id)
        props = component["component"]
        key = "checked" if "checked" in props else "value"
        bound = props.get(key)
        surface_id = full_id.rpartition("/")[0]
        if is_path(bound):
            parent, _, name = bound["path"].strip("/").rpartition("/")
            self.document.apply({"type": "dataModelUpdate", "surfaceId": surface_id,
                                 "path": f"/{parent}" if parent else None, "contents": [{"key": name, "value": value}]})
        else:
            change = {"type": "setChecked", "checked": value} if key == "checked" else {"type": "setValue",
                                                                                        "value": value}
            self.document.apply({"type": "upsertElement", "elementId": full_id, "value": change})
        if full_id in self._built:  # the widget already shows it: no rebuild under the user's cursor
            self._built[full_id] = (self._snapshot(full_id, component), self._built[full_id][1])

    def _clicked(self, full_id: str) -> None:
        if self.on_action is not None:
            self.on_action(full_id, self.payload())

    # ---- rendering -------------------------------------------------------------------------------------------

    def render(self) -> None:
        """Show the document: widgets of unchanged elements stay, changed ones are rebuilt, gone ones closed."""
        document = self.document
        self._route.value = f"<small>{html.escape(document.route)}</small>"
        self._dialogs.value = "".join(f"<div><b>{html.escape(d.get('title') or d['route'])}</b> (dialog)</div>"
                                      for d in document.dialogs)
        surfaces = []
        for surface_id, surface in document.surfaces.items():
            root = f"{surface_id}/{surface['rootComponentId']}"
            if document.find(root) is not None:
                surfaces.append(self._element(root, set()))
        for cache in (self._built, self._boxes):
            for gone in [k for k in cache if document.find(k) is None]:
                widget = cache.pop(gone)
                (widget[1] if isinstance(widget, tuple) else widget).close()
        children = (self._route, self._dialogs, *surfaces)
        if self.widget.children != children:
            self.widget.children = children

    def _snapshot(self, full_id: str, component: dict[str, Any]) -> str:
        data = self.document.data_models.get(full_id.rpartition("/")[0], {})
        return json.dumps([component, data], sort_keys=True, default=str)

    def _element(self, full_id: str, seen: set[str]) -> widgets.Widget:
        if full_id in seen:
            return widgets.HTML(f"<i>{html.escape(full_id)} contains itself</i>")
        found = self.document.find(full_id)
        if found is None:
            return widgets.HTML(f"<i>missing element {html.escape(full_id)}</i>")
        component = found[1]
        props = component.get("component", {})
        if props.get("children") is not None:
            surface_id = full_id.rpartition("/")[0]
            kind = CONTAINERS.get(props.get("type", ""), widgets.VBox)
            kids = tuple(self._element(f"{surface_id}/{c}", seen | {full_id}) for c in children_of(dict(props)))
            box = self._boxes.get(full_id)
            if type(box) is not kind:
                if box is not None:
                    box.close()
                box = self._boxes[full_id] = kind()
            if box.children != kids:
                box.children = kids
            widget = box
        else:
            snapshot = self._snapshot(full_id, component)
            built = self._built.get(full_id)
            if built is None or built[0] != snapshot:
                if built is not None:
                    built[1].close()
                built = self._built[full_id] = (snapshot, self._leaf(full_id, props))
            widget = built[1]
        widget.layout.display = "none" if self.prop(full_id, "visible") is False else None
        if hasattr(widget, "disabled"):
            widget.disabled = bool(self.prop(full_id, "disabled"))
        return widget

    def prop(self, full_id: str, name: str) -> Any:
        return self.document.prop(full_id, self.document.get(full_id)[1], name)

    def _leaf(self, full_id: str, props: dict[str, Any]) -> widgets.Widget:
        kind = str(props.get("type", "")).lower()

        def get(name: str, default: Any = None) -> Any:
            value = self.prop(full_id, name) if props.get(name) is not None else None
            return default if value is None else value

        label = str(get("label", "") or "")
        if kind == "button":
            button = widgets.Button(description=label, icon="spinner" if get("loading") else "")
            button.on_click(lambda _: self._clicked(full_id))
            return button
        if kind == "textfield":
            field = (widgets.Textarea if get("multiline") else widgets.Text)(
                value=str(get("value", "") or ""), placeholder=str(get("placeholder", "") or ""), description=label)
            field.observe(lambda change: self._input(full_id, change["new"]), "value")
            error = get("error")
            return widgets.VBox([field, widgets.HTML(f"<span style='color:#c00'>{html.escape(str(error))}</span>")]) \
                if error else field
        if kind in ("checkbox", "switch"):
            box = widgets.Checkbox(value=bool(get("checked")), description=label)
            box.observe(lambda change: self._input(full_id, change["new"]), "value")
            return box
        if kind in ("select", "radiogroup"):
            options = [(str(o.get("label", o.get("value"))), str(o.get("value"))) if isinstance(o, dict) else
                       (str(o), str(o)) for o in (get("options") or [])]
            value = str(get("value", "") or "")
            picker = (widgets.Dropdown if kind == "select" else widgets.RadioButtons)(
                options=options, value=value if value in [v for _, v in options] else None, description=label)
            picker.observe(lambda change: self._input(full_id, change["new"]), "value")
            return picker
        if kind == "slider":
            numbers = [get("min", 0), get("max", 100), get("step", 1), get("value", 0)]
            slider = (widgets.IntSlider if all(float(n).is_integer() for n in numbers) else widgets.FloatSlider)
            lo, hi, step, value = (int(n) if slider is widgets.IntSlider else float(n) for n in numbers)
            control = slider(min=lo, max=hi, step=step, value=value, description=label, continuous_update=False)
            control.observe(lambda change: self._input(full_id, change["new"]), "value")
            return control
        if kind == "progress":
            return widgets.FloatProgress(value=float(get("value", 0) or 0), max=float(get("max", 100) or 100))
        if kind == "markdown":
            from markdown_it import MarkdownIt

            return widgets.HTML(MarkdownIt("commonmark", {"html": False}).render(str(get("content", "") or "")))
        if kind == "table":
            return widgets.HTML(table_html(get("columns") or [], get("data") or []))
        if kind in ("nivochart", "plotlychart"):  # no chart drawing here: the data it would draw
            return widgets.HTML(chart_html(get("data") or []))
        image = (f"<img src='{html.escape(str(get('src', '') or ''))}' "
                 f"alt='{html.escape(str(get('alt', '') or ''))}' style='max-width:100%'>")
        if kind in ("image", "avatar"):
            return widgets.HTML(image)
        if kind == "geomap":  # no map tiles here: the viewport and the markers listed
            where = ", ".join(f"{k} {get(k)}" for k in ("latitude", "longitude", "zoom") if get(k) is not None)
            marks = [{"id": m.get("id"), "label": m.get("label", ""), **(m.get("coordinate") or {})}
                     for m in get("markers") or [] if isinstance(m, dict)]
            return widgets.HTML(f"<div>map {html.escape(where)}</div>" + table_html([], marks))
        if kind in ("imagehotspot", "imagelabeler"):  # the image, and its hotspots or boxes listed below it
            marks = get("hotspots" if kind == "imagehotspot" else "boxes") or []
            return widgets.HTML(image + table_html([], [{k: v for k, v in m.items() if not isinstance(v, dict | list)}
                                                        for m in marks if isinstance(m, dict)]))
        if kind == "divider":
            return widgets.HTML("<hr>")
        if kind == "badge":
            return widgets.HTML(f"<span style='border:1px solid;border-radius:8px;padding:0 6px'>"
                                f"{html.escape(str(get('content', '') or ''))}</span>")
        text = get("content", get("text", label))
        return widgets.Label(str(text) if text is not None else f"[{props.get('type', '?')}]")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def chart_html(data: Any) -> str:
    """A chart's data as a table (rows of plain values, a Nivo bar chart's), else as indented JSON."""
    flat = isinstance(data, list) and all(isinstance(r, dict) and all(not isinstance(v, dict | list)
                                                                       for v in r.values()) for r in data)
    return table_html([], data) if flat and data else f"<pre>{html.escape(json.dumps(data, indent=1))}</pre>"


def is_path(value: Any) -> bool:
    """Whether a property is bound to a path of the data model."""
    return isinstance(value, dict) and "path" in value


def table_html(columns: list[Any], rows: list[Any]) -> str:
    """A table's rows as an HTML table, with the columns' headers (or the row keys when there are none)."""
    ids = [c.get("id") for c in columns if isinstance(c, dict)] or list(
        dict.fromkeys(k for r in rows if isinstance(r, dict) for k in r))
    headers = {c.get("id"): unbound(c.get("header")) for c in columns if isinstance(c, dict)}
    head = "".join(f"<th>{html.escape(str(headers.get(i) or i))}</th>" for i in ids)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r.get(i, '')))}</td>" for i in ids) + "</tr>"
                   for r in rows if isinstance(r, dict))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
