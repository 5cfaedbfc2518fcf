"""One function spells the key of a pin's value in `Run.values` (`flowlike_core.run.value_key`): no module builds
it by hand, so the key can change in one place (it is interned there, for the hot path)."""

from __future__ import annotations

import ast
from pathlib import Path

import flowlike_catalog

import flowlike_core
import flowlike_nb

ROOTS = [Path(m.__file__).parent for m in (flowlike_core, flowlike_nb, flowlike_catalog)]


def hand_made_keys(source: str) -> list[int]:
    """Lines with an f-string `{<node...>}/{<pin...>}` outside `value_key` itself."""
    found = []
    tree = ast.parse(source)
    skip = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name == "value_key"
            for n in ast.walk(f)}
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in skip:
            parts = node.values
            for left, slash, right in zip(parts, parts[1:], parts[2:], strict=False):
                if isinstance(left, ast.FormattedValue) and isinstance(right, ast.FormattedValue) \
                        and isinstance(slash, ast.Constant) and slash.value == "/" \
                        and "node" in ast.unparse(left.value) and "pin" in ast.unparse(right.value):
                    found.append(node.lineno)
    return found


def test_the_check_finds_a_hand_made_key():
    assert hand_made_keys('key = f"{node.id}/{pin.id}"\ndef value_key(node_id, pin_id):\n'
                          '    return f"{node_id}/{pin_id}"\n') == [1]


def test_value_keys_come_from_value_key_alone():
    found = [f"{path}:{line}" for root in ROOTS for path in sorted(root.rglob("*.py"))
             for line in hand_made_keys(path.read_text(encoding="utf-8"))]
    assert found == []
