"""A node that reads files and declares itself cacheable is not served to a run whose policy checks paths: served,
it would hand over a file's content without the check the node makes as it runs (`flowlike_core.policy`)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from flowlike_core import Board, DataType, NodeType, Pack, Registry, commands, data_in, data_out, exec_in, exec_out
from flowlike_core.cache import ResultCache
from flowlike_core.executor import run_board
from flowlike_core.policy import Capability, Policy, allowed_path

RAN: Counter[str] = Counter()


class Start(NodeType):
    name = "cp_start"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx):
        ctx.activate("exec_out")


class ReadText(NodeType):
    """Pure, reads a file (checked against the run's policy), and declares its result worth keeping."""

    name = "cp_read_text"
    capabilities = frozenset({Capability.FILES})
    cacheable = True
    pins = (data_in("path", DataType.STRING), data_out("text", DataType.STRING))

    def run(self, ctx):
        RAN[self.name] += 1
        ctx.set_output("text", Path(allowed_path(ctx.get_input("path"))).read_text())


class Show(NodeType):
    name = "cp_show"
    pins = (exec_in(), data_in("value", DataType.STRING), exec_out())

    def run(self, ctx):
        ctx.set_result(ctx.get_input("value"))
        ctx.activate("exec_out")


def test_a_cacheable_file_node_runs_again_under_a_policy_that_checks_paths(tmp_path: Path) -> None:
    registry = Registry()
    registry.add_pack(Pack("cachepolicy", modules=[sys.modules[__name__]], version="1.0"))
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("not for a confined run")
    board = Board(name="cached read")
    for key, node_id, defaults in (("cp_start", "start", {}), ("cp_read_text", "read", {"path": str(secret)}),
                                   ("cp_show", "show", {})):
        board.apply(commands.AddNode(registry.get(key).create(node_id=node_id, **defaults)))
    board.apply(commands.Connect("start", "exec_out", "show", "exec_in"))
    board.apply(commands.Connect("read", "text", "show", "value"))
    cache = ResultCache()
    assert run_board(board, cache=cache, registry=registry).result == "not for a confined run"
    assert run_board(board, cache=cache, registry=registry).why("read").cached  # (no policy: served)
    confined = run_board(board, cache=cache, registry=registry, policy=Policy())
    assert not confined.ok and confined.result is None
    assert "outside the store and the allowed paths" in confined.error
    assert "policy checks each path" in str(confined.why("read"))
    allowed = run_board(board, cache=cache, registry=registry, policy=Policy.of(paths=[secret.parent]))
    assert allowed.ok and allowed.result == "not for a confined run" and RAN["cp_read_text"] == 3
