"""The front end words times and counts as `flowlike_core.wording` does: js/src/wording.js run by node, side by side."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from flowlike_core import wording

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node (the front end's build tool) is missing")

WORDING_JS = Path(__file__).resolve().parents[2] / "js" / "src" / "wording.js"

SECONDS = [0.0, 4e-7, 2.5e-6, 3.5e-6, 0.0004, 0.000999, 0.0009994, 0.0009995, 0.00123, 0.0049, 0.009994, 0.009995,
           0.0493, 0.09995, 0.4925, 0.9994, 0.9995, 1.5, 12.345, 59.994, 59.995, 90.5, 91.5, 125.0, 3599.4, 3599.5,
           3720.0, 5430.0, 86400.0]
"""Each unit's range, its edges, and halves (Python rounds them to the even figure, JavaScript up)."""


COUNTS = [(0, "node", None), (1, "node", None), (2, "node", None), (1234, "wire", None), (1234567, "run", None),
          (1, "entry", "entries"), (3, "entry", "entries"), (1, "TCP client", None), (-1, "step", None)]
"""The singular only for exactly one, thousands separated, a plural given for a noun not made with an s."""


def in_node(function: str, arguments: list[Any]) -> list[str]:
    """js/src/wording.js's `function` of each argument list, as node prints it."""
    script = (f"import {{ {function} }} from {json.dumps(WORDING_JS.as_uri())};"
              f"console.log(JSON.stringify({json.dumps(arguments)}.map((a) => {function}(...a))));")
    shown = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True,
                           timeout=60)
    return json.loads(shown.stdout)


def test_the_front_end_words_a_duration_as_the_engine_does() -> None:
    shown = in_node("formatDuration", [[s] for s in SECONDS])
    assert dict(zip(SECONDS, shown, strict=True)) == {s: wording.duration(s) for s in SECONDS}


def test_the_front_end_shows_no_duration_when_there_is_none() -> None:
    assert in_node("formatDuration", [[None]]) == [""]


def test_the_front_end_counts_as_the_engine_does() -> None:
    shown = in_node("counted", [list(c) for c in COUNTS])
    assert dict(zip(COUNTS, shown, strict=True)) == {c: wording.counted(*c) for c in COUNTS}
