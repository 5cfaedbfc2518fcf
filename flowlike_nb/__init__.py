"""flowlike-nb in Jupyter: build, run and inspect Boards from cells, magics, display, papermill glue.

    import flowlike_nb as fnb
    board = fnb.Board("hello")
    start = board.add("events_simple", "start")
    say = board.add("log_info", "say", message="hi")
    start.outputs.exec_out >> say.inputs.exec_in
    board.run()

`%load_ext flowlike_nb` adds the `%flowlike` magic; the jupyter_server extension of the same name serves
the catalog and the boards under the server root as JSON.
"""

from typing import Any

from flowlike_nb.kernel import Board, NodeHandle, PinHandle, RunView, node, register


def load(path: str, registry: Any = None) -> Board:
    """A board file, ours or Flow-Like's (`Board.open`), as a kernel handle."""
    return Board.open(path, registry)


def load_ipython_extension(ipython: Any) -> None:
    from flowlike_nb.kernel.magics import load_ipython_extension as load_magics

    load_magics(ipython)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "flowlike_nb"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    from flowlike_nb.kernel.server import load_server_extension

    load_server_extension(server_app)


__all__ = ["Board", "NodeHandle", "PinHandle", "RunView", "load", "load_ipython_extension", "node", "register"]
