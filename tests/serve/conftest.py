"""A folder of small std boards, served by a real `flowlike serve` process on 127.0.0.1 (session scope)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from serve_boards import Served, flowlike_serve, make_boards


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("served")
    make_boards(root)
    with flowlike_serve(root, FLOWLIKE_STORE=str(root / ".store")) as (client, _):
        yield Served(str(client.base_url).rstrip("/"), root, client)
