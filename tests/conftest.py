"""Suite-wide: no test writes into the user's ~/.flowlike, no test's store outlives it, and one SeaweedFS S3 server
serves the session (the store tests and the file nodes' tests)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from seaweedfs_server import S3_BUCKET, SeaweedFS


@pytest.fixture(autouse=True)
def private_store(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("FLOWLIKE_STORE", str(tmp_path_factory.mktemp("flowlike-store")))
    yield
    from flowlike_core.storage import stop_recording

    stop_recording()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop running in the main thread for the rest
    of the session, and `asyncio.run()` (which nodes use when a test calls them directly) refuses to start
    beside it."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port of 127.0.0.1 that refuses connections: this fixture holds it bound, never listening, so no other
    process can be given it while the test runs (a port probed and let go could be listened on meanwhile)."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]


@pytest.fixture
def ca_loads(monkeypatch) -> list[object]:
    """Each time a TLS context loads its certificate authorities (certifi's bundle: 170 ms on a busy machine)."""
    import ssl

    loads: list[object] = []
    original = ssl.SSLContext.load_verify_locations

    def counted(self, *args, **kwargs):
        loads.append(args or kwargs)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counted)
    return loads


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
