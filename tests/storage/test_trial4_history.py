"""Run history: one answer to "does this store answer, and has it a run history", shared by `flowlike runs` and
`flowlike run --store`; a pyarrow Table result is kept as a table (an Arrow file) and comes back as one."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from test_history import board_saying

import flowlike_nb as fnb
from flowlike_core import Registry
from flowlike_core.cli import main
from flowlike_core.errors import StorageError
from flowlike_core.storage import Storage, StorageConfig
from flowlike_core.storage.history import TABLE_RESULT

UNREACHABLE = "s3://flowlike-no-such-bucket/trial4"


@pytest.fixture
def no_aws_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_exists_tells_a_store_with_history_from_one_without(store: Storage, registry: Registry) -> None:
    assert store.runs.exists() is False
    assert store.content.fs.find(store.content.root) == [], "asking made nothing"
    store.runs.append(board_saying("alpha").run(registry=registry).record())
    assert store.runs.exists() is True


def test_a_store_that_does_not_answer_is_one_error_for_both_commands(no_aws_credentials: None, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(StorageError, match=f"cannot reach the run history in {UNREACHABLE}/"):
        Storage(StorageConfig.at(UNREACHABLE)).runs.exists()
    assert main(["runs", "--store", UNREACHABLE]) == 2
    listing = capsys.readouterr().err.strip().splitlines()
    board = tmp_path / "say.board.json"
    board.write_text('{"name": "empty"}')
    assert main(["run", str(board), "--store", UNREACHABLE]) == 2
    running = capsys.readouterr().err.strip().splitlines()
    assert len(listing) == 1
    assert listing[0].startswith(f"flowlike: error: cannot reach the run history in {UNREACHABLE}/")
    assert running[-1] == f"{listing[0]}; fix --store or pass --no-history"


@fnb.node
def trial4_people(secret: str = "") -> pa.Table:
    """A small table with the secret in one cell."""
    return pa.table({"n": [1, 2, 3], "who": ["ann", secret, "bob"]})


def people_board() -> fnb.Board:
    board = fnb.Board("people")
    board.variable("token", str, "sk-live-4f9a2b", secret=True)
    start = board.add("events_simple", "start")
    token = board.add("variable_get", "token", var_ref="token")
    people = board.add("trial4_people", "people")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    token.outputs.value_ref >> people.inputs.secret
    people.outputs.result >> done.inputs.response
    return board


def test_a_table_result_is_kept_as_a_table(store: Storage) -> None:
    run = people_board().run()
    assert isinstance(run.result, pa.Table)
    store.record(run.core)
    expected = pa.table({"n": [1, 2, 3], "who": ["ann", "***", "bob"]})
    for record in (store.runs.get(run.id), store.runs.query(board="people")[0]):
        assert isinstance(record.result, pa.Table) and record.result.equals(expected), "read back as the table"
    stored = store.runs.get(run.id, tables=False).result
    assert stored["rows"] == 3 and stored["columns"] == ["n", "who"]
    assert store.content.exists(f"history/tables/{stored[TABLE_RESULT]['key'][:2]}/{stored[TABLE_RESULT]['key']}")
    assert b"sk-live-4f9a2b" not in store.runs.tables.get(stored[TABLE_RESULT]["key"]), "secrets redacted"


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_a_table_of_any_arrow_type_comes_back_whole(store: Storage) -> None:
    """Unions, dictionaries, unsigned and nanosecond types, schema metadata: what Parquet cannot hold, or changes."""
    kinds = pa.UnionArray.from_sparse(pa.array([0, 1], type=pa.int8()), [pa.array([1, 2]), pa.array(["a", "b"])])
    table = pa.table({"u": kinds, "d": pa.array(["x", "y"]).dictionary_encode(), "n": pa.array([1, 2], pa.uint32()),
                      "t": pa.array([1, 2], pa.timestamp("ns"))}).replace_schema_metadata({"source": "trial"})
    board = fnb.Board("any table")
    board.variable("table", object, None, exposed=True)
    start = board.add("events_simple", "start")
    value = board.add("variable_get", "table", var_ref="table")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    value.outputs.value_ref >> done.inputs.response
    run = board.run({"table": table})
    assert run.result is table
    store.record(run.core)
    back = store.runs.get(run.id).result
    assert back.equals(table, check_metadata=True)


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_runs_json_shows_a_table_result_as_its_reference(store: Storage, capsys: pytest.CaptureFixture[str]) -> None:
    run = people_board().run()
    store.record(run.core)
    root = str(Path(store.config.content_url).parent)
    assert main(["runs", "--store", root, "--json"]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert record["result"]["rows"] == 3
    assert record["result"][TABLE_RESULT]["media_type"] == "application/vnd.apache.arrow.file"


@pytest.mark.parametrize("limit", ["0", "-3", "many"])
def test_runs_limit_takes_a_count(limit: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--limit -3` listed nothing and said "no runs match", as if the history held none."""
    assert main(["runs", "--store", str(tmp_path), "--limit", limit]) == 2
    assert f"argument --limit: {limit!r}: give a number of runs, 1 or more" in capsys.readouterr().err


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_secrets_are_redacted_in_every_column_that_holds_text(store: Storage) -> None:
    """A dictionary column is redacted and the table kept; a union holding text cannot be rebuilt with its secret
    masked, so that table is kept as its redacted text."""
    secret = "sk-live-4f9a2b"
    words = pa.array(["ann", secret]).dictionary_encode()
    mixed = pa.UnionArray.from_sparse(pa.array([0, 1], type=pa.int8()), [pa.array([1, 2]), pa.array(["a", secret])])
    for columns in ({"n": pa.array([1, 2]), "w": words}, {"m": mixed}):
        board = fnb.Board("secret table")
        board.variable("token", str, secret, secret=True)
        board.variable("table", object, None, exposed=True)
        start = board.add("events_simple", "start")
        value = board.add("variable_get", "table", var_ref="table")
        done = board.add("events_generic_return_result", "return")
        start.outputs.exec_out >> done.inputs.exec_in
        value.outputs.value_ref >> done.inputs.response
        run = board.run({"table": pa.table(columns)})
        store.record(run.core)
        back = store.runs.get(run.id).result
        assert secret not in str(back) and "***" in str(back)
        if "w" in columns:
            assert back.column("w").to_pylist() == ["ann", "***"] and back.column("n").to_pylist() == [1, 2]
        else:
            assert isinstance(back, str), "kept as its redacted text"
