from __future__ import annotations

import pytest
from flowlike_catalog.ml import sklearn_model


def test_grid_search_matches_scikit_learn(board, iris) -> None:
    from sklearn.model_selection import GridSearchCV
    from sklearn.tree import DecisionTreeClassifier

    grid = {"max_depth": [1, 2, 3]}
    run, node = board.one("ai_ml_tuning_grid_search", {"source": iris, "param_grid": grid}, cv_folds=3)
    results = run.output(node.id, "results")
    x, y = iris.drop_columns(["target"]).to_pandas().to_numpy(), iris.column("target").to_numpy()
    expected = GridSearchCV(DecisionTreeClassifier(random_state=0), grid, cv=3).fit(x, y)
    assert results.best_params == expected.best_params_
    assert results.best_score == pytest.approx(expected.best_score_)
    assert [c.params for c in results.candidates] == [{"max_depth": 1}, {"max_depth": 2}, {"max_depth": 3}]
    assert [c.mean_score for c in results.candidates] == pytest.approx(list(expected.cv_results_["mean_test_score"]))
    best = sklearn_model(run.output(node.id, "best_model"))
    assert best.max_depth == expected.best_params_["max_depth"]


def test_auto_classifier_scores_each_type_and_keeps_the_best(board, iris) -> None:
    from sklearn.model_selection import cross_val_score
    from sklearn.naive_bayes import GaussianNB
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    run, node = board.one("ai_ml_tuning_auto_classifier", {"source": iris}, cv_folds=4)
    results = run.output(node.id, "results")
    x, y = iris.drop_columns(["target"]).to_pandas().to_numpy(), iris.column("target").to_numpy()
    expected = {name: cross_val_score(model, x, y, cv=4).mean() for name, model in [
        ("DecisionTree", DecisionTreeClassifier(random_state=0)), ("NaiveBayes", GaussianNB()),
        ("SVM", SVC(random_state=0))]}
    assert results.scores == pytest.approx(expected)
    best = max(expected, key=expected.get)
    assert results.best_model_type == best == run.output(node.id, "best_model_type")
    assert run.output(node.id, "best_model").model_type == best


def test_auto_classifier_without_svm(board, iris) -> None:
    run, node = board.one("ai_ml_tuning_auto_classifier", {"source": iris}, cv_folds=3, include_svm=False)
    assert sorted(run.output(node.id, "results").scores) == ["DecisionTree", "NaiveBayes"]
