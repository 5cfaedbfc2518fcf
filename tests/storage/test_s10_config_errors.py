"""A storage config file that is JSON or TOML but not a configuration is one line naming the file and each wrong
field: it was pydantic's multi-line report, with its documentation URL, under `flowlike: error:`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flowlike_core.errors import StorageError
from flowlike_core.storage.config import StorageConfig

FLOWLIKE = Path(sys.executable).with_name("flowlike")
BOARD = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


def test_a_misnamed_field_is_named_with_the_fields_a_config_has(tmp_path: Path) -> None:
    config = tmp_path / "store.json"
    config.write_text('{"meta_url": "memory://m", "storage_options": {"endpoint_url": "http://127.0.0.1:9"}}')
    with pytest.raises(StorageError) as raised:
        StorageConfig.from_file(config)
    message = str(raised.value)
    assert message == (f"{config}: not a usable storage configuration: unknown field 'storage_options' "
                       "(fields: meta_url, content_url, options)"), message


def test_a_wrong_type_names_the_field_and_what_it_takes(tmp_path: Path) -> None:
    config = tmp_path / "store.toml"
    config.write_text('meta_url = 5\noptions = "x"\n')
    with pytest.raises(StorageError) as raised:
        StorageConfig.from_file(config)
    message = str(raised.value)
    assert "\n" not in message and "pydantic" not in message, message
    assert "meta_url: Input should be a valid string" in message and "options: Input should be a valid dict" in message


def test_flowlike_run_says_it_in_one_line_and_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "store.json"
    config.write_text('{"storage_options": {}}')
    done = subprocess.run([str(FLOWLIKE), "run", str(BOARD), "--store", str(config)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2, done
    assert done.stderr == (f"flowlike: error: {config}: not a usable storage configuration: unknown field "
                           "'storage_options' (fields: meta_url, content_url, options)\n"), done.stderr
