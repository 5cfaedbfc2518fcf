"""A scikit-learn model exported with skl2onnx, run on a CSV's feature columns by a board (Read CSV -> Select
Columns -> Set Value "X" -> Run ONNX Model), and the inputs a user gets wrong named in the error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from flowlike_catalog.data import PACK as DATA
from flowlike_catalog.onnx import PACK
from flowlike_catalog.onnx.session import load_onnx_bytes, onnx_run
from onnx_models import graph_model, tensor
from pack_builder import Builder

from flowlike_core import NodeFailed


def regression_model(tmp_path: Path) -> tuple[Path, object, np.ndarray]:
    from skl2onnx import to_onnx
    from sklearn.linear_model import LinearRegression

    x = np.random.default_rng(0).normal(size=(200, 2)).astype(np.float32)
    model = LinearRegression().fit(x, 3 * x[:, 0] - 2 * x[:, 1] + 1)
    path = tmp_path / "model.onnx"
    path.write_bytes(to_onnx(model, x[:1]).SerializeToString())
    return path, model, x


def csv_to_onnx_board(tmp_path: Path, csv: str, columns: list[str]) -> tuple[Builder, object]:
    (tmp_path / "rows.csv").write_text(csv, encoding="utf-8")
    board = Builder(DATA, PACK)
    read = board.add("table_read_csv", path={"path": str(tmp_path / "rows.csv")})
    select = board.add("table_select", columns=columns)
    feeds = board.add("map_set", key="X")
    load = board.add("load_onnx", path=str(tmp_path / "model.onnx"))
    run = board.add("onnx_run")
    board.wire(read, "table", select, "table")
    board.wire(select, "table", feeds, "value")
    board.wire(feeds, "map_out", run, "inputs")
    board.wire(load, "model", run, "model")
    board.chain(board.add("events_simple"), read, feeds, load, run)
    return board, run


def test_a_csv_table_runs_through_an_exported_model(tmp_path: Path) -> None:
    _, model, x = regression_model(tmp_path)
    rows = "\n".join(f"{a},{b},row {i} ✓" for i, (a, b) in enumerate(x[:50]))
    board, run_node = csv_to_onnx_board(tmp_path, "x1,x2,note\n" + rows + "\n", ["x1", "x2"])
    outputs = board.run().output(run_node.id, "outputs")
    assert outputs["variable"][:, 0] == pytest.approx(model.predict(x[:50]), abs=1e-4)


def test_a_text_column_fed_to_the_model_is_named(tmp_path: Path) -> None:
    regression_model(tmp_path)
    board, _ = csv_to_onnx_board(tmp_path, "x1,note\n1.5,Zürich\n2.5,東京\n", ["x1", "note"])
    with pytest.raises(NodeFailed) as failed:
        board.run()
    message = str(failed.value)
    assert "'Run ONNX Model'" in message
    assert "input 'X' of the model (tensor(float), shape [None, 2]) cannot take the value given" in message
    assert "could not convert string to float: 'Zürich'" in message


def test_ragged_lists_are_named_with_the_input() -> None:
    from onnx import helper

    model = load_onnx_bytes.func(None, graph_model([helper.make_node("Identity", ["x"], ["y"])],
                                                   [tensor("x", ["n", 3])], [tensor("y", ["n", 3])])).model
    with pytest.raises(ValueError, match=r"input 'x' of the model \(tensor\(float\), shape \['n', 3\]\) cannot take "
                                         r"the value given: setting an array element with a sequence"):
        onnx_run.func(None, model, {"x": [[1, 2, 3], [1, 2]]})


def test_text_tensors_go_in_as_text() -> None:
    from onnx import TensorProto, helper

    model = load_onnx_bytes.func(None, graph_model([helper.make_node("Identity", ["s"], ["t"])],
                                                   [tensor("s", [2], TensorProto.STRING)],
                                                   [tensor("t", [2], TensorProto.STRING)])).model
    assert onnx_run.func(None, model, {"s": ["Åsa", "東京"]})["t"].tolist() == ["Åsa", "東京"]
