"""Columns named wrongly fail naming them, where the nodes succeeded with a wrong result: the target among the
feature columns (a model that reads its answer), a feature named twice, Predict's column named empty (a column
without a name) or after a feature or the target (their values overwritten by the predictions), and t-SNE asked for
more components than features (scikit-learn's error spoke of PCA's svd_solver)."""

from __future__ import annotations

import pyarrow as pa
import pytest

SIX = pa.table({"a": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "b": [1.0, 0.0, 1.0, 0.0, 2.0, 3.0], "y": [1, 0, 1, 0, 1, 0]})


@pytest.mark.parametrize(("features", "why"), [
    (["a", "y"], "feature column 'y' is the target column: a model that reads its answer learns nothing"),
    (["a", "b", "a"], "feature column 'a' is named twice"),
])
def test_feature_columns_named_wrongly_are_refused(board, features, why) -> None:
    error = board.failure("fit_decision_tree", {"source": SIX, "feature_cols": features}, target_col="y")
    assert why in error, error


@pytest.mark.parametrize(("column", "why"), [
    ("", "prediction_col is empty: name the column the predictions go to"),
    ("a", "prediction_col 'a' is a feature column of the model: the predictions would overwrite it"),
    ("y", "prediction_col 'y' is the model's target column: the predictions would overwrite it"),
])
def test_a_prediction_column_that_would_lose_data_is_refused(board, column, why) -> None:
    run, node = board.one("fit_decision_tree", {"source": SIX}, target_col="y")
    model = run.output(node.id, "model")
    error = board.fresh().failure("ml_predict", {"model": model, "source": SIX}, prediction_col=column)
    assert why in error, error


def test_an_earlier_predictions_column_is_still_replaced(board) -> None:
    run, node = board.one("fit_decision_tree", {"source": SIX}, target_col="y")
    model = run.output(node.id, "model")
    once = board.fresh().one("ml_predict", {"model": model, "source": SIX})
    table = once[0].output(once[1].id, "predictions")
    again = board.fresh().one("ml_predict", {"model": model, "source": table})
    assert again[0].output(again[1].id, "predictions").column_names == ["a", "b", "y", "prediction"]


def test_t_sne_with_more_components_than_features_says_so(board) -> None:
    error = board.failure("fit_tsne", {"source": SIX}, n_components=5, perplexity=2.0)
    assert "t-SNE needs 1 <= n_components <= features (3) (it starts from a PCA of them), got 5" in error, error
