"""A node whose own code raises pydantic's ValidationError (validating a struct it read) fails in one line naming
the struct and each wrong field, where the run's error held pydantic's page: a line per field, each with a link to
pydantic's documentation."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from flowlike_core import Board, Registry, RunStatus, commands, node


class Reading(BaseModel):
    sensor: str
    value: float


@node(exec_pins=True)
def s12_read_sensor(raw: Any = None) -> float:
    """Validates what it read itself (a Generic input)."""
    return Reading.model_validate(raw).value


@node
def s12_pure_sensor(raw: Any = None) -> float:
    """The same as a pure node."""
    return Reading.model_validate(raw).value


@pytest.mark.parametrize("key", ["s12_read_sensor", "s12_pure_sensor"])
def test_a_validation_error_of_a_nodes_own_reads_one_line(key: str) -> None:
    from flowlike_catalog.std import PACK as STD

    registry = Registry([STD])
    registry.register(s12_read_sensor)
    registry.register(s12_pure_sensor)
    board = Board(name="sensors")
    start = board.apply(commands.AddNode(registry.get("events_simple").create()))
    sensor = board.apply(commands.AddNode(registry.get(key).create(raw={"value": "hot"})))
    if key == "s12_read_sensor":
        board.apply(commands.Connect(start.id, "exec_out", sensor.id, "exec_in"))
    else:
        back = board.apply(commands.AddNode(registry.get("events_generic_return_result").create()))
        board.apply(commands.Connect(start.id, "exec_out", back.id, "exec_in"))
        board.apply(commands.Connect(sensor.id, "result", back.id, "response"))
    run = board.run(registry=registry)
    assert run.status is RunStatus.FAILED
    assert "ValidationError: not a valid Reading: field 'sensor': Field required; field 'value': Input should be a " \
           "valid number, unable to parse string as a number" in run.error, run.error
    assert "\n" not in run.error and "errors.pydantic.dev" not in run.error
