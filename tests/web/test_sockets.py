"""WebSocket, TCP, UDP and MQTT nodes against real servers on 127.0.0.1 (websockets, asyncio, amqtt)."""

from __future__ import annotations

import base64
import socket
import threading

from local_ports import free_port
from web_support import wait_for

from flowlike_core import RunStatus


def logged(run) -> list[str]:
    run.raise_for_status()
    return [line.message for line in run.logs()]


def log(b, after, pin: str, source=None, output: str = "", message: str = ""):
    """A Log Info node fired by `after`'s `pin`, logging `source`'s `output` (or a fixed message)."""
    node = b.add("log_info", message=message)
    b.wire(after, pin, node, "exec_in")
    if source is not None:
        b.wire(source, output, node, "message")
    return node


# ---- WebSocket ------------------------------------------------------------------------------------------


def test_websocket_send_receive_and_message_loop(b, websocket_server) -> None:
    start = b.add("events_simple")
    connect = b.add("websocket_connect", config={"url": websocket_server}, max_messages=2)
    send = b.add("websocket_send", payload="hi")
    receive = b.add("websocket_receive", timeout_seconds=10)
    binary = b.add("websocket_send", message_type="Binary", payload=base64.b64encode(b"abc").decode())
    again = b.add("websocket_send", payload="two")
    b.chain(start, connect)
    b.wire(connect, "on_connect", send, "exec_in")
    b.chain(send, receive)
    for node in (send, receive, binary, again):
        b.wire(connect, "session", node, "session")
    shown = log(b, receive, "exec_out", receive, "message")
    b.chain(shown, binary, again)
    log(b, connect, "on_message", connect, "message")
    log(b, connect, "on_close", message="closed")
    assert logged(b.run()) == ["echo: hi", base64.b64encode(b"cba").decode(), "echo: two", "closed"]


def test_websocket_peer_close_ends_the_loop(b, websocket_server) -> None:
    start = b.add("events_simple")
    connect = b.add("websocket_connect", config={"url": websocket_server})
    bye = b.add("websocket_send", payload="bye")
    b.chain(start, connect)
    b.wire(connect, "on_connect", bye, "exec_in")
    b.wire(connect, "session", bye, "session")
    log(b, connect, "on_message", connect, "message")
    log(b, connect, "on_close", message="closed")
    assert logged(b.run()) == ["closed"]


def test_websocket_unreachable_fires_error(b, closed_port) -> None:
    start = b.add("events_simple")
    connect = b.add("websocket_connect", config={"url": f"ws://127.0.0.1:{closed_port}"})
    b.chain(start, connect)
    log(b, connect, "exec_error", message="no socket")
    messages = logged(b.run())
    assert messages[-1] == "no socket" and messages[0].startswith(f"cannot open WebSocket ws://127.0.0.1:{closed_port}")


# ---- TCP ------------------------------------------------------------------------------------------------


def test_tcp_connect_send_receive_close(b, tcp_server) -> None:
    start = b.add("events_simple")
    connect = b.add("tcp_connect", config={"host": "127.0.0.1", "port": tcp_server})
    send = b.add("tcp_send", payload="hello\nworld\n")
    first, second = b.add("tcp_receive"), b.add("tcp_receive")
    quit_ = b.add("tcp_send", payload="QUIT\n")
    end = b.add("tcp_receive", timeout_seconds=10)
    b.chain(start, connect)
    b.wire(connect, "on_connect", send, "exec_in")
    b.chain(send, first, second)
    for node in (send, first, second, quit_, end):
        b.wire(connect, "session", node, "session")
    shown = log(b, second, "exec_out", first, "data")
    b.chain(shown, quit_, end)
    log(b, end, "exec_out", end, "received")
    log(b, connect, "on_close", message="closed")
    run = b.run()
    assert logged(run) == ["HELLO\n", "false", "closed"]  # the second line was read, then the server quit


def test_tcp_binary_payload_and_close_node(b, tcp_server) -> None:
    start = b.add("events_simple")
    connect = b.add("tcp_connect", config={"host": "127.0.0.1", "port": tcp_server})
    send = b.add("tcp_send", message_type="Binary", payload=base64.b64encode(b"abc\n").decode())
    receive, close = b.add("tcp_receive"), b.add("tcp_close")
    b.chain(start, connect)
    b.wire(connect, "on_connect", send, "exec_in")
    b.chain(send, receive, close)
    for node in (send, receive, close):
        b.wire(connect, "session", node, "session")
    log(b, close, "exec_out", receive, "data")
    assert logged(b.run()) == ["ABC\n"]


def test_tcp_listen_serves_clients(b) -> None:
    port = free_port()
    answers: list[bytes] = []

    def client() -> None:
        wait_for(lambda: port_open_quietly(port), "the TCP listener")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"ping\n")
            answers.append(conn.makefile("rb").readline())

    start = b.add("events_simple")
    listen = b.add("tcp_listen", config={"host": "127.0.0.1", "port": port, "max_connections": 1})
    receive, reply = b.add("tcp_receive"), b.add("tcp_send")
    b.chain(start, listen)
    b.wire(listen, "on_connection", receive, "exec_in")
    b.chain(receive, reply)
    b.wire(listen, "session", receive, "session")
    b.wire(listen, "session", reply, "session")
    b.wire(receive, "data", reply, "payload")
    log(b, listen, "on_listening", message="listening")
    log(b, listen, "on_close", message="closed")
    thread = threading.Thread(target=client)
    thread.start()
    messages = logged(b.run())
    thread.join(10)
    assert answers == [b"ping\n"]
    assert sorted(messages) == ["closed", "listening", f"served 1 TCP client on 127.0.0.1:{port}"]


def port_open_quietly(port: int) -> bool:
    """Probing the listener would count as its one client: look at the socket table instead."""
    with open("/proc/net/tcp") as table:
        return any(line.split()[1].endswith(f":{port:04X}") and line.split()[3] == "0A" for line in table)


def test_tcp_refused_fires_error(b, closed_port) -> None:
    start = b.add("events_simple")
    connect = b.add("tcp_connect", config={"host": "127.0.0.1", "port": closed_port})
    b.chain(start, connect)
    log(b, connect, "exec_error", message="refused")
    assert logged(b.run())[-1] == "refused"


# ---- UDP ------------------------------------------------------------------------------------------------


def test_udp_bind_send_receive_close(b) -> None:
    port = free_port()
    start = b.add("events_simple")
    listener = b.add("udp_bind", config={"host": "127.0.0.1", "port": port})
    sender = b.add("udp_bind", config={"host": "127.0.0.1", "port": 0})
    receive = b.add("udp_receive", max_messages=2)
    b.chain(start, listener, sender, receive)
    b.wire(listener, "session", receive, "session")
    sends = [b.add("udp_send_to", target_host="127.0.0.1", target_port=port, payload=text) for text in ("one", "two")]
    for send in sends:
        b.wire(sender, "session", send, "session")
    b.wire(receive, "on_listening", sends[0], "exec_in")
    b.chain(*sends)
    log(b, sends[1], "exec_out", sends[1], "bytes_sent")
    log(b, receive, "on_message", receive, "payload")
    close = b.add("udp_close")
    b.wire(receive, "on_close", close, "exec_in")
    b.wire(listener, "session", close, "session")
    log(b, close, "exec_out", message="closed")
    assert logged(b.run()) == ["3", "one", "two", "closed"]


def test_udp_close_inside_the_loop_ends_it(b) -> None:
    port = free_port()
    start = b.add("events_simple")
    listener = b.add("udp_bind", config={"host": "127.0.0.1", "port": port})
    receive = b.add("udp_receive")
    send = b.add("udp_send_to", target_host="127.0.0.1", target_port=port, payload="only")
    close = b.add("udp_close")
    b.chain(start, listener, receive)
    for node in (receive, send, close):
        b.wire(listener, "session", node, "session")
    b.wire(receive, "on_listening", send, "exec_in")
    b.wire(receive, "on_message", close, "exec_in")
    log(b, close, "exec_out", receive, "sender_host")
    log(b, receive, "on_close", message="closed")
    assert logged(b.run()) == ["127.0.0.1", "closed"]


def test_udp_port_in_use_fires_error(b) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        start = b.add("events_simple")
        bind = b.add("udp_bind", config={"host": "127.0.0.1", "port": taken.getsockname()[1]})
        b.chain(start, bind)
        log(b, bind, "exec_error", message="in use")
        assert logged(b.run())[-1] == "in use"


# ---- MQTT -----------------------------------------------------------------------------------------------


def mqtt_board(b, port):
    start = b.add("events_simple")
    connect = b.add("mqtt_connect", config={"host": "127.0.0.1", "port": port, "client_id": "board-1"})
    b.chain(start, connect)
    return connect


def test_mqtt_subscribe_publish_loop(b, mqtt_broker) -> None:
    connect = mqtt_board(b, mqtt_broker)
    subscribe = b.add("mqtt_subscribe", topic="sensors/+/temp", qos="AtLeastOnce", max_messages=2)
    b.chain(connect, subscribe)
    b.wire(connect, "session", subscribe, "session")
    publishes = [b.add("mqtt_publish", topic=topic, payload=payload, qos="AtLeastOnce")
                 for topic, payload in (("sensors/a/temp", "21.5"), ("other/x", "no"), ("sensors/b/temp", "19"))]
    for publish in publishes:
        b.wire(connect, "session", publish, "session")
    b.wire(subscribe, "on_subscribed", publishes[0], "exec_in")
    b.chain(*publishes)
    topic = log(b, subscribe, "on_message", subscribe, "message_topic")
    log(b, topic, "exec_out", subscribe, "message_payload")
    disconnect = b.add("mqtt_disconnect")
    b.wire(subscribe, "on_close", disconnect, "exec_in")
    b.wire(connect, "session", disconnect, "session")
    log(b, disconnect, "exec_out", message="done")
    assert logged(b.run())[1:] == ["sensors/a/temp", "21.5", "sensors/b/temp", "19", "done"]


def test_mqtt_subscribe_timeout(b, mqtt_broker) -> None:
    connect = mqtt_board(b, mqtt_broker)
    subscribe = b.add("mqtt_subscribe", topic="quiet/#", timeout_seconds=1)
    b.chain(connect, subscribe)
    b.wire(connect, "session", subscribe, "session")
    log(b, subscribe, "on_message", message="unexpected")
    log(b, subscribe, "on_close", message="closed")
    assert logged(b.run()) == [f"MQTT connected to 127.0.0.1:{mqtt_broker} as board-1", "closed"]


def test_mqtt_unreachable_broker(b, closed_port) -> None:
    connect = mqtt_board(b, closed_port)
    log(b, connect, "exec_error", message="no broker")
    assert logged(b.run())[-1] == "no broker"


def test_session_of_another_kind_is_clear(b, mqtt_broker) -> None:
    start = b.add("events_simple")
    bind = b.add("udp_bind", config={"host": "127.0.0.1", "port": 0})
    publish = b.add("mqtt_publish", topic="t")
    b.chain(start, bind, publish)
    b.wire(bind, "session", publish, "session")
    run = b.run()
    assert run.status is RunStatus.FAILED and "no open mqtt session 'udp-" in run.error
