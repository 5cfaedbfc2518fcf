"""A connection config naming a field its kind has not fails naming it and the fields there are, where the field
was ignored without a word: an MQTT config with "tls": true connected in plain text, a TCP config's "timeout" left
the 30 s default."""

from __future__ import annotations

import pytest

from flowlike_core import RunStatus


@pytest.mark.parametrize(("key", "config", "what", "field"), [
    ("mqtt_connect", {"host": "127.0.0.1", "port": 9, "tls": True}, "MQTT", "tls"),
    ("tcp_connect", {"host": "127.0.0.1", "port": 9, "timeout": 1}, "TCP", "timeout"),
    ("websocket_connect", {"url": "ws://127.0.0.1:9/", "header": {"X": "1"}}, "WebSocket", "header"),
    ("udp_bind", {"host": "127.0.0.1", "port": 0, "broadcast": True}, "UDP", "broadcast"),
])
def test_a_config_field_of_no_such_name_is_refused(b, key, config, what, field) -> None:
    node = b.add(key, config=config)
    b.chain(b.add("events_simple"), node)
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"input 'config' is not a valid {what} config: field {field!r}: Extra inputs are not permitted" \
        in run.error, run.error
