"""Dimension reduction: PCA (a model that projects new rows) and t-SNE (embeds the rows it is given)."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.ml.model import Features, MLModel, Source, remember, training_data
from flowlike_catalog.ml.tables import as_table, with_column

from flowlike_core import Context, Pin, node

CATEGORY = "AI/ML/Reduction"
Reduced = Annotated[Any, Pin(description="The source table with component columns added (pc1, pc2... or tsne1...)")]


class Pca(NamedTuple):
    explained_variance: Annotated[list[float], Pin(description="Share of the variance each component explains")]
    model: MLModel
    reduced: Reduced


def with_components(source: Any, prefix: str, values: Any) -> Any:
    """The table with one column per component: prefix1, prefix2..."""
    table = as_table(source)
    for i in range(values.shape[1]):
        table = with_column(table, f"{prefix}{i + 1}", values[:, i])
    return table


@node(friendly_name="PCA Reduction", exec_pins=True)
def fit_pca(ctx: Context, n_components: int = 2, source: Source = None, feature_cols: Features = None) -> Pca:
    """Principal component analysis: fits the projection, adds the components to the table (pc1, pc2, ...)."""
    from sklearn.decomposition import PCA

    pca = PCA(n_components=n_components)
    table = as_table(source)
    x, _, features = training_data(table, feature_cols, estimator=pca)
    if not 1 <= n_components <= min(x.shape):
        raise ValueError(f"PCA needs 1 <= n_components <= min(rows, features) = {min(x.shape)}, got {n_components}")
    pca.fit(x)
    return Pca(pca.explained_variance_ratio_.tolist(), remember(ctx, pca, "PCA", features),
               with_components(table, "pc", pca.transform(x)))


@node(friendly_name="t-SNE Reduction", exec_pins=True)
def fit_tsne(n_components: int = 2, perplexity: float = 30.0, source: Source = None, feature_cols: Features = None,
             seed: int = 0) -> Annotated[Any, Pin(name="embedded", description="The source table with tsne1, tsne2... "
                                                                                "columns")]:
    """t-SNE embedding for plots (neighbours stay close); it embeds these rows only, so it makes no model."""
    from sklearn.manifold import TSNE

    tsne = TSNE(n_components=n_components, perplexity=perplexity, random_state=seed,
                method="exact" if n_components > 3 else "barnes_hut")
    table = as_table(source)
    x, _, _ = training_data(table, feature_cols, estimator=tsne)
    if not 0 < perplexity < len(x):
        raise ValueError(f"t-SNE needs 0 < perplexity < rows ({len(x)}), got {perplexity}")
    if not 1 <= n_components <= x.shape[1]:
        raise ValueError(f"t-SNE needs 1 <= n_components <= features ({x.shape[1]}) (it starts from a PCA of them), "
                         f"got {n_components}")
    embedded = tsne.fit_transform(x)
    return with_components(table, "tsne", embedded)
