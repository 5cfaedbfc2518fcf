"""A board whose input file is a parameter: a String variable wired into a path input (connect accepts it, as the
editor does) is read as the path, in a run from Python and in `flowlike run --var`; the run's policy still applies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from data_boards import Flow

from flowlike_core import DataType, Node, Variable, commands


def parameterized(tmp_path: Path) -> tuple[Flow, Node]:
    """Start -> Read CSV (path from the String variable `input`) -> Mount CSV of the same path -> Write Parquet."""
    flow = Flow()
    flow.board.apply(commands.UpsertVariable(Variable(name="input", data_type=DataType.STRING, exposed=True,
                                                      default_value=str(tmp_path / "a.csv"))))
    source = flow.add("variable_get", var_ref="input")
    read = flow.step("table_read_csv", path=(source, "value_ref"))
    flow.step("df_create_session")
    flow.step("df_mount_csv", path=(source, "value_ref"), table_name="rows")
    query = flow.step("df_sql_query", query="SELECT count(*) AS n FROM rows")
    flow.step("table_write_parquet", table=(read, "table"), path={"path": str(tmp_path / "out.parquet")})
    return flow, query


def test_a_string_variable_is_the_path_of_a_path_input(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("city\nZürich\n東京\n", encoding="utf-8")
    flow, query = parameterized(tmp_path)
    assert flow.run().output(query.id, "table").to_pylist() == [{"n": 2}]
    assert pq.read_table(tmp_path / "out.parquet").column("city").to_pylist() == ["Zürich", "東京"]


def test_flowlike_run_takes_the_path_from_var(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text("city\nOslo\n", encoding="utf-8")
    flow, _ = parameterized(tmp_path)
    flow.board.save(tmp_path / "param.board.json")

    def run(*options: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "flowlike_core.cli", "run", "--no-history", *options,
                               str(tmp_path / "param.board.json")], capture_output=True, text=True, timeout=300)

    done = run("--allow-path", str(tmp_path), "--var", f"input={tmp_path / 'b.csv'}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert pq.read_table(tmp_path / "out.parquet").column("city").to_pylist() == ["Oslo"]
    missing = run("--allow-path", str(tmp_path), "--var", f"input={tmp_path / 'none.csv'}")
    assert missing.returncode == 1 and f"no file at {tmp_path / 'none.csv'}" in missing.stdout + missing.stderr
    outside = run("--var", f"input={tmp_path / 'b.csv'}")
    assert outside.returncode == 1 and "is outside the store and the allowed paths" in outside.stdout + outside.stderr
