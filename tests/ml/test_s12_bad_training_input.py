"""Training and tuning on input that cannot be learned from fail saying what is wrong with it: an empty table,
more folds than rows, an unknown metric, and settings that fail every fit (scikit-learn's error was a page of its
tracebacks), where an Auto Classifier leaves out a type that failed every fold rather than failing whole."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest

from flowlike_core.board import LogLevel

EMPTY = pa.table({"a": pa.array([], pa.float64()), "y": pa.array([], pa.int64())})
SIX = pa.table({"a": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "b": [1.0, 0.0, 1.0, 0.0, 2.0, 3.0], "y": [1, 0, 1, 0, 1, 0]})
ONE_CLASS = pa.table({"a": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "y": [1, 1, 1, 1, 1, 1]})


@pytest.mark.parametrize(("key", "defaults", "estimator"), [
    ("ai_ml_tuning_grid_search", {"target_col": "y"}, "DecisionTreeClassifier"),
    ("ai_ml_tuning_auto_classifier", {"target_col": "y"}, "GaussianNB"),
    ("fit_dbscan", {}, "DBSCAN"),
    ("fit_decision_tree", {"target_col": "y"}, "DecisionTreeClassifier"),
])
def test_training_on_an_empty_table_says_the_source_has_no_rows(board, key, defaults, estimator) -> None:
    error = board.failure(key, {"source": EMPTY}, **defaults)
    assert f"cannot train {estimator} on an empty table: the source has no rows" in error, error


@pytest.mark.parametrize("key", ["ai_ml_tuning_grid_search", "ai_ml_tuning_auto_classifier"])
def test_more_folds_than_rows_names_the_folds_and_the_rows(board, key) -> None:
    error = board.failure(key, {"source": SIX}, target_col="y", cv_folds=10)
    assert "cross-validation needs 2 <= cv_folds <= rows, got cv_folds=10 for 6 rows" in error, error


@pytest.mark.parametrize("key", ["ai_ml_tuning_grid_search", "ai_ml_tuning_auto_classifier"])
def test_an_unknown_metric_is_named(board, key) -> None:
    error = board.failure(key, {"source": SIX}, target_col="y", cv_folds=2, metric="acuracy")
    assert "unknown metric 'acuracy': use a scikit-learn scoring name (accuracy, balanced_accuracy, f1_macro...; " \
           "all: sklearn.metrics.get_scorer_names())" in error, error


def test_a_grid_whose_every_setting_fails_every_fit_says_why_in_one_line(board) -> None:
    error = board.failure("ai_ml_tuning_grid_search", {"source": SIX, "param_grid": {"max_depth": ["deep"]}},
                   target_col="y", cv_folds=2)
    assert "every setting of DecisionTree failed in cross-validation: sklearn.utils._param_validation." \
           "InvalidParameterError: The 'max_depth' parameter of DecisionTreeClassifier must be an int in the range " \
           "[1, inf) or None. Got 'deep' instead." in error, error
    assert "\n" not in error.split("failed in cross-validation: ")[1], error


def test_auto_classifier_leaves_out_a_type_that_failed_every_fold(board) -> None:
    """An SVM cannot learn one class: every fold failed, and scikit-learn raised instead of scoring it NaN."""
    node = board.add("ai_ml_tuning_auto_classifier", target_col="y", cv_folds=2)
    board.feed(node, source=ONE_CLASS)
    run = board.steps(node)
    results = run.output(node.id, "results")
    assert results.best_model_type == "DecisionTree" and math.isnan(results.scores["SVM"]), results
    assert [line.message for line in run.logs(LogLevel.WARN)] == [
        "SVM failed in cross-validation: ValueError: The number of classes has to be greater than one; got 1 class"]
