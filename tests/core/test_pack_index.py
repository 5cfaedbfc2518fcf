"""The pack index: a lookup loads the pack that has its key, and a missing, foreign, stale or unwritable index
only costs the search in load order."""

from __future__ import annotations

import json
import sys
from importlib.metadata import EntryPoint

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


def test_an_index_made_for_other_packs_is_not_used(entries):
    len(Registry(entries=entries[:2]))  # an index of alpha and beta alone
    forget()
    assert Registry(entries=entries).get("ix_beta_node").pack == "ix_beta"
    assert loaded() == ["ix_alpha", "ix_beta"]  # in order: the index was for another set of packs


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
    assert Registry(entries=entries).get("ix_beta_node").pack == "ix_beta"
    assert len(Registry(entries=entries)) == 3
    assert json.loads(path.read_text())["keys"] == {name: [f"{name}_node"] for name in PACKS}


def test_a_cache_that_cannot_be_written_changes_nothing(entries, tmp_path, monkeypatch):
    (tmp_path / "not-a-dir").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-dir"))
    registry = Registry(entries=entries)
    assert registry.get("ix_gamma_node").pack == "ix_gamma" and len(registry) == 3
    assert not pack_index.index_path().exists()
