"""A table result prints as its rows: `to_json_native` turns a pyarrow Table or RecordBatch and a pandas DataFrame
into a list of row dicts (not their repr), without importing either library itself."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from flowlike_core import Board, NodeType, commands, default_registry, exec_in, exec_out
from flowlike_core.cli import main
from flowlike_core.types import to_json_native

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

ROWS = [{"city": "Oslo", "n": 1, "day": dt.date(2024, 5, 6)}, {"city": "Rome", "n": 2, "day": None}]
JSON_ROWS = [{"city": "Oslo", "n": 1, "day": "2024-05-06"}, {"city": "Rome", "n": 2, "day": None}]


def test_arrow_tables_and_batches_become_rows() -> None:
    table = pa.Table.from_pylist(ROWS)
    assert to_json_native(table) == JSON_ROWS
    assert to_json_native(table.to_batches()[0]) == JSON_ROWS
    with pytest.raises(TypeError, match="pyarrow.lib.Table has no JSON form"):  # a pin default: passed, not kept
        to_json_native(table, strict=True)


def test_a_dataframe_becomes_its_records() -> None:
    frame = pd.DataFrame({"city": ["Oslo", "Rome"], "n": [1, 2],
                          "at": pd.to_datetime(["2024-05-06T10:00:00", "2024-05-07T11:30:00"])})
    assert to_json_native(frame) == [{"city": "Oslo", "n": 1, "at": "2024-05-06T10:00:00"},
                                     {"city": "Rome", "n": 2, "at": "2024-05-07T11:30:00"}]


def test_the_types_module_imports_neither_library() -> None:
    code = "import sys, flowlike_core.types; print(sorted({'pyarrow', 'pandas'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


class TableResult(NodeType):
    """Makes the run's result a pyarrow table."""

    name = "s6_table_result"
    pins = (exec_in(), exec_out())

    def run(self, ctx):
        ctx.set_result(pa.Table.from_pylist(ROWS))
        ctx.activate("exec_out")


class Begin(NodeType):
    name = "s6_table_begin"
    is_event = True
    pins = (exec_out(),)

    def run(self, ctx):
        ctx.activate("exec_out")


def test_flowlike_run_json_prints_a_table_result_as_rows(tmp_path, capsys) -> None:
    for node_type in (Begin, TableResult):
        default_registry().register(node_type, pack="s6-tests", replace=True)
    board = Board(name="table")
    begin = board.apply(commands.AddNode(Begin.create()))
    make = board.apply(commands.AddNode(TableResult.create()))
    board.apply(commands.Connect(begin.id, "exec_out", make.id, "exec_in"))
    path = board.save(tmp_path / "table.board.json")
    assert main(["run", str(path), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["result"] == JSON_ROWS
