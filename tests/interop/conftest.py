"""Shared fixtures: the default registry and a small Flow-Like board with a node we do not have."""

from __future__ import annotations

from typing import Any

import pytest
from flowlike_json import exec_pin, fl_board, fl_node, fl_pin, link

from flowlike_core import default_registry


@pytest.fixture(scope="session")
def registry():
    return default_registry()


@pytest.fixture
def hello() -> dict[str, Any]:
    """events_simple -> log_info("hello") -> an unknown node -> log_info; plus a variadic bool_or."""
    start_out = exec_pin("p-start-out", "exec_out", "Output")
    log_in, log_out = exec_pin("p-log-in", "exec_in", "Input"), exec_pin("p-log-out", "exec_out", "Output", 2)
    message = fl_pin("p-log-msg", "message", data_type="String", default="hello", index=1)
    fetch_in = exec_pin("p-fetch-in", "exec_in", "Input")
    url = fl_pin("p-fetch-url", "sticker", default="CAACAgIAAxk", index=1)
    fetch_out = exec_pin("p-fetch-out", "exec_out", "Output", 2)
    body = fl_pin("p-fetch-body", "body", "Output", index=3)
    after_in = exec_pin("p-after-in", "exec_in", "Input")
    after_msg = fl_pin("p-after-msg", "message", data_type="String", index=1)
    link(start_out, log_in)
    link(log_out, fetch_in)
    link(fetch_out, after_in)
    link(body, after_msg)
    return fl_board(
        fl_node("n-start", "events_simple", [start_out], (0, 0, 0), friendly_name="Start"),
        fl_node("n-log", "log_info", [log_in, message, log_out], (200, 0, 0), friendly_name="Say hello"),
        fl_node("n-fetch", "copilot_abort", [fetch_in, url, fetch_out, body], (400, 0, 0),
                friendly_name="Sticker", description="Sends a sticker", category="AI/GitHub/Copilot/Chat"),
        fl_node("n-after", "log_info", [after_in, after_msg, exec_pin("p-after-out", "exec_out", "Output", 2)],
                (600, 0, 0)),
    )
