"""The ml pack: scikit-learn on Arrow tables. Datasets, training, prediction, metrics, tuning, saved models.

A fitted model travels as an `MLModel` handle; `sklearn_model(handle)` gives a notebook cell the estimator.
"""

from flowlike_catalog.ml import (
    classification,
    clustering,
    dataset,
    info,
    metrics,
    models,
    reduction,
    regression,
    tuning,
)
from flowlike_catalog.ml.model import MLModel, sklearn_model

from flowlike_core import Pack

PACK = Pack(
    "ml",
    modules=[dataset, classification, regression, clustering, reduction, models, metrics, info, tuning],
    description="Machine learning with scikit-learn (pip install 'flowlike-nb[ml]')",
)

__all__ = ["PACK", "MLModel", "sklearn_model"]
