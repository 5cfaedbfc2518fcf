"""SQL sessions over a folder whose files do not all have the same columns (a column added one month), as a
board in Python and as a saved board run by `flowlike run`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from data_boards import Flow

EXPECTED = [{"id": 1, "city": "Oslo", "amount": None}, {"id": 2, "city": None, "amount": 2.5},
            {"id": 3, "city": "東京", "amount": 3.5}]


def month_files(folder: Path, kind: str) -> None:
    """Three monthly files: the first has no amount, the second no city."""
    folder.mkdir()
    months = [{"id": [1], "city": ["Oslo"]}, {"id": [2], "amount": [2.5]},
              {"id": [3], "city": ["東京"], "amount": [3.5]}]
    for i, columns in enumerate(months):
        path = folder / f"m{i}.{kind}"
        if kind == "csv":
            path.write_text(",".join(columns) + "\n" + ",".join(str(v[0]) for v in columns.values()) + "\n",
                            encoding="utf-8")
        elif kind == "json":
            path.write_text(json.dumps({name: values[0] for name, values in columns.items()}, ensure_ascii=False)
                            + "\n", encoding="utf-8")
        else:
            pq.write_table(pa.table(columns), path)


@pytest.mark.parametrize(("kind", "mount"), [("csv", "df_mount_csv"), ("json", "df_mount_json"),
                                             ("parquet", "df_mount_parquet")])
def test_a_folder_whose_files_differ_in_columns_mounts_by_name(tmp_path: Path, kind: str, mount: str) -> None:
    month_files(tmp_path / "months", kind)
    flow = Flow()
    flow.step("df_create_session")
    flow.step(mount, path={"path": str(tmp_path / "months")}, table_name="sales")
    query = flow.step("df_sql_query", query="SELECT id, city, amount FROM sales ORDER BY id")
    assert flow.run().output(query.id, "table").to_pylist() == EXPECTED


def test_flowlike_run_of_a_saved_board_over_such_a_folder(tmp_path: Path) -> None:
    month_files(tmp_path / "months", "csv")
    flow = Flow()
    flow.step("df_create_session")
    flow.step("df_mount_csv", path={"path": str(tmp_path / "months")}, table_name="sales")
    query = flow.step("df_sql_query", query="SELECT city, count(*) AS n, sum(amount) AS total FROM sales "
                                            "GROUP BY city ORDER BY city NULLS LAST")
    flow.step("table_write_parquet", table=(query, "table"), path={"path": str(tmp_path / "out" / "by_city.parquet")})
    flow.board.save(tmp_path / "months.board.json")
    done = subprocess.run([sys.executable, "-m", "flowlike_core.cli", "run", "--no-history", "--allow-path",
                           str(tmp_path), str(tmp_path / "months.board.json")], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert pq.read_table(tmp_path / "out" / "by_city.parquet").to_pylist() == [
        {"city": "Oslo", "n": 1, "total": None}, {"city": "東京", "n": 1, "total": 3.5},
        {"city": None, "n": 1, "total": 2.5}]
