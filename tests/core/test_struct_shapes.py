"""Struct shapes: a node gets a Struct input in the shape it declared (a pydantic model or a dict), whichever shape
the value travelled in; Generic inputs get what was sent."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from pydantic import BaseModel

from flowlike_core import Board, DataType, NodeType, Registry, commands, data_in, default_registry, exec_in, exec_out
from flowlike_core import node as node_type
from flowlike_core.errors import BoardError
from flowlike_core.executor import run_board
from flowlike_core.node import ERROR_EXEC, ERROR_MESSAGE


class Reply(BaseModel):
    status: int
    headers: dict[str, str] = {}
    body: bytes = b""
    at: dt.datetime = dt.datetime(2026, 1, 2, 3, 4, 5)


class Start(NodeType):
    name = "shape_start"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx: Any) -> None:
        ctx.activate("exec_out")


class Finish(NodeType):
    """Makes its input the run's result."""

    name = "shape_finish"
    pins = (exec_in(), data_in("value", DataType.GENERIC))

    def run(self, ctx: Any) -> None:
        ctx.set_result(ctx.get_input("value"))


class DescribeReply(NodeType):
    """A class node whose keyword input declares the model: the run passes it a Reply."""

    name = "shape_describe_reply"
    pins = (exec_in(), data_in("reply", DataType.STRUCT, schema=Reply.model_json_schema()), exec_out())

    def run(self, ctx: Any, *, reply: Reply) -> None:
        ctx.set_result(f"{type(reply).__name__} {reply.status}")
        ctx.activate("exec_out")


class CountFields(NodeType):
    """A class node whose keyword input declares `dict`: a model arrives as its dump."""

    name = "shape_count_fields"
    pins = (exec_in(), data_in("struct", DataType.STRUCT), exec_out())

    def run(self, ctx: Any, *, struct: dict) -> None:
        ctx.set_result(sorted(struct))
        ctx.activate("exec_out")


@node_type
def make_reply(status: int = 200) -> Reply:
    return Reply(status=status, headers={"content-type": "text/plain"}, body=b"hi")


@node_type
def reply_status(reply: Reply) -> int:
    return reply.status


@node_type(exec_pins=True)
def check_reply(reply: Reply) -> int:
    return reply.status


@node_type
def type_name(value: Any) -> str:
    return type(value).__name__


@node_type
def anything(text: str = "hello") -> Any:
    return text


@pytest.fixture(scope="module")
def registry() -> Registry:
    reg = Registry()
    std = default_registry()
    for name in ("struct_get", "struct_break"):
        reg.register(std.get(name), pack="std")
    for kind in (Start, Finish, DescribeReply, CountFields, make_reply, reply_status, check_reply, type_name,
                 anything):
        reg.register(kind, pack="shapes")
    return reg


def add(board: Board, registry: Registry, name: str, **defaults: Any) -> Any:
    return board.apply(commands.AddNode(registry.get(name).create(**defaults)))


def finishing(registry: Registry, name: str, out: str, **defaults: Any) -> tuple[Board, Any]:
    """start -> finish, the finish's value read from pin `out` of a node of type `name`."""
    board = Board(name="shapes")
    start, finish = add(board, registry, "shape_start"), add(board, registry, "shape_finish")
    source = add(board, registry, name, **defaults)
    board.apply(commands.Batch([commands.Connect(start.id, "exec_out", finish.id, "exec_in"),
                                commands.Connect(source.id, out, finish.id, "value")]))
    return board, source


def wired(registry: Registry, reader: str, pin: str, out: str, **defaults: Any) -> Board:
    """start -> finish, finish reading `out` of `reader`, whose input `pin` reads Make Reply's output."""
    board, read = finishing(registry, reader, out, **defaults)
    reply = add(board, registry, "make_reply", status=201)
    board.apply(commands.Connect(reply.id, "result", read.id, pin))
    return board


def test_a_model_output_reaches_std_get_field_and_break_struct_as_a_dict(registry):
    run = run_board(wired(registry, "struct_get", "struct", "value", field="status"), registry=registry)
    assert run.raise_for_status().result == 201
    run = run_board(wired(registry, "struct_get", "struct", "found", field="body"), registry=registry)
    assert run.raise_for_status().result is True
    run = run_board(wired(registry, "struct_break", "struct_in", "fields"), registry=registry)
    fields = run.raise_for_status().result
    assert fields["body"] == b"hi" and fields["headers"] == {"content-type": "text/plain"}  # python mode


def test_a_dict_default_reaches_a_model_typed_input_as_the_model(registry):
    board, _ = finishing(registry, "reply_status", "result", reply={"status": 404, "body": "hi"})
    assert run_board(board, registry=registry).raise_for_status().result == 404
    board, _ = finishing(registry, "type_name", "result", value={"status": 404})
    assert run_board(board, registry=registry).raise_for_status().result == "dict"  # Generic: no conversion


def test_class_node_keyword_inputs_get_their_declared_shape(registry):
    board = Board(name="keywords")
    start = add(board, registry, "shape_start")
    describe = add(board, registry, "shape_describe_reply", reply={"status": 202})
    board.apply(commands.Connect(start.id, "exec_out", describe.id, "exec_in"))
    assert run_board(board, registry=registry).raise_for_status().result == "Reply 202"
    board = Board(name="keywords")
    start, count = add(board, registry, "shape_start"), add(board, registry, "shape_count_fields")
    reply = add(board, registry, "make_reply")
    board.apply(commands.Batch([commands.Connect(start.id, "exec_out", count.id, "exec_in"),
                                commands.Connect(reply.id, "result", count.id, "struct")]))
    assert run_board(board, registry=registry).raise_for_status().result == ["at", "body", "headers", "status"]


def test_a_bad_dict_fails_the_node_naming_node_pin_and_field(registry):
    board, source = finishing(registry, "reply_status", "result", reply={"status": "lost", "headers": {"a": 1}})
    run = run_board(board, registry=registry)
    assert not run.ok and run.error_node == source.id
    for part in (source.label(), "input 'reply'", "Reply", "field 'status'", "field 'headers.a'"):
        assert part in run.error
    board, source = finishing(registry, "reply_status", "result")  # (required, left empty: refused before running)
    with pytest.raises(BoardError, match=r"input 'reply' of .*: required, but with neither a wire nor a value"):
        run_board(board, registry=registry)
    board, source = finishing(registry, "reply_status", "result")
    text = add(board, registry, "anything")
    board.apply(commands.Connect(text.id, "result", source.id, "reply"))
    run = run_board(board, registry=registry)
    assert f"node {source.label()}: input 'reply' needs a Reply struct, got str" in run.error


def test_a_bad_dict_is_routed_to_on_error_when_it_is_wired(registry):
    board = Board(name="routed")
    start, check = add(board, registry, "shape_start"), add(board, registry, "check_reply", reply={"status": "x"})
    finish = add(board, registry, "shape_finish")
    board.apply(commands.Batch([commands.Connect(start.id, "exec_out", check.id, "exec_in"),
                                commands.Connect(check.id, ERROR_EXEC, finish.id, "exec_in"),
                                commands.Connect(check.id, ERROR_MESSAGE, finish.id, "value")]))
    message = run_board(board, registry=registry).raise_for_status().result
    assert message.startswith("StructShapeError: node ") and "input 'reply'" in message and "'status'" in message


def test_a_model_into_a_generic_pin_stays_a_model(registry):
    assert run_board(wired(registry, "type_name", "value", "result"), registry=registry).result == "Reply"
    board, reply = finishing(registry, "make_reply", "result")
    assert isinstance(run_board(board, registry=registry).result, Reply)


def test_the_run_record_of_shaped_values_is_json(registry):
    run = run_board(wired(registry, "struct_break", "struct_in", "fields"), registry=registry).raise_for_status()
    record = json.loads(run.to_json())
    assert record["result"] == {"status": 201, "headers": {"content-type": "text/plain"}, "body": [104, 105],
                                "at": "2026-01-02T03:04:05"}
    board, _ = finishing(registry, "make_reply", "result")
    record = json.loads(run_board(board, registry=registry).to_json())
    assert record["result"]["status"] == 200 and record["result"]["at"] == "2026-01-02T03:04:05"
