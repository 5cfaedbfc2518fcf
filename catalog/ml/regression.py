"""Regression: ordinary least squares (scikit-learn's LinearRegression)."""

from __future__ import annotations

from typing import Annotated

from flowlike_catalog.ml.model import Features, MLModel, Source, Target, fit_supervised

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/Regression"


@node(friendly_name="Train Regression (Linear)", exec_pins=True)
def fit_linear_regression(ctx: Context, source: Source = None, feature_cols: Features = None,
                          target_col: Target = "target") -> Annotated[MLModel, Pin(name="model")]:
    """Fits a linear regression by least squares; Get Coefficients reads its weights."""
    from sklearn.linear_model import LinearRegression

    return fit_supervised(ctx, LinearRegression(), "LinearRegression", source, feature_cols, target_col)
