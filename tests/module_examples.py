"""The example a public module's docstring opens with (its second paragraph), to run in a test: the rule that each
module starts with a short runnable example holds only while the examples run."""

from __future__ import annotations

import importlib
import textwrap
from typing import Any


def run_module_example(module: str) -> dict[str, Any]:
    """Run the module's example in a fresh namespace (not under this file's `from __future__` flags) and return
    the namespace."""
    doc = importlib.import_module(module).__doc__ or ""
    paragraphs = doc.split("\n\n")
    assert len(paragraphs) > 1, f"{module}'s docstring has no example after its first line"
    namespace: dict[str, Any] = {"__name__": f"{module}_example"}
    exec(compile(textwrap.dedent(paragraphs[1]), f"<{module} docstring>", "exec", dont_inherit=True), namespace)
    return namespace
