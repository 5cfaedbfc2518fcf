"""Model info: what a fitted model is, k-means centroids and linear coefficients."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.ml.model import MLModel, Model, estimator_of, handle_of
from pydantic import BaseModel

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/Model Info"


class ModelInfo(BaseModel):
    model_type: str
    estimator: str
    features: list[str]
    target: str
    classes: list[Any]
    params: dict[str, Any]


class KMeansCentroids(BaseModel):
    features: list[str]
    centroids: list[list[float]]
    """centroids[i][j]: the mean of feature j in cluster i."""


class LinearCoefficients(BaseModel):
    coefficients: dict[str, float]
    intercept: float


class Info(NamedTuple):
    info: ModelInfo
    model_type: str


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | float | str) else repr(value)


def _of_type(ctx: Context, model: Any, attribute: str, what: str) -> tuple[MLModel, Any]:
    handle = handle_of(model)
    estimator = estimator_of(ctx, handle)
    if not hasattr(estimator, attribute):
        raise TypeError(f"a {handle.model_type} model has no {what}")
    return handle, estimator


@node(friendly_name="Model Info", exec_pins=True)
def ml_model_info(ctx: Context, model: Model = None) -> Info:
    """The model's type, scikit-learn class, columns, classes and hyper-parameters."""
    handle = handle_of(model)
    estimator = estimator_of(ctx, handle)
    params = {key: _plain(value) for key, value in estimator.get_params(deep=False).items()}
    info = ModelInfo(model_type=handle.model_type, estimator=type(estimator).__name__, features=handle.features,
                     target=handle.target, classes=handle.classes, params=params)
    return Info(info, handle.model_type)


@node(friendly_name="Get Centroids", exec_pins=True)
def ml_get_kmeans_centroids(ctx: Context, model: Model = None) -> Annotated[KMeansCentroids, Pin(name="result")]:
    """The cluster centres of a k-means model, one row per cluster, in feature order."""
    handle, kmeans = _of_type(ctx, model, "cluster_centers_", "centroids (train it with KMeans)")
    return KMeansCentroids(features=handle.features, centroids=kmeans.cluster_centers_.tolist())


@node(friendly_name="Get Coefficients", exec_pins=True)
def ml_get_linear_coefficients(ctx: Context, model: Model = None) -> Annotated[
        LinearCoefficients, Pin(name="result")]:
    """The weight of each feature and the intercept of a linear regression."""
    handle, linear = _of_type(ctx, model, "coef_", "coefficients (train it with Linear Regression)")
    coefficients = linear.coef_.reshape(-1)
    return LinearCoefficients(coefficients=dict(zip(handle.features, coefficients.tolist(), strict=True)),
                              intercept=float(linear.intercept_))
