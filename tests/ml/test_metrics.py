from __future__ import annotations

import math

import pyarrow as pa
import pytest
from flowlike_catalog.ml.metrics import ml_eval_accuracy, ml_eval_confusion_matrix, ml_eval_regression

CLASSES = pa.table({"prediction": ["cat", "dog", "dog", "cat", "bird"], "target": ["cat", "dog", "cat", "cat", "dog"]})


def test_accuracy() -> None:
    result = ml_eval_accuracy.func(CLASSES)
    assert (result.accuracy, result.correct, result.total) == (0.6, 3, 5)


def test_confusion_matrix_with_precision_recall_f1() -> None:
    result = ml_eval_confusion_matrix.func(CLASSES)
    assert result.labels == ["bird", "cat", "dog"]
    assert result.matrix == [[0, 0, 0], [0, 2, 1], [1, 0, 1]]
    assert result.precision == [0.0, 1.0, 0.5]
    assert result.recall == [0.0, pytest.approx(2 / 3), 0.5]
    assert result.f1 == [0.0, pytest.approx(0.8), 0.5]


def test_regression_metrics() -> None:
    table = pa.table({"p": [1.0, 2.0, 4.0], "y": [1.0, 3.0, 3.0]})
    result = ml_eval_regression.func(table, "p", "y")
    assert result.mse == pytest.approx(2 / 3) and result.rmse == pytest.approx(math.sqrt(2 / 3))
    assert result.mae == pytest.approx(2 / 3) and result.r2 == pytest.approx(1 - 2 / (8 / 3))
    assert result.count == 3


def test_metrics_through_a_board(board) -> None:
    run, node = board.one("ml_eval_accuracy", {"database": CLASSES})
    assert run.output(node.id, "result").accuracy == 0.6


def test_missing_columns_and_empty_tables_fail_clearly() -> None:
    with pytest.raises(KeyError, match="predictions column 'guess' is not in the table"):
        ml_eval_accuracy.func(CLASSES, "guess")
    with pytest.raises(ValueError, match="no rows to evaluate"):
        ml_eval_accuracy.func(CLASSES.slice(0, 0))
