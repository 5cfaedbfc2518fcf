"""Node types declare what they reach; a run's policy refuses what it does not allow, before the node acts."""

from __future__ import annotations

import os
import types

import pytest

from flowlike_core import NodeType, Pack, default_registry, node
from flowlike_core.policy import Capability, CapabilityRefused, Policy, active, allowed_path


@node(capabilities=["network"])
def reaches_out(url: str = "") -> str:
    """Pretends to fetch."""
    return url


class Spawns(NodeType):
    name = "spawns"
    capabilities = frozenset({Capability.PROCESSES})


def test_a_type_declares_what_it_reaches_and_describe_lists_it():
    assert reaches_out.capabilities == {Capability.NETWORK}
    assert reaches_out.describe()["capabilities"] == ["network"]
    assert Spawns.describe()["capabilities"] == ["processes"]
    assert default_registry().get("int_add").describe()["capabilities"] == []


def test_a_pack_module_default_applies_to_types_that_declare_nothing():
    module = types.ModuleType("fake_pack_module")
    module.CAPABILITIES = ("network",)

    @node
    def quiet(x: int = 0) -> int:
        return x

    @node(capabilities=["files"])
    def own(x: int = 0) -> int:
        return x

    for fn in (quiet, own):
        fn.__module__ = module.__name__
        setattr(module, fn.__name__, fn)
    Pack("fake", modules=[module])
    assert quiet.capabilities == {Capability.NETWORK}
    assert own.capabilities == {Capability.FILES}


def test_the_packs_declare_their_reach():
    registry = default_registry()
    expected = {"http_fetch": "network", "websocket_connect": "network", "ai_generative_invoke": "network",
                "df_register_postgres": "network", "geo_search_location": "network", "load_onnx": "native",
                "vectors_open_table": "files", "read_to_bytes": "files", "data_github_clone_repo": "processes"}
    for key, capability in expected.items():
        assert Capability(capability) in registry.get(key).capabilities, key
    assert registry.get("http_set_url").capabilities == frozenset()


def test_unknown_capability_names_are_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="unknown capability internet .known: files, native, network, processes"):
        Policy.of(allow=["internet"])


def test_paths_are_confined_to_the_store_and_the_allowed_roots(tmp_path):
    from flowlike_core.storage import current

    store_file = os.path.join(current().config.content_url, "apps", "x.txt")
    allowed, other = tmp_path / "allowed", tmp_path / "other"
    allowed.mkdir()
    other.mkdir()
    policy = Policy.of(paths=[allowed])
    assert policy.check_path(store_file) == os.path.realpath(store_file)
    assert policy.check_path(allowed / "a.csv") == str(allowed / "a.csv")
    for outside in (other / "a.csv", allowed / ".." / "other" / "a.csv", "/etc/passwd", f"file://{other}/a",
                    "s3://bucket/key", "memory://elsewhere/x"):
        with pytest.raises(CapabilityRefused, match="is outside the store and the allowed paths"):
            policy.check_path(outside)
    (allowed / "escape").symlink_to(other)
    with pytest.raises(CapabilityRefused):
        policy.check_path(allowed / "escape" / "a.csv")
    assert Policy.of(allow=["files"]).check_path(other / "a.csv") == str(other / "a.csv")
    assert Policy.of(paths=["memory://here"]).check_path("memory://here/x") == "memory://here/x"


def test_outside_a_run_everything_is_allowed_and_inside_the_runs_policy_holds(tmp_path):
    assert allowed_path(tmp_path / "x") == str(tmp_path / "x")
    token = active.set(Policy())
    try:
        with pytest.raises(CapabilityRefused):
            allowed_path(tmp_path / "x")
    finally:
        active.reset(token)
