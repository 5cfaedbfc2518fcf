"""Events a run emits while it goes, for progress displays, the editor's live view and logs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

EventKind = Literal["run_started", "node_started", "node_finished", "log", "progress", "run_finished"]


@dataclass(slots=True, frozen=True)
class Event:
    kind: EventKind
    node_id: str = ""
    status: str = ""
    message: str = ""
    level: str = ""
    progress: float | None = None
    duration: float | None = None
    run_id: str = ""
    data: Any = None


Listener = Callable[[Event], None]
