"""Loading every installed pack imports no library beyond what the engine and its content store import: each pack
imports its heavy libraries (Playwright, pandas, Arrow, DuckDB, scikit-learn, onnxruntime, Pillow, httpx...) inside
the nodes that use them, so listing the catalog stays fast and a missing extra fails only its own nodes."""

from __future__ import annotations

import json
import subprocess
import sys

THIRD_PARTY = ("import json, sys; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} - "
               "set(sys.stdlib_module_names))))")


def third_party_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"{code}; {THIRD_PARTY}"], capture_output=True, text=True,
                         check=True).stdout
    return {name for name in json.loads(out) if not name.startswith(("_", "flowlike"))}


def test_loading_every_pack_imports_only_what_the_engine_imports():
    engine = third_party_after("import flowlike_core, flowlike_core.storage")
    packs = third_party_after("from importlib.metadata import entry_points; import flowlike_core; "
                              "[e.load() for e in entry_points(group='flowlike.packs')]")
    assert packs - engine == set()
