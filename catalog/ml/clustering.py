"""Clustering: k-means (a model that assigns new rows) and DBSCAN (labels the rows it is given)."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.ml.model import Features, MLModel, Source, remember, training_data
from flowlike_catalog.ml.tables import as_table, with_column

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/Clustering"


class Clusters(NamedTuple):
    n_clusters: int
    n_noise: Annotated[int, Pin(description="Rows in no cluster (label -1)")]
    clustered: Annotated[Any, Pin(description="The source table with a 'cluster' column (-1: noise)")]


@node(friendly_name="Train Clustering (KMeans)", exec_pins=True)
def fit_kmeans(ctx: Context, cluster: Annotated[int, Pin("Clusters", range=(1, 10_000))] = 2, source: Source = None,
               feature_cols: Features = None, seed: int = 0) -> Annotated[MLModel, Pin(name="model")]:
    """Fits k-means with `cluster` centres (k-means++ starts, 10 runs); Predict assigns rows to the nearest."""
    from sklearn.cluster import KMeans

    kmeans = KMeans(n_clusters=cluster, n_init=10, random_state=seed)
    x, _, features = training_data(source, feature_cols, estimator=kmeans)
    if cluster < 1 or cluster > len(x):
        raise ValueError(f"k-means needs 1 <= clusters <= rows, got {cluster} clusters for {len(x)} rows")
    kmeans.fit(x)
    ctx.info(f"k-means: {cluster} clusters, inertia {kmeans.inertia_:.6g}")
    return remember(ctx, kmeans, "KMeans", features)


@node(friendly_name="Train Clustering (DBSCAN)", exec_pins=True)
def fit_dbscan(epsilon: Annotated[float, Pin(description="Neighbourhood radius")] = 0.5,
               min_points: Annotated[int, Pin(description="Neighbours (itself included) that make a core point")] = 5,
               source: Source = None, feature_cols: Features = None) -> Clusters:
    """Density-based clustering: labels every row of the table with its cluster, -1 for noise."""
    import pyarrow as pa
    from sklearn.cluster import DBSCAN

    if epsilon <= 0 or min_points < 1:
        raise ValueError(f"DBSCAN needs epsilon > 0 and min_points >= 1, got {epsilon} and {min_points}")
    dbscan = DBSCAN(eps=epsilon, min_samples=min_points)
    table = as_table(source)
    x, _, _ = training_data(table, feature_cols, estimator=dbscan)
    labels = dbscan.fit_predict(x)
    clustered = with_column(table, "cluster", pa.array(labels, pa.int64()))
    return Clusters(len(set(labels.tolist()) - {-1}), int((labels == -1).sum()), clustered)
