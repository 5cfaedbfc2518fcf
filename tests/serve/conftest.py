"""A folder of small std boards, served by a real `flowlike serve` process on 127.0.0.1 (session scope)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from serve_boards import TOKEN, Served, free_port, make_boards, wait_until_listening


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("served")
    make_boards(root)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "flowlike_core.cli", "serve", str(root), "--port", str(port), "--token", TOKEN],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "FLOWLIKE_STORE": str(root / ".store")})
    try:
        wait_until_listening(port, process)
        url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60) as client:
            yield Served(url, root, client)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
