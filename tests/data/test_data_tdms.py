"""TDMS files written by npTDMS in a temp folder: metadata, and groups inserted into the local database."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from data_boards import Flow
from nptdms import ChannelObject, GroupObject, RootObject, TdmsWriter

from flowlike_core import storage


@pytest.fixture
def tdms(tmp_path: Path) -> Path:
    path = tmp_path / "run.tdms"
    with TdmsWriter(str(path)) as writer:
        writer.write_segment([RootObject(properties={"operator": "ada"}),
                              GroupObject("engine", properties={"rig": 3}),
                              ChannelObject("engine", "rpm", np.array([800, 900, 1000, 1100, 1200], np.int32),
                                            properties={"unit": "1/min"}),
                              ChannelObject("engine", "temp", np.array([20.0, 21.5, 23.0, 24.5, 26.0]))])
    return path


def test_metadata(flow: Flow, tdms: Path) -> None:
    meta = flow.step("tdms_metadata", tdms_path={"path": str(tdms)})
    metadata = flow.run().output(meta.id, "metadata")
    assert metadata["properties"] == {"operator": "ada"}
    (group,) = metadata["groups"]
    assert (group["name"], group["properties"]) == ("engine", {"rig": 3})
    assert group["channels"] == [
        {"name": "rpm", "length": 5, "data_type": "Int32", "properties": {"unit": "1/min"}},
        {"name": "temp", "length": 5, "data_type": "DoubleFloat", "properties": {}}]


def test_insert_groups_as_rows(flow: Flow, tdms: Path, tmp_path: Path) -> None:
    storage.configure(str(tmp_path / "store"), record_runs=False)
    flow.step("open_local_db", name="runs")
    inserted = flow.step("tdms_insert_local_db", tdms_path={"path": str(tdms)}, chunk_size=2)
    rows = flow.step("filter_local_db", filter="rpm >= 1000", limit=10)
    run = flow.run()
    assert run.output(inserted.id, "inserted") == 5
    assert sorted((r["group"], r["rpm"], r["temp"]) for r in run.output(rows.id, "values")) == [
        ("engine", 1000, 23.0), ("engine", 1100, 24.5), ("engine", 1200, 26.0)]


def test_missing_file(flow: Flow, tmp_path: Path) -> None:
    flow.step("tdms_metadata", tdms_path={"path": str(tmp_path / "none.tdms")})
    assert "no TDMS file at" in flow.failure()
