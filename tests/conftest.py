"""Suite-wide: no test writes into the user's ~/.flowlike, and no test's store outlives it."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_store(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("FLOWLIKE_STORE", str(tmp_path_factory.mktemp("flowlike-store")))
    yield
    from flowlike_core.storage import stop_recording

    stop_recording()
