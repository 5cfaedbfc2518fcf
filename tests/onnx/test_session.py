from __future__ import annotations

import numpy as np
import pytest
from flowlike_catalog.onnx import onnx_session
from flowlike_catalog.onnx.session import onnx_session_info
from onnx import helper, numpy_helper
from onnx_models import graph_model, loaded, tensor


def add_one() -> bytes:
    one = numpy_helper.from_array(np.ones((1,), np.float32), "one")
    return graph_model([helper.make_node("Add", ["x", "one"], ["y"])], [tensor("x", ["batch", 3])],
                       [tensor("y", ["batch", 3])], [one], model_kind="adder")


def test_load_info_run_unload(board, tmp_path) -> None:
    path = tmp_path / "adder.onnx"
    path.write_bytes(add_one())
    load = board.add("load_onnx", path=str(path))
    run_model = board.add("onnx_run")
    unload = board.add("unload_onnx")
    for target, pin in ((run_model, "model"), (unload, "model")):
        board.wire(load, "model", target, pin)
    board.feed(run_model, inputs={"x": [[1, 2, 3], [4, 5, 6]]})
    run = board.steps(load, run_model, unload)
    assert run.output(load.id, "accelerated") is False and run.output(load.id, "active_provider") == \
        "CPUExecutionProvider"
    info = onnx_session_info.func(run.output(load.id, "model"))
    assert (info.input_names, info.output_names) == ("x", "y")
    assert info.inputs[0].model_dump() == {"name": "x", "shape": ["batch", 3], "type": "tensor(float)"}
    outputs = run.output(run_model.id, "outputs")
    assert outputs["y"].tolist() == [[2, 3, 4], [5, 6, 7]]
    assert run.output(unload.id, "success") is True
    with pytest.raises(LookupError, match="no longer in memory"):
        onnx_session(run.output(load.id, "model"))


def test_load_onnx_bytes_takes_a_default_of_byte_values(board) -> None:
    """Data is an Array<Byte> as in Flow-Like, whose boards store such a default as a list of byte values."""
    load = board.add("load_onnx_bytes", data=list(add_one()))
    run_model = board.add("onnx_run")
    board.wire(load, "model", run_model, "model")
    board.feed(run_model, inputs={"x": [[1, 2, 3]]})
    run = board.steps(load, run_model)
    assert run.output(run_model.id, "outputs")["y"].tolist() == [[2, 3, 4]]


def test_model_info_reads_the_file(board, tmp_path) -> None:
    path = tmp_path / "adder.onnx"
    path.write_bytes(add_one())
    run, node = board.one("onnx_model_info", {"path": str(path)})
    metadata = run.output(node.id, "metadata")
    assert (metadata.producer_name, metadata.graph_name, metadata.custom) == ("tests", "test", {"model_kind": "adder"})
    assert [t.name for t in run.output(node.id, "outputs")] == ["y"]


def test_a_scikit_learn_model_converted_with_skl2onnx(board) -> None:
    from skl2onnx import to_onnx
    from sklearn.datasets import load_iris
    from sklearn.tree import DecisionTreeClassifier

    x, y = load_iris(return_X_y=True)
    x = x.astype(np.float32)
    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(x, y)
    model = loaded(board, to_onnx(tree, x[:1], options={"zipmap": False}).SerializeToString())
    run, node = board.fresh().one("onnx_run", {"model": model, "inputs": {"X": x}})
    outputs = run.output(node.id, "outputs")
    assert outputs["label"].tolist() == tree.predict(x).tolist()
    assert outputs["probabilities"] == pytest.approx(tree.predict_proba(x))


def test_bad_models_and_inputs_fail_clearly(board, tmp_path) -> None:
    from flowlike_catalog.onnx.session import load_onnx_bytes, onnx_run

    with pytest.raises(ValueError, match="is not an ONNX model onnxruntime can run"):
        load_onnx_bytes.func(None, b"not a model")
    model = load_onnx_bytes.func(None, add_one()).model
    with pytest.raises(KeyError, match="the model takes inputs x; given z"):
        onnx_run.func(None, model, {"z": [[1, 2, 3]]})
    with pytest.raises(ValueError, match=r"input 'x' of the model takes shape \['batch', 3\], got \[1, 2\]"):
        onnx_run.func(None, model, {"x": [[1, 2]]})
    run, node = board.one("unload_onnx", {"model": {**model.model_dump(), "id": "gone"}})
    assert run.output(node.id, "success") is False


def test_load_from_the_content_store(board) -> None:
    from flowlike_core import storage

    store = storage.configure("memory://onnx-models", record_runs=False)
    blob = store.app("vision").blobs.put(add_one())
    run, node = board.one("load_onnx", {"path": blob.model_dump()}, app="vision")
    outputs = onnx_session(run.output(node.id, "model")).run(None, {"x": np.zeros((1, 3), np.float32)})
    assert outputs[0].tolist() == [[1.0, 1.0, 1.0]]


def test_threads_cap_one_inference(board) -> None:
    from flowlike_catalog.onnx.session import load_onnx_bytes

    session = onnx_session(load_onnx_bytes.func(None, add_one(), threads=1).model)
    assert session.get_session_options().intra_op_num_threads == 1
    with pytest.raises(ValueError, match="threads must be 0"):
        load_onnx_bytes.func(None, add_one(), threads=-1)
