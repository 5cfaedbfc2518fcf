"""Tuning: grid search over one classifier's settings, and choosing the best classifier type by
cross-validation (scikit-learn's GridSearchCV and cross_val_score, stratified folds)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple, TypeVar

from flowlike_catalog.ml.model import (
    Features,
    MLModel,
    Source,
    Target,
    classifier,
    remember,
    training_data,
)
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/Tuning"
T = TypeVar("T")
DEFAULT_GRIDS: dict[str, dict[str, list[Any]]] = {
    "DecisionTree": {"max_depth": [2, 4, 8, None], "min_samples_split": [2, 5]},
    "NaiveBayes": {"var_smoothing": [1e-9, 1e-6, 1e-3]},
    "SVM": {"C": [0.1, 1.0, 10.0], "kernel": ["linear", "rbf"]},
}
Folds = Annotated[int, Pin(description="Cross-validation folds (stratified)", range=(2, 100))]
Metric = Annotated[str, Pin(description="A scikit-learn scoring name: accuracy, f1_macro, balanced_accuracy...")]


class Candidate(BaseModel):
    params: dict[str, Any]
    mean_score: float
    std_score: float


class GridSearchResult(BaseModel):
    model_type: str
    metric: str
    best_params: dict[str, Any]
    best_score: float
    candidates: list[Candidate]


class AutoMLResult(BaseModel):
    metric: str
    scores: dict[str, float]
    """Mean cross-validated score of each classifier type tried."""
    best_model_type: str
    best_score: float


class Searched(NamedTuple):
    results: GridSearchResult
    best_model: MLModel


class Chosen(NamedTuple):
    results: AutoMLResult
    best_model: MLModel
    best_model_type: str


def cross_validated(work: Callable[[], T]) -> tuple[T | None, str]:
    """Run scikit-learn's cross-validation, keeping why a fit or a scoring failed as one line (scikit-learn scores
    it NaN and prints a warning holding the whole traceback to stderr, or raises an error holding every traceback
    when all fits failed): the result (None when all failed) and the last line of the first such traceback."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = work()
        except ValueError as exc:
            if TRACEBACK not in str(exc):
                raise
            return None, last_line(str(exc))
    failures = [w for w in caught if TRACEBACK in str(w.message)]
    for w in caught:
        if w not in failures:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return result, last_line(str(failures[0].message)) if failures else ""


TRACEBACK = "Traceback (most recent call last)"


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def check_cross_validation(cv_folds: int, rows: int, metric: str) -> None:
    """Folds the rows cannot fill and a metric scikit-learn does not know fail naming them (its own errors list
    every scorer it has, in no order)."""
    from sklearn.metrics import get_scorer_names

    if not 2 <= cv_folds <= rows:
        raise ValueError(f"cross-validation needs 2 <= cv_folds <= rows, got cv_folds={cv_folds} for {rows} rows")
    if metric not in get_scorer_names():
        raise ValueError(f"unknown metric {metric!r}: use a scikit-learn scoring name (accuracy, balanced_accuracy, "
                         f"f1_macro...; all: sklearn.metrics.get_scorer_names())")


@node(friendly_name="Grid Search", exec_pins=True)
def ai_ml_tuning_grid_search(
        ctx: Context, model_type: Annotated[str, Pin(valid_values=tuple(DEFAULT_GRIDS))] = "DecisionTree",
        cv_folds: Folds = 5, source: Source = None,
        param_grid: Annotated[dict, Pin(description="Setting name -> values to try; empty: a default grid")] = None,
        metric: Metric = "accuracy", feature_cols: Features = None, target_col: Target = "target") -> Searched:
    """Tries every combination of settings with cross-validation; the best is refitted on all rows."""
    from sklearn.model_selection import GridSearchCV

    grid = param_grid or DEFAULT_GRIDS.get(model_type, {})
    x, y, features = training_data(source, feature_cols, target_col, estimator=classifier(model_type))
    check_cross_validation(cv_folds, len(y), metric)
    search, failure = cross_validated(lambda: GridSearchCV(classifier(model_type), grid, cv=cv_folds,
                                                           scoring=metric).fit(x, y))
    if search is None or math.isnan(search.best_score_):
        raise ValueError(f"every setting of {model_type} failed in cross-validation: {failure}")
    cv = search.cv_results_
    candidates = [Candidate(params=params, mean_score=float(mean), std_score=float(std))
                  for params, mean, std in zip(cv["params"], cv["mean_test_score"], cv["std_test_score"], strict=True)]
    ctx.info(f"grid search over {len(candidates)} settings of {model_type}: best {search.best_score_:.4f}")
    results = GridSearchResult(model_type=model_type, metric=metric, best_params=search.best_params_,
                               best_score=float(search.best_score_), candidates=candidates)
    return Searched(results, remember(ctx, search.best_estimator_, model_type, features, target_col))


@node(friendly_name="Auto Classifier", exec_pins=True)
def ai_ml_tuning_auto_classifier(ctx: Context, cv_folds: Folds = 5, metric: Metric = "accuracy",
                                 include_svm: bool = True, source: Source = None, feature_cols: Features = None,
                                 target_col: Target = "target") -> Chosen:
    """Scores a decision tree, naive Bayes and (optionally) an SVM by cross-validation and refits the best
    on all rows; a tie goes to the first in that order."""
    from sklearn.model_selection import cross_val_score

    naive_bayes = classifier("NaiveBayes")  # always a candidate: the data must suit it
    x, y, features = training_data(source, feature_cols, target_col, estimator=naive_bayes)
    check_cross_validation(cv_folds, len(y), metric)
    types = ["DecisionTree", "NaiveBayes"] + (["SVM"] if include_svm else [])
    scores = {}
    for i, model_type in enumerate(types):
        ctx.check_cancelled()
        folds, failure = cross_validated(lambda t=model_type: cross_val_score(classifier(t), x, y, cv=cv_folds,
                                                                              scoring=metric))
        scores[model_type] = math.nan if folds is None else float(folds.mean())
        if failure:
            ctx.warn(f"{model_type} failed in cross-validation: {failure}")
        ctx.progress(i + 1, len(types), model_type)
    scored = [t for t in types if not math.isnan(scores[t])]
    if not scored:
        raise ValueError(f"every classifier failed in cross-validation (see the warnings): {', '.join(types)}")
    best = max(scored, key=lambda t: scores[t])
    results = AutoMLResult(metric=metric, scores=scores, best_model_type=best, best_score=scores[best])
    model = remember(ctx, classifier(best).fit(x, y), best, features, target_col)
    return Chosen(results, model, best)
