"""A jupyter_server extension for tests: notes, in the file $BOARD_READ_PROBE, where each board file the run API
reads is read: "loop" on a thread running an event loop (the server's), "worker" elsewhere."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import flowlike_core.service


def _load_jupyter_server_extension(server_app: Any) -> None:
    read_board = flowlike_core.service.read_board

    def noted(*args: Any, **kwargs: Any) -> Any:
        try:
            asyncio.get_running_loop()
            where = "loop"
        except RuntimeError:
            where = "worker"
        with open(os.environ["BOARD_READ_PROBE"], "a") as log:
            log.write(where + "\n")
        return read_board(*args, **kwargs)

    flowlike_core.service.read_board = noted
