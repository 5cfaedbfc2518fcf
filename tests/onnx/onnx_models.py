"""ONNX models built with onnx.helper, with weights chosen so the answers are known."""

from __future__ import annotations

from typing import Any


def graph_model(nodes: list, inputs: list, outputs: list, initializers: list = (), opset: int = 17,
                **meta: str) -> bytes:
    """The bytes of an ONNX model from helper nodes and value infos."""
    from onnx import checker, helper

    graph = helper.make_graph(nodes, "test", inputs, outputs, list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="tests")
    for key, value in meta.items():
        helper.set_model_props(model, {key: value})
    checker.check_model(model)
    return model.SerializeToString()


def tensor(name: str, shape: list, elem: int | None = None):
    from onnx import TensorProto, helper

    return helper.make_tensor_value_info(name, elem or TensorProto.FLOAT, shape)


def constant_output(image_shape: list, name: str, value) -> bytes:
    """A model whose output is a fixed array (plus 0 x the mean of the image, so the image is really read)."""
    import numpy as np
    from onnx import helper, numpy_helper

    value = np.asarray(value, dtype=np.float32)
    nodes = [helper.make_node("ReduceMean", ["images"], ["mean"], keepdims=0),
             helper.make_node("Mul", ["mean", "zero"], ["nothing"]),
             helper.make_node("Add", ["fixed", "nothing"], [name])]
    inits = [numpy_helper.from_array(value, "fixed"), numpy_helper.from_array(np.zeros((), np.float32), "zero")]
    return graph_model(nodes, [tensor("images", image_shape)], [tensor(name, list(value.shape))], inits)


def loaded(board: Any, data: bytes) -> Any:
    """An OnnxSession handle for model bytes (loaded by a board run)."""
    run, node = board.fresh().one("load_onnx_bytes", {"data": data})
    return run.output(node.id, "model")
