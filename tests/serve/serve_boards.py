"""Boards for the run API tests: small std boards saved into a folder, how to wait for a server, and a Jupyter
server with the flowlike_nb extension serving them."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from flowlike_catalog.std import PACK
from local_ports import free_port

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


@contextlib.contextmanager
def flowlike_serve(root: Path, *args: str, token: str | None = TOKEN,
                   **env: str) -> Iterator[tuple[httpx.Client, subprocess.Popen[bytes]]]:
    """`flowlike serve root --token TOKEN *args` (`token` None: without one) on a free port of 127.0.0.1, and a
    client holding the token; stopped with Ctrl-C (the runs still going are cancelled) at the end."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "flowlike_core.cli", "serve", str(root), "--port", str(port), *args,
         *(["--token", token] if token else [])],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={key: value for key, value in {**os.environ, **env}.items() if key != "FLOWLIKE_SERVE_TOKEN"})
    try:
        wait_until_listening(port, process)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60,
                          headers={"Authorization": f"Bearer {token}"} if token else {}) as client:
            yield client, process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Served:
    url: str
    root: Path
    client: httpx.Client


ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "jupyter-config" / "jupyter_server_config.d" / "flowlike_nb.json"
JUPYTER_TOKEN = "jupyter-runs-token"


@contextlib.contextmanager
def jupyter_server(home: Path, *args: str, base_url: str = "/",
                   **env: str) -> Iterator[tuple[httpx.Client, subprocess.Popen[bytes]]]:
    """A Jupyter server on 127.0.0.1 serving `home/root` (make_boards), with the flowlike_nb extension, under
    `base_url`; `args` are more options of its command line (`--FlowlikeRuns.max_runs=1`)."""
    root = home / "root"
    make_boards(root)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "IPYTHONDIR": str(home / "ipython"),
           "JUPYTER_CONFIG_PATH": str(CONFIG.parent.parent), **env}
    port = free_port()
    log = (home / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={JUPYTER_TOKEN}", f"--ServerApp.root_dir={root}",
         f"--ServerApp.base_url={base_url}", "--allow-root", *args],
        env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, headers={"Authorization": f"token {JUPYTER_TOKEN}"}, timeout=60) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    client.get(f"{base_url}api/status").raise_for_status()
                    break
                except httpx.HTTPError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError((home / "server.log").read_text()) from None
                    time.sleep(0.25)
            yield client, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)
        log.close()
