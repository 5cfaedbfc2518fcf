"""Porting the std and vectors packs to the public node forms changed no node: the catalog entries of every
node type that existed before the port (key, names, description, category, pins, types, defaults, options)
are what they were.

One deliberate change to the baseline since: `control_par_execution` gained Flow-Like's `thread_model` input
(tasks/threads) when its branches started running concurrently (issue 14); nothing else of it changed. And
`string_format` took Flow-Like's pins per placeholder (its `keyed_input`), which its description now names.
Control nodes took Flow-Like's defaults and meanings (tests/std/test_control_parity.py): While Loop's Max Iterations
15, Timeout's 5000 ms, Do N's Reset counts as an execution, Flip Flop's Is A names the next side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowlike_core import default_registry

BEFORE = {e["name"]: e for e in json.loads((Path(__file__).parent / "data" / "catalog_before_port.json").read_text())}


@pytest.mark.parametrize("key", sorted(BEFORE))
def test_node_type_is_unchanged_by_the_port(key: str) -> None:
    entry = json.loads(json.dumps(default_registry().get(key).describe()))
    entry.pop("capabilities")  # added after the port
    entry.pop("keyed_input", None)  # (likewise)
    assert entry == BEFORE[key]
