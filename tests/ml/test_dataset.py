from __future__ import annotations

import pyarrow as pa
import pytest
from flowlike_catalog.ml.dataset import (
    ai_ml_dataset_sample,
    ai_ml_dataset_shuffle,
    ai_ml_dataset_split,
    ai_ml_dataset_stratified_split,
)

TABLE = pa.table({"x": list(range(10)), "label": ["a"] * 6 + ["b"] * 4})


def test_split_without_shuffle_takes_the_first_rows() -> None:
    train, test = ai_ml_dataset_split.func(0.8, TABLE, None, None, shuffle=False)
    assert train.column("x").to_pylist() == [0, 1, 2, 3, 4, 5, 6, 7]
    assert test.column("x").to_pylist() == [8, 9]


def test_random_split_is_a_repeatable_partition_in_row_order() -> None:
    train, test = ai_ml_dataset_split.func(0.7, TABLE, None, None, seed=3)
    xs, ys = train.column("x").to_pylist(), test.column("x").to_pylist()
    assert (len(xs), len(ys)) == (7, 3)
    assert sorted(xs + ys) == list(range(10)) and xs == sorted(xs) and ys == sorted(ys)
    again = ai_ml_dataset_split.func(0.7, TABLE, None, None, seed=3)
    assert again[1].column("x").to_pylist() == ys
    assert ai_ml_dataset_split.func(0.7, TABLE, None, None, seed=4)[1].column("x").to_pylist() != ys


def test_split_appends_to_the_given_tables() -> None:
    base = pa.table({"x": [100], "label": ["z"]})
    train, test = ai_ml_dataset_split.func(0.5, TABLE, base, base, shuffle=False)
    assert train.column("x").to_pylist() == [100, 0, 1, 2, 3, 4]
    assert test.column("label").to_pylist() == ["z", "a", "b", "b", "b", "b"]


def test_stratified_split_keeps_each_labels_share() -> None:
    train, test = ai_ml_dataset_stratified_split.func(0.5, "label", TABLE, None, None)
    assert sorted(train.column("label").to_pylist()) == ["a", "a", "a", "b", "b"]
    assert sorted(test.column("label").to_pylist()) == ["a", "a", "a", "b", "b"]
    assert sorted(train.column("x").to_pylist() + test.column("x").to_pylist()) == list(range(10))


def test_shuffle_and_sample() -> None:
    shuffled = ai_ml_dataset_shuffle.func(TABLE, None, seed=1).column("x").to_pylist()
    assert sorted(shuffled) == list(range(10)) and shuffled != list(range(10))
    sampled, count = ai_ml_dataset_sample.func(3, 0.1, TABLE, None, seed=1)
    xs = sampled.column("x").to_pylist()
    assert count == 3 and len(set(xs)) == 3 and xs == sorted(xs) and set(xs) <= set(range(10))
    assert ai_ml_dataset_sample.func(0, 0.5, TABLE, None)[1] == 5
    assert ai_ml_dataset_sample.func(50, 0.5, TABLE, None)[1] == 10


def test_bad_input_says_what() -> None:
    with pytest.raises(ValueError, match="split must be a fraction"):
        ai_ml_dataset_split.func(1.5, TABLE, None, None)
    with pytest.raises(KeyError, match="label column 'kind' is not in the table"):
        ai_ml_dataset_stratified_split.func(0.5, "kind", TABLE, None, None)
    with pytest.raises(TypeError, match="source must be a table"):
        ai_ml_dataset_split.func(0.5, "not a table", None, None)
    with pytest.raises(ValueError, match="does not fit the source's columns"):
        ai_ml_dataset_split.func(0.5, TABLE, pa.table({"y": [1]}), None)


def test_k_fold_runs_its_body_per_fold(board) -> None:
    fold = board.add("ai_ml_dataset_kfold", k=5, shuffle=False)
    board.feed(fold, source=TABLE)
    log = board.add("log_info")
    board.wire(fold, "info", log, "message")
    done = board.add("log_info", message="done")
    board.chain(board.add("events_simple"), fold)
    board.wire(fold, "exec_fold", log, "exec_in")
    board.wire(fold, "exec_done", done, "exec_in")
    run = board.run()
    messages = [line.message for line in run.logs()]
    infos = [m for m in messages if "fold_index" in m]
    assert len(infos) == 5 and messages[-1] == "done"
    assert all('"train_count": 8, "test_count": 2' in m for m in infos)
    assert run.output(fold.id, "test_out").column("x").to_pylist() == [8, 9]
    assert run.output(fold.id, "train_out").column("x").to_pylist() == list(range(8))
