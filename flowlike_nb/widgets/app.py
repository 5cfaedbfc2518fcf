"""`board.app()`: a board as a small interactive app in the cell (and in Voila): a control per exposed variable,
a Run button, chosen output pins shown below.

    app = board.app(outputs=["total.sum", "plot.image"], live=True)
    app.controls["threshold"].value = 3      # with live=True the board re-runs (debounced)
    app.run()                                # or the Run button
    board.app(actions={"Refresh": "refresh"})   # a button starting the `events_widget_action` node "refresh"

Controls follow the variable's type and JSON schema: a slider for an Integer/Float with `minimum` and
`maximum` (`multipleOf` is the step), a dropdown for an `enum`, a checkbox for a Boolean, a date picker for a
Date, a file upload for a PathBuf (the file is written to a temporary folder) or a Byte array, a text field
otherwise (JSON for arrays, maps and structs). Secret and non-exposed variables get no control.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import json
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from flowlike_core import wording
from flowlike_core.board import PinDirection, Variable
from flowlike_core.errors import BoardError
from flowlike_core.run import Run, value_key
from flowlike_core.types import DataType, ValueType

if TYPE_CHECKING:
    from flowlike_nb.kernel.handles import Board

TABLE_ROWS = 50
"""Rows of a table output shown in the app (the row count says how many there are)."""
WIDGET_ACTION = "events_widget_action"


def control_for(variable: Variable) -> widgets.Widget:
    """The ipywidgets control that edits a variable's value."""
    schema = variable.schema_ or {}
    label = {"description": variable.name, "style": {"description_width": "initial"}}
    default = variable.default_value
    normal = variable.value_type is ValueType.NORMAL
    if "enum" in schema:
        options = list(schema["enum"])
        return widgets.Dropdown(options=options, value=default if default in options else options[0], **label)
    ranged = "minimum" in schema and "maximum" in schema
    if normal and variable.data_type is DataType.INTEGER:
        if ranged:
            return widgets.IntSlider(value=default or schema["minimum"], min=schema["minimum"],
                                     max=schema["maximum"], step=schema.get("multipleOf", 1),
                                     continuous_update=False, **label)
        return widgets.IntText(value=default or 0, **label)
    if normal and variable.data_type is DataType.FLOAT:
        if ranged:
            step = schema.get("multipleOf", (schema["maximum"] - schema["minimum"]) / 100)
            return widgets.FloatSlider(value=default if default is not None else schema["minimum"],
                                       min=schema["minimum"], max=schema["maximum"], step=step,
                                       continuous_update=False, **label)
        return widgets.FloatText(value=default or 0.0, **label)
    if normal and variable.data_type is DataType.BOOLEAN:
        return widgets.Checkbox(value=bool(default), indent=False, **label)
    if normal and variable.data_type is DataType.DATE:
        value = dt.date.fromisoformat(str(default)[:10]) if default else None
        return widgets.DatePicker(value=value, **label)
    if (normal and variable.data_type is DataType.PATHBUF) or (
            variable.data_type is DataType.BYTE and variable.value_type is ValueType.ARRAY):
        return widgets.FileUpload(multiple=False, description=variable.name)
    if normal and variable.data_type is DataType.STRING:
        return widgets.Text(value=default or "", **label)
    return widgets.Textarea(value=json.dumps(default), **label)


def control_value(variable: Variable, control: widgets.Widget, upload_dir: Path) -> Any:
    """The value a control holds, as the variable takes it; None leaves the variable at its default."""
    if isinstance(control, widgets.FileUpload):
        if not control.value:
            return None
        upload = control.value[0]
        content = bytes(upload["content"])
        if variable.data_type is DataType.BYTE:
            return list(content)
        path = upload_dir / Path(upload["name"]).name
        path.write_bytes(content)
        return str(path)
    if isinstance(control, widgets.DatePicker):
        return None if control.value is None else dt.datetime.combine(control.value, dt.time()).isoformat()
    if isinstance(control, widgets.Textarea):
        try:
            return json.loads(control.value)
        except json.JSONDecodeError as exc:
            raise BoardError(f"variable {variable.name!r}: {control.value!r} is not JSON ({exc.msg})") from None
    return control.value


def table_widget(head: Any, rows: int) -> widgets.HTML:
    """The first rows of a table (a DataFrame of at most TABLE_ROWS rows), saying how many there are."""
    note = f"<div>{rows:,} rows</div>" if rows > TABLE_ROWS else ""
    return widgets.HTML(head.to_html(index=False, max_cols=30) + note)


def output_widget(value: Any) -> widgets.Widget:
    """A value as something to look at: tables as tables, images as images, text as text."""
    if hasattr(value, "to_pandas") and hasattr(value, "num_rows"):  # a pyarrow Table
        return table_widget(value.slice(0, TABLE_ROWS).to_pandas(), value.num_rows)
    if hasattr(value, "to_html") and hasattr(value, "shape"):  # a pandas DataFrame
        return table_widget(value.head(TABLE_ROWS), value.shape[0])
    if hasattr(value, "save") and hasattr(value, "mode"):  # a PIL image
        buffer = io.BytesIO()
        value.save(buffer, format="PNG")
        return widgets.Image(value=buffer.getvalue(), format="png")
    if isinstance(value, bytes) and value[:8] == b"\x89PNG\r\n\x1a\n":
        return widgets.Image(value=value, format="png")
    if hasattr(value, "savefig"):  # a matplotlib figure: a chart
        buffer = io.BytesIO()
        value.savefig(buffer, format="png", bbox_inches="tight")
        return widgets.Image(value=buffer.getvalue(), format="png")
    text = value if isinstance(value, str) else json.dumps(value, indent=2, default=repr)
    return widgets.HTML(f"<pre style='margin:0;white-space:pre-wrap'>{html.escape(text)}</pre>")


class BoardApp:
    """The app around a notebook Board; `widget` is what is displayed (the app displays as it, too)."""

    def __init__(self, board: Board, outputs: Sequence[str] = (), *, live: bool = False, debounce: float = 0.3,
                 start: str | None = None, actions: Mapping[str, str] | None = None,
                 on_change: Mapping[str, str] | None = None, title: str | None = None) -> None:
        self.board = board
        self.start = start
        self.live = live
        self.debounce = debounce
        self.outputs = [self._output_key(dotted) for dotted in outputs]
        self.on_change = dict(on_change or {})
        self.variables = {v.name: v for v in board.core.variables.values() if v.exposed and not v.secret}
        for name, action in self.on_change.items():
            if name not in self.variables:
                raise BoardError(f"on_change: {name!r} is not an exposed variable of board {board.core.name!r}")
            self._action_node(action)
        self.upload_dir = Path(tempfile.mkdtemp(prefix="flowlike-app-"))
        self.controls = {name: control_for(variable) for name, variable in self.variables.items()}
        self.run_button = widgets.Button(description="Run", button_style="primary")
        self.run_button.on_click(lambda _: self.run())
        self.action_buttons = {label: self._action_button(label, action) for label, action in (actions or {}).items()}
        self.status = widgets.HTML()
        self.shown = widgets.VBox()
        self.last_run: Run | None = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        for name, control in self.controls.items():
            control.observe(lambda change, name=name: self._changed(name, change), names="value")
        header = [widgets.HTML(f"<b>{html.escape(title or board.core.name)}</b>")]
        buttons = widgets.HBox([self.run_button, *self.action_buttons.values(), self.status])
        self.widget = widgets.VBox([*header, *self.controls.values(), buttons, self.shown],
                                   layout=widgets.Layout(border="1px solid #d0d7de", padding="8px"))
        self.widget.add_class("flowlike-app")

    def _output_key(self, dotted: str) -> tuple[str, str, str]:
        node_name, _, pin_name = dotted.rpartition(".")
        if not node_name:
            raise BoardError(f"output {dotted!r}: write node.pin")
        node = self.board.core.node(node_name)
        pin = node.pin(pin_name, PinDirection.OUTPUT)
        return dotted, node.id, pin.id

    def _action_node(self, action: str) -> str:
        """The id of the widget action event whose action id is `action`."""
        for node in self.board.core.nodes.values():
            if node.name == WIDGET_ACTION and node.pin("action_id", PinDirection.INPUT).default_value == action:
                return node.id
        raise BoardError(f"board {self.board.core.name!r} has no {WIDGET_ACTION} node with action id {action!r}")

    def _action_button(self, label: str, action: str) -> widgets.Button:
        node_id = self._action_node(action)
        button = widgets.Button(description=label)
        button.on_click(lambda _: self.run(start=node_id, payload=self._action_payload(None)))
        return button

    def _action_payload(self, context: Any) -> dict[str, Any]:
        return {"widget_instance_id": self.widget.model_id, "action_context": context}

    def values(self) -> dict[str, Any]:
        """The controls' values, as the run's variables."""
        values = {}
        for name, control in self.controls.items():
            value = control_value(self.variables[name], control, self.upload_dir)
            if value is not None:
                values[name] = value
        return values

    def run(self, *, start: str | None = None, payload: Any = None) -> Run:
        """Run the board with the controls' values and show the chosen outputs (or the error)."""
        with self._lock:
            self.status.value = "running…"
            try:
                run = self.board.start(self.values(), start=start or self.start, payload=payload).wait()
            except BoardError as exc:
                self.status.value = f"<span style='color:#cf222e'>{html.escape(str(exc))}</span>"
                raise
            self.show(run)
            self.last_run = run
            return run

    def show(self, run: Run) -> None:
        if not run.ok:
            self.status.value = (f"<span style='color:#cf222e'>{run.status.value}: "
                                 f"{html.escape(run.error or '')}</span>")
            return
        self.status.value = f"{run.status.value} in {wording.duration(run.duration)}"
        shown = []
        for dotted, node_id, pin_id in self.outputs:
            key = value_key(node_id, pin_id)
            value = run.values.get(key)
            box = widgets.VBox([widgets.HTML(f"<small>{html.escape(dotted)}</small>"), output_widget(value)])
            box.add_class("flowlike-app-output")
            shown.append(box)
        self.shown.children = shown

    def _changed(self, name: str, change: dict[str, Any]) -> None:
        if name in self.on_change:
            node_id = self._action_node(self.on_change[name])
            self._later(lambda: self.run(start=node_id, payload=self._action_payload(change["new"])))
        elif self.live:
            self._later(self.run)

    def _later(self, action: Any) -> None:
        """Debounce: a change replaces the pending run; it starts `debounce` seconds after the last change."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.debounce, self._quietly, args=(action,))
        self._timer.daemon = True
        self._timer.start()

    @staticmethod
    def _quietly(action: Any) -> None:
        with contextlib.suppress(BoardError):  # shown in the status line
            action()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
