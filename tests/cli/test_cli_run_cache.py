"""`flowlike run --cache-store DIR`: repeated runs of a board (each its own process) re-run only what changed, say
why (--why, the report) and replay the logs of what the cache served; `--no-cache`; the options `flowlike sweep`
shares."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flowlike_core import Board, DataType, NodeType, commands, data_in, data_out, default_registry
from flowlike_core.cli import main

LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"
FLOWLIKE = Path(sys.executable).with_name("flowlike")


def flowlike(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(FLOWLIKE), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr
    return done


def why_lines(out: str) -> dict[str, str]:
    """The --why lines by node id: "'Label' (id) ran: ..." -> {id: "ran: ..."}."""
    found = {}
    for line in out.splitlines():
        if line.startswith("  '") and ") " in line:
            label, _, text = line.strip().partition(") ")
            found[label.rpartition("(")[2]] = text
    return found


def test_repeated_runs_rerun_only_what_changed_and_say_why(tmp_path):
    store = tmp_path / "cache"
    first = flowlike("run", str(LOOP), "--cache-store", str(store), "--why")
    assert "result: 17" in first.stdout
    assert why_lines(first.stdout)["get_numbers"] == "ran: never cached (first run of these inputs with this cache)"
    assert f"result cache (kept in {store / 'content'})" in first.stdout
    assert [p for p in (store / "content" / "cache").rglob("*") if p.is_file()]

    again = flowlike("run", str(LOOP), "--cache-store", str(store), "--why")
    reasons = why_lines(again.stdout)
    assert "result: 17" in again.stdout
    assert reasons["get_numbers"] == reasons["get_threshold"] == reasons["above"] == \
        "was cached: same code and inputs as before"
    assert "start" not in reasons and "  ran, as exec nodes do unless their type declares cacheable=True: " \
        "'Start' (start), 'For each number' (for_each), 'Counts?' (branch)" in again.stdout

    edited = flowlike("run", str(LOOP), "--cache-store", str(store), "--why", "--var", "threshold=2")
    reasons = why_lines(edited.stdout)
    assert "result: 24" in edited.stdout
    assert reasons["get_threshold"] == "ran: variable 'threshold' changed"
    assert reasons["get_numbers"] == "was cached: same code and inputs as before"

    elsewhere = flowlike("run", str(LOOP), "--cache-store", str(store), "--why", "--backend", "process")
    reasons = why_lines(elsewhere.stdout)  # threshold back to 5 on a worker process: its result with 5 is kept
    assert reasons["get_numbers"] == reasons["get_threshold"] == "was cached: same code and inputs as before"

    record = json.loads(flowlike("run", str(LOOP), "--cache-store", str(store), "--json").stdout)
    served = {r["node_id"]: r["cached"] for r in record["reasons"]}
    assert served["get_numbers"] and served["get_threshold"]
    assert {t["node_id"]: t["cached"] for t in record["traces"]}["get_numbers"] is True


def test_no_cache_wins_over_the_environment_and_excludes_a_store(tmp_path, capsys):
    persist = {"FLOWLIKE_CACHE_PERSIST": "1", "FLOWLIKE_STORE": str(tmp_path / "store")}
    flowlike("run", str(LOOP), env=persist)
    kept = flowlike("run", str(LOOP), "--why", env=persist)
    assert f"result cache (kept in {tmp_path / 'store' / 'content'})" in kept.stdout
    assert why_lines(kept.stdout)["get_numbers"] == "was cached: same code and inputs as before"
    bare = flowlike("run", str(LOOP), "--no-cache", "--why", env=persist)
    assert "no result cache: every node ran" in bare.stdout and "result cache (kept" not in bare.stdout
    assert not why_lines(bare.stdout)
    assert "result cache" not in flowlike("run", str(LOOP)).stdout
    assert main(["run", str(LOOP), "--no-cache", "--cache-store", str(tmp_path)]) == 2
    assert "not allowed with argument" in capsys.readouterr().err


class Tell(NodeType):
    """Pure: logs the number it passes on."""

    name = "cli_cache_tell"
    friendly_name = "Tell"
    pins = (data_in("n", DataType.INTEGER, default=2), data_out("same", DataType.INTEGER))

    def run(self, ctx):
        ctx.info(f"passing on {ctx.get_input('n')}")
        ctx.set_output("same", ctx.get_input("n"))


default_registry().register(Tell, pack="cli-cache-tests", replace=True)  # (not in the catalog tests' pack)


@pytest.fixture
def telling_board(tmp_path: Path) -> Path:
    """start -> count(times = tell.same)."""
    board = Board(name="telling")
    registry = default_registry()  # (the CLI tests' own types are there: tests/cli/conftest.py)
    start = board.apply(commands.AddNode(registry.get("cli_test_start").create()))
    tell = board.apply(commands.AddNode(Tell.create()))
    count = board.apply(commands.AddNode(registry.get("cli_test_count").create()))
    board.apply(commands.Connect(start.id, "exec_out", count.id, "exec_in"))
    board.apply(commands.Connect(tell.id, "same", count.id, "times"))
    return board.save(tmp_path / "telling.board.json")


def test_a_served_node_prints_its_logs_again_marked_as_replayed(telling_board, tmp_path, capsys):
    store = str(tmp_path / "cache")
    assert main(["run", str(telling_board), "--cache-store", store]) == 0
    first = capsys.readouterr().out.splitlines()
    assert first[:3] == ["INFO  Tell: passing on 2", "INFO  Count: tick 1", "INFO  Count: tick 2"]
    assert main(["run", str(telling_board), "--cache-store", store]) == 0  # a new cache over the same store
    again = capsys.readouterr().out
    assert again.splitlines()[:3] == ["INFO  Tell: passing on 2 (replayed from the result cache)",
                                      "INFO  Count: tick 1", "INFO  Count: tick 2"]
    assert "1 node served from it, 0 ran" in again
