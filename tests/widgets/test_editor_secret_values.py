"""Pin values on the canvas keep the run's secrets masked (a value wired into a sensitive pin is one)."""

from __future__ import annotations

import sys

import pytest

from flowlike_core import DataType, NodeType, Pack, PinOptions, Registry, commands, data_in, exec_in, exec_out
from flowlike_nb.widgets import BoardEditor

from . import conftest
from .conftest import Number, Recorder


class Keyed(NodeType):
    name = "w_keyed"
    pins = (exec_in(), data_in("key", DataType.INTEGER, options=PinOptions(sensitive=True)), exec_out())

    def run(self, ctx):
        ctx.activate("exec_out")


def test_previews_of_secret_values_are_masked(board, monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)  # other tests may have made an IPython shell
    registry = Registry([Pack("widget-secret-tests", modules=[conftest, sys.modules[__name__]])])
    editor = BoardEditor(board, registry=registry)
    frontend = Recorder(editor)
    number = board.apply(commands.AddNode(Number.create(node_id="n1", value=4242)))
    keyed = board.apply(commands.AddNode(Keyed.create(node_id="keyed")))
    board.apply(commands.Connect("say", "exec_out", keyed.id, "exec_in"))
    board.apply(commands.Connect(number.id, "result", keyed.id, "key"))
    frontend("run", start="start")
    editor.wait(30)
    assert frontend("pin_value", node_id="n1", pin_id="result")["value"]["text"] == "***"
    shown = frontend("node_values", node_id="keyed")["values"]
    assert [value["text"] for value in shown.values()] == ["***"]
    leaks = [m for m in frontend.of_type("reply") if "4242" in repr(m)]  # (the board patch holds the typed 4242)
    assert leaks == []
