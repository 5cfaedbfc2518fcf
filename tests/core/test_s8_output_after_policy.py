"""A pure node computed after a run (`partial.output_after`: the notebook's `run.output`, `board.bind`) runs under
the run's policy: a run that may not read a file, or reach the network, does not do it afterwards either."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from flowlike_core import Board, DataType, NodeType, Pack, Registry, commands, data_in, data_out, exec_out, partial
from flowlike_core.errors import NodeFailed
from flowlike_core.policy import Capability, Policy, allowed_path

RAN: Counter[str] = Counter()


class Start(NodeType):
    name = "s8_start"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx):
        ctx.activate("exec_out")


class ReadText(NodeType):
    """Pure: the text of a file, checked against the run's policy as file nodes do."""

    name = "s8_read_text"
    capabilities = frozenset({Capability.FILES})
    pins = (data_in("path", DataType.STRING), data_out("text", DataType.STRING))

    def run(self, ctx):
        RAN[self.name] += 1
        ctx.set_output("text", Path(allowed_path(ctx.get_input("path"))).read_text())


class Fetch(NodeType):
    """Pure, reaches the network (declared): a policy without `network` refuses it before it starts."""

    name = "s8_fetch"
    capabilities = frozenset({Capability.NETWORK})
    pins = (data_in("url", DataType.STRING), data_out("body", DataType.STRING))

    def run(self, ctx):
        RAN[self.name] += 1
        ctx.set_output("body", f"<{ctx.get_input('url')}>")


@pytest.fixture
def registry() -> Registry:
    registry = Registry()
    registry.add_pack(Pack("s8policy", modules=[sys.modules[__name__]], version="1.0"))
    RAN.clear()
    return registry


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    path = folder / "secret.txt"
    path.write_text("not for this run")
    return path


def unread_board(registry: Registry, path: Path) -> Board:
    """start, with `read` and `fetch` beside it: no node reads them, so a run leaves them to `output_after`."""
    board = Board(name="unread under a policy")
    for key, node_id, defaults in (("s8_start", "start", {}), ("s8_read_text", "read", {"path": str(path)}),
                                   ("s8_fetch", "fetch", {"url": "http://127.0.0.1:9/"})):
        board.apply(commands.AddNode(registry.get(key).create(node_id=node_id, **defaults)))
    return board


def test_a_run_to_under_a_policy_computes_no_unread_node_the_policy_refuses(registry: Registry,
                                                                             secret_file: Path) -> None:
    board = unread_board(registry, secret_file)
    run = partial.run_to(board, "start", registry=registry, policy=Policy())
    assert run.ok, run.error
    assert run.policy == Policy()
    with pytest.raises(NodeFailed, match=r"'text' of node 's8_read_text' \(read\).*failed:.*secret.txt.*outside the "
                                         r"store and the allowed paths"):
        partial.output_after(run, "read", "text", registry=registry)
    with pytest.raises(NodeFailed, match=r"'body' of node 's8_fetch' \(fetch\).*failed:.*needs network, which this "
                                         r"run does not allow"):
        partial.output_after(run, "fetch", "body", registry=registry)
    assert RAN == {"s8_read_text": 1}, "the read was refused before it opened the file; the fetch never started"


def test_what_the_policy_allows_is_computed_after_the_run(registry: Registry, secret_file: Path) -> None:
    board = unread_board(registry, secret_file)
    run = partial.run_to(board, "start", registry=registry, policy=Policy.of(paths=[secret_file.parent]))
    assert partial.output_after(run, "read", "text", registry=registry) == "not for this run"


def test_a_policy_given_to_output_after_is_the_one_it_runs_under(registry: Registry, secret_file: Path) -> None:
    board = unread_board(registry, secret_file)
    run = partial.run_to(board, "start", registry=registry)
    assert run.policy is None
    with pytest.raises(NodeFailed, match="needs network"):
        partial.output_after(run, "fetch", "body", registry=registry, policy=Policy())
    assert partial.output_after(run, "fetch", "body", registry=registry) == "<http://127.0.0.1:9/>"


def test_a_run_on_a_worker_process_carries_its_policy_back(registry: Registry, secret_file: Path) -> None:
    from flowlike_core import run_board
    from flowlike_core.backends.process import ProcessBackend

    board = unread_board(registry, secret_file)
    backend = ProcessBackend(1, timeout=60)
    try:
        run = run_board(board, registry=registry, backend=backend, policy=Policy())
    finally:
        backend.close()
    assert run.ok, run.error
    assert run.policy == Policy()
    with pytest.raises(NodeFailed, match="outside the store and the allowed paths"):
        partial.output_after(run, "read", "text", registry=registry)


def test_a_run_board_under_a_policy_computes_no_unread_node_the_policy_refuses(registry: Registry,
                                                                               secret_file: Path) -> None:
    from flowlike_core import run_board

    run = run_board(unread_board(registry, secret_file), registry=registry, policy=Policy())
    assert run.ok, run.error
    assert run.policy == Policy()
    with pytest.raises(NodeFailed, match="outside the store and the allowed paths"):
        partial.output_after(run, "read", "text", registry=registry)
