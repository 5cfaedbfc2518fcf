"""The graph editor: an anywidget view of the very Board object the kernel holds.

    from flowlike_nb.widgets import BoardEditor
    editor = BoardEditor(board, path="hello.board.json")
    editor                      # shows the canvas; edits there are commands on `board`
    board.undo()                # ... and the editor shows the undo at once
    editor.last_run.output("add", "result")   # after pressing Run

One model for the whole board: the `document` trait carries the board's JSON once, then every edit (from
the canvas or from a cell) travels as a small patch message (`flowlike_nb.widgets.sync`). The front end
never edits the board itself: it sends messages (`flowlike_nb.widgets.protocol`) that become
`flowlike_core.commands`, so undo and redo are one history for cells and canvas. Runs started from the
toolbar go on the executor's worker thread (through `starter`, by default `start_run`), so the kernel stays
free; their events reach the canvas in batches (`flowlike_nb.widgets.relay`). A run started elsewhere (a
cell's `board.run()`) shows on the canvas when its starter passes the editor a `new_relay()` and then
`follow`s the run: `flowlike_nb.kernel.handles.Board` does both for the editors it opened.

Kernel -> front end messages: `patch` (see DocumentTracker.patch), `reply` (the answer to one front-end
message), `run_events` (a batch of run events; the last batch has a `summary`), `stale` (the nodes, or all: None,
whose statuses from the run shown an edit made out of date; see `staleness`). A full resend (after a
`sync` request, e.g. from a view opened late) updates the `document` and `document_revision` traits.

DOM hooks for browser tests (all stable `data-testid` attributes; ids are the board's ids):
    flowlike-editor (root, data-revision = board revision applied, data-fullsize, data-layer = the layer entered,
                     data-laying-out = how many boxes Layout is arranging while it works),
    editor-resize (the grip),
    side-panel (inspector and variables), toolbar-side, toolbar-fullsize
    editor-canvas (data-scale, data-drawn = node boxes drawn: only those in or near view; class fl-wiring
          while a wire is dragged, fl-lite when zoomed far out), editor-viewport (the panned/zoomed layer)
    node (data-node-id, data-node-type, data-status = queued|running|paused|stopping|succeeded|cached|failed|
          skipped|cancelled, data-stale = true when an edit since made that status out of date, data-problem =
          error|warning: the worst severity of the engine's problems with it, class fl-selected when selected),
          node-header (drag handle), node-title, problem-marker (data-severity; its title lists the problems),
    problems (toolbar button, shown while the board has problems: data-errors, data-warnings, data-severity = the
          worst; problem-count per severity; a click selects the next problem's node and says it in editor-message,
          data-kind = its severity), inspector-problem (data-severity, data-code: the selected node's problems),
    layer (a collapsed layer of the level shown: data-layer-id, data-status of its nodes, class fl-selected when
          selected), layer-header,
          layer-title, layer-count, layer-rename (the name being edited), layer-pin (a boundary pin:
          data-direction, data-inner-node, data-inner-pin; class fl-fit as pins have; layer-pin-label: the inner
          pin's name, layer-pin-node: its node's), breadcrumb (shown inside a
          layer: breadcrumb-board, then a breadcrumb-layer per level, data-layer-id; all but the last lead
          back), boundary-stub (inside a layer: the end outside it of a wire that leaves it; data-direction = in|out,
          data-outer-node, data-outer-pin; stub-label names the node and pin; a click goes there),
          status-legend (legend-item: data-status, or "stale" for statuses an edit made out of date; count)
    node-status (badge; data-status, data-stale, text = duration, or "stopping…"; "stale · " first), node-progress
          (bar inside a node)
    pin (data-pin-id, data-pin-name, data-direction = in|out, data-kind = exec|data, data-type,
         data-value-type, data-problem = error|warning when a problem names the pin; class fl-fit while a dragged
         wire may end on it), error-marker (a node's On Error pins, drawn only when wired or selected),
         pin-tooltip (a pin's value after a run: value-preview, value-text, value-table, value-copy), wire (SVG
         path; data-from-node, data-from-pin, data-to-node, data-to-pin)
    comment (data-comment-id), comment-text
    toolbar (always one line: narrower, buttons show their signs only; narrower still, the secondary ones move
    into the menu of toolbar-more), toolbar-run, toolbar-stop, toolbar-undo, toolbar-redo, toolbar-layout,
    toolbar-fit, toolbar-save
    (data-unsaved = true while the file at `path` does not hold the board shown), toolbar-comment, toolbar-palette
    run-status (data-status = idle|running|paused|stopping|Success|Failed|Cancelled; "stopping": asked to stop,
    its cleanup still going, however the stop came; a view opened late asks the kernel for the run as it stands:
    `run_state`), run-progress (value 0..1)
    editor-message (data-kind = refused|error|warning|info|progress; text = the reason), message-close
    palette (the search popup), palette-search, palette-list (data-query: the search the kernel answered,
          data-pending), palette-entry (data-node-type, data-capabilities, best first), palette-filter
          (shown when a dropped wire filters the palette), palette-close, capability (data-capability)
    context-menu, menu-item (data-label), shortcut-sheet, find, find-input, find-count (node class fl-found)
    inspector-value (data-pin-name: a pin's value in the last run; value-image: an image's thumbnail),
    value-bind-name, value-bind, inspector-capabilities (data-capabilities: what the node type reaches)
    inspector, inspector-friendly-name, inspector-description, inspector-comment,
    inspector-default (data-pin-name, data-pin-id; an input, select, or textarea), inspector-error,
    inspector-logs (log-line: data-level, data-replayed = true for a line the result cache told again, marked by
    log-replayed),
    inspector-duration ("served from the result cache" for a cached node)
    variables, variable (data-variable-name), variable-add-name, variable-add-type, variable-add-value-type,
    variable-add-default, variable-add-exposed, variable-add, variable-remove
    (wires are SVG paths: a straight one has a zero-height box, so wait for them with state="attached")
Gestures: drag a node header (or body), or a layer's box, to move the selection (click or Shift+click selects
layer boxes as nodes); drag from a pin (the pins the engine accepts light up) and release on a pin to connect,
on a node's body to connect its first fitting free pin, on empty canvas to open the search popup with the node
types that fit; Alt+click a pin to disconnect its wires; click
a wire to select it; Shift+drag on empty canvas to box-select; drag empty canvas (or middle button) to pan;
wheel to zoom; double-click empty canvas for the search popup, a comment to edit it, a layer's box to enter it
(Escape goes one level up, the breadcrumb to any level), a layer's name to rename it; a layer's pin takes wires
as a node's does (the wire goes to the pin inside); right-click for the context menu (collapse a selection into
a layer, also inside a layer; rename, enter, dissolve, delete, copy or duplicate a layer; run to here...); hover a pin
after a run for its value. A selected layer box is deleted, copied, pasted and duplicated with all it holds, and L
lays out layer boxes with the nodes.
Keyboard (on the focused canvas): Delete/Backspace, Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y, Ctrl+C, Ctrl+V, Ctrl+D,
Ctrl+A, Ctrl+F (find), Tab or Space (search popup), L (layout with ELK), ? (shortcut sheet), Escape.
Debugging: F9 (or the context menu's "Toggle breakpoint") sets and clears breakpoints on the selected nodes,
drawn as a `breakpoint` mark on the node; Run then starts a debug run (`debugger`), as `board.debug()` does.
While it is paused the node waiting is marked (class fl-paused, root data-paused = its id, run-status "paused"),
selected and its values shown; the `debug-bar` (debug-title, debug-where: the node's name) offers
debug-continue (F8), debug-step (F11), debug-step-over (F10) and debug-stop. Once stopped (there, from the toolbar
or a cell's `dbg.stop()`) the run shows "stopping" until it ends: the bar (class fl-stopping) says "Stopping… at"
the node, its buttons disabled, and the node's status is "stopping" (its close may take up to 30 s).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets
from pydantic import ValidationError

from flowlike_core import commands
from flowlike_core.board import SUFFIX, Board, Layer, PinDirection, Variable
from flowlike_core.debugger import Debugger
from flowlike_core.errors import ConnectionRefused, FlowLikeError, RunError, UnknownNodeError
from flowlike_core.executor import CLEANUP_LIMIT, RunHandle, start_run
from flowlike_core.registry import Registry, default_registry
from flowlike_core.run import Run
from flowlike_core.wording import counted
from flowlike_nb.widgets import clipboard, protocol, rules, values
from flowlike_nb.widgets.catalog import CatalogIndex, used_entries
from flowlike_nb.widgets.layout import auto_layout, free_spot
from flowlike_nb.widgets.problems import ProblemTracker, may_change_problems
from flowlike_nb.widgets.relay import RunRelay, event_json, replay
from flowlike_nb.widgets.staleness import stale_nodes
from flowlike_nb.widgets.sync import DocumentTracker, encode

STATIC = Path(__file__).parent / "static"
ELK = STATIC / "elk.js"
"""The layout engine (elkjs, 1.4 MB): not part of the editor's module, sent when a page first lays out a board."""
log = logging.getLogger(__name__)


def _holds(path: Path, board: Board) -> bool:
    """Whether the file at `path` (named as `Board.save` names it) holds `board` as Save would write it."""
    if not path.name.endswith(SUFFIX) and not path.suffix:
        path = path.with_name(path.name + SUFFIX)
    try:
        return path.read_text(encoding="utf-8") == board.to_json()
    except (OSError, UnicodeDecodeError):
        return False


Starter = Callable[..., RunHandle]
"""Starts a run the way `start_run(board, start=, registry=, listeners=, **options)` does."""
RunTo = Callable[[str], Any]
"""Runs what a node (by id) needs and the node, then stops; returns the Run (or a view with it as `.core`)."""


class BoardEditor(anywidget.AnyWidget):
    """Edit and run `board` on a canvas; `path` is where the toolbar's Save writes the board file.

    `starter` starts the toolbar's runs: the kernel handle passes one that also feeds and binds notebook variables.
    `run_to` serves the context menu's Run to here (the kernel handle passes its `run_to`, with its result cache);
    by default `flowlike_core.partial.run_to` on the board.
    """

    _esm = STATIC / "editor.js"
    _css = STATIC / "editor.css"

    document = traitlets.Bytes(b"").tag(sync=True)
    """The board's JSON (UTF-8) as of `document_revision`; later changes arrive as patch messages. Bytes travel as
    one binary buffer: ipywidgets walks a nested dict item by item looking for buffers (0.2 s for 1,000 nodes)."""
    document_revision = traitlets.Int(0).tag(sync=True)
    catalog = traitlets.List().tag(sync=True)
    """`NodeType.describe()` of the node types on the board; the search popup asks the kernel for the others."""
    catalog_generation = traitlets.Int(0).tag(sync=True)
    revision = traitlets.Int(0).tag(sync=True)
    """The board revision that `document` plus the patches sent so far describe."""
    can_undo = traitlets.Bool(False).tag(sync=True)
    can_redo = traitlets.Bool(False).tag(sync=True)
    missing = traitlets.Dict().tag(sync=True)
    """Node key -> `missing: KEY (pack)` for the keys on the board that no installed pack provides."""
    problems = traitlets.List().tag(sync=True)
    """The engine's problems with the board (`flowlike_nb.widgets.problems`: code, message, node_id, pin_id and
    severity, "error" or "warning"), current after every edit; the canvas marks their nodes and pins."""
    path = traitlets.Unicode("").tag(sync=True)
    saved_revision = traitlets.Int(-1).tag(sync=True)
    """The board revision the file at `path` holds (-1: none yet): Save shows unsaved changes while they differ."""
    height = traitlets.Unicode("600px").tag(sync=True)

    def __init__(self, board: Board, *, path: str | Path | None = None, registry: Registry | None = None,
                 height: str = "600px", starter: Starter = start_run, run_to: RunTo | None = None,
                 **kwargs: Any) -> None:
        if not isinstance(board, Board):
            what = ("a notebook board: call board.editor(...), which also applies its feeds and bindings"
                    if isinstance(getattr(board, "core", None), Board) else type(board).__name__)
            raise TypeError(f"BoardEditor opens an engine Board (flowlike_core.board.Board), not {what}")
        self.board = board
        self.registry = registry or default_registry()
        self.starter = starter
        self._run_to = run_to or self._run_to_here
        self._reaching: threading.Thread | None = None
        self.last_run: Run | None = None
        """The latest run shown on the canvas: live while it goes, complete once it ends."""
        self._handle: RunHandle | None = None
        self._relay: RunRelay | None = None
        self._starting = False
        self._tracker = DocumentTracker(board)
        self._index = CatalogIndex(self.registry)
        self._used = self._used_keys()
        self._problems = ProblemTracker(board, self.registry)
        super().__init__(document=encode(self._tracker.document()), document_revision=board.revision,
                         catalog=self._describe_catalog(), catalog_generation=self.registry.generation,
                         revision=board.revision, missing=self._missing(),
                         problems=self._problems.problems,
                         path=str(path or ""), height=height, **kwargs)
        self._update_history()
        if path and _holds(Path(path), board):
            self.saved_revision = board.revision
        self._unsubscribe = board.subscribe(self._board_changed)
        self.on_msg(self._on_message)

    def __repr__(self) -> str:
        """What stands in the editor's place where widgets do not show (a rendered notebook, a terminal)."""
        return (f"<BoardEditor of board {self.board.name!r}: {counted(len(self.board.nodes), 'node')}, "
                f"{counted(len(self.board.connections), 'wire')}>")

    # ---- kernel -> front end -----------------------------------------------------------------------

    def _describe_catalog(self) -> list[dict[str, Any]]:
        return used_entries(self.board, self.registry)

    def _used_keys(self) -> set[str]:
        return {node.name for node in self.board.nodes.values()}

    def _board_changed(self, board: Board, command: commands.Command | None) -> None:
        patch = self._tracker.patch(command)
        self._update_history()
        retyped = command is None or bool(patch["removed_nodes"]) or any(
            node["name"] not in self._used for node in patch["nodes"].values())  # the node types on the board may
        used = self._used_keys() if retyped else self._used  # have changed: looked at again
        if used != self._used:  # before the patch: the canvas finds the entries of the node types it draws
            self._used = used
            self.catalog = self._describe_catalog()
        self.send(patch)
        if self.last_run is not None:
            stale = stale_nodes(board, command, patch["wires_added"] + patch["wires_removed"])
            if stale is None or stale:
                self.send({"type": "stale", "nodes": None if stale is None else sorted(stale)})
        missing = self._missing() if retyped else self.missing
        if missing != self.missing:
            self.missing = missing
        if may_change_problems(command):  # after the patch: the canvas shows the edit without waiting for the check
            self.problems = self._problems.update(command, patch)
        self.revision = board.revision

    def _missing(self) -> dict[str, str]:
        """Placeholder nodes' keys (Flow-Like nodes we do not have), drawn as `missing: KEY (pack)`."""
        from flowlike_core.interop.placeholders import pack_of

        keys = {node.name for node in self.board.nodes.values() if node.name not in self.registry}
        return {key: f"missing: {key} ({pack_of(key)})" for key in sorted(keys)}

    def _update_history(self) -> None:
        self.can_undo = self.board.history.can_undo
        self.can_redo = self.board.history.can_redo

    def sync(self) -> None:
        """Send the whole document again (the front end asks when it missed a patch or opens a new view)."""
        with self.hold_sync():
            self.document = encode(self._tracker.document())
            self.document_revision = self.revision = self.board.revision

    def refresh_catalog(self) -> None:
        """Resend the entries of the board's node types, e.g. after `@node` redefined one in a cell."""
        self.catalog = self._describe_catalog()
        self.catalog_generation = self.registry.generation
        self.problems = self._problems.refresh()

    def close(self) -> None:
        if hasattr(self, "_unsubscribe"):  # (not when __init__ refused its board)
            self._unsubscribe()
        super().close()

    # ---- running -----------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether the canvas is showing a run that has not ended (it shows one run at a time)."""
        return (self._starting or (self._handle is not None and not self._handle.done())
                or (self._reaching is not None and self._reaching.is_alive()))

    def _refuse_when_busy(self) -> None:
        """The canvas shows one run at a time: another waits for the one shown to end (or to be stopped)."""
        if not self.busy:
            return
        if self._relay is not None and self._relay.cancelled():
            raise RunError(f"the run of board {self.board.name!r} shown is stopping (its nodes finish their "
                           f"cleanup, up to {CLEANUP_LIMIT:g} s); run again once it has ended")
        raise RunError(f"a run of board {self.board.name!r} is already going; stop it first")

    def run(self, start: str | None = None, **options: Any) -> RunHandle:
        """Start a run in the background through `starter` (as the toolbar's Run does); `last_run` is its live Run.
        With breakpoints on the board it is a debug run that pauses at them (see `debugger`)."""
        self._refuse_when_busy()
        if "debugger" not in options and any(node.breakpoint for node in self.board.nodes.values()):
            options["debugger"] = Debugger()
        relay = self.new_relay()
        self._starting = True  # busy already, so a starter that shows its runs on idle editors skips this one
        try:
            handle = self.starter(self.board, start=start, registry=self.registry, listeners=[relay], **options)
        finally:
            self._starting = False
        self.follow(handle, relay)
        return handle

    @property
    def debugger(self) -> Debugger | None:
        """The debugger of the run shown on the canvas while it goes, if it is a debug run; the toolbar's Continue,
        Step, Step over drive it (and Stop cancels it)."""
        handle = self._handle
        executor = getattr(handle, "executor", None)  # a run on another backend has none here: never a debug run
        return executor.debugger if executor is not None and handle is not None and not handle.done() else None

    def new_relay(self) -> RunRelay:
        """A run listener that streams events to this canvas: give it to a run, then `follow` that run."""
        return RunRelay(self.send)

    def follow(self, handle: RunHandle, relay: RunRelay) -> None:
        """Show a run started with `relay` among its listeners: nodes light up, `last_run`, Stop and `wait` use it. A
        stop, wherever it comes from (Stop, a cell's `dbg.stop()`), shows as the run stopping until it ends."""
        self._handle, self._relay, self.last_run = handle, relay, handle.run
        relay.cancelled = lambda: handle.cancelled

    def stop(self) -> None:
        """Cancel the run shown on the canvas, if one is going."""
        if self._handle is not None:
            self._handle.cancel()

    def run_to(self, node: str) -> None:
        """Run what `node` needs and the node, then stop (Run to here), on a thread of its own: the canvas shows the
        run once it has ended, and it becomes `last_run`."""
        self._refuse_when_busy()
        node_id = self.board.node(node).id
        self.send({"type": "run_events", "events": [{"kind": "run_started"}]})
        self._reaching = threading.Thread(target=self._reach, args=(node_id,), name="flowlike-editor-run-to",
                                          daemon=True)
        self._reaching.start()

    def _reach(self, node_id: str) -> None:
        try:
            ran = self._run_to(node_id)
        except Exception as exc:  # the run could not start (e.g. a placeholder node): say so on the canvas
            self.send({"type": "reply", "request": None, "action": "run_to", "ok": False, "kind": "error",
                       "reason": f"run to {rules.shown_name(self.board.nodes[node_id])}: {exc}"})
            return
        self.last_run = getattr(ran, "core", ran)
        self.send(replay(self.last_run))

    def _run_to_here(self, node_id: str) -> Run:
        from flowlike_core.partial import run_to

        return run_to(self.board, node_id, registry=self.registry)

    def wait(self, timeout: float | None = None) -> Run | None:
        """Wait for the run shown on the canvas to end and for its last events to reach the front end."""
        if self._reaching is not None:
            self._reaching.join(timeout)
            return self.last_run
        if self._handle is None:
            return None
        run = self._handle.wait(timeout)
        if self._relay is not None:
            self._relay.join(timeout)
        return run

    # ---- front end -> kernel -----------------------------------------------------------------------

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        request = content.get("request") if isinstance(content, dict) else None
        action = content.get("action") if isinstance(content, dict) else None
        reply: dict[str, Any] = {"type": "reply", "request": request, "action": action, "ok": True}
        try:
            message = protocol.MESSAGE.validate_python(content)
            info = self._handle_message(message)
            if isinstance(info, dict):
                reply.update(info)
            elif info:
                reply["reason"] = info
        except ValidationError as exc:
            reply.update(ok=False, kind="error", reason=f"bad {action or 'editor'} message: {exc}")
        except ConnectionRefused as exc:
            reply.update(ok=False, kind="refused", reason=rules.refusal(self.board, exc))
        except (FlowLikeError, OSError) as exc:
            reply.update(ok=False, kind="error", reason=str(exc))
        except Exception as exc:  # a bug, not a user error: say so on the canvas, keep the traceback in the log
            log.exception("editor message %r failed", action)
            reply.update(ok=False, kind="error", reason=f"{action or 'editor'} failed: {type(exc).__name__}: {exc}")
        self.send(reply)

    def _handle_message(self, message: Any) -> str | dict[str, Any] | None:
        """Carry out one front-end message; returns a note (or the answer's fields) for the reply, raises on failure."""
        board = self.board
        match message:
            case protocol.AddNode():
                return self._add_node(message)
            case protocol.Remove():
                self._apply_all(clipboard.remove_commands(board, message))
            case protocol.Move():
                parts = [commands.MoveNode(n, (x, y, board.nodes[n].coordinates[2]))
                         for n, (x, y) in message.nodes.items() if n in board.nodes]
                parts += [commands.UpsertComment(board.comments[c].model_copy(update={"coordinates": (x, y, 0.0)}))
                          for c, (x, y) in message.comments.items() if c in board.comments]
                parts += [commands.UpdateLayer(layer, coordinates=(x, y, 0.0))
                          for layer, (x, y) in message.layers.items() if layer in board.layers]
                self._apply_all(parts)
            case protocol.CreateLayer():
                board.apply(commands.CreateLayer(Layer(name=message.name, nodes=message.nodes,
                                                       parent_id=message.parent_id,
                                                       coordinates=(message.x, message.y, 0.0)),
                                                 inner=message.layers))
            case protocol.RemoveLayer():
                board.apply(commands.RemoveLayer(message.layer_id))
            case protocol.UpdateLayer():
                board.apply(commands.UpdateLayer(message.layer_id, name=message.name))
            case protocol.UpdateNode():
                board.apply(commands.update_node(board, self.registry, message.node_id,
                                                 friendly_name=message.friendly_name, comment=message.comment,
                                                 defaults=message.defaults))
            case protocol.Connect():
                board.apply(commands.Connect(message.from_node, message.from_pin, message.to_node, message.to_pin))
            case protocol.Disconnect():
                board.apply(commands.Disconnect(message.from_node, message.from_pin, message.to_node,
                                                message.to_pin))
            case protocol.UpsertVariable():
                board.apply(commands.UpsertVariable(self._keep_secret(message.variable)))
            case protocol.RemoveVariable():
                board.apply(commands.RemoveVariable(message.variable_id))
            case protocol.UpsertComment():
                board.apply(commands.UpsertComment(message.comment))
            case protocol.Paste():
                self._apply_all(clipboard.paste_commands(message))
            case protocol.Copy():
                return {"clipboard": clipboard.copied(board, message.nodes, message.layers, message.comments)}
            case protocol.PasteFlowLike():
                return self._paste_flowlike(message)
            case protocol.Run():
                try:
                    handle = self.run(message.start)
                except UnknownNodeError as exc:  # no start given, and the board has none or several to start from
                    if message.start is not None or "event node" not in str(exc):
                        raise
                    raise UnknownNodeError(f"{exc}; on the canvas: select the event node to start from (or add one: "
                                           f"Simple Event, from the search popup), then press Run") from None
                return f"run {handle.run.id} started"
            case protocol.RunTo():
                self.run_to(message.node_id)
            case protocol.FittingTypes():
                return {"fits": rules.fitting_types(board, self.registry, message.node_id, message.pin_id)}
            case protocol.SearchCatalog():
                fits = None if message.wire is None else rules.fitting_types(
                    board, self.registry, message.wire.node_id, message.wire.pin_id)
                return self._index.search(message.query, fits, message.limit)
            case protocol.PinFits():
                return {"fits": rules.pin_fits(board, message.node_id, message.pin_id)}
            case protocol.PinValue():
                return {"value": values.pin_preview(self.last_run, board, message.node_id, message.pin_id,
                                                    self.debugger)}
            case protocol.NodeValues():
                return {"values": values.node_previews(self.last_run, board, message.node_id, self.debugger)}
            case protocol.BindValue():
                return self._bind_value(message)
            case protocol.RefreshCatalog():
                if message.generation != self.registry.generation:
                    self.refresh_catalog()
            case protocol.ToggleBreakpoint():
                self._apply_all([commands.ToggleBreakpoint(node_id, on=message.on) for node_id in message.nodes])
            case protocol.Debug():
                self._debug(message.command)
            case protocol.Simple(action="undo"):
                board.undo()
            case protocol.Simple(action="redo"):
                board.redo()
            case protocol.Simple(action="layout"):
                self._apply_all([commands.MoveNode(n, (x, y, board.nodes[n].coordinates[2]))
                                 for n, (x, y) in auto_layout(board).items()])
            case protocol.Simple(action="stop"):
                self.stop()
            case protocol.Simple(action="save"):
                if not self.path:
                    raise FlowLikeError("nothing to save to: save the board to a file first (board.save(PATH)), "
                                        "or open the editor with board.editor(path=...)")
                saved = board.save(self.path)
                self.saved_revision = board.revision
                return f"saved to {saved}"
            case protocol.Simple(action="sync"):
                self.sync()
            case protocol.Simple(action="warm_catalog"):
                self._index.warm()
            case protocol.Simple(action="layout_engine"):
                return {"source": ELK.read_text(encoding="utf-8")}
            case protocol.Simple(action="run_state"):
                return self._run_state()
        return None

    def _run_state(self) -> dict[str, Any]:
        """The run shown so far as one batch of events, ending where its debugger waits (if it does): a view opened
        late (a page reloaded, the editor shown again) shows the run as the engine has it, paused or stopping."""
        run = self.last_run
        if run is None:
            return {"events": []}
        shown = replay(run)
        if self._handle is not None and self._handle.run is run and not self._handle.done():
            del shown["summary"]  # still going: later batches tell the rest
            paused = self.debugger.paused_at if self.debugger is not None else None
            if self._relay is not None and self._relay.cancelled():
                shown["events"].append(event_json("stopping"))
            elif paused is not None:
                shown["events"].append(event_json("paused", node_id=paused.id))
        return {"events": shown["events"], "summary": shown.get("summary")}

    def _debug(self, command: str) -> None:
        """Continue, step or step over the debug run shown; never waits for it (the kernel stays free)."""
        debugger = self.debugger
        if debugger is None:
            raise FlowLikeError("no debug run on this canvas: set a breakpoint (F9) and press Run")
        if self._relay is not None and self._relay.cancelled():
            raise FlowLikeError(f"run {debugger.run.id} is stopping (its nodes finish their cleanup): {command} has "
                                f"nothing left to run; press Run for another")
        {"continue": debugger.resume, "step": debugger.step, "step_over": debugger.step_over}[command](wait=0)

    def _bind_value(self, message: protocol.BindValue) -> str:
        """Send a pin's value from the last run to the notebook as a variable."""
        from IPython import get_ipython

        node = self.board.node(message.node_id)
        pin = node.pin(message.pin_id)
        found, value = values.pin_value(self.last_run, self.board, node.id, pin.id, self.debugger)
        if not found:
            raise FlowLikeError(f"{rules.shown_name(node)}.{pin.name} has no value yet: run the board first")
        shell = get_ipython()
        if shell is None:
            raise FlowLikeError("no notebook kernel to send the value to")
        values.bind(shell.user_ns, message.name, value)
        return f"{message.name} = {rules.shown_name(node)}.{pin.name} ({type(value).__name__})"

    def _paste_flowlike(self, message: protocol.PasteFlowLike) -> str:
        """Paste what Flow-Like's editor copied: its nodes mapped onto ours (placeholders for unknown keys), its
        layers made again around them."""
        from flowlike_core.interop.api import clipboard_board

        fragment, report = clipboard_board(message.text, self.registry)
        wires = [protocol.Wire(**wire.model_dump()) for wire in fragment.connections]
        self._apply_all(clipboard.paste_commands(protocol.Paste(
            action="paste", nodes=list(fragment.nodes.values()), wires=wires,
            comments=list(fragment.comments.values()), layers=list(fragment.layers.values()), dx=message.dx,
            dy=message.dy)))
        notes = [f"pasted {counted(report.nodes, 'Flow-Like node')}"]
        notes += [e.message for e in report.placeholders]
        changes = ("pin-dropped", "pin", "dropped"), ("pin-added", "pin", "added"), ("wire-dropped", "wire", "dropped")
        notes += [f"{counted(len(report.of(kind)), noun)} {done}" for kind, noun, done in changes if report.of(kind)]
        return "; ".join(notes)

    def _apply_all(self, parts: list[commands.Command]) -> None:
        """One command as one undo step; several as a Batch (still one undo step)."""
        if len(parts) == 1:
            self.board.apply(parts[0])
        elif parts:
            self.board.apply(commands.Batch(parts))

    def _keep_secret(self, variable: Variable) -> Variable:
        """The front end never sees a secret's value, so an edit without one keeps the kernel's."""
        old = self.board.variables.get(variable.id)
        if old is not None and old.secret and variable.secret and variable.default_value is None:
            return variable.model_copy(update={"default_value": old.default_value})
        return variable

    def _add_node(self, message: protocol.AddNode) -> str | None:
        """Add a node in the free space nearest the point asked for (never over another node); with `wire`, also
        connect it to that pin through its first pin that fits."""
        node = self.registry.get(message.node_type).create(coordinates=(message.x, message.y, 0.0))
        node.layer = message.layer
        node.coordinates = (*free_spot(self.board, node, (message.x, message.y)), 0.0)
        if message.wire is None:
            self.board.apply(commands.AddNode(node))
            return None
        other = self.board.node(message.wire.node_id)
        pin = other.pin(message.wire.pin_id)
        reasons = []
        for candidate in node.ordered_pins(PinDirection.OUTPUT if pin.is_input else PinDirection.INPUT):
            ends = (node.id, candidate.id, other.id, pin.id) if pin.is_input else (other.id, pin.id, node.id,
                                                                                 candidate.id)
            try:
                self.board.apply(commands.Batch([commands.AddNode(node), commands.Connect(*ends)]))
                return None
            except ConnectionRefused as exc:
                reasons.append(str(exc))
        self.board.apply(commands.AddNode(node))
        raise ConnectionRefused(f"added {node.label()} but none of its pins fits {other.label()}.{pin.name}"
                                + (f" ({reasons[0]})" if reasons else ""))

