"""Store fixtures: a local directory, fsspec memory, and S3 served by a real SeaweedFS on 127.0.0.1 (the session's
one, `seaweedfs` in tests/conftest.py, or a test's own)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from seaweedfs_server import SeaweedFS
from storage_nodes import TEST_PACK

from flowlike_core import Registry, storage
from flowlike_core.storage import store as store_module


@pytest.fixture
def registry() -> Registry:
    from flowlike_catalog.vectors import PACK

    return Registry([TEST_PACK, PACK])


@pytest.fixture(autouse=True)
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder runs wait in when their store is down: this test's own, never ~/.flowlike/spool."""
    from flowlike_core.storage.spool import ENV_SPOOL

    folder = tmp_path / "spool"
    monkeypatch.setenv(ENV_SPOOL, str(folder))
    return folder


@pytest.fixture
def seaweedfs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedFS]:
    """A SeaweedFS server of this test's own, started, which the test may stop and start again."""
    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs-own"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


def make_config(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> storage.StorageConfig:
    if kind == "local":
        return storage.StorageConfig.at(str(tmp_path / "store"))
    if kind == "memory":
        return storage.StorageConfig.at(f"memory://flowlike-tests/{uuid.uuid4().hex}")
    s3 = request.getfixturevalue("seaweedfs")
    return storage.StorageConfig.at(f"s3://{s3['bucket']}/{uuid.uuid4().hex}", **s3["options"])


STORE_KINDS = ["local", "memory", pytest.param("s3", marks=pytest.mark.s3)]


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[storage.Storage]:
    """A fresh, empty Storage of each kind, also made the process's current one (vector nodes use it)."""
    previous = store_module._current
    configured = storage.configure(make_config(request.param, tmp_path, request), record_runs=False)
    yield configured
    store_module._current = previous
