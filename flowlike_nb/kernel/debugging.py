"""Debugging a board from cells: the engine's step debugger (`flowlike_core.debugger`) as the notebook shows it.

    dbg = board.debug()          # pauses before the first breakpoint (the first node when none is set)
    dbg                          # where it is paused, that node's inputs, every value so far, the variables
    dbg.step()                   # run one node, pause before the next; shows the debugger again
    dbg.values["Add"]["result"]  # by node and pin name as the canvas shows them
    dbg.step_over(); dbg.resume(); dbg.stop()

The run goes on its own thread, so other cells run while it is paused; editors opened with `board.editor()`
follow it (the paused node is marked and their toolbar's Continue, Step, Step over and Stop drive this same
debugger). Commands wait a little for the run to pause again (stop: to end), so the next line of a cell sees where
it stopped; interrupting the kernel while a cell waits stops the run.
"""

from __future__ import annotations

import html
from typing import Any

from flowlike_core.debugger import Debugger
from flowlike_core.redaction import MASK
from flowlike_core.run import Run

VALUE_CHARS = 120


class NotebookDebugger(Debugger):
    """A Debugger that waits up to `settle` seconds after each command and shows itself as a small report."""

    settle = 10.0

    def wait_paused(self, timeout: float | None = None) -> bool:
        """Interrupting the kernel meanwhile stops the run, as it cancels a plain run (the cell raised, leaving
        the run going with no debugger to stop it): False then."""
        try:
            return super().wait_paused(timeout)
        except KeyboardInterrupt:
            self.stop()
            return False

    def wait(self, timeout: float | None = None) -> Run:
        """Interrupting the kernel meanwhile stops the run."""
        try:
            return super().wait(timeout)
        except KeyboardInterrupt:
            return self.stop().run

    def _shown(self, value: Any) -> str:
        text = self.run.redactor.text(repr(value))
        return html.escape(text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…")

    def _repr_html_(self) -> str:
        if self._executor is None:
            return f"<pre>{html.escape(repr(self))}</pre>"
        run = self.run
        rows = [f"<b>Debugging {html.escape(run.board.name)!s}</b> (run {run.id}): {html.escape(self.state())}, "
                f"{self.pauses} pause{'s' if self.pauses != 1 else ''}"]
        sections = [("Inputs of the paused node", [(name, "", value) for name, value in self.inputs.items()]),
                    ("Values so far", [(node, pin, value) for node, pins in self.values.items()
                                       for pin, value in pins.items()])]
        for title, found in sections:
            if found:
                cells = "".join(f"<tr><td>{html.escape(node)}</td><td>{html.escape(pin)}</td>"
                                f"<td><code>{self._shown(value)}</code></td></tr>" for node, pin, value in found)
                rows.append(f"<details open><summary>{title} ({len(found)})</summary><table>{cells}</table></details>")
        secret = run.secret_variables
        variables = "".join(f"<tr><td>{html.escape(name)}</td><td><code>"
                            f"{MASK if name in secret else self._shown(value)}</code></td></tr>"
                            for name, value in self.variables.items())
        if variables:
            rows.append(f"<details><summary>Variables</summary><table>{variables}</table></details>")
        return "<div class='flowlike-debugger'>" + "".join(f"<div>{row}</div>" for row in rows) + "</div>"
