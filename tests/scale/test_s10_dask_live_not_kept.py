"""The live event batches of runs and loop chunks on dask (traces, log lines, emitted events: values among them) come
back on a channel that lets each go once read. They went through an event topic of the client's, which the scheduler
keeps (its last `distributed.admin.low-level-log-length` messages, 1,000 by default) for its lifetime: the topic is
never cleared, not even once its client has gone, so a long-lived scheduler kept up to a thousand batches for every
client that ever ran a board on it."""

from __future__ import annotations

from scale_boards import DEADLINE, waiting_board

from flowlike_core import run_board
from flowlike_core.executor import start_run


def test_the_live_batches_of_dask_runs_and_loops_do_not_stay_on_the_scheduler(loops, registry, dask_backend,
                                                                            tmp_path) -> None:
    released = tmp_path / "released"
    released.touch()  # (each wait ends at once, after its line)
    loop = run_board(waiting_board(loops, str(released), items=[1, 2, 3], workers="dask"), registry=loops)
    assert loop.ok, loop.error
    assert sorted(line.message for line in loop.logs()) == sorted(
        f"{word} {item}" for item in (1, 2, 3) for word in ("waiting", "released"))
    whole = start_run(waiting_board(registry, str(released)), registry=registry, backend=dask_backend).wait(DEADLINE)
    assert whole.ok, whole.error
    assert [line.message for line in whole.logs()] == ["waiting 0", "released 0"]
    kept = dask_backend.client.run_on_scheduler(_kept)
    assert kept == {}, f"batches kept on the scheduler, by topic: {kept}"


def _kept(dask_scheduler) -> dict[str, int]:
    """On the scheduler: the messages it keeps of this project's topics."""
    return {topic: len(events) for topic, events in dask_scheduler.get_events().items() if topic.startswith("flowlike")}
