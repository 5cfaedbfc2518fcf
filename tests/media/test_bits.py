from __future__ import annotations

import pytest


def branch(board, key: str, bit: dict, **defaults) -> list[str]:
    node = board.add(key, **defaults)
    board.feed(node, bit=bit)
    marks = {}
    for pin in [p.name for p in board.board.nodes[node.id].ordered_pins() if p.data_type.value == "Execution"
                and p.direction.value == "Output" and p.name != "auto_handle_error"]:
        marks[pin] = board.add("log_info", message=pin)
        board.wire(node, pin, marks[pin], "exec_in")
    run = board.steps(node)
    assert run.output(node.id, "bit_out") == bit
    return [line.message for line in run.logs()]


def test_is_bit_of_type(board) -> None:
    bit = {"id": "abc", "type": "Embedding", "meta": {"en": {"name": "MiniLM"}}}
    assert branch(board, "is_bit_of_type", bit, bit_type="Embedding") == ["yes"]
    assert branch(board.fresh(), "is_bit_of_type", bit, bit_type="Llm") == ["no"]


def test_switch_on_bit_follows_its_type(board) -> None:
    assert branch(board, "switch_on_bit", {"id": "x", "type": "ObjectDetection"}) == ["object_detection"]
    assert branch(board.fresh(), "switch_on_bit", {"id": "x", "type": "SpecialTokensMap"}) == ["special_tokens_map"]
    with pytest.raises(Exception, match="unknown Bit type 'Spaceship'"):
        branch(board.fresh(), "switch_on_bit", {"id": "x", "type": "Spaceship"})
