"""SQL sessions keep time in UTC whatever the machine's zone (trial 6): the time nodes write UTC literals, and
Flow-Like's DataFusion sessions work in UTC, so a board gives the same rows on a laptop in Oslo and a server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

BOARD = """
import json, sys
sys.path.insert(0, {here!r})
from data_boards import Flow
flow = Flow()
flow.step("df_create_session")
flow.step("df_mount_csv", path={{"path": {csv!r}}}, table_name="events")
window = flow.add("df_time_range_filter", timestamp_column="ts", start_time="2024-03-31T00:00:00Z",
                  end_time="2024-04-01T00:00:00Z")
days = flow.step("df_date_trunc_aggregation", source_table="events", timestamp_column="ts", precision="day",
                 aggregation_sql="count(*) AS n", filter=(window, "where_clause"))
back = flow.step("events_generic_return_result")
flow.wire(days, "results", back, "response")
print(json.dumps([[str(row["period"]), row["n"]] for row in flow.run().result]))
"""


def test_time_filters_and_day_buckets_are_utc_on_a_machine_in_another_zone(tmp_path: Path) -> None:
    csv = tmp_path / "events.csv"
    csv.write_text("ts\n2024-03-30T23:30:00Z\n2024-03-31T00:30:00Z\n2024-03-31T22:30:00Z\n2024-03-31T23:30:00Z\n")
    script = BOARD.format(here=str(HERE), csv=str(csv))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "TZ": "Europe/Oslo"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == [["2024-03-31 00:00:00+00:00", 3]]
