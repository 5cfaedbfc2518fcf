"""A teacher's and a data scientist's boards (trial 7): scikit-learn's own data sets through the notebook layer, a
model read before its Train node ran, a model file given to the Load node of the other format, results equal to
scikit-learn's called directly, a model saved here and loaded by `flowlike run` in a fresh process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from flowlike_catalog.ml import sklearn_model
from flowlike_catalog.ml.models import load_ml_model, load_ml_model_binary

import flowlike_nb as fnb
from flowlike_core.board import LogLevel


def sklearn_table(loader: str) -> pa.Table:
    import sklearn.datasets

    return pa.Table.from_pandas(getattr(sklearn.datasets, loader)(as_frame=True).frame, preserve_index=False)


def one_node(key: str, **defaults: object) -> fnb.Board:
    """Start -> the node, its source the board's `data` variable."""
    board = fnb.Board(f"trial 7 {key}")
    board.variable("data", exposed=True)
    start, data = board.add("events_simple", "start"), board.add("variable_get", "data", var_ref="data")
    node = board.add(key, "node", **defaults)
    start.outputs.exec_out >> node.inputs.exec_in
    data.outputs.value_ref >> node.inputs.source
    return board


def test_a_model_read_before_its_train_node_ran_is_named() -> None:
    """Predict wired before Fit in the exec flow reads the model while it is still None (validate warns)."""
    board = fnb.Board("predict before fit")
    board.variable("data", exposed=True)
    start, data = board.add("events_simple", "start"), board.add("variable_get", "data", var_ref="data")
    fit, predict = board.add("fit_naive_bayes", "fit"), board.add("ml_predict", "predict")
    start.outputs.exec_out >> predict.inputs.exec_in
    predict.outputs.exec_out >> fit.inputs.exec_in
    data.outputs.value_ref >> fit.inputs.source
    data.outputs.value_ref >> predict.inputs.source
    fit.outputs.model >> predict.inputs.model
    run = board.run({"data": sklearn_table("load_iris")})
    assert run.status == "Failed"
    assert "node 'predict'" in run.error
    assert "input 'model' got no model (None): the Train or Load node that makes it has not run yet" in run.error
    assert "ValidationError" not in run.error


@pytest.mark.parametrize("key", ["ml_predict", "save_ml_model", "ml_model_info", "ml_get_kmeans_centroids",
                                 "ml_get_linear_coefficients"])
def test_every_model_input_names_a_missing_model(key: str) -> None:
    board = fnb.Board(f"no model for {key}")
    board.variable("model", exposed=True)
    start, model = board.add("events_simple", "start"), board.add("variable_get", "model", var_ref="model")
    node = board.add(key, "node")
    start.outputs.exec_out >> node.inputs.exec_in
    model.outputs.value_ref >> node.inputs.model
    run = board.run({"model": None})
    assert "input 'model' got no model (None)" in run.error, run.error


def test_a_model_file_of_the_other_format_names_the_node_that_reads_it(tmp_path: Path) -> None:
    run = one_node("fit_naive_bayes").run({"data": sklearn_table("load_iris")})
    model = run.outputs.node.model
    for key, name in (("save_ml_model", "iris.skops"), ("save_ml_model_binary", "iris.pkl")):
        saver = fnb.Board(f"save {key}")
        saver.variable("model", exposed=True)
        start, held = saver.add("events_simple", "start"), saver.add("variable_get", "model", var_ref="model")
        save = saver.add(key, "save", path=str(tmp_path / name))
        start.outputs.exec_out >> save.inputs.exec_in
        held.outputs.value_ref >> save.inputs.model
        saver.run({"model": model}).raise_for_status()
    with pytest.raises(ValueError, match=r"model '.*iris.pkl' is a pickle \(Save Model \(Binary\)\): load it with "
                                         r"Load Model \(Binary\)"):
        load_ml_model.func(None, str(tmp_path / "iris.pkl"))
    with pytest.raises(ValueError, match=r"model '.*iris.skops' is a skops file \(Save Model\): load it with "
                                         r"Load Model"):
        load_ml_model_binary.func(None, str(tmp_path / "iris.skops"))
    (tmp_path / "notes.txt").write_text("not a model", encoding="utf-8")
    for load in (load_ml_model, load_ml_model_binary):
        with pytest.raises(ValueError, match=r"model '.*notes.txt' is neither a skops file \(Save Model\) nor a "
                                             r"pickle \(Save Model \(Binary\)\)"):
            load.func(None, str(tmp_path / "notes.txt"))


def test_clustering_the_iris_flowers_matches_scikit_learn() -> None:
    """k-means on the four measurements (the species left out) finds scikit-learn's centres with the same seed."""
    from sklearn.cluster import KMeans

    iris = sklearn_table("load_iris")
    features = [name for name in iris.column_names if name != "target"]
    run = one_node("fit_kmeans", cluster=3, feature_cols=features, seed=3).run({"data": iris})
    run.raise_for_status()
    direct = KMeans(n_clusters=3, n_init=10, random_state=3).fit(iris.select(features).to_pandas().to_numpy())
    assert np.array_equal(sklearn_model(run.outputs.node.model).cluster_centers_, direct.cluster_centers_)


def test_pca_of_the_digits_matches_scikit_learn() -> None:
    from sklearn.decomposition import PCA

    digits = sklearn_table("load_digits")
    features = [name for name in digits.column_names if name != "target"]
    run = one_node("fit_pca", n_components=2, feature_cols=features).run({"data": digits})
    run.raise_for_status()
    direct = PCA(n_components=2).fit(digits.select(features).to_pandas().to_numpy())
    assert run.outputs.node.explained_variance == pytest.approx(direct.explained_variance_ratio_.tolist())
    reduced = run.outputs.node.reduced
    expected = direct.transform(digits.select(features).to_pandas().to_numpy())
    assert np.allclose(reduced.column("pc1").to_numpy(), expected[:, 0])
    assert np.allclose(reduced.column("pc2").to_numpy(), expected[:, 1])


def test_a_model_saved_here_predicts_alike_in_a_fresh_process(tmp_path: Path) -> None:
    """The breast cancer SVM is saved by a board in this kernel and loaded by `flowlike run` in another process,
    which reads the rows from a Parquet file (the data pack) and writes its predictions as Parquet."""
    import pyarrow.parquet as pq

    cancer = sklearn_table("load_breast_cancer")
    pq.write_table(cancer, tmp_path / "rows.parquet")
    trained = one_node("fit_svm_multi_class", kernel="linear").run({"data": cancer})
    trained.raise_for_status()
    model = trained.outputs.node.model
    saver = fnb.Board("save the cancer model")
    saver.variable("model", exposed=True)
    start, held = saver.add("events_simple", "start"), saver.add("variable_get", "model", var_ref="model")
    save = saver.add("save_ml_model", "save", path=str(tmp_path / "cancer.skops"))
    start.outputs.exec_out >> save.inputs.exec_in
    held.outputs.value_ref >> save.inputs.model
    saver.run({"model": model}).raise_for_status()

    serve = fnb.Board("serve the cancer model")
    start = serve.add("events_simple", "start")
    read = serve.add("table_read_parquet", "read", path=str(tmp_path / "rows.parquet"))
    load = serve.add("load_ml_model", "load", path=str(tmp_path / "cancer.skops"))
    predict = serve.add("ml_predict", "predict")
    write = serve.add("table_write_parquet", "write", path=str(tmp_path / "predicted.parquet"))
    start.outputs.exec_out >> read.inputs.exec_in
    read.outputs.exec_out >> load.inputs.exec_in
    load.outputs.exec_out >> predict.inputs.exec_in
    predict.outputs.exec_out >> write.inputs.exec_in
    read.outputs.table >> predict.inputs.source
    load.outputs.model >> predict.inputs.model
    predict.outputs.predictions >> write.inputs.table
    serve.save(tmp_path / "serve.board.json")
    done = subprocess.run([sys.executable, "-m", "flowlike_core.cli", "run", str(tmp_path / "serve.board.json"),
                           "--allow-path", str(tmp_path), "--allow", "native"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    predicted = pq.read_table(tmp_path / "predicted.parquet").column("prediction").to_numpy()
    features = cancer.select(model.features).to_pandas().to_numpy()
    assert np.array_equal(predicted, sklearn_model(model).predict(features))


def test_a_table_variable_is_not_listed_into_rows_when_a_run_starts() -> None:
    table = pa.table({"x": np.arange(1000, dtype=np.float64), "target": np.arange(1000) % 2})
    run = one_node("ai_ml_dataset_shuffle").run({"data": table})
    run.raise_for_status()
    assert not isinstance(run.core.start_variables["data"], list)


@pytest.mark.parametrize("labels", [
    pa.array([1.0, 2.0, float("nan"), 1.0, 2.0, float("nan"), 1.0, 2.0]),
    pa.array([1, 2, None, 1, 2, None, 1, 2]),
    pa.array(["a", "b", None, "a", "b", None, "a", "b"]),
], ids=["nan", "int-null", "text-null"])
def test_stratified_split_keeps_the_rows_without_a_label(labels: pa.Array) -> None:
    """Rows whose label is missing (null, NaN) are a group of their own: split like the others, never dropped."""
    from flowlike_catalog.ml.dataset import ai_ml_dataset_stratified_split
    from flowlike_catalog.ml.tables import missing

    table = pa.table({"x": np.arange(8.0), "label": labels})
    train, test = ai_ml_dataset_stratified_split.func(0.5, "label", table)
    assert sorted(train.column("x").to_pylist() + test.column("x").to_pylist()) == list(range(8))
    assert missing(train, "label") == missing(test, "label") == 1


def test_stratified_split_of_the_wine_keeps_its_rows_as_before() -> None:
    """Which rows go to train depends only on the seed and each label's rows (the notebook's 18 + 21 + 14)."""
    from flowlike_catalog.ml.dataset import ai_ml_dataset_stratified_split

    wine = sklearn_table("load_wine")
    train, test = ai_ml_dataset_stratified_split.func(0.7, "target", wine, seed=7)
    counts = {label: test.column("target").to_pylist().count(label) for label in (0, 1, 2)}
    assert counts == {0: 18, 1: 21, 2: 14} and train.num_rows == 178 - 53


def test_decimal_boolean_and_null_features_are_read_as_floats() -> None:
    """DuckDB's SUM and AVG give decimal columns: the matrix holds their values as floats, nulls as NaN."""
    from flowlike_catalog.ml.tables import matrix

    table = pa.table({"count": pa.array([1, 2, 3]).cast(pa.decimal128(38, 0)),
                      "price": pa.array(["1.25", "2.50", None]).cast(pa.decimal128(10, 2)),
                      "flag": [True, None, False], "n": pa.chunked_array([[1], [None, 3]])})
    x = matrix(table, table.column_names)
    assert x.dtype == np.float64 and x.flags["C_CONTIGUOUS"]
    assert np.array_equal(x, [[1.0, 1.25, 1.0, 1.0], [2.0, 2.5, np.nan, np.nan], [3.0, np.nan, 0.0, 3.0]],
                          equal_nan=True)


TINY = pa.table({"x": np.arange(12.0), "target": [0] * 11 + [1]})
"""One row of class 1: a fold trained without it has one class, which an SVM cannot learn."""


@pytest.mark.parametrize(("data", "metric", "why"), [
    ("tiny", "accuracy", "ValueError: The number of classes has to be greater than one; got 1 class"),
    ("iris", "roc_auc", "ValueError: multi_class must be in ('ovo', 'ovr')"),
])
def test_a_grid_search_whose_every_setting_fails_says_why(data: str, metric: str, why: str) -> None:
    """It succeeded with best_score NaN and an arbitrary 'best' setting; scikit-learn's warning went to stderr."""
    table = TINY if data == "tiny" else sklearn_table("load_iris")
    run = one_node("ai_ml_tuning_grid_search", model_type="SVM", cv_folds=3, metric=metric).run({"data": table})
    assert run.status == "Failed"
    assert f"every setting of SVM failed in cross-validation: {why}" in run.error


def test_auto_classifier_leaves_out_a_type_that_failed_and_logs_why() -> None:
    run = one_node("ai_ml_tuning_auto_classifier", cv_folds=3).run({"data": TINY})
    run.raise_for_status()
    results = run.outputs.node.results
    assert results.best_model_type == "DecisionTree" and np.isnan(results.scores["SVM"])
    assert [line.message for line in run.logs(LogLevel.WARN)] == [
        "SVM failed in cross-validation: ValueError: The number of classes has to be greater than one; got 1 class"]


def test_auto_classifier_whose_every_type_fails_says_so() -> None:
    """A metric that does not suit the data (ROC AUC of three classes) failed every type: max() of nothing."""
    run = one_node("ai_ml_tuning_auto_classifier", cv_folds=3, metric="roc_auc").run(
        {"data": sklearn_table("load_iris")})
    assert "every classifier failed in cross-validation (see the warnings): DecisionTree, NaiveBayes, SVM" \
        in run.error
    assert len(run.logs(LogLevel.WARN)) == 3


@pytest.mark.parametrize(("key", "defaults"), [("fit_pca", {}), ("fit_dbscan", {}), ("fit_tsne", {"perplexity": 2.0})])
def test_a_data_frame_source_is_turned_into_a_table_once(monkeypatch: pytest.MonkeyPatch, key: str,
                                                         defaults: dict[str, object]) -> None:
    """PCA, DBSCAN and t-SNE converted a pandas source twice: for the matrix, then for the result's columns."""
    import pandas as pd
    from flowlike_catalog.data import handles

    conversions = []
    as_arrow = handles.as_arrow

    def counted(value: object, what: str = "table") -> pa.Table:
        if not isinstance(value, pa.Table):
            conversions.append(what)
        return as_arrow(value, what)

    monkeypatch.setattr(handles, "as_arrow", counted)
    frame = pd.DataFrame({"a": np.arange(8.0), "b": np.arange(8.0) ** 2})
    run = one_node(key, **defaults).run({"data": frame})
    run.raise_for_status()
    assert conversions == ["source"]


def test_the_classifier_settings_say_what_they_do() -> None:
    """A teacher could not tell from the editor that max_depth 0 means no limit, or what C does."""
    from flowlike_catalog.ml.classification import fit_decision_tree, fit_svm_multi_class

    described = {(node.name, pin.name): pin.description for node in (fit_decision_tree, fit_svm_multi_class)
                 for pin in node.pins}
    assert "0: no limit" in described["fit_decision_tree", "max_depth"]
    assert "regularization" in described["fit_svm_multi_class", "c"]
    assert all(described[key, "seed"] for key in ("fit_decision_tree", "fit_svm_multi_class"))
