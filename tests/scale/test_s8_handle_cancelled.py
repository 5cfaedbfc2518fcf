"""A run's handle on the process or dask backend says it was cancelled (`Handle.cancelled`) from the cancel on, while
its run is still ending: the notebook editor reads it to show the run stopping (it read the thread executor's flag,
which these handles do not have: a Stop showed nothing until the run ended)."""

from __future__ import annotations

import pytest
from scale_boards import until, waiting_board

from flowlike_core import RunStatus
from flowlike_core.executor import start_run


@pytest.mark.parametrize("backend", ["thread", "process_backend", "dask_backend"])
def test_a_handle_is_cancelled_from_its_cancel_on(backend, registry, tmp_path, request) -> None:
    handle = start_run(waiting_board(registry, str(tmp_path / "never")), registry=registry,
                       backend=backend if backend == "thread" else request.getfixturevalue(backend))
    until(lambda: handle.run.traces, "the run to start in its worker")
    assert not handle.cancelled
    handle.cancel()
    assert handle.cancelled
    assert handle.wait(60).status is RunStatus.CANCELLED
    assert handle.cancelled
