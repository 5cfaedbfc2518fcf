"""Trainers, Predict and Model Info through real boards: the results equal scikit-learn's own."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from flowlike_catalog.ml import sklearn_model

FEATURES = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
BLOBS = pa.table({"a": [0.0, 0.2, -0.2, 10.0, 10.2, 9.8], "b": [0.0, -0.2, 0.2, 10.0, 9.8, 10.2]})


def fit_and_predict(board, key: str, table: pa.Table, **defaults) -> tuple:
    fit = board.add(key, **defaults)
    board.feed(fit, source=table)
    predict = board.add("ml_predict", batch_size=7)
    board.wire(fit, "model", predict, "model")
    board.feed(predict, source=table)
    run = board.steps(fit, predict)
    return run.output(fit.id, "model"), run.output(predict.id, "predictions")


@pytest.mark.parametrize(("key", "estimator"), [
    ("fit_decision_tree", "DecisionTreeClassifier"),
    ("fit_naive_bayes", "GaussianNB"),
    ("fit_svm_multi_class", "SVC"),
])
def test_classifiers_predict_as_scikit_learn_does(board, iris, key, estimator) -> None:
    import sklearn.naive_bayes
    import sklearn.svm
    import sklearn.tree

    model, predictions = fit_and_predict(board, key, iris)
    x, y = iris.select(FEATURES).to_pandas().to_numpy(), iris.column("target").to_numpy()
    kinds = {"DecisionTreeClassifier": lambda: sklearn.tree.DecisionTreeClassifier(max_depth=10, random_state=0),
             "GaussianNB": sklearn.naive_bayes.GaussianNB, "SVC": lambda: sklearn.svm.SVC(random_state=0)}
    expected = kinds[estimator]().fit(x, y).predict(x)
    assert predictions.column("prediction").to_pylist() == expected.tolist()
    assert predictions.column_names == [*iris.column_names, "prediction"]
    assert model.features == FEATURES and model.target == "target" and model.classes == [0, 1, 2]
    assert type(sklearn_model(model)).__name__ == estimator


def test_linear_regression_recovers_the_weights(board) -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=50), rng.normal(size=50)
    table = pa.table({"a": a, "b": b, "target": 2 * a - 3 * b + 5})
    model, predictions = fit_and_predict(board, "fit_linear_regression", table)
    coefficients = board.fresh().one("ml_get_linear_coefficients", {"model": model})
    coefficients = coefficients[0].output(coefficients[1].id, "result")
    assert coefficients.coefficients == pytest.approx({"a": 2.0, "b": -3.0})
    assert coefficients.intercept == pytest.approx(5.0)
    assert predictions.column("prediction").to_numpy() == pytest.approx(2 * a - 3 * b + 5)


def test_kmeans_centroids_and_assignments(board) -> None:
    model, predictions = fit_and_predict(board, "fit_kmeans", BLOBS, cluster=2)
    labels = predictions.column("prediction").to_pylist()
    assert labels[:3] == [labels[0]] * 3 and labels[3:] == [labels[3]] * 3 and labels[0] != labels[3]
    run, centroids = board.fresh().one("ml_get_kmeans_centroids", {"model": model})
    result = run.output(centroids.id, "result")
    assert result.features == ["a", "b"]
    assert sorted(result.centroids) == [pytest.approx([0.0, 0.0]), pytest.approx([10.0, 10.0])]


def test_dbscan_labels_clusters_and_noise(board) -> None:
    table = pa.concat_tables([BLOBS, pa.table({"a": [50.0], "b": [50.0]})])
    run, node = board.one("fit_dbscan", {"source": table}, epsilon=0.5, min_points=2)
    assert run.output(node.id, "n_clusters") == 2 and run.output(node.id, "n_noise") == 1
    assert run.output(node.id, "clustered").column("cluster").to_pylist() == [0, 0, 0, 1, 1, 1, -1]


def test_pca_on_a_line_explains_everything_with_one_component(board) -> None:
    t = np.arange(8, dtype=float)
    table = pa.table({"a": t, "b": 2 * t, "c": -t})
    run, node = board.one("fit_pca", {"source": table}, n_components=2)
    assert run.output(node.id, "explained_variance") == pytest.approx([1.0, 0.0], abs=1e-12)
    reduced = run.output(node.id, "reduced")
    assert reduced.column_names == ["a", "b", "c", "pc1", "pc2"]
    pc1 = reduced.column("pc1").to_numpy()
    assert np.abs(pc1) == pytest.approx(np.abs((t - t.mean()) * np.sqrt(6)))


def test_tsne_keeps_the_blobs_apart(board) -> None:
    run, node = board.one("fit_tsne", {"source": BLOBS}, perplexity=2.0)
    embedded = run.output(node.id, "embedded")
    assert embedded.column_names == ["a", "b", "tsne1", "tsne2"]
    points = np.column_stack([embedded.column("tsne1").to_numpy(), embedded.column("tsne2").to_numpy()])
    within = max(np.linalg.norm(points[i] - points[j]) for group in ([0, 1, 2], [3, 4, 5])
                 for i in group for j in group)
    between = min(np.linalg.norm(points[i] - points[j]) for i in (0, 1, 2) for j in (3, 4, 5))
    assert between > within


def test_model_info(board, iris) -> None:
    model, _ = fit_and_predict(board, "fit_decision_tree", iris, max_depth=3)
    run, info = board.fresh().one("ml_model_info", {"model": model})
    result = run.output(info.id, "info")
    assert run.output(info.id, "model_type") == "DecisionTree"
    assert result.estimator == "DecisionTreeClassifier" and result.params["max_depth"] == 3
    assert result.classes == [0, 1, 2] and result.features == FEATURES


def test_wrong_model_kind_and_missing_columns_fail_clearly(board) -> None:
    from flowlike_catalog.ml.info import ml_get_kmeans_centroids
    from flowlike_catalog.ml.model import fit_supervised

    with pytest.raises(KeyError, match="target column 'y' is not in the table"):
        fit_supervised(None, None, "X", BLOBS, [], "y")
    model, _ = fit_and_predict(board, "fit_linear_regression", pa.table({"a": [1.0, 2.0], "target": [1.0, 2.0]}))
    with pytest.raises(TypeError, match="a LinearRegression model has no centroids"):
        ml_get_kmeans_centroids.func(None, model)


def test_split_train_predict_score_on_one_board(board, iris) -> None:
    split = board.add("ai_ml_dataset_stratified_split", split=0.7, label_column="target")
    board.feed(split, source=iris)
    fit = board.add("fit_naive_bayes")
    predict = board.add("ml_predict")
    score = board.add("ml_eval_accuracy")
    board.wire(split, "train_out", fit, "source")
    board.wire(fit, "model", predict, "model")
    board.wire(split, "test_out", predict, "source")
    board.wire(predict, "predictions", score, "database")
    run = board.steps(split, fit, predict, score)
    test = run.output(split.id, "test_out")
    assert test.num_rows == 45 and sorted(set(test.column("target").to_pylist())) == [0, 1, 2]
    predicted = run.output(predict.id, "predictions")
    right = sum(p == t for p, t in zip(predicted.column("prediction").to_pylist(),
                                       test.column("target").to_pylist(), strict=True))
    assert run.output(score.id, "result").correct == right and run.output(score.id, "result").total == 45
