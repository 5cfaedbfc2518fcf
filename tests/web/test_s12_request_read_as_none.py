"""API Call, Streaming API Call, HTTP Download and Grab IP-Camera Frame reading a request as None (from a Make
Request that has not run, or a variable holding none) name the input, where they failed with
"AttributeError: 'NoneType' object has no attribute 'method'"."""

from __future__ import annotations

import pytest

from flowlike_core import DataType, RunStatus, Variable, commands


@pytest.mark.parametrize("key", ["http_fetch", "streaming_http_fetch", "http_download", "web_camera_grab_frame"])
def test_a_request_read_as_none_names_the_input(b, key) -> None:
    b.board.apply(commands.UpsertVariable(Variable(name="request", data_type=DataType.GENERIC, exposed=True)))
    node = b.add(key)
    b.wire(b.add("variable_get", var_ref="request"), "value_ref", node, "request")
    b.chain(b.add("events_simple"), node)
    run = b.run(variables={"request": None})
    assert run.status is RunStatus.FAILED
    assert "input 'request' got no HttpRequest (None): wire one from the node that makes it" in run.error, run.error
