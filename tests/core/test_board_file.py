"""The board file format: canonical JSON, round-trip identity, clear errors, atomic saves, no secrets."""

from __future__ import annotations

import json

import pytest

from flowlike_core import Board, BoardFileError, DataType, ValueType, Variable, commands
from flowlike_core.board import FORMAT


def sample(build) -> Board:
    start, add, record = build.add("t_start"), build.add("t_add_one", value=41), build.add("t_record")
    build.chain(start, add, record)
    build.wire(add, "value", record, "value")
    build.board.apply(
        commands.UpsertVariable(
            Variable(name="seen", data_type=DataType.GENERIC, value_type=ValueType.ARRAY, default_value=[])
        )
    )
    build.board.apply(commands.UpsertVariable(Variable(name="token", secret=True, default_value="s3cr3t")))
    return build.board


def test_load_save_load_is_identity(build, tmp_path):
    board = sample(build)
    path = board.save(tmp_path / "sample")
    assert path.name == "sample.board.json"
    first = path.read_text()
    again = Board.load(path)
    again.save(path)
    assert path.read_text() == first
    assert Board.load(path) == again


def test_file_is_canonical_json(build, tmp_path):
    text = sample(build).to_json()
    data = json.loads(text)
    assert data["format"] == FORMAT
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert data["connections"] == sorted(data["connections"], key=lambda c: tuple(c.values()))


def test_secret_variables_are_not_written(build):
    board = sample(build)
    assert "s3cr3t" not in board.to_json()
    assert board.variable("token").default_value == "s3cr3t"


def test_malformed_json_names_file_line_and_column(tmp_path):
    path = tmp_path / "bad.board.json"
    path.write_text('{\n  "nodes": {,\n}')
    with pytest.raises(BoardFileError, match=r"bad\.board\.json:2:\d+: not valid JSON"):
        Board.load(path)


def test_wrong_shape_says_where(tmp_path):
    path = tmp_path / "shape.board.json"
    path.write_text(json.dumps({"format": FORMAT, "nodes": {"n1": {"name": 3}}}))
    with pytest.raises(BoardFileError, match=r"shape\.board\.json: invalid board: at nodes\.n1\.name"):
        Board.load(path)


def test_not_a_board_and_missing_file(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": "something/else"}))
    with pytest.raises(BoardFileError, match="not a board document"):
        Board.load(path)
    with pytest.raises(BoardFileError, match="no such board file"):
        Board.load(tmp_path / "missing.board.json")


def test_failed_save_leaves_old_file_whole(build, tmp_path, monkeypatch):
    board = sample(build)
    path = board.save(tmp_path / "keep.board.json")
    before = path.read_text()
    build.add("t_add_one")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(OSError, match="No space left"):
        board.save(path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.board.json"]


def test_schema_describes_the_format():
    schema = Board.model_json_schema(by_alias=True)
    assert {"nodes", "connections", "variables", "comments", "layers", "version", "log_level"} <= set(
        schema["properties"]
    )
    pin = schema["$defs"]["Pin"]["properties"]
    assert {
        "id",
        "name",
        "friendly_name",
        "description",
        "direction",
        "data_type",
        "value_type",
        "schema",
        "default_value",
        "index",
        "options",
    } <= set(pin)


def test_layer_boundary_pins_are_the_wires_crossing_its_edge(build):
    from flowlike_core import Layer

    start, a, b, rec = build.add("t_start"), build.add("t_add_one"), build.add("t_add_one"), build.add("t_record")
    build.chain(start, a, b, rec)
    build.wire(a, "value", b, "value")
    layer = Layer(name="middle", nodes=[a.id, b.id])
    build.board.layers[layer.id] = layer
    names = [(node.id, pin.name) for node, pin in build.board.layer_pins(layer.id)]
    assert sorted(names) == sorted([(a.id, "exec_in"), (b.id, "exec_out")])
    assert Board.from_json(build.board.to_json()).layers[layer.id].nodes == [a.id, b.id]


def test_items_are_stored_under_their_ids(tmp_path):
    path = tmp_path / "ids.board.json"
    path.write_text(json.dumps({"format": FORMAT, "nodes": {"a": {"name": "t_start"}}}))
    assert Board.load(path).nodes["a"].id == "a"
    path.write_text(json.dumps({"format": FORMAT, "nodes": {"a": {"id": "b", "name": "t_start"}}}))
    with pytest.raises(BoardFileError, match="nodes.a: its id 'b' differs from its key 'a'"):
        Board.load(path)
