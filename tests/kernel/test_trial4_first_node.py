"""The first `@fnb.node` of a process asks the pack index whether a pack has its key: with a valid index a new key
loads no pack and a pack's key loads only that pack (and is refused, as always); an index made before a pack's
source changed is not trusted, so a key the pack gained since is refused too."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import flowlike_nb as fnb
from flowlike_core.registry import Registry

PACKS = ("fn_alpha", "fn_beta", "fn_gamma")


def write_pack(folder: Path, name: str, *keys: str) -> None:
    nodes = "".join(f"""
        @node
        def {key}() -> int:
            '''Answers one.'''
            return 1
        """ for key in keys)
    (folder / f"{name}.py").write_text(textwrap.dedent(f"""
        import sys
        from flowlike_core import Pack, node
        {nodes}
        PACK = Pack("{name}", modules=[sys.modules[__name__]])
        """))


@pytest.fixture
def packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[EntryPoint]]:
    """Three installed packs of one node each (`NAME_node`), in modules nothing has imported, with a cache of the
    test's own."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name in PACKS:
        write_pack(tmp_path, name, f"{name}_node")
    yield [EntryPoint(name, f"{name}:PACK", "flowlike.packs") for name in PACKS]
    forget()


def loaded() -> list[str]:
    return [name for name in PACKS if name in sys.modules]


def forget() -> None:
    for name in PACKS:
        sys.modules.pop(name, None)


def define(key: str, registry: Registry) -> Callable[[], type]:
    def answer() -> int:
        """Answers two."""
        return 2

    return fnb.node(answer, name=key, registry=registry)


def warm(packs: list[EntryPoint]) -> None:
    """A process that loaded every pack, leaving the index; then a fresh process (no pack imported)."""
    len(Registry(entries=packs))
    forget()


def test_with_a_warm_index_a_new_key_loads_no_pack_and_a_packs_key_only_its_pack(packs):
    warm(packs)
    registry = Registry(entries=packs)
    assert define("cell_answer", registry).pack == __name__
    assert loaded() == []
    assert registry.get("cell_answer").pack == __name__

    with pytest.raises(ValueError, match="pack 'fn_beta' already has a node type 'fn_beta_node'"):
        define("fn_beta_node", registry)
    assert loaded() == ["fn_beta"]
    assert registry.get("fn_beta_node").pack == "fn_beta"


def test_without_an_index_a_packs_key_is_refused_after_the_search(packs):
    registry = Registry(entries=packs)
    with pytest.raises(ValueError, match="pack 'fn_gamma' already has"):
        define("fn_gamma_node", registry)
    assert loaded() == list(PACKS)


def test_a_key_a_pack_gained_since_the_index_was_made_is_refused(packs, tmp_path):
    warm(packs)
    write_pack(tmp_path, "fn_gamma", "fn_gamma_node", "cell_answer")  # an editable install: same version
    later = os.stat(tmp_path / "fn_gamma.py").st_mtime_ns + 10**9
    os.utime(tmp_path / "fn_gamma.py", ns=(later, later))  # (a file system that keeps coarse times)

    with pytest.raises(ValueError, match="pack 'fn_gamma' already has a node type 'cell_answer'"):
        define("cell_answer", Registry(entries=packs))
