"""MQTT boards a tinkerer wires against the real broker (amqtt on 127.0.0.1): a unicode round trip, and the
mistakes (a wildcard in a publish topic, a broken filter, a config without host) each naming what and where."""

from __future__ import annotations

import pytest

from flowlike_core import RunStatus


def connected(b, config: dict):
    start, connect = b.add("events_simple"), b.add("mqtt_connect", config=config)
    b.chain(start, connect)
    return connect


def test_unicode_payloads_go_round_the_broker(b, mqtt_broker) -> None:
    connect = connected(b, {"host": "127.0.0.1", "port": mqtt_broker})
    subscribe = b.add("mqtt_subscribe", topic="home/küche/#", max_messages=1)
    publish = b.add("mqtt_publish", topic="home/küche/temp", payload="21,5 °C ✓ 北京", qos="AtLeastOnce")
    back = b.add("events_generic_return_result")
    b.chain(connect, subscribe)
    for node in (subscribe, publish):
        b.wire(connect, "session", node, "session")
    b.wire(subscribe, "on_subscribed", publish, "exec_in")
    b.wire(subscribe, "on_message", back, "exec_in")
    b.wire(subscribe, "message_payload", back, "response")
    run = b.run()
    run.raise_for_status()
    assert run.result == "21,5 °C ✓ 北京"


@pytest.mark.parametrize(("topic", "why"), [("sensors/#", "Publish topic cannot contain wildcards."),
                                            ("", "Invalid topic.")])
def test_a_topic_that_cannot_be_published_on_is_named(b, mqtt_broker, topic, why) -> None:
    connect = connected(b, {"host": "127.0.0.1", "port": mqtt_broker})
    publish = b.add("mqtt_publish", topic=topic, payload="1")
    b.chain(connect, publish)
    b.wire(connect, "session", publish, "session")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"ValueError: cannot publish on topic {topic!r}: {why}" in run.error


def test_a_broken_topic_filter_is_named(b, mqtt_broker) -> None:
    connect = connected(b, {"host": "127.0.0.1", "port": mqtt_broker})
    subscribe = b.add("mqtt_subscribe", topic="sensors/#/temp", timeout_seconds=5)
    b.chain(connect, subscribe)
    b.wire(connect, "session", subscribe, "session")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "cannot subscribe to topic filter 'sensors/#/temp': Invalid subscription filter." in run.error


@pytest.mark.parametrize(("config", "why"), [
    ({"port": 1883}, "field 'host': Field required"),
    ({"host": "127.0.0.1", "port": "eighteen"}, "field 'port': Input should be a valid integer"),
])
def test_a_bad_config_names_input_and_field_in_one_line(b, config, why) -> None:
    connected(b, config)
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"ValueError: input 'config' is not a valid MQTT config: {why}" in run.error
    assert "\n" not in run.error


@pytest.mark.parametrize(("key", "what", "config"), [
    ("udp_bind", "UDP", {"host": "127.0.0.1", "port": 70000}),
    ("tcp_connect", "TCP", {"host": "127.0.0.1", "port": -1}),
    ("mqtt_connect", "MQTT", {"host": "127.0.0.1", "port": 188300}),
])
def test_a_port_out_of_range_is_named_before_any_socket(b, key, what, config) -> None:
    b.chain(b.add("events_simple"), b.add(key, config=config))
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"ValueError: input 'config' is not a valid {what} config: field 'port': Input should be" in run.error


def test_udp_send_to_a_port_out_of_range_names_it(b) -> None:
    bind = b.add("udp_bind", config={"host": "127.0.0.1", "port": 0})
    send = b.add("udp_send_to", target_host="127.0.0.1", target_port=70000, payload="hi")
    b.chain(b.add("events_simple"), bind, send)
    b.wire(bind, "session", send, "session")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "ValueError: target_port must be 1..65535, got 70000" in run.error
