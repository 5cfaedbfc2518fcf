"""Boards for the run API tests: small std boards saved into a folder, and how to wait for a server."""

from __future__ import annotations

import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from flowlike_catalog.std import PACK

from flowlike_core import Board, DataType, Node, Registry, ValueType, Variable, commands

TOKEN = "serve-test-token"
SECRET = "s3cr3t-api-key-value"


class Builder:
    """Builds one board from std nodes through commands, as the editor would, and saves it."""

    registry = Registry([PACK])

    def __init__(self, name: str) -> None:
        self.board = Board(name=name)

    def add(self, key: str, /, **defaults: Any) -> Node:
        return self.board.apply(commands.AddNode(self.registry.get(key).create(**defaults)))

    def wire(self, source: Node, out: str, target: Node, inp: str) -> None:
        self.board.apply(commands.Connect(source.id, out, target.id, inp))

    def variable(self, name: str, data_type: DataType, default: Any, *, exposed: bool = False,
                 secret: bool = False) -> None:
        self.board.apply(commands.UpsertVariable(Variable(name=name, data_type=data_type, default_value=default,
                                                          exposed=exposed, secret=secret)))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.board.save(path)


def make_boards(root: Path) -> None:
    """echo: payload + offset (a webhook); slow: logs, waits 30 s; fails: parses its payload as JSON;
    secret: logs its secret variable `api_key` (a saved board keeps no secret value); every one of them under `root`."""
    echo = Builder("echo")
    echo.variable("offset", DataType.INTEGER, 100, exposed=True)
    event, add, offset, back = (echo.add("events_generic"), echo.add("int_add"),
                                echo.add("variable_get", var_ref="offset"), echo.add("events_generic_return_result"))
    echo.wire(event, "exec_out", back, "exec_in")
    echo.wire(event, "payload", add, "integer1")
    echo.wire(offset, "value_ref", add, "integer2")
    echo.wire(add, "sum", back, "response")
    echo.save(root / "hooks" / "echo.board.json")

    slow = Builder("slow")
    start, say = slow.add("events_simple"), slow.add("log_info", message="waiting")
    wait = slow.add("delay", time=30_000.0)
    slow.wire(start, "exec_out", say, "exec_in")
    slow.wire(say, "exec_out", wait, "exec_in")
    slow.save(root / "slow.board.json")

    fails = Builder("fails")
    event, parse, back = fails.add("events_generic"), fails.add("val_from_string"), fails.add(
        "events_generic_return_result")
    fails.wire(event, "exec_out", back, "exec_in")
    fails.wire(event, "payload", parse, "string")
    fails.wire(parse, "value_ref", back, "response")
    fails.save(root / "fails.board.json")

    secret = Builder("secret")
    secret.variable("api_key", DataType.STRING, "", exposed=True, secret=True)
    start, key, say = secret.add("events_simple"), secret.add("variable_get", var_ref="api_key"), secret.add("log_info")
    secret.wire(start, "exec_out", say, "exec_in")
    secret.wire(key, "value_ref", say, "message")
    secret.save(root / "secret.board.json")


def chatty_board(folder: Path) -> None:
    """One log line per item of its exposed Integer array `items`."""
    chatty = Builder("chatty")
    chatty.board.apply(commands.UpsertVariable(Variable(name="items", data_type=DataType.INTEGER, exposed=True,
                                                        value_type=ValueType.ARRAY, default_value=[])))
    start, items, loop = chatty.add("events_simple"), chatty.add("variable_get", var_ref="items"), chatty.add(
        "control_for_each")
    say = chatty.add("log_info", message="item")
    chatty.wire(start, "exec_out", loop, "exec_in")
    chatty.wire(items, "value_ref", loop, "array")
    chatty.wire(loop, "exec_out", say, "exec_in")
    chatty.save(folder / "chatty.board.json")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(port: int, process: subprocess.Popen[bytes], deadline: float = 30.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"flowlike serve exited with {process.returncode}: {process.stderr.read().decode()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"flowlike serve did not listen on port {port} within {deadline} s")


@dataclass
class Served:
    url: str
    root: Path
    client: httpx.Client
