"""Save and load models (skops and pickle) to files and to the content store; a run that uses them."""

from __future__ import annotations

import pickle

import pytest
import skops.io
from flowlike_catalog.ml import sklearn_model


def fitted(board, iris):
    run, node = board.one("fit_decision_tree", {"source": iris}, max_depth=3)
    return run.output(node.id, "model")


def predictions(board, model, iris) -> list:
    run, node = board.fresh().one("ml_predict", {"model": model, "source": iris})
    return run.output(node.id, "predictions").column("prediction").to_pylist()


@pytest.mark.parametrize(("save", "load"), [("save_ml_model", "load_ml_model"),
                                             ("save_ml_model_binary", "load_ml_model_binary")])
def test_round_trip_through_a_file(board, iris, tmp_path, save, load) -> None:
    model = fitted(board, iris)
    path = tmp_path / "models" / "tree.bin"
    run, node = board.fresh().one(save, {"model": model}, path=str(path))
    assert path.stat().st_size > 0 and run.output(node.id, "blob") is None
    run, node = board.fresh().one(load, path=str(path))
    loaded = run.output(node.id, "model")
    assert loaded.id != model.id and loaded.model_dump(exclude={"id"}) == model.model_dump(exclude={"id"})
    assert predictions(board, loaded, iris) == predictions(board, model, iris)
    assert sklearn_model(loaded).get_depth() == 3


def test_round_trip_through_the_content_store(board, iris) -> None:
    from flowlike_core import storage

    storage.configure("memory://ml-models", record_runs=False)
    model = fitted(board, iris)
    run, node = board.fresh().one("save_ml_model", {"model": model}, app="lab")
    blob = run.output(node.id, "blob")
    assert storage.current().app("lab").blobs.get(blob)[:2] == b"PK"  # skops files are zip archives
    run, node = board.fresh().one("load_ml_model", {"path": blob}, app="lab")
    assert predictions(board, run.output(node.id, "model"), iris) == predictions(board, model, iris)


class Sneaky:
    """Not a scikit-learn type: loading it could run its code."""


def test_skops_refuses_unknown_types(board, tmp_path) -> None:
    from flowlike_catalog.ml.models import load_ml_model

    path = tmp_path / "bad.skops"
    path.write_bytes(skops.io.dumps({"model": Sneaky(), "meta": {"model_type": "x", "features": []}}))
    with pytest.raises(ValueError, match=r"names types that are not known to be safe: .*Sneaky"):
        load_ml_model.func(None, str(path))


def test_missing_and_foreign_files_fail_clearly(tmp_path) -> None:
    from flowlike_catalog.ml.models import load_ml_model, load_ml_model_binary

    with pytest.raises(FileNotFoundError, match="model .*nothing.skops' does not exist"):
        load_ml_model.func(None, str(tmp_path / "nothing.skops"))
    path = tmp_path / "list.pkl"
    path.write_bytes(pickle.dumps([1, 2]))
    with pytest.raises(ValueError, match="is not a model saved by Save Model"):
        load_ml_model_binary.func(None, str(path))


def test_forgotten_handles_say_so(iris) -> None:
    from flowlike_catalog.ml.model import MLModel

    with pytest.raises(LookupError, match="no longer in memory"):
        sklearn_model(MLModel(id="0000", model_type="SVM", features=[]))
