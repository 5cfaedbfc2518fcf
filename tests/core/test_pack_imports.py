"""Loading every installed pack imports no library beyond what the engine and its content store import: each pack
imports its heavy libraries (Playwright, pandas, Arrow, DuckDB, scikit-learn, onnxruntime, Pillow, httpx...) inside
the nodes that use them, so listing the catalog stays fast and a missing extra fails only its own nodes. Loading
one pack builds no other: a pack that uses another's helpers (data web's HTTP layer, automation llm's histories)
imports those modules alone, so a board with one web or data node loads std and that pack only."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points

import pytest

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


OURS = sorted(e.name for e in entry_points(group="flowlike.packs") if e.value.startswith("flowlike_catalog."))
LOAD = """
import json, sys
from importlib.metadata import entry_points
import flowlike_core.registry as registry
built, post_init = [], registry.Pack.__post_init__
def record(pack):
    built.append(pack.name)
    post_init(pack)
registry.Pack.__post_init__ = record
packs = {{e.name: e for e in entry_points(group="flowlike.packs")}}
for name in {names!r}:
    packs[name].load()
print(json.dumps([built, sorted(m for m in sys.modules if m.startswith("flowlike_catalog."))]))
"""


def load(*names: str) -> tuple[list[str], set[str]]:
    """The packs built and the catalog modules imported by loading the packs `names` in a fresh process."""
    out = subprocess.run([sys.executable, "-c", LOAD.format(names=names)], capture_output=True, text=True,
                         check=True).stdout
    built, modules = json.loads(out)
    return built, set(modules)


@pytest.mark.parametrize("pack", [name for name in OURS if name != "std"])
def test_loading_a_pack_builds_no_other_pack(pack: str) -> None:
    assert load(pack)[0] == [pack]  # std neither: `flowlike catalog` after an edit of one pack imports that pack


def test_loading_the_web_pack_imports_no_module_of_another_pack() -> None:
    assert {module.split(".")[1] for module in load("std", "web")[1]} == {"std", "web"}
