"""Pin values on the canvas: previews from the last run, bounded in size, and sent to the notebook on demand."""

from __future__ import annotations

import pyarrow as pa
import pytest

from flowlike_core import commands
from flowlike_core.errors import FlowLikeError
from flowlike_nb.widgets import BoardEditor
from flowlike_nb.widgets.values import bind, preview

from .conftest import Number, Recorder


def test_previews_are_small_whatever_the_value() -> None:
    text = preview("x" * 100_000)
    assert text["truncated"] and len(text["text"]) <= 300 and text["shape"] == [100_000]
    table = preview(pa.table({"a": list(range(1000)), "b": [str(i) for i in range(1000)]}))
    assert table["shape"] == [1000, 2] and table["table"]["columns"] == ["a", "b"]
    assert table["table"]["rows"] == [[str(i), str(i)] for i in range(5)]
    rows = preview([{"name": "ada", "age": 36}, {"name": "bob", "age": 7}])
    assert rows["shape"] == [2, 2] and rows["table"]["rows"][1] == ["bob", "7"]
    assert preview(42) == {"type": "int", "text": "42", "truncated": False}


def test_pin_values_of_the_last_run_reach_the_front_end(editor: BoardEditor, frontend: Recorder,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)  # other tests may have made an IPython shell
    number = editor.board.apply(commands.AddNode(Number.create(node_id="n1", value=7)))
    editor.board.apply(commands.Connect(number.id, "result", "say", "times"))
    assert frontend("pin_value", node_id="n1", pin_id="result")["value"] is None  # no run yet
    frontend("run", start="start")
    editor.wait(30)
    assert frontend("pin_value", node_id="n1", pin_id="result")["value"]["text"] == "7"
    assert frontend("pin_value", node_id="say", pin_id="times")["value"]["text"] == "7"  # through its wire
    assert frontend("pin_value", node_id="say", pin_id="message")["value"]["text"] == "hi"  # its default
    shown = frontend("node_values", node_id="say")["values"]
    say = editor.board.nodes["say"]
    assert {say.pins[p].name for p in shown} == {"message", "times", "mode"}

    reply = frontend("bind_value", node_id="n1", pin_id="result", name="seven")
    assert reply["ok"] is False and "no notebook kernel" in reply["reason"]  # pytest has no IPython shell


def test_bind_refuses_what_is_not_a_variable_name() -> None:
    namespace: dict[str, object] = {}
    bind(namespace, "answer", 42)
    assert namespace == {"answer": 42}
    for bad in ("1x", "class", "a b"):
        with pytest.raises(FlowLikeError, match="not a Python variable name"):
            bind(namespace, bad, 1)
