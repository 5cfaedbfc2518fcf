"""Shared fixtures of the data tests: a board builder, real servers (PostgreSQL, MariaDB, ClickHouse, Azurite, a
GCS emulator; S3 is the suite's SeaweedFS) started once per session on 127.0.0.1, and the fake hosted services
(Google, Microsoft Graph, Notion, LinkedIn, Atlassian, Databricks) on 127.0.0.1."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from data_boards import Flow
from local_ports import free_port


@pytest.fixture
def flow() -> Flow:
    return Flow()


def wait_for_port(port: int, process: Any, log: Any, what: str) -> None:
    """Poll until the server accepts TCP connections; fail with its log when it dies or takes too long."""
    import socket
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"{what} did not start (exit code {process.poll() if process else '?'}); log tail:\n"
                f"{log.read_text(errors='replace')[-3000:] if log.exists() else ''}")


def stop(process: Any, grace: float) -> None:
    """Terminates a server process; kills it if it has not ended after `grace` seconds."""
    import subprocess

    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the postgres user then."""
    import os

    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


@pytest.fixture(scope="session")
def postgres() -> Any:
    """A PostgreSQL server on 127.0.0.1 (initdb + pg_ctl from Debian's postgresql); yields its URL."""
    import glob
    import os
    import shutil
    import subprocess

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL is not installed: run scripts/setup.sh (it installs Debian's postgresql)")
    bindir = os.path.dirname(found[-1])
    folder = Path(tempfile.mkdtemp(prefix="flowlike-pg-"))  # directly in /tmp: the postgres user must reach it
    if os.getuid() == 0:
        shutil.chown(folder, "postgres")
    port, data, log = free_port(), folder / "data", folder / "log"
    subprocess.run(as_postgres([f"{bindir}/initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                                "--no-locale", "--no-sync"]), check=True, capture_output=True)
    subprocess.run(as_postgres([f"{bindir}/pg_ctl", "-D", str(data), "-l", str(log), "-w", "-o",
                                f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]),
                   check=True, capture_output=True)
    try:
        wait_for_port(port, None, log, "PostgreSQL")
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(as_postgres([f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A MariaDB server on 127.0.0.1 (mariadb-install-db + mariadbd); yields its URL (root, no password)."""
    import os
    import shutil
    import subprocess

    server = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
    if not os.path.exists(server):
        pytest.fail("MariaDB is not installed: run scripts/setup.sh (it installs Debian's mariadb-server)")
    folder = tmp_path_factory.mktemp("mariadb")
    port, data, log = free_port(), folder / "data", folder / "err.log"
    user = ["--user=root"] if os.getuid() == 0 else []
    subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={data}", *user,
                    "--auth-root-authentication-method=normal", "--skip-test-db"], check=True, capture_output=True)
    process = subprocess.Popen([server, "--no-defaults", f"--datadir={data}", f"--port={port}",
                                "--bind-address=127.0.0.1", f"--socket={folder}/sock", f"--pid-file={folder}/pid",
                                *user, "--skip-name-resolve", "--skip-log-bin", f"--log-error={log}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process, log, "MariaDB")
        yield f"mysql://root@127.0.0.1:{port}/mysql"
    finally:
        stop(process, grace=30)


AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
"""Azurite's fixed development account and its published key."""


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Azurite's blob service (the Azure Storage emulator, installed by scripts/setup.sh into .venv/azurite) on
    127.0.0.1; yields its endpoint, account and key, with a container `tests` made."""
    import subprocess

    binary = Path(sys.prefix) / "azurite" / "node_modules" / ".bin" / "azurite-blob"
    if not binary.exists():
        pytest.fail(f"Azurite is missing at {binary}: run scripts/setup.sh (it installs it with npm)")
    folder = tmp_path_factory.mktemp("azurite")
    port, log = free_port(), folder / "azurite.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(binary), "--blobHost", "127.0.0.1", "--blobPort", str(port), "--location",
                                    str(folder), "--skipApiVersionCheck", "--loose"], stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, log, "Azurite")
        endpoint = f"http://127.0.0.1:{port}/{AZURITE_ACCOUNT}"
        import adlfs

        adlfs.AzureBlobFileSystem(connection_string=f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};"
                                                    f"AccountKey={AZURITE_KEY};BlobEndpoint={endpoint};",
                                  skip_instance_cache=True).mkdir("tests")
        yield {"endpoint": endpoint, "account": AZURITE_ACCOUNT, "key": AZURITE_KEY, "container": "tests"}
    finally:
        process.kill()  # its SIGTERM waits for the clients' idle keep-alive connections to close; the data goes anyway
        process.wait()


@pytest.fixture(scope="session")
def gcs() -> Any:
    """A Google Cloud Storage emulator (gcp-storage-emulator, in this process) on 127.0.0.1 with a bucket
    `tests`; yields its endpoint."""
    from gcp_storage_emulator.server import create_server

    port = free_port()
    server = create_server("127.0.0.1", port, in_memory=True, default_bucket="tests")
    server.start()
    try:
        wait_for_port(port, None, Path("/nonexistent"), "the GCS emulator")
        yield {"endpoint": f"http://127.0.0.1:{port}", "bucket": "tests"}
    finally:
        server.stop()


CLICKHOUSE_CONFIG = """<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>{folder}/server.log</log><errorlog>{folder}/error.log</errorlog></logger>
    <http_port>{http}</http_port>
    <tcp_port>{tcp}</tcp_port>
    <listen_host>127.0.0.1</listen_host>
    <path>{folder}/data/</path>
    <tmp_path>{folder}/tmp/</tmp_path>
    <user_files_path>{folder}/user_files/</user_files_path>
    <format_schema_path>{folder}/format_schemas/</format_schema_path>
    <users_config>{users}</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <mark_cache_size>5368709</mark_cache_size>
</yandex>
"""


@pytest.fixture(scope="session")
def clickhouse(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A ClickHouse server (Debian's clickhouse-server) on 127.0.0.1; yields the port of its HTTP interface."""
    import subprocess

    server = Path("/usr/sbin/clickhouse-server")
    users = Path("/etc/clickhouse-server/users.xml")
    if not server.exists() or not users.exists():
        pytest.fail("ClickHouse is not installed: run scripts/setup.sh (it installs Debian's clickhouse-server)")
    folder = tmp_path_factory.mktemp("clickhouse")
    http, tcp = free_port(), free_port()
    config = folder / "config.xml"
    config.write_text(CLICKHOUSE_CONFIG.format(folder=folder, http=http, tcp=tcp, users=users))
    process = subprocess.Popen([str(server), f"--config-file={config}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        wait_for_port(http, process, folder / "error.log", "ClickHouse")
        yield http
    finally:
        stop(process, grace=30)


@pytest.fixture(scope="module")
def google_server() -> Any:
    from fake_google import google_app
    from fake_server import running

    with running(google_app(), "google") as server:
        yield server


@pytest.fixture
def gs(google_server: Any) -> Any:
    """The fake Google APIs with fresh data for one test: `.url`, `.state`."""
    from fake_server import fresh

    return fresh(google_server)


@pytest.fixture(scope="module")
def notion_server() -> Any:
    from fake_notion import notion_app
    from fake_server import running

    with running(notion_app(), "notion") as server:
        yield server


@pytest.fixture
def ns(notion_server: Any) -> Any:
    """The fake Notion API with fresh data for one test: `.url`, `.state`."""
    from fake_server import fresh

    return fresh(notion_server)


@pytest.fixture(scope="module")
def linkedin_server() -> Any:
    from fake_linkedin import linkedin_app
    from fake_server import running

    with running(linkedin_app(), "linkedin") as server:
        yield server


@pytest.fixture
def li(linkedin_server: Any) -> Any:
    """The fake LinkedIn API with fresh data for one test: `.url`, `.state`."""
    from fake_server import fresh

    return fresh(linkedin_server)


@pytest.fixture(scope="module")
def graph_server() -> Any:
    from fake_graph import GraphServer

    with GraphServer() as server:
        yield server


@pytest.fixture
def graph(graph_server: Any) -> Any:
    """The fake Microsoft Graph with fresh data and an empty request log for one test."""
    graph_server.reset()
    return graph_server


@pytest.fixture
def site() -> Any:
    """A fresh fake Atlassian site per test: `.url`, `.state` (issues, pages..., the requests seen)."""
    from fake_atlassian import atlassian_app
    from fake_server import served_state

    with served_state(atlassian_app(), "atlassian") as state:
        yield state


@pytest.fixture
def workspace() -> Any:
    """A fresh fake Databricks workspace per test: `.url`, `.state` (jobs, runs..., the requests seen)."""
    from fake_databricks import databricks_app
    from fake_server import served_state

    with served_state(databricks_app(), "databricks") as state:
        yield state
