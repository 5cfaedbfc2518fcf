"""Metrics: accuracy, confusion matrix and regression errors from a table of predictions and actual values."""

from __future__ import annotations

from typing import Annotated, Any

from flowlike_catalog.ml.tables import as_table, check_complete, column, is_numeric, python_values
from pydantic import BaseModel

from flowlike_core import Pin, node

CATEGORY = "AI/ML/Metrics"
Database = Annotated[Any, Pin("Table", description="A table holding predictions and actual values (from Predict)")]


class AccuracyMetrics(BaseModel):
    accuracy: float
    correct: int
    total: int


class ConfusionMatrixResult(BaseModel):
    labels: list[Any]
    matrix: list[list[int]]
    """matrix[i][j]: rows whose actual label is labels[i] and predicted labels[j]."""
    precision: list[float]
    recall: list[float]
    f1: list[float]


class RegressionMetrics(BaseModel):
    mse: float
    rmse: float
    mae: float
    r2: float
    count: int


def pairs(database: Any, predictions_col: str, actuals_col: str, *, complete: bool = False, numbers: bool = False
          ) -> tuple[Any, Any]:
    """The predicted and actual values as arrays. Columns of a number and a text fail naming both (every row
    would differ); with `complete` a missing value, with `numbers` a column that is not numeric, fails naming it."""
    import pyarrow as pa

    table = as_table(database, "database")
    named = {predictions_col: "predictions column", actuals_col: "actuals column"}
    predicted = column(table, predictions_col, named[predictions_col])
    actual = column(table, actuals_col, named[actuals_col])
    kinds = {name: table.schema.field(name).type for name in named}
    for name, what in named.items():
        if numbers and not is_numeric(kinds[name]):
            raise TypeError(f"{what} {name!r} is {kinds[name]}: regression metrics need numbers")
        if complete:
            check_complete(table, name, what)
    typed = [is_numeric(kind) for kind in kinds.values() if not pa.types.is_null(kind)]
    if len(set(typed)) > 1:
        raise TypeError(f"predictions column {predictions_col!r} is {kinds[predictions_col]} and actuals column "
                        f"{actuals_col!r} is {kinds[actuals_col]}: no value of one can equal a value of the other "
                        f"(CAST one to the other's type in SQL)")
    if len(actual) == 0:
        raise ValueError("no rows to evaluate")
    return predicted, actual


@node(friendly_name="Accuracy", exec_pins=True)
def ml_eval_accuracy(database: Database = None, predictions_col: str = "prediction",
                     actuals_col: str = "target") -> Annotated[AccuracyMetrics, Pin(name="result")]:
    """Share of rows whose prediction equals the actual value."""
    predicted, actual = pairs(database, predictions_col, actuals_col)
    correct = int((predicted == actual).sum())
    return AccuracyMetrics(accuracy=correct / len(actual), correct=correct, total=len(actual))


@node(friendly_name="Confusion Matrix", exec_pins=True)
def ml_eval_confusion_matrix(database: Database = None, predictions_col: str = "prediction",
                             actuals_col: str = "target") -> Annotated[ConfusionMatrixResult, Pin(name="result")]:
    """Counts of (actual, predicted) label pairs over the sorted labels of both columns, with per-label
    precision, recall and F1 (0 where undefined)."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    predicted, actual = pairs(database, predictions_col, actuals_col, complete=True)
    import numpy as np

    labels = np.unique(np.concatenate([actual, predicted]))
    matrix = confusion_matrix(actual, predicted, labels=labels)
    precision, recall, f1, _ = precision_recall_fscore_support(actual, predicted, labels=labels, zero_division=0)
    return ConfusionMatrixResult(labels=python_values(labels), matrix=matrix.tolist(), precision=precision.tolist(),
                                 recall=recall.tolist(), f1=f1.tolist())


@node(friendly_name="Regression Metrics", exec_pins=True)
def ml_eval_regression(database: Database = None, predictions_col: str = "prediction",
                       actuals_col: str = "target") -> Annotated[RegressionMetrics, Pin(name="result")]:
    """Mean squared error, its root, mean absolute error and R² of the predictions."""
    import numpy as np
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

    predicted, actual = (np.asarray(v, dtype=np.float64) for v in pairs(database, predictions_col, actuals_col,
                                                                               complete=True, numbers=True))
    mse = float(mean_squared_error(actual, predicted))
    return RegressionMetrics(mse=mse, rmse=mse ** 0.5, mae=float(mean_absolute_error(actual, predicted)),
                             r2=float(r2_score(actual, predicted)) if len(actual) > 1 else float("nan"),
                             count=len(actual))
