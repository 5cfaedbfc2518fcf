"""Backends under test: one warm process pool and one dask LocalCluster (2 workers) for the whole session."""

from __future__ import annotations

import os

import pytest
from scale_boards import node_types

from flowlike_core import Registry


@pytest.fixture(scope="session")
def registry() -> Registry:
    registry = Registry()
    for node_type in node_types():
        registry.register(node_type)
    return registry


@pytest.fixture(scope="session")
def loops(registry) -> Registry:
    """Start, Wait For (`scale_boards.waiting_board`'s nodes) and the std pack's Parallel For Each."""
    from flowlike_catalog.std.loops import ParallelForEach

    local = Registry()
    for key in ("s_start", "s_wait_for"):
        local.register(registry.get(key))
    local.register(ParallelForEach)
    return local


@pytest.fixture(scope="session")
def process_backend():
    from flowlike_core.backends.process import ProcessBackend

    backend = ProcessBackend(2, timeout=30, memory_limit=2**30)
    yield backend
    backend.close()


@pytest.fixture(scope="session")
def dask_backend(tmp_path_factory):
    pytest.importorskip("distributed")
    os.environ["DASK_TEMPORARY_DIRECTORY"] = str(tmp_path_factory.mktemp("dask"))
    from flowlike_core.backends.dask import DaskBackend

    backend = DaskBackend(n_workers=2)
    assert len(backend.client.nthreads()) == 2  # (scheduler_info is a cache its refresh leaves without workers)
    yield backend
    backend.close()
