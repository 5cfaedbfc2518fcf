"""MQTT with aiomqtt: connect to a broker, publish, subscribe (a receive loop), disconnect."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from flowlike_catalog.web.errors import routed
from flowlike_catalog.web.sessions import (
    Port,
    SessionIn,
    config_of,
    deadline_after,
    forget,
    limits,
    open_session,
    received,
    resource,
    session_in,
    session_out,
)
from pydantic import BaseModel, ConfigDict, Field

from flowlike_core import Context, DataType, NodeType, Pin, PinOptions, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Web/MQTT"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
QOS = {"AtMostOnce": 0, "AtLeastOnce": 1, "ExactlyOnce": 2}


class MqttConfig(BaseModel):
    model_config = ConfigDict(frozen=True)
    host: str
    port: Port = 1883
    client_id: str = Field(default_factory=lambda: f"flowlike-{uuid.uuid4().hex[:12]}")
    username: str | None = None
    keep_alive_seconds: int = 30
    use_tls: bool = False


QOS_IN = "Delivery guarantee: AtMostOnce (0), AtLeastOnce (1), ExactlyOnce (2)"
Qos = Annotated[str, Pin(description=QOS_IN, valid_values=tuple(QOS))]


def qos_in() -> Any:
    return data_in("qos", DataType.STRING, default="AtMostOnce", options=PinOptions(valid_values=tuple(QOS)),
                   description=QOS_IN)


def qos_level(qos: str) -> int:
    if qos not in QOS:
        raise ValueError(f"qos must be one of {', '.join(QOS)}, got {qos!r}")
    return QOS[qos]


class MqttConnect(NodeType):
    name = "mqtt_connect"
    friendly_name = "MQTT Connect"
    description = "Connects to an MQTT broker for this run (MQTT 3.1.1); the password is never logged."
    pins = (exec_in(),
            data_in("config", DataType.STRUCT, schema=MqttConfig.model_json_schema(), required=True,
                    description="{'host': ..., 'port': 1883, 'client_id': ..., 'username': ..., 'use_tls': false}"),
            data_in("password", DataType.STRING, default="", options=PinOptions(sensitive=True),
                    description="Feed it from a secret variable"),
            exec_out(), session_out(), exec_out("exec_error", "Error", "The broker could not be reached"))

    async def run(self, ctx: Context, *, config: Any, password: str) -> None:
        import ssl

        import aiomqtt

        config = config_of(config, MqttConfig, "MQTT")
        client = aiomqtt.Client(config.host, config.port, identifier=config.client_id, username=config.username,
                                password=password or None, keepalive=config.keep_alive_seconds,
                                tls_context=ssl.create_default_context() if config.use_tls else None)
        try:
            await client.__aenter__()
        except aiomqtt.MqttError as exc:
            where = f"{config.host}:{config.port}"
            routed(ctx, "exec_error", ConnectionError(f"cannot connect to MQTT broker {where}: {exc}"))
            return
        ctx.close_at_end(lambda: client.__aexit__(None, None, None))
        ctx.info(f"MQTT connected to {config.host}:{config.port} as {config.client_id}")
        ctx.set_output("session", open_session(ctx, "mqtt", client, remote_addr=f"{config.host}:{config.port}"))
        ctx.activate("exec_out")


@node(friendly_name="MQTT Publish", exec_pins=True)
async def mqtt_publish(ctx: Context, session: SessionIn, topic: str, payload: str = "", qos: Qos = "AtMostOnce",
                       retain: bool = False) -> None:
    """Publishes a UTF-8 payload on a topic."""
    client = resource(ctx, "mqtt", session)
    level = qos_level(qos)
    try:
        await client.publish(topic, payload.encode("utf-8"), qos=level, retain=retain)
    except ValueError as exc:  # aiomqtt's check of the topic, which it does not name
        raise ValueError(f"cannot publish on topic {topic!r}: {exc}") from None


class MqttSubscribe(NodeType):
    name = "mqtt_subscribe"
    friendly_name = "MQTT Subscribe"
    description = ("Subscribes to a topic filter (+ and # wildcards), fires On Subscribed (publish from there), "
                   "then On Message per message until the limits or a disconnect; then On Close. "
                   "(The engine starts no run per message: this node loops inside its run.)")
    pins = (exec_in(), session_in(), data_in("topic", DataType.STRING, required=True), qos_in(), *limits(),
            exec_out("on_subscribed", "On Subscribed"),
            exec_out("on_message", "On Message", "Fires per received message"),
            data_out("message_topic", DataType.STRING), data_out("message_payload", DataType.STRING,
                                                                 description="The payload as UTF-8 text"),
            exec_out("on_close", "On Close"), exec_out("exec_error", "Error", "The subscription was refused"))

    async def run(self, ctx: Context, *, session: Any, topic: str, qos: str, timeout_seconds: float,
                  max_messages: int) -> None:
        import aiomqtt

        client = resource(ctx, "mqtt", session)
        level = qos_level(qos)
        try:
            await client.subscribe(topic, qos=level)
        except ValueError as exc:  # aiomqtt's check of the filter, which it does not name
            raise ValueError(f"cannot subscribe to topic filter {topic!r}: {exc}") from None
        except aiomqtt.MqttError as exc:
            routed(ctx, "exec_error", ConnectionError(f"cannot subscribe to {topic!r}: {exc}"))
            return
        deadline = deadline_after(timeout_seconds)
        await ctx.fire("on_subscribed")

        messages = client.messages

        async def next_message() -> Any:
            """The next message on the topic (the client also receives those of the session's other subscriptions)."""
            while not (message := await anext(messages)).topic.matches(topic):
                pass
            return message

        closed = (aiomqtt.MqttError, StopAsyncIteration)
        async for message in received(next_message, deadline, max_messages, closed):
            ctx.set_output("message_topic", message.topic.value)
            payload = message.payload
            text = payload.decode("utf-8", "replace") if isinstance(payload, bytes | bytearray) else str(payload or "")
            ctx.set_output("message_payload", text)
            await ctx.fire("on_message")
        ctx.activate("on_close")


@node(friendly_name="MQTT Disconnect", exec_pins=True)
async def mqtt_disconnect(ctx: Context, session: SessionIn) -> None:
    """Disconnects from the broker."""
    await resource(ctx, "mqtt", session).__aexit__(None, None, None)
    forget(ctx, session)
