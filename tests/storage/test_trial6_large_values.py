"""Trial 6: a run whose variables hold bytes or a huge list kept them inline in its run-history record (a 1 MB bytes
variable made a 3.6 MB record, a 200,000-item list 1.3 MB), so every query read them back. They go to the content
bucket as blobs; the record names them and the history reader gives the values back."""

from __future__ import annotations

import json

import pytest

import flowlike_nb as fnb
from flowlike_core.cli import main
from flowlike_core.storage import Storage
from flowlike_core.storage.history import INLINE_LIMIT

DATA = bytes(range(256)) * 4096  # 1 MB, not text
VALUES = list(range(200_000))


def big_variables_board() -> fnb.Board:
    board = fnb.Board("big variables")
    board.variable("payload", object, None, exposed=True)  # Generic: holds the bytes as they are
    board.variable("pixels", bytes, [7] * 50_000)  # a Byte Array, from its JSON default
    board.variable("values", list[int], [], exposed=True)
    board.variable("label", str, "small", exposed=True)
    start = board.add("events_simple", "start")
    say = board.add("log_info", "say", message="hi")
    start.outputs.exec_out >> say.inputs.exec_in
    return board


def test_bytes_and_huge_lists_in_variables_go_to_blobs(store: Storage) -> None:
    run = big_variables_board().run({"payload": DATA, "values": VALUES}).core
    inline = len(run.record().model_dump_json())
    store.record(run)
    kept = store.runs.get(run.id, tables=False)
    size = len(kept.model_dump_json())
    assert inline > 1_000_000 and size < 10_000, (inline, size)
    assert kept.variables["label"] == "small"
    assert kept.variables["payload"]["size"] == len(DATA)
    back = store.runs.get(run.id)
    assert back.variables == {"payload": DATA, "pixels": bytes([7] * 50_000), "values": VALUES, "label": "small"}
    assert store.runs.query(board="big variables")[0].variables["values"] == VALUES


def test_a_large_result_goes_to_a_blob_too(store: Storage) -> None:
    board = fnb.Board("big result")
    board.variable("values", list[int], [], exposed=True)
    start = board.add("events_simple", "start")
    values = board.add("variable_get", "values", var_ref="values")
    done = board.add("events_generic_return_result", "return")
    start.outputs.exec_out >> done.inputs.exec_in
    values.outputs.value_ref >> done.inputs.response
    run = board.run({"values": VALUES}).core
    store.record(run)
    assert len(store.runs.get(run.id, tables=False).model_dump_json()) < 10_000
    assert store.runs.get(run.id).result == VALUES


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_values_under_the_limit_stay_in_the_record(store: Storage) -> None:
    small = list(range(100))
    assert len(json.dumps(small)) < INLINE_LIMIT
    run = big_variables_board().run({"values": small}).core
    store.record(run)
    assert store.runs.get(run.id, tables=False).variables["values"] == small


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_flowlike_runs_names_a_value_kept_apart_by_its_size(store: Storage,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    store.record(big_variables_board().run({"payload": DATA, "values": VALUES}).core)
    assert main(["runs", "--store", store.config.content_url.rsplit("/", 1)[0]]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    assert "payload=<1,048,576 bytes>" in row, row


@pytest.mark.parametrize("store", ["local"], indirect=True)
def test_records_appended_in_a_batch_keep_large_values_apart_too(store: Storage) -> None:
    record = big_variables_board().run({"values": VALUES}).core.record()
    store.runs.append_many([record])
    assert len(store.runs.get(record.id, tables=False).model_dump_json()) < 10_000
    assert store.runs.get(record.id).variables["values"] == VALUES
