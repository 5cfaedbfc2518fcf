"""A jupyter_server extension for tests: notes, in the file $BOARD_READ_PROBE, where each board file the run API
reads ("read") and each plan compiled ("plan") is made: "loop" on a thread running an event loop (the server's),
"worker" elsewhere."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import flowlike_core.plan
import flowlike_core.service


def where() -> str:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return "worker"
    return "loop"


def noting(name: str, function: Any) -> Any:
    def noted(*args: Any, **kwargs: Any) -> Any:
        with open(os.environ["BOARD_READ_PROBE"], "a") as log:
            log.write(f"{name}:{where()}\n")
        return function(*args, **kwargs)

    return noted


def _load_jupyter_server_extension(server_app: Any) -> None:
    flowlike_core.service.read_board = noting("read", flowlike_core.service.read_board)
    flowlike_core.plan.compile_plan = noting("plan", flowlike_core.plan.compile_plan)
