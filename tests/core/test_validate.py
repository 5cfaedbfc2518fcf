"""`validate()` lists every problem of a loaded board, with node and pin."""

from __future__ import annotations

from typing import Annotated

import pytest

from flowlike_core import Board, Connection, Pin, commands, node


def test_clean_board_has_no_problems(build):
    start, add = build.add("t_start"), build.add("t_add_one")
    build.chain(start, add)
    assert build.board.validate(build.registry) == []


def test_lists_every_problem(build):
    start, add, needs = build.add("t_start"), build.add("t_add_one"), build.add("t_needs_x")
    p1, p2 = build.add("t_pass"), build.add("t_pass")
    data = build.board.to_dict()
    data["nodes"][add.id]["name"] = "no_such_type"
    wires = data["connections"]
    wires.append({"from_node": start.id, "from_pin": "ghost", "to_node": add.id, "to_pin": add.pin("exec_in").id})
    wires.append(
        {
            "from_node": start.id,
            "from_pin": start.pin("payload").id,
            "to_node": needs.id,
            "to_pin": needs.pin("exec_in").id,
        }
    )
    wires.append(
        {
            "from_node": p1.id,
            "from_pin": p1.pin("value", "Output").id,
            "to_node": p2.id,
            "to_pin": p2.pin("value", "Input").id,
        }
    )
    wires.append(
        {
            "from_node": p2.id,
            "from_pin": p2.pin("value", "Output").id,
            "to_node": p1.id,
            "to_pin": p1.pin("value", "Input").id,
        }
    )
    board = Board.from_dict(data)
    codes = {(p.code, p.node_id) for p in board.validate(build.registry)}
    assert ("unknown-node-type", add.id) in codes
    assert ("dangling-connection", add.id) in codes
    assert ("type-mismatch", needs.id) in codes
    assert ("required-input-empty", needs.id) in codes
    assert any(code == "pure-cycle" for code, _ in codes)
    problem = next(p for p in board.validate(build.registry) if p.code == "required-input-empty")
    assert problem.pin_id == needs.pin("label").id and "label" in problem.message


def test_too_many_wires_on_a_data_input(build):
    a, b, c = build.add("t_add_one"), build.add("t_add_one"), build.add("t_add_one")
    board = build.board
    board.connections = [
        Connection(from_node=a.id, from_pin=a.pin("value", "Output").id, to_node=c.id, to_pin=c.pin("value").id),
        Connection(from_node=b.id, from_pin=b.pin("value", "Output").id, to_node=c.id, to_pin=c.pin("value").id),
    ]
    assert [p.code for p in board.validate(build.registry)] == ["too-many-wires"]



def test_a_run_that_would_reach_a_required_input_left_empty_is_refused_before_anything_runs(build):
    from flowlike_core.errors import BoardError
    from flowlike_core.executor import run_board

    start, needs = build.add("t_start"), build.add("t_needs_x")
    build.chain(start, needs)
    with pytest.raises(BoardError, match=r"input 'label' of .*: required, but with neither a wire nor a value"):
        run_board(build.board, registry=build.registry)
    assert needs.id in str(pytest.raises(BoardError, run_board, build.board, registry=build.registry).value)


def test_a_required_input_left_empty_where_the_run_does_not_go_is_no_reason_to_refuse(build):
    from flowlike_core.executor import run_board

    build.add("t_start")
    build.add("t_needs_x")  # nothing wired to it: a run from start never reaches it
    assert run_board(build.board, registry=build.registry).ok


def test_a_secret_typed_into_a_sensitive_input_is_a_warning_that_names_the_way_out(build):
    """The board file keeps what is typed into an input, sensitive or not; a secret variable keeps none."""
    @node(name="t_keyed_call")
    def call(api_key: Annotated[str, Pin(sensitive=True)] = "") -> str:
        return api_key[:0]

    build.registry.register(call)
    typed = build.board.apply(commands.AddNode(call.create(api_key="sk-123")))
    build.board.apply(commands.AddNode(call.create()))
    (problem,) = build.board.validate(build.registry)
    assert (problem.code, problem.severity, problem.node_id) == ("secret-in-file", "warning", typed.id)
    assert "wire a secret variable into it" in problem.message
