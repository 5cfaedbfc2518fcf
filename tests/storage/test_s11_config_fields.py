"""A JSON file that is no storage config (a board file given to --store) named the fields a config has once per
unknown field: eleven times for a board file. The unknown fields are named once, in one list."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowlike_core.errors import StorageError
from flowlike_core.storage.config import StorageConfig

BOARD = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


def test_unknown_fields_are_listed_once() -> None:
    with pytest.raises(StorageError) as raised:
        StorageConfig.from_file(BOARD)
    assert str(raised.value) == (
        f"{BOARD}: not a usable storage configuration: unknown fields 'comments', 'connections', 'description', "
        "'format', 'id', 'layers', 'log_level', 'name', 'nodes', 'variables', 'version' (fields: meta_url, "
        "content_url, options)")
