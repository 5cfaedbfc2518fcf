"""The pack index: a lookup loads the pack that has its key, and a missing, foreign, stale or unwritable index
only costs the search in load order (and a warning for an index that cannot be read or written)."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from flowlike_core import pack_index
from flowlike_core.registry import Registry

PACKS = ("ix_alpha", "ix_beta", "ix_gamma")


@pytest.fixture
def entries(one_node_packs) -> list[EntryPoint]:
    return one_node_packs(*PACKS)


def loaded() -> list[str]:
    return [name for name in PACKS if name in sys.modules]


def forget() -> None:
    for name in PACKS:
        sys.modules.pop(name, None)


def test_once_every_pack_has_loaded_a_lookup_loads_only_the_pack_with_the_key(entries):
    assert Registry(entries=entries).get("ix_gamma_node").pack == "ix_gamma"
    assert loaded() == list(PACKS)  # no index yet: the packs load in order until one has the key
    assert pack_index.index_path().exists()

    forget()
    assert Registry(entries=entries).get("ix_gamma_node").pack == "ix_gamma"
    assert loaded() == ["ix_gamma"]


def test_an_index_made_for_other_packs_holds_for_the_packs_it_knows(entries):
    len(Registry(entries=entries[:2]))  # an index of alpha and beta alone
    forget()
    assert Registry(entries=entries).get("ix_beta_node").pack == "ix_beta"
    assert loaded() == ["ix_beta"]  # gamma, which the index does not know, comes after beta in load order
    forget()
    assert "ix_nothing" not in Registry(entries=entries)
    assert loaded() == ["ix_gamma"]  # the one pack that may have it


def touch(pack: str) -> None:
    """An edit of a pack's source (an editable install: same version), seen even where file times are coarse."""
    module = Path(importlib.util.find_spec(pack).origin)
    later = module.stat().st_mtime_ns + 10**9
    os.utime(module, ns=(later, later))


def test_a_changed_pack_is_searched_and_the_others_stay_known(entries):
    len(Registry(entries=entries))
    touch("ix_alpha")
    forget()
    assert Registry(entries=entries).get("ix_gamma_node").pack == "ix_gamma"
    assert loaded() == ["ix_alpha", "ix_gamma"]  # alpha first: it comes first in load order and may have the key now

    touch("ix_beta")
    forget()
    registry = Registry(entries=entries)
    assert "ix_nothing" not in registry
    assert loaded() == ["ix_beta"]  # only the changed pack may have a key the index has not
    forget()
    assert "ix_nothing" not in Registry(entries=entries)
    assert loaded() == [], "the index knows beta again: no pack has the key"


def test_a_stale_hint_costs_the_search_and_never_a_wrong_answer(entries):
    len(Registry(entries=entries))
    path = pack_index.index_path()
    document = json.loads(path.read_text())
    document["keys"]["ix_alpha"], document["keys"]["ix_gamma"] = ["ix_gamma_node"], ["ix_alpha_node"]
    path.write_text(json.dumps(document))
    forget()

    registry = Registry(entries=entries)
    assert registry.get("ix_gamma_node").pack == "ix_gamma"
    assert loaded() == list(PACKS)
    assert json.loads(path.read_text())["keys"]["ix_gamma"] == ["ix_gamma_node"]  # made again, right this time


def test_an_unreadable_index_is_made_again(entries):
    path = pack_index.index_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    with pytest.warns(pack_index.PackIndexWarning, match="cannot be read .*JSONDecodeError.*removed"):
        assert Registry(entries=entries).get("ix_beta_node").pack == "ix_beta"
    assert len(Registry(entries=entries)) == 3
    assert json.loads(path.read_text())["keys"] == {name: [f"{name}_node"] for name in PACKS}


def test_a_cache_that_cannot_be_written_changes_nothing(entries, tmp_path, monkeypatch):
    (tmp_path / "not-a-dir").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-dir"))
    registry = Registry(entries=entries)
    with pytest.warns(pack_index.PackIndexWarning, match="cannot be written to .*not-a-dir.*set XDG_CACHE_HOME"):
        assert registry.get("ix_gamma_node").pack == "ix_gamma" and len(registry) == 3
    assert not pack_index.index_path().exists()
