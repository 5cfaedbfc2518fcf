"""Trial 6: more malformed Flow-Like board JSON, each an error naming the field and where, never a crash or a value
that breaks later (a board opened with a text viewport failed only at export, with an IndexError)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flowlike_json import board_bytes
from trial4_boards import fresh

from flowlike_core import BoardFileError
from flowlike_core.interop import formats, open_board, schema


def pin(board: dict[str, Any], node_id: str, name: str) -> dict[str, Any]:
    return board["nodes"][node_id]["pins"][f"{node_id}.{name}"]


BROKEN: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "refs as a list": (lambda b: b.update(refs=["x"]),
                       "board.refs: a map from hashes to texts was expected, found list"),
    "a ref that is no text": (lambda b: b.update(refs={"1234567": 5}), "board.refs['1234567']: text was expected"),
    "a log level Flow-Like lacks": (lambda b: b.update(log_level="Loud"),
                                    "board.log_level: 'Loud' is not one of Debug, Info"),
    "a stage Flow-Like lacks": (lambda b: b.update(stage="Staging"), "board.stage: 'Staging' is not one of Dev"),
    "an execution mode Flow-Like lacks": (lambda b: b.update(execution_mode="Cloud"),
                                          "board.execution_mode: 'Cloud' is not one of Hybrid"),
    "a viewport as text": (lambda b: b.update(viewport="x"), "board.viewport: [x, y, z] numbers were expected"),
    "a time as text": (lambda b: b.update(created_at="2024"),
                       "board.created_at: {secs_since_epoch, nanos_since_epoch} was expected, found str '2024'"),
    "page ids as text": (lambda b: b.update(page_ids="p1"), "board.page_ids: a list of ids was expected"),
    "a default as text": (lambda b: pin(b, "hello", "message").update(default_value="begin"),
                          "nodes['hello'].pins['hello.message'].default_value: JSON text as a list of byte values "
                          "(0-255) was expected, found str 'begin'"),
    "a default byte out of range": (lambda b: pin(b, "hello", "message").update(default_value=[34, 300, 34]),
                                    "pins['hello.message'].default_value: JSON text as a list of byte values"),
    "a variable default as text": (lambda b: b["variables"]["v-items"].update(default_value="[1]"),
                                   "variables['v-items'].default_value: JSON text as a list of byte values"),
    "a pin title that is a number": (lambda b: pin(b, "hello", "message").update(friendly_name=5),
                                     "pins['hello.message'].friendly_name: text was expected, found int 5"),
    "a flag as text": (lambda b: b["variables"]["v-items"].update(exposed="yes"),
                       "variables['v-items'].exposed: true or false was expected, found str 'yes'"),
    "a comment of an unknown type": (lambda b: b["comments"]["c-text"].update(comment_type="Audio"),
                                     "comments['c-text'].comment_type: 'Audio' is not one of Text, Image, Video"),
    "a layer of an unknown type": (lambda b: b["layers"]["l-body"].update(type="Folder"),
                                   "layers['l-body'].type: 'Folder' is not one of Function, Macro, Collapsed"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_malformed_field_is_named_with_where_it_is(case, registry):
    edit, message = BROKEN[case]
    board = fresh()
    edit(board)
    with pytest.raises(BoardFileError) as caught:
        open_board(json.dumps(board).encode(), registry)
    assert str(caught.value).startswith("<bytes>: ") and message in str(caught.value)


def test_what_flowlike_writes_as_null_still_opens(registry):
    board = fresh()
    board.update(log_level=None, stage=None, execution_mode=None, viewport=None, created_at=None, page_ids=None)
    pin(board, "hello", "message").update(friendly_name=None, description=None)
    board["variables"]["v-items"].update(exposed=None, default_value=None)
    imported, _ = open_board(json.dumps(board).encode(), registry)
    assert imported.variables["v-items"].exposed is False and imported.variables["v-items"].default_value is None


@pytest.mark.parametrize("nodes", [None, "n1", 5])
def test_flowlike_json_whose_nodes_are_neither_map_nor_list_gets_flowlikes_error(nodes, registry, tmp_path):
    """Not our loader's list of every field our own format wants: the one field that is wrong in Flow-Like's."""
    board = fresh()
    board["nodes"] = nodes
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(board))
    with pytest.raises(BoardFileError) as caught:
        open_board(path, registry)
    message = str(caught.value)
    assert message.startswith(f"{path}: nodes: a map from ids to objects (a board) or a list (an editor export or "
                              f"a clipboard) was expected, found ") and "variables" not in message


@pytest.mark.parametrize(("edit", "message"), [
    (lambda m: m["nodes"]["hello"]["pins"]["hello.message"].update(data_type=42),
     "nodes['hello'].pins['hello.message'].data_type: 'VariableType#42' is not one of Execution"),
    (lambda m: m.update(log_level=9), "board.log_level: 'LogLevel#9' is not one of Debug"),
    (lambda m: m["layers"]["l-body"].update(type=7), "layers['l-body'].type: 'LayerType#7' is not one of Function"),
])
def test_a_board_file_with_an_enum_number_flowlike_lacks_names_the_field(edit, message, registry):
    """A `.board` holding a number an enum lacks (damage, or a newer Flow-Like's value): an error naming the field and
    where (it was a bare WireError: 'VariableType has no value 42')."""
    proto = formats.board_to_proto(fresh())
    edit(proto)
    with pytest.raises(BoardFileError) as caught:
        open_board(formats.compress(schema.encode(proto, "Board")), registry)
    assert str(caught.value).startswith("<bytes>: ") and message in str(caught.value)


def test_a_board_file_whose_protobuf_is_damaged_says_where_as_a_board(registry):
    """Damage inside a node: the error says what reading it as a board met (and as an app), not only the latter."""
    payload = formats.decompress(board_bytes(fresh()), "t")
    node = schema.encode({"id": "n1", "name": "log_info", "pins": {}}, "Node")
    bad = payload + b"\x22" + bytes([len(node) + 6]) + b"\x0a\x02n1\x12" + bytes([len(node) + 4]) + node
    with pytest.raises(BoardFileError) as caught:
        open_board(formats.compress(bad), registry)
    assert "as a board: Board." in str(caught.value) and "as an app: App." in str(caught.value)
