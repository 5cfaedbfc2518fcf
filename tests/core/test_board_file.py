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
    assert board.lookup_variable("token").default_value == "s3cr3t"


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


def test_a_json_file_of_something_else_is_named_not_a_board(tmp_path):
    """A notebook opened as a board: its keys, not ten pydantic 'Extra inputs are not permitted'."""
    path = tmp_path / "notebook.ipynb"
    path.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    with pytest.raises(BoardFileError, match=r"not a board document: none of its keys \(cells, metadata, nbformat, "
                                             r"nbformat_minor\) is a board's"):
        Board.load(path)
    assert Board.from_dict({}).nodes == {} and Board.from_dict({"name": "x"}).name == "x"


def test_failed_save_leaves_old_file_whole(build, tmp_path, monkeypatch):
    board = sample(build)
    path = board.save(tmp_path / "keep.board.json")
    before = path.read_text()
    build.add("t_add_one")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(BoardFileError, match=f"cannot save board .* to {path}: No space left on device"):
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


def pin_file(default: str = "1", **node_extra: str) -> str:
    """A small board file whose one pin's default is the raw JSON text `default`."""
    extra = "".join(f', "{key}": {value}' for key, value in node_extra.items())
    pin = f'{{"name": "value", "direction": "Input", "data_type": "Integer", "default_value": {default}}}'
    return f'{{"format": "{FORMAT}", "nodes": {{"n": {{"name": "t_add_one"{extra}, "pins": {{"p": {pin}}}}}}}}}'


@pytest.mark.parametrize(("text", "error"), [
    (pin_file("[" * 1200 + "]" * 1200), r"<string>:1:\d+: nested deeper than 200 levels"),
    ("[" * 100_000 + "]" * 100_000, r"<string>:1:201: nested deeper than 200 levels"),
    (pin_file("[" * 600 + "]" * 600), r"at nodes.n.pins.p.default_value: nested deeper than 190"),
    (pin_file('{"a":' * 300 + "1" + "}" * 300), r"at nodes.n.pins.p.default_value: .*nested deeper"),
    (pin_file("9" * 5000), r"<string>:1:\d+: an integer of more than 4,000 digits cannot be stored"),
    (pin_file("9" * 4100), r"at nodes.n.pins.p.default_value: .*more than 4,000 digits"),
    (pin_file("NaN"), r"<string>:1:\d+: NaN is not valid JSON"),
    (pin_file("-Infinity"), r"<string>:1:\d+: -Infinity is not valid JSON"),
    (pin_file(coordinates="[Infinity, 0, 0]"), r"<string>:1:\d+: Infinity is not valid JSON"),
    (pin_file().replace('"p": {', '"q": {"id": "p", '), r"nodes.n: .*pins.q: its id 'p' differs from its key 'q'"),
])
def test_malformed_files_fail_cleanly_naming_the_place(text, error):
    with pytest.raises(BoardFileError, match=error):
        Board.from_json(text)


def test_what_loads_can_be_saved_and_loaded_again():
    deepest = "[" * 189 + "]" * 189
    board = Board.from_json(pin_file(deepest))
    assert Board.from_json(board.to_json()) == board
    long = "9" * 3900
    assert Board.from_json(Board.from_json(pin_file(long)).to_json()).nodes["n"].pins["p"].default_value == int(long)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), [[[]]] * 2 + ["x" * 3, {"k": float("-inf")}]])
def test_values_that_json_cannot_hold_are_refused_in_code_too(value):
    board = Board.from_json(pin_file())
    with pytest.raises(ValueError, match="NaN and Infinity cannot be stored"):
        board.nodes["n"].pins["p"].default_value = value
    with pytest.raises(ValueError, match="valid number|finite"):
        board.nodes["n"].coordinates = (float("nan"), 0.0, 0.0)


@pytest.mark.parametrize(("data_type", "value_type", "value"), [
    ("Integer", "Array", 5), ("Integer", "HashSet", [[1]]), ("Integer", "HashMap", [1, 2]),
    ("Date", "Normal", "yesterday"), ("Struct", "HashSet", [{}]),
])
def test_defaults_that_do_not_fit_their_pin_are_validate_problems(data_type, value_type, value):
    board = Board.from_json(pin_file())
    pin = board.nodes["n"].pins["p"]
    pin.data_type, pin.value_type, pin.default_value = data_type, value_type, value
    board.variables["v"] = Variable(id="v", name="v", data_type=data_type, value_type=value_type, default_value=value)
    found = [(p.code, p.node_id) for p in board.validate() if p.code == "bad-default"]
    assert found == [("bad-default", "n"), ("bad-default", None)]


def test_a_bad_default_names_the_type_it_does_not_fit():
    board = Board.from_json(pin_file())
    pin = board.nodes["n"].pins["p"]
    pin.data_type, pin.value_type, pin.default_value = "Integer", "Normal", "five"
    board.variables["v"] = Variable(id="v", name="v", data_type="Integer", value_type="Normal", default_value="five")
    messages = [p.message for p in board.validate() if p.code == "bad-default"]
    assert [m.split(" holds ")[1] for m in messages] == ["'five', which does not fit its type Integer"] * 2
