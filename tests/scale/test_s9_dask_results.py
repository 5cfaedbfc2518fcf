"""A parallel loop's iteration results on dask come back on a channel that lets them go once they are read: the
scheduler's event topics keep their last `distributed.admin.low-level-log-length` messages (1,000 by default) for
its lifetime, which held up to a thousand results (values, traces) in the scheduler's memory per client."""

from __future__ import annotations

from flowlike_catalog.std.loops import ParallelForEach
from scale_boards import tripling_loop_board

from flowlike_core import Registry, run_board


def test_a_dask_loops_results_do_not_stay_on_the_scheduler(registry, dask_backend) -> None:
    loops = Registry()
    for key in ("s_start", "s_triple", "s_keep"):
        loops.register(registry.get(key))
    loops.register(ParallelForEach)
    items = list(range(1, 9))
    run = run_board(tripling_loop_board(loops, items, "dask"), registry=loops)
    assert run.ok, run.error
    assert run.executions("keep") == len(items)
    client = dask_backend.client
    kept = client.run_on_scheduler(_kept)  # (where the results went)
    results = [message for message in kept if str(message[0]).endswith("/iterations")]
    assert results == [], f"{len(results)} iteration results kept on the scheduler"


def _kept(dask_scheduler) -> list[list]:
    """On the scheduler: the messages it keeps under this project's event topics."""
    return [message for topic, events in dask_scheduler.get_events().items() if topic.startswith("flowlike")
            for _, message in events]
