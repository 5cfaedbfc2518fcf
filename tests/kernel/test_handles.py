"""Building boards in cells: handles, pins, names, idempotent adds, edits through commands."""

from __future__ import annotations

import pytest

import flowlike_nb as fnb
from flowlike_core import BoardError, ConnectionRefused, UnknownPinError
from flowlike_core.board import PinDirection


def test_add_connect_and_find(counter: fnb.Board) -> None:
    core = counter.core
    assert len(core.nodes) == 3 and len(core.connections) == 2
    say = counter.node("say")
    assert (say.name, say.friendly_name) == ("log_info", "say")
    assert [p.node.friendly_name for p in say.inputs.exec_in.wires] == ["start"]
    assert counter.nodes.say == say == counter["say"]
    assert counter.find("READ") == [counter.node("read n")]
    assert say.inputs.message.wires[0].name == "value_ref"


def test_pins_show_types_and_values(counter: fnb.Board) -> None:
    read = counter.node("read n")
    assert read.inputs.var_ref.value == "n"
    assert read.inputs.var_ref.type == "String"
    table = read.pin_table()
    assert list(table["pin"])[:2] == ["var_ref", "value_ref"]
    assert list(table["type"])[:2] == ["String", "Generic"]
    assert read.outputs.value_ref.value is None
    counter.run()
    assert read.outputs.value_ref.value == 3
    assert "var_ref: String = 'n'" in repr(read.inputs)


def test_tab_completion_lists_pins_and_nodes(counter: fnb.Board) -> None:
    say = counter.node("say")
    assert {"exec_in", "message"} <= set(dir(say.inputs))
    assert "exec_out" in say.outputs._ipython_key_completions_()
    assert "start" in dir(counter.nodes)
    assert "read n" in counter.nodes._ipython_key_completions_()
    assert "read n" not in dir(counter.nodes)


def test_setting_a_default_is_one_undoable_command(counter: fnb.Board) -> None:
    start = counter.core.revision
    counter.node("read n").inputs.var_ref.value = "m"
    assert counter.core.revision == start + 1
    counter.undo()
    assert counter.node("read n").inputs.var_ref.value == "n"
    counter.redo()
    assert counter.node("read n").inputs.var_ref.value == "m"


def test_re_running_a_cell_does_not_duplicate(counter: fnb.Board) -> None:
    before = counter.core.to_dict()
    start = counter.add("events_simple", "start")
    say = counter.add("log_info", "say")
    start.outputs.exec_out >> say.inputs.exec_in
    counter.variable("n", int, 3, exposed=True)
    assert counter.core.to_dict() == before
    counter.add("log_info", "say", message="changed")
    assert len(counter.core.nodes) == 3
    assert counter.node("say").inputs.message.value == "changed"


def test_re_adding_a_name_with_another_type_replaces_the_node_keeping_wires(counter: fnb.Board) -> None:
    counter.add("log_warning", "say")
    say = counter.node("say")
    assert say.name == "log_warning"
    assert [p.node.friendly_name for p in say.inputs.exec_in.wires] == ["start"]
    assert len(counter.core.nodes) == 3


def test_refused_wires_and_unknown_pins_say_why(counter: fnb.Board) -> None:
    read = counter.node("read n")
    with pytest.raises(ConnectionRefused):
        read.outputs.value_ref >> counter.node("start").outputs.exec_out
    with pytest.raises(UnknownPinError, match="inputs: exec_in, message"):
        counter.node("say").inputs["nope"]  # noqa: B018
    with pytest.raises(AttributeError, match="inputs: exec_in, message"):  # so hasattr and completion work
        counter.node("say").inputs.nope  # noqa: B018


def test_pin_groups_of_a_variadic_node() -> None:
    board = fnb.Board("seq")
    seq = board.add("control_sequence", "seq")
    outs = seq.outputs.group("exec_out")
    assert len(outs) == 3 and seq.outputs["exec_out", 2] == outs[2]
    assert len({p.id for p in outs}) == 3
    assert all(p.direction is PinDirection.OUTPUT for p in outs)


def test_disconnect_and_remove(counter: fnb.Board) -> None:
    say = counter.node("say")
    say.inputs.message.disconnect()
    assert say.inputs.message.wires == []
    counter.remove("read n")
    assert "read n" not in counter.nodes
    counter.undo()
    assert "read n" in counter.nodes


def test_the_engine_board_stays_the_source_of_truth(counter: fnb.Board) -> None:
    from flowlike_core import commands

    say = counter.node("say")
    counter.core.apply(commands.UpdateNode(say.id, friendly_name="shout"))
    assert say.friendly_name == "shout"
    assert fnb.Board(counter.core).node("shout") == fnb.Board(counter.core).nodes["shout"]


def test_the_pin_table_shows_an_unset_value_as_none(counter: fnb.Board) -> None:
    """Values of all types share one column: text beside an unset pin stays text beside None, never NaN."""
    par = counter.add("control_par_execution", "both")
    table = par.pin_table().set_index("pin")
    assert table.loc["thread_model", "value"] == "tasks"
    assert table.loc["exec_in", "value"] is None


def test_wiring_a_pin_to_a_node_or_a_name_says_a_wire_joins_two_pins(counter: fnb.Board) -> None:
    say, read = counter.node("say"), counter.node("read n")
    for other in (say, "say.message"):
        with pytest.raises(TypeError, match=r"a wire joins two pins \(node.inputs.NAME, node.outputs.NAME\); "
                                            r"<out pin read n.value_ref.*cannot be wired to .*say"):
            read.outputs.value_ref >> other


def test_a_variable_default_of_another_type_names_the_type(counter: fnb.Board) -> None:
    with pytest.raises(BoardError, match=r"default 2.5 of variable 'x' does not fit its type Integer"):
        counter.variable("x", int, 2.5)
    with pytest.raises(BoardError, match=r"default \[1, 'a'\] of variable 'xs' does not fit its type Array<Integer>"):
        counter.variable("xs", list[int], [1, "a"])


def test_a_variable_type_given_as_text_must_be_a_data_type(counter: fnb.Board) -> None:
    with pytest.raises(BoardError, match=r"type 'Integr' is neither a data type \(Execution, Boolean, Integer"):
        counter.variable("x", "Integr", 1)
    assert counter.variable("x", "Integer", 1).data_type == "Integer"


def test_a_dataframe_default_is_refused_with_the_way_to_pass_it(counter: fnb.Board) -> None:
    import pandas

    frame = pandas.DataFrame({"units": [1, 2]})
    with pytest.raises(BoardError, match=r"input 'message' of a new 'log_info' node: a pandas.DataFrame has no JSON "
                                         r"form.*board.run\(\{name: value\}\)"):
        counter.add("log_info", "frame says", message=frame)
    with pytest.raises(BoardError, match="has no JSON form"):
        counter.node("say").set(message=frame)
    assert counter.node("say").inputs.message.value != repr(frame)


def test_a_numpy_scalar_default_is_kept_as_the_number(counter: fnb.Board) -> None:
    import numpy

    add = counter.add("int_add", "add", integer1=numpy.int64(3))
    add.set(integer2=numpy.int32(4))
    assert (add.inputs.integer1.value, add.inputs.integer2.value) == (3, 4)
    assert type(add.inputs.integer1.value) is int


def test_a_dataframe_variable_default_is_refused_when_declared_not_when_saved(counter: fnb.Board, tmp_path) -> None:
    import pandas

    with pytest.raises(BoardError, match=r"variable 'data': a pandas.DataFrame has no JSON form"):
        counter.variable("data", pandas.DataFrame, pandas.DataFrame({"units": [1]}), exposed=True)
    counter.save(tmp_path / "counter.board.json")


def test_save_without_a_path_writes_where_the_board_came_from(counter: fnb.Board, tmp_path) -> None:
    with pytest.raises(BoardError, match=r"has no file yet: name one, board.save\('name.board.json'\)"):
        counter.save()
    first = counter.save(tmp_path / "counter")
    assert first == tmp_path / "counter.board.json" and counter.path == first
    loaded = fnb.Board.load(first)
    loaded.add("log_info", "said", message="saved in place")
    assert loaded.save() == first and "saved in place" in first.read_text()
    assert fnb.Board.open(first).path == first
    assert loaded.editor().path == str(first)  # the editor's Save writes there too


def test_format_string_gets_a_pin_per_placeholder_of_its_template() -> None:
    """As in Flow-Like: the template's placeholders are the node's pins, when it is added and when it changes."""
    board = fnb.Board("prompt")
    fmt = board.add("string_format", "fmt", format_string="Dear {name}")
    assert "name" in dir(fmt.inputs)
    fmt.inputs.name.value = "Ada"
    fmt.set(format_string="Dear {name}, {count} new")
    assert [pin.name for pin in fmt.inputs][-2:] == ["name", "count"] and fmt.inputs.name.value == "Ada"
    fmt.inputs.format_string.value = "{count} new"
    assert "name" not in dir(fmt.inputs)
    board.core.undo()
    assert fmt.inputs.name.value == "Ada"


def test_a_bytes_variable_default_is_kept_as_its_byte_values_and_redeclaring_it_changes_nothing() -> None:
    board = fnb.Board("blobs")
    blob = board.variable("blob", default=b"ab")
    assert (blob.data_type.value, blob.value_type.value, blob.default_value) == ("Byte", "Array", [97, 98])
    revision = board.core.revision
    board.variable("blob", default=b"ab")
    assert board.core.revision == revision, "a re-run cell is no edit"


def test_a_path_typed_as_text_is_kept_as_the_path_input_takes_it(tmp_path) -> None:
    """A FlowPath input takes a path as text when it runs; typed in as a default, it is kept in the pin's JSON form."""
    note = tmp_path / "prompt.txt"
    note.write_text("Summarize this", encoding="utf-8")
    board = fnb.Board("read a prompt")
    start, read, say = board.add("events_simple", "start"), board.add("read_to_string", "read", path=str(note)), \
        board.add("log_info", "say")
    assert read.inputs.path.value == {"path": str(note), "store": ""}
    start.outputs.exec_out >> read.inputs.exec_in
    read.outputs.exec_out >> say.inputs.exec_in
    read.outputs.content >> say.inputs.message
    assert [line.message for line in board.run().logs()] == ["Summarize this"]
    read.inputs.path.value = str(tmp_path / "other.txt")
    assert read.inputs.path.value == {"path": str(tmp_path / "other.txt"), "store": ""}
    assert board.core.validate(board.registry) == []


def test_a_node_added_in_a_cell_while_an_editor_is_open_lands_clear_of_the_others() -> None:
    """Without an editor, nodes added in cells stack at (0, 0), and the editor lays them out when it opens; with one
    open, a new node landed on top of the node there."""
    from flowlike_nb.kernel.render import needs_layout

    board = fnb.Board("open")
    first = board.add("events_simple", "start")
    assert first.core.coordinates[:2] == (0.0, 0.0)
    editor = board.editor()
    board.add("log_info", "say")
    board.add("string_format", "fmt", format_string="{a}{b}")
    assert not needs_layout(board.core), [node.coordinates for node in board.core.nodes.values()]
    assert board.add("log_info", "again", at=(5, 5)).core.coordinates[:2] == (5.0, 5.0), "at= is where it goes"
    del editor
