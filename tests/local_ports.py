"""Ports for the servers tests start on 127.0.0.1 (a module of its own: `conftest` is a name every test folder has).

A port the OS hands out to `bind(("127.0.0.1", 0))` is free, but once that probe is closed, any other process's
bind(0) or outgoing connection may be given the same port before the server binds it: on a busy machine the server
then fails to start, or a test talks to another program. These ports come from below the range the OS hands out on
its own (`ip_local_port_range`), where only a process that names the port can take it.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

LOWEST = 10000
"""Below it: well-known services' ports (Jupyter's 8888, Voila's 8866, databases' defaults)."""
_given: set[int] = set()
"""Ports this process has handed out already: two servers starting one after the other never get the same one."""


def free_port() -> int:
    """A port of 127.0.0.1 that no socket holds now, outside the range the OS gives out to bind(0) and connect()."""
    start = max(_os_range_start(), LOWEST + 1024)  # (a machine whose OS range starts low: ports within it)
    for _ in range(1000):
        port = random.randrange(LOWEST, start)
        if port in _given:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:  # a listener, a connection, or one in TIME_WAIT holds it
                continue
        _given.add(port)
        return port
    raise RuntimeError(f"no free port of 127.0.0.1 between {LOWEST} and {start}")


def free_ports(count: int) -> list[int]:
    return [free_port() for _ in range(count)]


def _os_range_start() -> int:
    """The lowest port the OS gives out on its own (Linux's setting; its default elsewhere)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768
