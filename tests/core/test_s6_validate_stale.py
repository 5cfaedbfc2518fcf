"""validate() names what a board file holds that no longer matches its packs: a pin the node's type does not declare
(renamed or removed in a newer version of the pack), a variable node naming a variable the board does not hold."""

from __future__ import annotations

from flowlike_core import Board, DataType, NodeType, Registry, commands, data_in, data_out, exec_in, exec_out
from flowlike_core.board import Variable


class MakeMessage(NodeType):
    """Version 2 of a pack's node: its input `content` became `text`."""

    name = "s6_make_message"
    friendly_name = "Make Message"
    pins = (exec_in(), data_in("role", DataType.STRING, default="user"), data_in("text", DataType.STRING),
            exec_out(), data_out("message", DataType.STRUCT))

    def run(self, ctx):
        ctx.set_output("message", {"role": ctx.get_input("role"), "content": ctx.get_input("text")})
        ctx.activate("exec_out")


def _registry() -> Registry:
    from flowlike_catalog.std import variables

    registry = Registry()
    for node_type in (MakeMessage, variables.GetVariable, variables.SetVariable):
        registry.register(node_type, pack="s6")
    return registry


def _saved_by_version_1(registry: Registry) -> Board:
    """A board file saved when the input was `content`: the node holds `content` (typed in) and no `text`."""
    board = Board(name="old")
    board.apply(commands.AddNode(MakeMessage.create(node_id="make")))
    data = board.to_dict()
    pin = next(p for p in data["nodes"]["make"]["pins"].values() if p["name"] == "text")
    pin["name"], pin["default_value"] = "content", "hello"
    return Board.from_dict(data)


def test_a_pin_the_type_no_longer_declares_is_a_warning_naming_node_pin_and_the_likely_new_name():
    registry = _registry()
    board = _saved_by_version_1(registry)
    problems = [p for p in board.validate(registry) if p.code == "unknown-pin"]
    assert len(problems) == 1, board.validate(registry)
    problem = problems[0]
    pin_id = next(p.id for p in board.nodes["make"].pins.values() if p.name == "content")
    assert (problem.node_id, problem.pin_id, problem.severity) == ("make", pin_id, "warning")
    assert "'content'" in problem.message and "'Make Message' (make)" in problem.message
    assert "'text'" in problem.message  # the type's String input the node lacks


def test_a_pin_with_no_likely_new_name_is_named_alone():
    registry = _registry()
    board = _saved_by_version_1(registry)
    data = board.to_dict()
    pin = next(p for p in data["nodes"]["make"]["pins"].values() if p["name"] == "content")
    pin["data_type"] = "Integer"
    problems = [p for p in Board.from_dict(data).validate(registry) if p.code == "unknown-pin"]
    assert len(problems) == 1 and "'text'" not in problems[0].message


def test_a_current_board_has_no_unknown_pins():
    registry = _registry()
    board = Board(name="new")
    board.apply(commands.AddNode(MakeMessage.create(node_id="make", text="hi")))
    assert board.validate(registry) == []


def _variable_nodes(var_ref: str) -> Board:
    from flowlike_catalog.std import variables

    board = Board(name="vars")
    board.apply(commands.UpsertVariable(Variable(id="v1", name="limit", data_type=DataType.INTEGER, default_value=3)))
    board.apply(commands.AddNode(variables.GetVariable.create(node_id="get", var_ref=var_ref)))
    board.apply(commands.AddNode(variables.SetVariable.create(node_id="set", var_ref=var_ref, value_in=4)))
    return board


def test_a_variable_node_naming_a_variable_the_board_lacks_is_an_error():
    registry = _registry()
    problems = [p for p in _variable_nodes("limt").validate(registry) if p.code == "unknown-variable"]
    assert [(p.node_id, p.severity) for p in problems] == [("get", "error"), ("set", "error")]
    assert "'limt'" in problems[0].message and "limit" in problems[0].message  # what the board holds


def test_a_variable_named_by_name_or_by_id_is_known():
    registry = _registry()
    for var_ref in ("limit", "v1"):
        assert [p for p in _variable_nodes(var_ref).validate(registry) if p.code == "unknown-variable"] == []
