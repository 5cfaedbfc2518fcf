"""Node types declare what they reach; a run's policy refuses what it does not allow, before the node acts."""

from __future__ import annotations

import os
import sys
import types

import pytest

from flowlike_core import (
    Board,
    DataType,
    NodeType,
    Pack,
    PinOptions,
    Registry,
    RunStatus,
    Variable,
    commands,
    data_in,
    default_registry,
    exec_in,
    exec_out,
    node,
)
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


# ---- a run's policy ----------------------------------------------------------------------------------------

REACHED: list[str] = []


class Fetch(NodeType):
    name = "cap_fetch"
    capabilities = frozenset({Capability.NETWORK})
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        REACHED.append("fetched")
        ctx.activate("exec_out")


@node(capabilities=["native"])
def cap_native(x: int = 1) -> int:
    REACHED.append("native")
    return x


def _board(*steps: type[NodeType]) -> tuple[Board, Registry, list]:
    registry = Registry([Pack("caps", modules=[sys.modules[__name__]]), *default_registry_packs()])
    board = Board(name="caps")
    nodes = [board.apply(commands.AddNode(registry.get("events_simple").create()))]
    nodes += [board.apply(commands.AddNode(step.create())) for step in steps]
    for source, target in zip(nodes, nodes[1:], strict=False):
        board.apply(commands.Connect(source.id, "exec_out", target.id, "exec_in"))
    return board, registry, nodes


def default_registry_packs() -> list[Pack]:
    from flowlike_catalog.data import PACK as DATA
    from flowlike_catalog.std import PACK as STD

    return [STD, DATA]


@pytest.fixture(autouse=True)
def clear_reached():
    REACHED.clear()


def test_a_refused_capability_fails_the_node_before_it_acts():
    board, registry, (_, fetch) = _board(Fetch)
    run = board.run(registry=registry, policy=Policy())
    assert run.status is RunStatus.FAILED and REACHED == []
    assert f"node {fetch.label()} needs network, which this run does not allow (--allow network on flowlike run, " \
        "sweep or serve" in run.error
    assert board.run(registry=registry, policy=Policy.of(allow=["network"])).ok and REACHED == ["fetched"]
    assert board.run(registry=registry).ok  # no policy: everything (a notebook's or a script's run)


def test_a_refusal_goes_to_on_error_when_it_is_wired():
    board, registry, (_, fetch) = _board(Fetch)
    handler = board.apply(commands.AddNode(registry.get("log_warning").create()))
    board.apply(commands.Connect(fetch.id, "auto_handle_error", handler.id, "exec_in"))
    board.apply(commands.Connect(fetch.id, "auto_handle_error_string", handler.id, "message"))
    run = board.run(registry=registry, policy=Policy())
    assert run.ok and REACHED == []
    assert "needs network" in run.logs()[0].message


def test_a_pure_node_is_refused_too():
    board, registry, (_, log) = _board(registry_type("log_info"))
    native = board.apply(commands.AddNode(cap_native.create()))
    board.apply(commands.Connect(native.id, "result", log.id, "message"))
    run = board.run(registry=registry, policy=Policy.of(allow=["network"]))
    assert run.status is RunStatus.FAILED and REACHED == [] and "needs native" in run.error


def registry_type(key: str) -> type[NodeType]:
    return default_registry().get(key)


def test_file_nodes_stay_in_the_store_and_the_allowed_paths(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("hello")
    board, registry, (_, read) = _board(registry_type("read_to_string"))
    board.apply(commands.UpdateNode(read.id, defaults={"path": {"path": str(outside)}}))
    refused = board.run(registry=registry, policy=Policy())
    assert refused.status is RunStatus.FAILED and "is outside the store and the allowed paths" in refused.error
    assert board.run(registry=registry, policy=Policy.of(paths=[tmp_path])).output(read.id, "content") == "hello"
    assert board.run(registry=registry, policy=Policy.of(allow=["files"])).ok
    assert board.run(registry=registry).ok


def test_lance_tables_outside_the_store_are_refused(tmp_path):
    board, registry, (_, count) = _board(registry_type("count_local_db"))
    board.apply(commands.UpdateNode(count.id, defaults={"database": {"database": str(tmp_path / "db"),
                                                                      "table": "t"}}))
    run = board.run(registry=registry, policy=Policy())
    assert run.status is RunStatus.FAILED and "LanceDB database" in run.error and "outside the store" in run.error


def test_the_cli_allows_the_store_only_unless_told(tmp_path, capsys):
    from flowlike_core.cli import main

    outside = tmp_path / "data" / "outside.txt"
    outside.parent.mkdir()
    outside.write_text("hello")
    board, _, (_, read) = _board(registry_type("read_to_string"))
    board.apply(commands.UpdateNode(read.id, defaults={"path": {"path": str(outside)}}))
    path = board.save(tmp_path / "reads.board.json")
    assert main(["run", str(path), "--no-history"]) == 1
    assert "is outside the store and the allowed paths" in capsys.readouterr().out
    assert main(["run", str(path), "--no-history", "--allow-path", str(outside.parent)]) == 0
    assert main(["run", str(path), "--no-history", "--allow", "files"]) == 0


def test_a_run_in_a_worker_process_keeps_its_policy():
    board, registry, _ = _board(Fetch)
    run = board.run(registry=registry, policy=Policy(), backend="process")
    assert run.status is RunStatus.FAILED and "needs network, which this run does not allow" in run.error


def test_files_a_board_names_for_uploads_and_attachments_are_confined(tmp_path):
    from flowlike_catalog.web.mail import compose
    from flowlike_catalog.web.requests import http_set_multipart_body

    secret = tmp_path / "id_rsa"
    secret.write_text("key")
    token = active.set(Policy())
    try:
        with pytest.raises(CapabilityRefused, match="multipart file for field 'f'"):
            http_set_multipart_body.func({"method": "POST", "url": "http://127.0.0.1/"}, files={"f": str(secret)})
        with pytest.raises(CapabilityRefused, match="attachment"):
            compose("a@example.org", "b@example.org", "", "", "subject", "text", "", [str(secret)], False)
    finally:
        active.reset(token)



# ---- sensitive pins ------------------------------------------------------------------------------------------


class UsesKey(NodeType):
    name = "cap_uses_key"
    pins = (exec_in(), data_in("key", DataType.STRING, options=PinOptions(sensitive=True)), exec_out())

    def run(self, ctx, *, key: str) -> None:
        ctx.info(f"calling with {key}")
        raise ValueError(f"the service refused {key}")


def test_values_wired_into_a_sensitive_pin_are_secret():
    board, registry, (_, uses) = _board(UsesKey)
    board.apply(commands.UpsertVariable(Variable(name="plain", data_type=DataType.STRING, default_value="k-123")))
    get = board.apply(commands.AddNode(registry.get("variable_get").create(var_ref="plain")))
    board.apply(commands.Connect(get.id, "value_ref", uses.id, "key"))
    run = board.run(registry=registry)
    text = run.to_json() + (run.error or "") + "".join(line.message for line in run.logs())
    assert "k-123" not in text and "calling with ***" in text and "the service refused ***" in run.error


def test_values_typed_into_a_sensitive_pin_are_secret():
    board, registry, (_, uses) = _board(UsesKey)
    board.apply(commands.UpdateNode(uses.id, defaults={"key": "k-typed-456"}))
    run = board.run(registry=registry)
    assert "k-typed-456" not in run.to_json() + (run.error or "") and "the service refused ***" in run.error
