"""The front end words a time as `flowlike_core.wording.duration` does: js/src/wording.js run by node, side by side."""

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


def formatted(values: list[Any]) -> list[str]:
    """js/src/wording.js's `formatDuration` of each value, as node prints it."""
    script = (f"import {{ formatDuration }} from {json.dumps(WORDING_JS.as_uri())};"
              f"console.log(JSON.stringify({json.dumps(values)}.map((v) => formatDuration(v))));")
    shown = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True,
                           timeout=60)
    return json.loads(shown.stdout)


def test_the_front_end_words_a_duration_as_the_engine_does() -> None:
    assert dict(zip(SECONDS, formatted(SECONDS), strict=True)) == {s: wording.duration(s) for s in SECONDS}


def test_the_front_end_shows_no_duration_when_there_is_none() -> None:
    assert formatted([None]) == [""]
