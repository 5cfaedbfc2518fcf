"""The engine's public modules open their docstrings with an example that runs as written."""

from __future__ import annotations

import fsspec
from module_examples import run_module_example

from flowlike_core.run import RunStatus
from flowlike_core.storage import stop_recording


def test_the_engine_example_runs_its_board(capsys) -> None:
    namespace = run_module_example("flowlike_core")
    assert namespace["board"].run().status is RunStatus.SUCCESS and "Success" in capsys.readouterr().out


def test_the_storage_example_saves_and_versions_a_board() -> None:
    try:
        namespace = run_module_example("flowlike_core.storage")
        assert namespace["app"].versions("hello") == [(0, 1, 0)]
    finally:
        stop_recording()
        fsspec.filesystem("memory").rm("/nb", recursive=True)


def test_the_catalog_example_finds_branch_in_the_std_pack() -> None:
    assert run_module_example("flowlike_catalog")["registry"].get("control_branch").friendly_name == "Branch"


def test_the_registry_example_finds_types_by_key_and_by_words() -> None:
    namespace = run_module_example("flowlike_core.registry")
    assert [found.name for found in namespace["registry"].described("array length")][:2] == ["array_length",
                                                                                                "array_slice"]
