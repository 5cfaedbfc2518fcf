"""Run ONNX Model with an array of another shape than the model's input names the input and both shapes, where it
said onnxruntime's text over three lines ("[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : Got invalid dimensions for
input: x for the following indices\\n index: 1 Got: 3 Expected: 4\\n Please fix either the inputs/outputs or the
model.")."""

from __future__ import annotations

import pytest
from onnx import helper
from onnx_models import graph_model, loaded, tensor

from flowlike_core.run import RunStatus


def identity(shape: list) -> bytes:
    return graph_model([helper.make_node("Identity", ["x"], ["y"])], [tensor("x", shape)], [tensor("y", shape)])


@pytest.mark.parametrize(("shape", "value", "why"), [
    ([1, 4], [[1, 2, 3]], "input 'x' of the model takes shape [1, 4], got [1, 3]"),
    ([1, 4], [1, 2, 3, 4], "input 'x' of the model takes shape [1, 4], got [4]"),
    (["batch", 4], [[1, 2], [3, 4]], "input 'x' of the model takes shape ['batch', 4], got [2, 2]"),
])
def test_an_array_of_another_shape_names_the_input_and_both_shapes(board, shape, value, why) -> None:
    node = board.add("onnx_run")
    board.feed(node, model=loaded(board, identity(shape)), inputs={"x": value})
    board.chain(board.add("events_simple"), node)
    run = board.board.run(registry=board.registry, variables=board.values)
    assert run.status is RunStatus.FAILED
    assert why in run.error and "\n" not in run.error, run.error


def test_a_dynamic_size_takes_any_length(board) -> None:
    run, node = board.one("onnx_run", {"model": loaded(board, identity(["batch", 2])), "inputs": {"x": [[1, 2]] * 3}})
    assert run.output(node.id, "outputs")["y"].shape == (3, 2)
