"""A parallel loop's iterations on worker processes whose worker dies: every iteration is accounted for in the run's
record. Those the dead worker took with it are named on the loop node (they showed as merely failed, and what they
had done there was silently missing from the record); the others' traces are all there."""

from __future__ import annotations

import os
import re

from pack_builder import Builder

from flowlike_core import DataType, NodeType, RunStatus, data_in, exec_in, exec_out, start_run

DEADLINE = 120.0
"""For a pool of spawned processes to start, die and be replaced on a busy machine."""


def exits_on_four() -> type[NodeType]:
    """A node type made here (cloudpickled by value to the workers): its process exits on the value 4."""

    class ExitsOnFour(NodeType):
        name = "t_exits_on_four"
        pins = (exec_in(), data_in("value", DataType.INTEGER, default=0), exec_out())

        def run(self, ctx):
            if ctx.get_input("value") == 4:
                os._exit(7)
            ctx.activate("exec_out")

    return ExitsOnFour


def items(listed: str) -> set[int]:
    """The items (1 ..) of the iterations (0 ..) a log line lists."""
    return set() if listed == "none" else {int(index) + 1 for index in listed.split(", ")}


def test_iterations_lost_with_a_dead_worker_are_named_and_the_others_kept() -> None:
    build = Builder()
    build.registry.register(exits_on_four())
    start, loop = build.add("events_simple"), build.add("control_par_for_each", array=list(range(1, 9)),
                                                        max_concurrent=2, workers="processes")
    say, exits = build.add("log_info"), build.add("t_exits_on_four")
    build.chain(start, loop)
    build.wire(loop, "exec_out", say, "exec_in")
    build.wire(loop, "value", say, "message")
    build.wire(say, "exec_out", exits, "exec_in")
    build.wire(loop, "value", exits, "value")
    run = start_run(build.board, registry=build.registry).wait(DEADLINE)
    assert run.status is RunStatus.FAILED and "exited with code 7" in (run.error or "")
    lines = [line.message for line in run.traces_of(loop.id)[0].logs]
    summary = next(line for line in lines if " failed; " in line)
    finished_items, cancelled_items = (items(found) for found in re.search(r"failed; (.*) finished; (.*) cancelled",
                                                                           summary).groups())
    gone = next((line for line in lines if "were on a worker that died" in line), None)
    assert gone is not None, lines
    lost_items = items(re.match(r"iteration\(s\) ([\d, ]+) were on", gone).group(1))
    assert 4 in lost_items and not lost_items & finished_items
    assert finished_items | lost_items | cancelled_items == set(range(1, 9)), lines  # (cancelled: never started)
    assert sorted(int(line.message) for line in run.logs() if line.node_id == say.id) == sorted(finished_items)
    assert len(run.traces_of(exits.id)) == len(finished_items)
