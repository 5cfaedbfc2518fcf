"""The fitted-model handle (Flow-Like's NodeMLModel) and the fitting every trainer shares.

A fitted scikit-learn estimator stays a live object (run cache, recent memory: `flowlike_catalog.live`); pins
carry an `MLModel` naming it with the columns it was fitted on. `sklearn_model(handle)` gives it back to a
notebook cell.
"""

from __future__ import annotations

from typing import Annotated, Any

from flowlike_catalog.live import LiveHandle
from flowlike_catalog.ml.tables import (
    as_table,
    check_missing,
    check_target,
    column,
    feature_names,
    matrix,
    python_values,
)

from flowlike_core import Context, Pin


class MLModel(LiveHandle):
    """Names a fitted scikit-learn model and the table columns it reads."""

    KIND = "ml-model"
    model_type: str
    features: list[str]
    target: str = ""
    classes: list[Any] = []


Model = Annotated[MLModel, Pin(description="A fitted model, from a Train or Load node")]
Source = Annotated[Any, Pin(description="The data: an Arrow table (a DataFrame or row dicts also do)")]
Features = Annotated[list[str], Pin(description="Feature columns (numeric); empty: every column but the target")]
Target = Annotated[str, Pin(description="The column to learn")]


def remember(ctx: Context | None, estimator: Any, model_type: str, features: list[str], target: str = "") -> MLModel:
    """Keep a fitted estimator live and name it."""
    classes = python_values(getattr(estimator, "classes_", []))
    return MLModel.make(ctx, estimator, model_type=model_type, features=features, target=target, classes=classes)


def handle_of(model: Any) -> MLModel:
    """The handle on a `model` input; None (what a Train node's output reads before it ran) fails saying so."""
    if model is None:
        raise TypeError("input 'model' got no model (None): the Train or Load node that makes it has not run yet "
                        "(wire its exec flow before this node), or the variable wired here holds none")
    return MLModel.model_validate(model)


def estimator_of(ctx: Context | None, model: Any) -> Any:
    """The live estimator a handle names."""
    return MLModel.resolve(ctx, handle_of(model))


def sklearn_model(model: MLModel | dict[str, Any]) -> Any:
    """The scikit-learn estimator behind a model handle, for a notebook cell (from a recent run of this kernel)."""
    return estimator_of(None, model)


def training_data(source: Any, feature_cols: list[str], target_col: str = "", *, estimator: Any
                  ) -> tuple[Any, Any, list[str]]:
    """(X, y or None, feature names) from a table. An empty table fails saying so (scikit-learn's error names an
    array's shape); missing values fail naming their column: in the target always, in the features unless the
    estimator takes them."""
    table = as_table(source)
    if table.num_rows == 0:
        raise ValueError(f"cannot train {type(estimator).__name__} on an empty table: the source has no rows (a "
                         f"filter upstream that kept none?)")
    features = feature_names(table, feature_cols, *([target_col] if target_col else []))
    y = column(table, target_col, "target column") if target_col else None
    if y is not None:
        check_target(table, target_col, estimator)
    x = matrix(table, features)
    check_missing(table, features, estimator)
    return x, y, features


def fit_supervised(ctx: Context | None, estimator: Any, model_type: str, source: Any, feature_cols: list[str],
                   target_col: str) -> MLModel:
    """Fit an estimator on a table's feature columns against its target column."""
    x, y, features = training_data(source, feature_cols, target_col, estimator=estimator)
    estimator.fit(x, y)
    if ctx is not None:
        ctx.info(f"{model_type} fitted on {len(y)} rows, {len(features)} features")
    return remember(ctx, estimator, model_type, features, target_col)


def classifier(model_type: str, seed: int = 0) -> Any:
    """A fresh classifier of one of the types the tuning nodes know."""
    from sklearn.naive_bayes import GaussianNB
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    makers = {"DecisionTree": lambda: DecisionTreeClassifier(random_state=seed), "NaiveBayes": GaussianNB,
              "SVM": lambda: SVC(random_state=seed)}
    if model_type not in makers:
        raise ValueError(f"unknown classifier {model_type!r}: use one of {', '.join(makers)}")
    return makers[model_type]()
