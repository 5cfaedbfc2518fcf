"""A data scientist's training boards on real data: CSV read by the data pack, nulls, a text column among the
features, a polars DataFrame; each failure names the column and says what to do."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from flowlike_catalog.data import PACK as DATA
from flowlike_catalog.ml import PACK
from flowlike_catalog.ml.classification import fit_decision_tree, fit_svm_multi_class
from flowlike_catalog.ml.clustering import fit_kmeans
from flowlike_catalog.ml.models import ml_predict
from pack_builder import Builder

from flowlike_core import NodeFailed

CSV = "x1,x2,city,label\n0.1,1.0,Oslo,a\n0.2,,Zürich,b\n0.3,3.0,東京,a\n0.4,4.0,Oslo,b\n,5.0,Oslo,a\n0.6,6.0,Oslo,b\n"


def csv_board(tmp_path: Path, key: str, **defaults: object) -> Builder:
    (tmp_path / "train.csv").write_text(CSV, encoding="utf-8")
    board = Builder(DATA, PACK)
    read = board.add("table_read_csv", path={"path": str(tmp_path / "train.csv")})
    fit = board.add(key, **defaults)
    board.wire(read, "table", fit, "source")
    board.chain(board.add("events_simple"), read, fit)
    return board


def test_nulls_in_the_features_name_the_columns_for_a_model_that_takes_none(tmp_path: Path) -> None:
    board = csv_board(tmp_path, "fit_svm_multi_class", feature_cols=["x1", "x2"], target_col="label")
    with pytest.raises(NodeFailed) as failed:
        board.run()
    message = str(failed.value)
    assert "'Train Classifier (SVM)'" in message
    assert "SVC cannot take missing values (null or NaN), and feature column 'x1' has 1, 'x2' has 1" in message
    assert 'Filter Rows: "x1 IS NOT NULL"' in message


def test_a_decision_tree_still_learns_with_nulls(tmp_path: Path) -> None:
    board = csv_board(tmp_path, "fit_decision_tree", feature_cols=["x1", "x2"], target_col="label")
    assert board.run().status.value == "Success"


def test_a_text_feature_column_is_named_with_its_type(tmp_path: Path) -> None:
    board = csv_board(tmp_path, "fit_decision_tree", target_col="label")
    with pytest.raises(NodeFailed, match="feature column 'city' is string, not numeric: leave it out"):
        board.run()


def test_a_missing_target_value_is_named() -> None:
    table = pa.table({"x": [1.0, 2.0, 3.0], "y": ["a", None, "b"]})
    with pytest.raises(ValueError, match=r"target column 'y' has 1 missing value \(null or NaN\)"):
        fit_decision_tree.func(None, table, target_col="y")


def test_nan_counts_as_missing_for_clustering_and_predict() -> None:
    table = pa.table({"a": [0.0, float("nan"), 1.0, 2.0], "b": [0.0, 1.0, None, 2.0]})
    with pytest.raises(ValueError, match="KMeans cannot take missing values .* 'a' has 1, 'b' has 1"):
        fit_kmeans.func(None, 2, table)
    model = fit_svm_multi_class.func(None, pa.table({"a": [0.0, 1.0, 5.0, 6.0], "y": [0, 0, 1, 1]}), target_col="y")
    with pytest.raises(ValueError, match="SVC cannot take missing values .* 'a' has 1"):
        ml_predict.func(None, model, table)


def test_polars_and_column_dicts_train_as_tables_do() -> None:
    import polars as pl

    columns = {"x": [0.0, 1.0, 5.0, 6.0], "y": [0, 0, 1, 1]}
    for source in (pl.DataFrame(columns), columns):
        model = fit_decision_tree.func(None, source, target_col="y")
        assert model.features == ["x"] and model.classes == [0, 1]


def test_predicting_twice_replaces_the_prediction_column(board) -> None:
    table = pa.table({"x": [0.0, 1.0, 5.0, 6.0], "target": [0, 0, 1, 1]})
    fit = board.add("fit_decision_tree")
    board.feed(fit, source=table)
    first, again = board.add("ml_predict"), board.add("ml_predict")
    for predict in (first, again):
        board.wire(fit, "model", predict, "model")
    board.feed(first, source=table)
    board.wire(first, "predictions", again, "source")
    accuracy = board.add("ml_eval_accuracy")
    board.wire(again, "predictions", accuracy, "database")
    run = board.steps(fit, first, again, accuracy)
    assert run.output(again.id, "predictions").column_names == ["x", "target", "prediction"]
    assert run.output(accuracy.id, "result").accuracy == 1.0


def test_components_and_clusters_replace_their_columns_too() -> None:
    from flowlike_catalog.ml.clustering import fit_dbscan
    from flowlike_catalog.ml.reduction import fit_pca

    table = pa.table({"a": [0.0, 0.1, 5.0, 5.1], "b": [1.0, 1.1, 3.0, 3.2]})
    once = fit_pca.func(None, 1, table).reduced
    assert fit_pca.func(None, 1, once, ["a", "b"]).reduced.column_names == ["a", "b", "pc1"]
    clustered = fit_dbscan.func(1.0, 1, table).clustered
    assert fit_dbscan.func(1.0, 1, clustered, ["a", "b"]).clustered.column_names == ["a", "b", "cluster"]
