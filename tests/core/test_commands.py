"""Edits go through commands with undo and redo; a failed edit changes nothing."""

from __future__ import annotations

import pytest

from flowlike_core import BoardError, Comment, ConnectionRefused, NothingToUndo, Variable, commands


def test_every_command_undoes_and_redoes(build):
    board = build.board
    start, add = build.add("t_start"), build.add("t_add_one")
    edits = [
        commands.MoveNode(add.id, (120, 40, 0)),
        commands.UpdateNode(add.id, friendly_name="Plus one", comment="adds", defaults={"value": 5}),
        commands.Connect(start.id, "exec_out", add.id, "exec_in"),
        commands.UpsertVariable(Variable(name="n", data_type="Integer", default_value=1, exposed=True)),
        commands.UpsertComment(Comment(content="hello")),
    ]
    states = [board.to_json()]
    for edit in edits:
        board.apply(edit)
        states.append(board.to_json())
    comment_id = next(iter(board.comments))
    variable_id = next(iter(board.variables))
    for edit in (
        commands.RemoveComment(comment_id),
        commands.RemoveVariable(variable_id),
        commands.Disconnect(start.id, "exec_out", add.id, "exec_in"),
        commands.RemoveNode(add.id),
    ):
        board.apply(edit)
        states.append(board.to_json())
    for expected in reversed(states[:-1]):
        board.undo()
        assert board.to_json() == expected
    for expected in states[1:]:
        board.redo()
        assert board.to_json() == expected


def test_remove_node_removes_its_wires_and_undo_restores_them(build):
    start, add, record = build.add("t_start"), build.add("t_add_one"), build.add("t_record")
    build.chain(start, add, record)
    build.board.apply(commands.RemoveNode(add.id))
    assert add.id not in build.board.nodes and build.board.connections == []
    build.board.undo()
    assert len(build.board.connections) == 2


def test_new_edit_clears_redo_and_empty_history_raises(build):
    build.add("t_start")
    build.board.undo()
    with pytest.raises(NothingToUndo):
        build.board.undo()
    build.add("t_start")
    with pytest.raises(NothingToUndo):
        build.board.redo()


def test_failed_edit_changes_nothing_and_is_not_recorded(build):
    a, b = build.add("t_add_one"), build.add("t_add_one")
    before, revision = build.board.to_json(), build.board.revision
    with pytest.raises(ConnectionRefused):
        build.wire(a, "exec_out", b, "value")
    with pytest.raises(BoardError, match="does not fit pin 'value'"):
        build.board.apply(commands.UpdateNode(a.id, defaults={"value": "seven"}))
    with pytest.raises(BoardError):
        build.board.apply(commands.Batch([commands.MoveNode(a.id, (9, 9, 0)), commands.RemoveNode("nope")]))
    assert build.board.to_json() == before and build.board.revision == revision
    build.board.undo()
    assert b.id not in build.board.nodes


def test_batch_is_one_undo_step(build):
    a = build.add("t_add_one")
    build.board.apply(commands.Batch([commands.MoveNode(a.id, (1, 2, 0)), commands.UpdateNode(a.id, comment="x")]))
    build.board.undo()
    node = build.board.nodes[a.id]
    assert node.coordinates == (0, 0, 0) and node.comment is None


def test_listeners_hear_every_edit(build):
    heard = []
    unsubscribe = build.board.subscribe(lambda board, command: heard.append(type(command).__name__))
    a = build.add("t_add_one")
    build.board.apply(commands.MoveNode(a.id, (1, 1, 0)))
    build.board.undo()
    unsubscribe()
    build.board.redo()
    assert heard == ["AddNode", "MoveNode", "MoveNode"]


def test_wrong_default_type_is_refused_on_create(registry):
    with pytest.raises(BoardError, match="does not fit pin 'value'"):
        registry.get("t_add_one").create(value="x")


def test_a_default_with_no_json_form_is_refused_not_kept_as_its_repr(build):
    """An object a board file cannot hold would come back as its repr, text: it is refused, naming its type."""

    class Frame:
        pass

    add = build.add("t_add_one")
    with pytest.raises(BoardError, match=r"pin 'value' of .*: a .*Frame has no JSON form, so it cannot be a default"):
        build.board.apply(commands.UpdateNode(add.id, defaults={"value": [1, Frame()]}))
    assert add.pin("value").default_value is None


def test_set_keys_keeps_the_pins_it_keeps_follows_the_type_and_undoes(build):
    """`SetKeys`: a node's pins of keys become exactly the keys given, or those its type derives from its values."""
    from typing import Any

    from flowlike_core import node

    @node(name="t_fields", keys=lambda values: (values.get("names") or "").split() or None)
    def fields(names: str = "", **field: int) -> int:
        return sum(field.values())

    board = build.board
    made = board.apply(commands.AddNode(fields.create(names="a b")))
    assert [p.name for p in made.ordered_pins("Input")] == ["names", "a", "b"], "create follows the type"
    one = build.add("t_add_one")
    board.apply(commands.Connect(one.id, "value", made.id, "a"))
    before = board.to_json()
    build.registry.register(fields)
    board.apply(commands.update_node(board, build.registry, made.id, defaults={"names": "a c"}))
    pins: dict[str, Any] = {p.name: p for p in board.nodes[made.id].ordered_pins("Input")}
    assert list(pins) == ["names", "a", "c"] and board.wires_into(made.id, pins["a"].id), "a keeps its wire"
    board.apply(commands.SetKeys(made.id, fields, ["c"]))
    assert [p.name for p in board.nodes[made.id].ordered_pins("Input")] == ["names", "c"]
    assert not [c for c in board.connections if c.to_node == made.id], "a's wire went with it"
    board.undo()
    board.undo()
    assert board.to_json() == before
    with pytest.raises(BoardError, match="each must be a word, once, and not a declared input"):
        board.apply(commands.SetKeys(made.id, fields, ["names"]))
    with pytest.raises(BoardError, match="takes no pins of keys"):
        board.apply(commands.SetKeys(one.id, build.registry.get("t_add_one"), ["x"]))
