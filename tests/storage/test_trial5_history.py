"""Trial 5: a run history with a damaged part stays readable. One corrupted pending record (a torn copy, an edit by
hand) made every query, get and `flowlike runs` fail with a JSONDecodeError; one lost or damaged result table made
query() fail for every run of the history, naming no run."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from test_history import board_saying

import flowlike_nb as fnb
from flowlike_core import Registry
from flowlike_core.cli import main
from flowlike_core.errors import StorageError
from flowlike_core.storage import Storage
from flowlike_core.storage.history import TABLE_RESULT


@pytest.mark.parametrize("damage", [b'{"id": "trunc', b'{"id": "x"}', b"[1, 2]"])
def test_a_corrupted_pending_record_is_set_aside_and_the_rest_is_kept(
        store: Storage, registry: Registry, damage: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    kept = [board_saying(name).run(registry=registry).record() for name in ("alpha", "beta")]
    for record in kept:
        store.runs.append(record)
    broken = board_saying("gamma").run(registry=registry).record()
    store.runs.append(broken)
    [key] = [k for k in store.content.list("history/pending") if json.loads(store.content.read(k))["id"] == broken.id]
    store.content.write(key, damage)
    name = key.rsplit("/", 1)[-1]
    with pytest.warns(RuntimeWarning, match=f"{key} in {store.content.url} is not a run record .*set aside as "
                                            f"history/corrupt/{name}"):
        found = store.runs.query()
    assert sorted(r.id for r in found) == sorted(r.id for r in kept)
    assert store.runs.get(kept[0].id) == kept[0]
    assert store.content.list("history/pending") == [], "nothing left to trip the next fold"
    assert store.content.read(f"history/corrupt/{name}") == damage, "kept for whoever wants to look at it"
    assert store.runs.count() == 2


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_flowlike_runs_lists_the_runs_beside_a_corrupted_record(store: Storage, registry: Registry,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    run = board_saying("alpha").run(registry=registry).record()
    store.runs.append(run)
    store.content.write("history/pending/0123456789abcdef.json", b"\x00\x00garbage")
    with pytest.warns(RuntimeWarning, match="not a run record"):
        assert main(["runs", "--store", store.config.content_url.removesuffix("/content")]) == 0
    assert run.id in capsys.readouterr().out


def _damage_table(store: Storage, run_id: str, data: bytes | None) -> str:
    ref = store.runs.get(run_id, tables=False).result[TABLE_RESULT]["key"]
    key = f"history/tables/{ref[:2]}/{ref}"
    if data is None:
        store.content.delete(key)
    else:
        store.content.write(key, data)
    return ref


def table_board() -> fnb.Board:
    """A board whose result is the table given as its variable `table`."""
    board = fnb.Board("tables")
    board.variable("table", object, None, exposed=True)
    start = board.add("events_simple", "start")
    value = board.add("variable_get", "table", var_ref="table")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    value.outputs.value_ref >> done.inputs.response
    return board


@pytest.mark.parametrize("data", [None, b"ARROW1\x00\x00 cut short"], ids=["lost", "corrupt"])
def test_a_run_whose_table_is_damaged_does_not_hide_the_others(store: Storage, data: bytes | None) -> None:
    board = table_board()
    damaged, whole = (board.run({"table": pa.table({"n": [n]})}) for n in (1, 2))
    for run in (damaged, whole):
        store.record(run.core)
    _damage_table(store, damaged.id, data)
    with pytest.warns(RuntimeWarning, match=f"run {damaged.id}: its result table .* cannot be read"):
        found = {r.id: r for r in store.runs.query(board="tables")}
    assert set(found) == {damaged.id, whole.id}
    assert found[whole.id].result.equals(pa.table({"n": [2]}))
    assert found[damaged.id].result == store.runs.get(damaged.id, tables=False).result, "its reference, as stored"
    with pytest.raises(StorageError, match=f"run {damaged.id}: its result table .* cannot be read.*tables=False"):
        store.runs.get(damaged.id)


@fnb.node
def trial5_bytes(size: int = 0) -> bytes:
    """Bytes that are not text."""
    return (bytes(range(256)) * (size // 256 + 1))[:size]


def test_a_bytes_result_is_kept_as_a_blob_and_comes_back_as_bytes(store: Storage) -> None:
    """It was kept as a JSON list of its byte values: 20 MB took 20 s to record and 72 s to read back, as a list."""
    data = bytes(range(256)) * 8192  # 2 MB, not text
    board = fnb.Board("bytes")
    start = board.add("events_simple", "start")
    made = board.add("trial5_bytes", "made", size=len(data))
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    made.outputs.result >> done.inputs.response
    run = board.run()
    assert run.result == data
    store.record(run.core)
    assert store.runs.get(run.id).result == data
    assert store.runs.query(board="bytes")[0].result == data
    kept = store.runs.get(run.id, tables=False)
    assert kept.result["size"] == len(data) and len(kept.model_dump_json()) < 20_000, "the record names the blob"


@fnb.node
def trial5_encode(text: str = "") -> bytes:
    """The text as UTF-8 bytes."""
    return f"token={text};".encode()


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_a_secret_in_a_bytes_result_is_masked(store: Storage) -> None:
    board = fnb.Board("secret bytes")
    board.variable("token", str, "sk-live-4f9a2b", secret=True)
    start = board.add("events_simple", "start")
    token = board.add("variable_get", "token", var_ref="token")
    encoded = board.add("trial5_encode", "encoded")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    token.outputs.value_ref >> encoded.inputs.text
    encoded.outputs.result >> done.inputs.response
    run = board.run()
    store.record(run.core)
    assert store.runs.get(run.id).result == b"token=***;"


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_query_takes_the_words_flowlike_runs_takes(store: Storage, registry: Registry) -> None:
    """`query(status="failed", since="2h")` in a notebook: "'failed' is not a valid RunStatus", "could not convert
    string to float: '2h'", where `flowlike runs --status failed --since 2h` worked."""
    failed = board_saying("beta", level="Warn", fail=True).run(registry=registry).record()
    store.runs.append(failed)
    store.runs.append(board_saying("alpha").run(registry=registry).record())
    found = store.runs.query(status="failed", level="warn", since="2h", until="2099-01-01")
    assert [r.id for r in found] == [failed.id]
    assert store.runs.query(since="2099-01-01T00:00") == []
    with pytest.raises(ValueError, match="'yesterday' is neither an ISO time .* nor a span like 30m"):
        store.runs.query(since="yesterday")
    with pytest.raises(ValueError, match="'broken': choose from Running, Success, Failed, Cancelled"):
        store.runs.query(status="broken")
