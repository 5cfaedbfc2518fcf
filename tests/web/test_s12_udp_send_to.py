"""UDP Send To an address no datagram can go to fails naming it, where it reported the bytes as sent with
Success (asyncio hands the socket's error to the protocol, which dropped it): an IPv6 address from an IPv4 socket,
the broadcast address (the socket refuses it without SO_BROADCAST), no host at all. (No test asks a resolver:
nothing may reach the internet.)"""

from __future__ import annotations

import pytest

from flowlike_core import RunStatus


@pytest.mark.parametrize(("host", "why"), [
    ("::1", "Address family for hostname not supported"),
    ("255.255.255.255", "Permission denied"),  # broadcast without SO_BROADCAST: the socket refuses it
    ("", "target_host is empty"),
])
def test_a_datagram_to_an_address_it_cannot_reach_fails_naming_it(b, host, why) -> None:
    bind = b.add("udp_bind", config={"host": "127.0.0.1", "port": 0})
    send = b.add("udp_send_to", target_host=host, target_port=9, payload="hi")
    b.wire(bind, "session", send, "session")
    b.chain(b.add("events_simple"), bind, send)
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert why in run.error and (not host or f"{host}:9" in run.error), run.error
