"""A secret is secret from the moment it is computed: live log events never carry it, even when a node logs it
before the node that sets it into a secret variable (or hands it to a sensitive pin) has run."""

from __future__ import annotations

import sys

import pytest
from flowlike_catalog.std import PACK as STD

from flowlike_core import (
    Board,
    DataType,
    NodeType,
    Pack,
    PinOptions,
    Registry,
    ValueType,
    Variable,
    commands,
    data_in,
    exec_in,
    exec_out,
    node,
)
from flowlike_core.events import Listener
from flowlike_core.run import LogLine, Run

TOKEN = "tok-4f9a2b71"


@node(exec_pins=True)
def live_fetch_token() -> str:
    """Gets a token from somewhere (an exec node: its output is stored when it ends)."""
    return TOKEN


@node
def live_make_token(prefix: str = "tok") -> str:
    """Builds a token (a pure node: computed when a node downstream pulls it)."""
    return f"{prefix}-4f9a2b71"


@node
def live_position() -> int:
    """Where to put the token (a plain number: it stays readable)."""
    return 1


class LiveUsesKey(NodeType):
    name = "live_uses_key"
    pins = (exec_in(), data_in("key", DataType.STRING, options=PinOptions(sensitive=True)), exec_out())

    def run(self, ctx, *, key: str) -> None:
        ctx.activate("exec_out")


class Lines(Listener):
    def __init__(self) -> None:
        self.lines: list[str] = []

    def log(self, run: Run, line: LogLine) -> None:
        self.lines.append(line.message)


REGISTRY = Registry([Pack("live_redaction", modules=[sys.modules[__name__]]), STD])


def chain(board: Board, *keys: str, **defaults: dict) -> list:
    nodes = [board.apply(commands.AddNode(REGISTRY.get(key).create(**defaults.get(key, {})))) for key in keys]
    for source, target in zip(nodes, nodes[1:], strict=False):
        board.apply(commands.Connect(source.id, "exec_out", target.id, "exec_in"))
    return nodes


@pytest.mark.parametrize("producer", ["live_fetch_token", "live_make_token"])
@pytest.mark.parametrize("into", ["secret variable", "sensitive pin"])
def test_a_value_logged_before_it_reaches_a_secret_never_goes_out_live(producer: str, into: str) -> None:
    board = Board(name="live")
    board.apply(commands.UpsertVariable(Variable(name="token", data_type=DataType.STRING, secret=True)))
    steps = ["events_simple", *([producer] if producer == "live_fetch_token" else []), "log_info",
             "variable_set" if into == "secret variable" else "live_uses_key", "log_info"]
    nodes = chain(board, *steps, variable_set={"var_ref": "token"})
    source = nodes[1] if producer == "live_fetch_token" else board.apply(commands.AddNode(live_make_token.create()))
    first_log, sink, second_log = nodes[-3:]
    board.apply(commands.Connect(source.id, "result", first_log.id, "message"))
    board.apply(commands.Connect(source.id, "result", sink.id, "value_in" if into == "secret variable" else "key"))
    board.apply(commands.Connect(source.id, "result", second_log.id, "message"))
    lines = Lines()
    run = board.run(registry=REGISTRY, listeners=[lines])
    assert run.ok, run.error
    assert lines.lines == ["***", "***"]
    assert TOKEN not in run.to_json()


def test_inputs_of_nodes_that_read_secret_variables_only_stay_plain() -> None:
    board = Board(name="live")
    board.apply(commands.UpsertVariable(Variable(name="token", data_type=DataType.STRING, secret=True)))
    board.apply(commands.UpsertVariable(Variable(name="note", data_type=DataType.STRING)))
    _, fetch, log, keep = chain(board, "events_simple", "live_fetch_token", "log_info", "variable_set",
                                variable_set={"var_ref": "note"})
    board.apply(commands.Connect(fetch.id, "result", log.id, "message"))
    board.apply(commands.Connect(fetch.id, "result", keep.id, "value_in"))
    lines = Lines()
    assert board.run(registry=REGISTRY, listeners=[lines]).ok
    assert lines.lines == [TOKEN]


def test_only_what_goes_into_the_secret_variable_is_secret() -> None:
    board = Board(name="live")
    board.apply(commands.UpsertVariable(Variable(name="tokens", data_type=DataType.STRING, value_type=ValueType.ARRAY,
                                                 secret=True, default_value=["old-0", "old-1"])))
    _, fetch, log_token, log_index, put = chain(board, "events_simple", "live_fetch_token", "log_info", "log_info",
                                                "array_set_index_ref", array_set_index_ref={"var_ref": "tokens"})
    position = board.apply(commands.AddNode(live_position.create()))
    board.apply(commands.Connect(fetch.id, "result", log_token.id, "message"))
    board.apply(commands.Connect(position.id, "result", log_index.id, "message"))
    board.apply(commands.Connect(fetch.id, "result", put.id, "value"))
    board.apply(commands.Connect(position.id, "result", put.id, "index"))
    lines = Lines()
    run = board.run(registry=REGISTRY, listeners=[lines])
    assert run.ok, run.error
    assert lines.lines == ["***", "1"]
