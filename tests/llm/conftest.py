"""One scripted chat server for the session (reset per test) and a board builder with the llm and std packs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flowlike_catalog.data import PACK as DATA_PACK
from flowlike_catalog.llm import PACK as LLM_PACK
from flowlike_catalog.llm.testing import ChatServer
from flowlike_catalog.std import PACK as STD_PACK

from flowlike_core import Board, Node, Registry, Run, commands

PROVIDERS = {
    "openai": ("ai_generative_build_openai", "/v1"),
    "anthropic": ("ai_generative_build_anthropic", ""),
    "ollama": ("ai_generative_build_ollama", ""),
}


@pytest.fixture(scope="session")
def chat_server() -> Iterator[ChatServer]:
    with ChatServer() as server:
        yield server


@pytest.fixture
def server(chat_server: ChatServer) -> Iterator[ChatServer]:
    chat_server.reset()
    yield chat_server
    chat_server.reset()


class Builder:
    """Little boards through commands, as a cell or the editor would build them."""

    def __init__(self) -> None:
        self.registry = Registry([STD_PACK, LLM_PACK, DATA_PACK])
        self.board = Board(name="llm-test")

    def add(self, key: str, /, **defaults: Any) -> Node:
        return self.board.apply(commands.AddNode(self.registry.get(key).create(**defaults)))

    def wire(self, source: Node, out: str, target: Node, inp: str) -> None:
        self.board.apply(commands.Connect(source.id, out, target.id, inp))

    def chain(self, *steps: tuple[Node, str] | Node) -> None:
        """Exec wires: a bare node leaves by exec_out; `(node, "done")` by another exec output."""
        for source, target in zip(steps, steps[1:], strict=False):
            node, out = source if isinstance(source, tuple) else (source, "exec_out")
            self.wire(node, out, target[0] if isinstance(target, tuple) else target, "exec_in")

    def provider(self, server: ChatServer, provider: str, model_id: str = "test-model", api_key: str = "sk-test"
                 ) -> Node:
        key, suffix = PROVIDERS[provider]
        defaults: dict[str, Any] = {"endpoint": server.url + suffix, "model_id": model_id}
        if provider != "ollama":
            defaults["api_key"] = api_key
        return self.add(key, **defaults)

    def run(self, **options: Any) -> Run:
        return self.board.run(registry=self.registry, **options)

    def result(self, source: Node, output: str, *steps: tuple[Node, str] | Node) -> Any:
        """Run start -> steps -> return `source.output` as the run's result."""
        start, back = self.add("events_simple"), self.add("events_generic_return_result")
        self.chain(start, *steps, back)
        self.wire(source, output, back, "response")
        run = self.run()
        run.raise_for_status()
        return run.result

    @staticmethod
    def messages(run: Run) -> list[str]:
        return [line.message for line in run.logs()]


@pytest.fixture
def b() -> Builder:
    return Builder()
