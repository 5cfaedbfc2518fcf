"""A finished run as the notebook sees it: traces and logs as tables, outputs by node and pin name.

    run = board.run()
    run.status                     # Success / Failed / Cancelled
    run.outputs.add.result         # or run["add", "result"], run.output("add", "result")
    run.log_table()                # a DataFrame (a list of rows without pandas); run.logs() as the Run has it
    run.trace_table()              # one row per node execution; run.traces as the Run has them
    run.why("add")                 # why a node ran, or that it came from the board's result cache
    run.raise_for_status()         # for scripts

A failed run is displayed with its error at the failing node; nothing is raised unless asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import flowlike_core
from flowlike_core import wording
from flowlike_core.board import LogLevel, PinDirection
from flowlike_core.errors import NodeFailed, UnknownNodeError
from flowlike_core.reasons import Reason
from flowlike_core.run import Run, RunStatus, value_key
from flowlike_nb.kernel import namespace

ENGINE = str(Path(flowlike_core.__file__).parent)


def node_frames(traceback: str) -> str:
    """A node's traceback without the engine's frames around the call: what is left is the node's own code (all of
    it when every frame is the engine's), then the error."""
    lines = traceback.rstrip("\n").split("\n")
    last = max((i for i, line in enumerate(lines) if line.startswith("  File ")), default=0)
    error = next((i for i in range(last + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    head, *frames = re.split(r"(?m)^(?=  File )", "\n".join(lines[:error]) + "\n")
    own = [frame for frame in frames if not frame.startswith(f'  File "{ENGINE}')] or frames
    return head + "".join(own) + "\n".join(lines[error:])


if TYPE_CHECKING:
    from flowlike_nb.kernel.handles import Board

RUN_MIME = "application/vnd.flowlike.run+json"
"""The run's JSON record rides along in the displayed output, so tools can read runs back from notebooks."""


class NodeOutputs:
    """The outputs one node set in a run: `run.outputs.add.result` (read as `RunView.output` reads them)."""

    def __init__(self, view: RunView, node_id: str) -> None:
        self._view = view
        self._run = view.core
        self._node_id = node_id

    def _values(self) -> dict[str, Any]:
        node = self._run.board.nodes[self._node_id]
        values = {}
        for pin in node.ordered_pins(PinDirection.OUTPUT):
            key = value_key(node.id, pin.id)
            if not pin.is_exec and key in self._run.values:
                values.setdefault(pin.name, self._run.values[key])
        return values

    def __getitem__(self, pin: str) -> Any:
        return self._view.output(self._node_id, pin)

    def __getattr__(self, pin: str) -> Any:
        if pin.startswith("_"):
            raise AttributeError(pin)
        try:
            return self._view.output(self._node_id, pin)
        except (KeyError, LookupError) as exc:
            raise AttributeError(str(exc)) from None

    def __dir__(self) -> list[str]:
        return [name for name in self._values() if name.isidentifier()]

    def _ipython_key_completions_(self) -> list[str]:
        return list(self._values())

    def __repr__(self) -> str:
        return repr(self._values())


class Outputs:
    """Every node's outputs in a run, by friendly name or id: `run.outputs.add`, `run.outputs["add"]`."""

    def __init__(self, view: RunView) -> None:
        self._view = view
        self._run = view.core

    def __getitem__(self, node: str) -> NodeOutputs:
        return NodeOutputs(self._view, self._run.board.node(node).id)

    def __getattr__(self, node: str) -> NodeOutputs:
        if node.startswith("_"):
            raise AttributeError(node)
        try:
            return self[node]
        except UnknownNodeError as exc:
            raise AttributeError(str(exc)) from None

    def _names(self) -> list[str]:
        return [n.friendly_name or n.id for n in self._run.board.nodes.values()]

    def __dir__(self) -> list[str]:
        return [n for n in self._names() if n.isidentifier()]

    def _ipython_key_completions_(self) -> list[str]:
        return self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __repr__(self) -> str:
        """The nodes that set outputs (the first 20), and how to read one."""
        nodes = self._run.board.nodes.values()
        named = [node.friendly_name or node.id for node in nodes if NodeOutputs(self._view, node.id)._values()]
        shown = ", ".join(map(repr, named[:20])) + (f" and {len(named) - 20} more" if len(named) > 20 else "")
        return (f"<outputs of {wording.counted(len(named), 'node')}: {shown or 'none'}; read one as "
                f"outputs.NODE.PIN or outputs['NODE']>")


class RunView:
    """A kernel view over an engine Run (`.core`); everything not defined here reads through to it, and a name the
    Run has means the same here (the tables have names of their own)."""

    def __init__(self, run: Run, board: Board | None = None) -> None:
        self.core = run
        self._board = board

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.core, name)

    @property
    def status(self) -> RunStatus:
        return self.core.status

    @property
    def board(self) -> Board:
        """The notebook handle of the board that ran: the one that started the run, else a handle over it."""
        if self._board is None:
            from flowlike_nb.kernel.handles import Board

            self._board = Board(self.core.board)
        return self._board

    @property
    def result(self) -> Any:
        return self.core.result

    @property
    def outputs(self) -> Outputs:
        return Outputs(self)

    def output(self, node: str, pin: str) -> Any:
        """The Run's `output`; a pure node that no node read during the run (so never computed) is computed now
        from the values the run left (`flowlike_core.partial.output_after`)."""
        return self.board._run_output(self.core, node, pin)

    def __getitem__(self, key: tuple[str, str] | str) -> Any:
        """`run["node", "pin"]` or `run["node.pin"]`."""
        node, pin = key if isinstance(key, tuple) else key.rsplit(".", 1)
        return self.output(node, pin)

    def why(self, node: str) -> Reason:
        """Why a node ran in this run, or was served from the board's result cache (`flowlike_core.reasons`): it
        prints as a line of text; `.cached`, `.changes` and `.as_dict()` hold the structure."""
        return self.core.why(node)

    def raise_for_status(self) -> RunView:
        """Raise if the run did not succeed; a node that raised adds its own traceback (where in its code) as a note."""
        try:
            self.core.raise_for_status()
        except NodeFailed as error:
            failed = self.core.failed_trace()
            if failed is not None and failed.traceback:
                error.add_note(f"node {self._node_label(failed.node_id)!r} raised:\n{node_frames(failed.traceback)}")
            raise
        return self

    def _node_label(self, node_id: str) -> str:
        node = self.core.board.nodes.get(node_id)
        return (node.friendly_name or node.name) if node else node_id

    def trace_rows(self) -> list[dict[str, Any]]:
        start = self.core.start
        return [{"step": t.step, "node": self._node_label(t.node_id), "type": t.node_name,
                 "status": t.status.value, "cached": t.cached, "start (s)": round(t.start - start, 4),
                 "duration (s)": round(t.duration, 4), "logs": "\n".join(line.message for line in t.logs),
                 "error": t.error} for t in self.core.traces]

    def trace_table(self) -> Any:
        """One row per traced node execution (`run.traces`): step, node, status, timing, logs, error."""
        return namespace.table(self.trace_rows())

    def log_table(self, level: LogLevel = LogLevel.DEBUG) -> Any:
        """The run's log lines from `level` up (`run.logs(level)`): time, level, node, message."""
        start = self.core.start
        return namespace.table([{"time (s)": round(line.time - start, 4), "level": line.level.value,
                                 "node": self._node_label(line.node_id), "message": line.message}
                                for line in self.core.logs(level)])

    def summary(self) -> str:
        core = self.core
        text = f"Run {core.id} of {core.board.name!r}: {core.status.value} in {wording.duration(core.duration)}, " \
               f"{wording.counted(core.node_executions, 'node execution')}"
        if core.status is RunStatus.FAILED:
            text += f"; failed at {self._node_label(core.error_node or '')!r}: {core.error}"
        elif core.status is RunStatus.CANCELLED:
            text += f"; {core.error or 'cancelled'}"
        return text

    def html(self) -> str:
        from flowlike_nb.kernel.render import run_html

        return run_html(self)

    def timeline_svg(self) -> str:
        from flowlike_nb.kernel.render import timeline_svg

        return timeline_svg(self.core)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        from flowlike_nb.kernel.render import display_record

        record = display_record(self.core)  # bounded: it is saved into the notebook
        display({"text/html": self.html(), "text/plain": self.summary(), RUN_MIME: record}, raw=True)
        if self.core.traces:
            display({"image/svg+xml": self.timeline_svg(), "text/plain": "<timeline>"}, raw=True)

    def __repr__(self) -> str:
        return f"<{self.summary()}>"
