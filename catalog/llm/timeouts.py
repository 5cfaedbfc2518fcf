"""How long the llm pack's requests wait for a server: one setting, read as each request starts.

A model's own `timeout` (Set Model Timeout) comes first, then the FLOWLIKE_LLM_TIMEOUT environment variable, then
the default. A slow local model (Ollama on a CPU, a long answer not streamed) needs longer than the default; a
board that should fail fast, less. Flow-Like has no limit and no setting for one.
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import httpx
    from flowlike_catalog.llm.structs import LanguageModel

ENV = "FLOWLIKE_LLM_TIMEOUT"
MODEL_CALL = 300.0
"""Seconds a model call (chat, embeddings) waits for the next bytes of the answer (between stream pieces, or for a
whole answer) when nothing is set."""
ATTACHMENT = 60.0
"""Seconds Extract Attachments waits for a file server when nothing is set: no model thinks behind it."""
CONNECT = 10.0
"""Seconds to connect, at most: a server that is up accepts at once, however slow its model (a shorter setting
shortens this too)."""


class Timeout(NamedTuple):
    """The seconds a request waits and the setting they came from, for the error that says what to change."""

    seconds: float
    setting: str

    def for_httpx(self) -> httpx.Timeout:
        import httpx

        return httpx.Timeout(self.seconds, connect=min(CONNECT, self.seconds))


def seconds(value: Any, setting: str) -> float:
    """A timeout in seconds: a finite number more than 0, else a ValueError naming the setting and its value."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not (0 < number < math.inf):
        raise ValueError(f"{setting}={value!r} is not a number of seconds more than 0")
    return number


def from_env(default: float, where_to_set: str = f"set {ENV}=SECONDS") -> Timeout:
    """FLOWLIKE_LLM_TIMEOUT when it is set (an empty value is not), else the default (with where to set it)."""
    value = os.environ.get(ENV, "")
    if value:
        return Timeout(seconds(value, ENV), f"{ENV}={value}")
    return Timeout(default, f"the default: {where_to_set}")


def of_model(model: LanguageModel) -> Timeout:
    """A model call's timeout: the model's own, else the environment's, else MODEL_CALL."""
    if model.timeout is not None:
        return Timeout(model.timeout, f"the model's timeout={model.timeout:g} (Set Model Timeout)")
    return from_env(MODEL_CALL, f"set {ENV}=SECONDS, or wire the model through Set Model Timeout")
