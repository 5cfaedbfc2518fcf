"""A data scientist's scoring round (trial 6): a filter that leaves no rows before Predict, a text column as a
regression target, labels of two types, missing labels in the metrics; each works or names the column."""

from __future__ import annotations

import pyarrow as pa
import pytest
from flowlike_catalog.ml.metrics import ml_eval_accuracy, ml_eval_confusion_matrix, ml_eval_regression
from flowlike_catalog.ml.regression import fit_linear_regression

TRAIN = pa.table({"x": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], "size": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
                  "label": ["s", "s", "s", "l", "l", "l"]})


@pytest.mark.parametrize(("key", "target", "column", "kind"), [
    ("fit_decision_tree", "label", "prediction", pa.string()),
    ("fit_linear_regression", "size", "prediction", pa.float64()),
    ("fit_kmeans", "", "prediction", pa.int32()),
    ("fit_pca", "", "pc1", pa.float64()),
])
def test_predict_on_no_rows_gives_no_rows_with_the_prediction_column(board, key: str, target: str, column: str,
                                                                      kind: pa.DataType) -> None:
    """A filter upstream that keeps nothing is not an error: Predict gives an empty table of the right shape."""
    fit = board.add(key, **({"target_col": target} if target else {}), feature_cols=["x"] if target else ["x", "size"])
    predict = board.add("ml_predict")
    board.feed(fit, source=TRAIN)
    board.feed(predict, source=TRAIN.slice(0, 0))
    board.wire(fit, "model", predict, "model")
    run = board.steps(fit, predict)
    predictions = run.output(predict.id, "predictions")
    assert predictions.num_rows == 0
    assert predictions.schema.field(column).type == kind


def test_a_text_target_for_a_regression_is_named() -> None:
    with pytest.raises(TypeError, match=r"target column 'label' is string: a regression learns numbers"):
        fit_linear_regression.func(None, TRAIN, ["x"], "label")


def test_labels_of_two_types_are_named_not_scored_zero() -> None:
    """Predictions of a model trained on numbers against actuals read as text: every row would differ."""
    table = pa.table({"prediction": [1, 0], "target": ["1", "0"]})
    for metric in (ml_eval_accuracy, ml_eval_confusion_matrix):
        with pytest.raises(TypeError, match=r"predictions column 'prediction' is int64 and actuals column 'target' "
                                            r"is string"):
            metric.func(table)


def test_labels_of_two_number_types_are_compared_as_numbers() -> None:
    table = pa.table({"prediction": pa.array([1, 0], pa.int32()), "target": [1.0, 1.0]})
    assert ml_eval_accuracy.func(table).accuracy == 0.5


def test_a_missing_label_in_the_confusion_matrix_is_named() -> None:
    table = pa.table({"prediction": ["a", "b", "a"], "target": ["a", None, "b"]})
    with pytest.raises(ValueError, match=r"actuals column 'target' has 1 missing value \(null or NaN\)"):
        ml_eval_confusion_matrix.func(table)


def test_regression_metrics_name_a_missing_or_text_column() -> None:
    with pytest.raises(ValueError, match=r"actuals column 'target' has 1 missing value"):
        ml_eval_regression.func(pa.table({"prediction": [1.0, 2.0, 3.0], "target": [1.0, None, 2.0]}))
    with pytest.raises(TypeError, match=r"actuals column 'target' is string: regression metrics need numbers"):
        ml_eval_regression.func(pa.table({"prediction": [1.0, 2.0], "target": ["a", "b"]}))
