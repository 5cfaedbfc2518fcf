"""Use and keep models: predict, and save or load a fitted model (skops, or pickle for the binary form).

Loading a model file runs code chosen by whoever wrote it when the format allows that: a pickle (the binary
form) can run anything at load time, so load binary models only from sources you trust. The skops form
loads only types it knows to be safe; a file naming other types is refused with their names.
"""

from __future__ import annotations

from typing import Annotated, Any

from flowlike_catalog.content import App, Location, read_bytes, write_bytes
from flowlike_catalog.ml.model import MLModel, Model, Source, estimator_of, handle_of, remember
from flowlike_catalog.ml.reduction import with_components
from flowlike_catalog.ml.tables import as_table, check_missing, matrix, with_column

from flowlike_core import Context, Pin, node
from flowlike_core.storage import BlobRef

CATEGORY = "AI/ML"
CAPABILITIES = ("files",)  # what its nodes reach (flowlike_core.policy)
Saved = Annotated[BlobRef | None, Pin(name="blob", description="The content-store reference when no path was given")]
Loaded = Annotated[MLModel, Pin(name="model")]
TRUSTED_MODULES = ("sklearn.", "numpy.", "scipy.")
SKOPS, PICKLE = "a skops file (Save Model)", "a pickle (Save Model (Binary))"


def check_format(data: bytes, wanted: str, where: str) -> None:
    """A file of the other form (or none) fails naming the Load node that reads it; the libraries' own errors
    ('File is not a zip file', 'A load persistent id instruction...') do not say."""
    found = SKOPS if data[:4] == b"PK\x03\x04" else PICKLE if data[:1] == b"\x80" else None
    if found is None:
        raise ValueError(f"{where} is neither {SKOPS} nor {PICKLE}")
    if found != wanted:
        reader = "Load Model" if found == SKOPS else "Load Model (Binary), and only if you trust the file"
        raise ValueError(f"{where} is {found}: load it with {reader}")


def _payload(ctx: Context, model: Any) -> dict[str, Any]:
    handle = handle_of(model)
    return {"model": estimator_of(ctx, handle), "meta": handle.model_dump(exclude={"id"})}


def _unpack(ctx: Context, payload: Any, where: str) -> MLModel:
    if not isinstance(payload, dict) or "model" not in payload or "meta" not in payload:
        raise ValueError(f"{where} is not a model saved by Save Model")
    meta = payload["meta"]
    return remember(ctx, payload["model"], meta["model_type"], list(meta["features"]), meta.get("target", ""))


def check_prediction_column(name: str, handle: MLModel) -> None:
    """The column the predictions go to must be named, and not after the model's data: an earlier Predict's column
    is replaced, a feature or the target would be lost."""
    if not name:
        raise ValueError("prediction_col is empty: name the column the predictions go to")
    if name in handle.features:
        raise ValueError(f"prediction_col {name!r} is a feature column of the model: the predictions would "
                         f"overwrite it")
    if name == handle.target:
        raise ValueError(f"prediction_col {name!r} is the model's target column: the predictions would overwrite it")


@node(friendly_name="Predict", exec_pins=True)
def ml_predict(ctx: Context, model: Model = None, source: Source = None,
               batch_size: Annotated[int, Pin(description="Rows predicted at a time")] = 5000,
               prediction_col: str = "prediction") -> Annotated[Any, Pin(name="predictions", description=(
                   "The source table with the prediction column (PCA: pc1, pc2... columns)"))]:
    """Runs the model over the table's feature columns in batches; adds what it predicts as a column."""
    import numpy as np
    import pyarrow as pa

    handle = handle_of(model)
    estimator = estimator_of(ctx, handle)
    table = as_table(source)
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    check_prediction_column(prediction_col, handle)
    x = matrix(table, handle.features)
    check_missing(table, handle.features, estimator)
    method = estimator.predict if hasattr(estimator, "predict") else estimator.transform
    parts = []
    for start in range(0, len(x), batch_size):
        ctx.check_cancelled()
        parts.append(method(x[start:start + batch_size]))
    # no rows (a filter upstream kept none): the model's answer to one row, cut to none, gives the column's type
    values = np.concatenate(parts) if parts else method(np.zeros((1, len(handle.features))))
    if values.ndim == 2:
        return with_components(table, "pc", values[:table.num_rows])
    return with_column(table, prediction_col, pa.array(values)[:table.num_rows])


@node(friendly_name="Save Model", exec_pins=True)
def save_ml_model(ctx: Context, model: Model = None, path: Location = "", app: App = "default") -> Saved:
    """Saves the model in skops format (loads without running code): to the path, or to the content store."""
    import skops.io

    return write_bytes(skops.io.dumps(_payload(ctx, model)), path, app)


@node(friendly_name="Load Model", exec_pins=True, capabilities=["files", "native"])
def load_ml_model(ctx: Context, path: Location = None, app: App = "default") -> Loaded:
    """Loads a model saved by Save Model. Only scikit-learn, NumPy and SciPy types load; a file naming any
    other type (which could run code) is refused."""
    import skops.io

    data = read_bytes(path, app, "model")
    check_format(data, SKOPS, f"model {path!r}")
    untrusted = skops.io.get_untrusted_types(data=data)
    refused = [name for name in untrusted if not name.startswith(TRUSTED_MODULES)]
    if refused:
        raise ValueError(f"model {path!r} names types that are not known to be safe: {', '.join(refused)}")
    return _unpack(ctx, skops.io.loads(data, trusted=untrusted), f"model {path!r}")


@node(friendly_name="Save Model (Binary)", exec_pins=True)
def save_ml_model_binary(ctx: Context, model: Model = None, path: Location = "", app: App = "default") -> Saved:
    """Saves the model as a pickle: any estimator, fast, but see Load Model (Binary)."""
    import pickle

    return write_bytes(pickle.dumps(_payload(ctx, model), protocol=pickle.HIGHEST_PROTOCOL), path, app)


@node(friendly_name="Load Model (Binary)", exec_pins=True, capabilities=["files", "native"])
def load_ml_model_binary(ctx: Context, path: Location = None, app: App = "default") -> Loaded:
    """Loads a pickled model. Unpickling runs whatever code the file asks for: a file from an untrusted
    source can take over the machine. Use only files you saved yourself; prefer Load Model (skops)."""
    import pickle

    data = read_bytes(path, app, "model")
    check_format(data, PICKLE, f"model {path!r}")
    return _unpack(ctx, pickle.loads(data), f"model {path!r}")  # noqa: S301 - documented: trusted files only
