"""`@node` refuses, as it decorates, what cannot become a node type, saying what to write instead; and a node typing
an input `list[Model]` or `dict[str, Model]` gets models there, as one typing it `Model` does."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from flowlike_core import Board, DataType, Registry, ValueType, commands, node
from flowlike_core.shapes import StructShapeError


def test_options_given_by_position_are_refused_with_the_keyword_to_use():
    with pytest.raises(TypeError, match=r"options go by keyword, as in @node\(friendly_name='Clamp'\)"):
        node("Clamp")
    with pytest.raises(TypeError, match="@node decorates a function, not 5"):
        node(5)


def test_a_hint_that_is_not_a_type_is_refused_naming_the_pin():
    with pytest.raises(TypeError, match=r"@node .*scaled: the hint of pin 'factor' is 5, not a type"):
        @node
        def scaled(factor: 5) -> float:  # type: ignore[valid-type]
            """Scales."""
            return 1.0


def test_a_generator_is_refused():
    with pytest.raises(TypeError, match="a generator cannot be a node .*return a list"):
        @node
        def numbers(stop: int) -> list[int]:
            """Counts up."""
            yield from range(stop)


def test_a_tuple_of_mixed_items_is_an_array_of_anything_and_of_one_kind_an_array_of_that():
    @node
    def pairs(mixed: tuple[int, str], same: tuple[float, float], many: tuple[int, ...]) -> int:
        """Takes tuples."""
        return 0

    pins = {pin.name: (pin.data_type, pin.value_type) for pin in pairs.pins}
    assert pins["mixed"] == (DataType.GENERIC, ValueType.ARRAY)
    assert pins["same"] == (DataType.FLOAT, ValueType.ARRAY)
    assert pins["many"] == (DataType.INTEGER, ValueType.ARRAY)


class Ingredient(BaseModel):
    name: str
    grams: float


@node(exec_pins=True)
def total_grams(items: list[Ingredient], by_name: dict[str, Ingredient]) -> float:
    """Adds up the grams of a list and of a map of ingredients (attribute access: models arrive, not dicts)."""
    return sum(item.grams for item in items) + sum(item.grams for item in by_name.values())


def test_list_and_dict_of_models_arrive_as_models():
    registry = Registry()
    registry.register(total_grams)
    board = Board(name="grams")
    adder = board.apply(commands.AddNode(registry.get("total_grams").create(
        items=[{"name": "flour", "grams": 500}, {"name": "salt", "grams": 10.5}],
        by_name={"water": {"name": "water", "grams": 300}})))
    run = board.run(registry=registry, start=adder.id)
    assert run.ok, run.error
    assert run.output(adder.id, "result") == 810.5


def test_a_list_item_that_is_not_the_model_fails_naming_node_pin_and_field():
    from flowlike_core.shapes import input_shaper

    shaper = input_shaper(list[Ingredient], None, "'total' (n1)", "items")
    assert shaper is not None
    with pytest.raises(StructShapeError, match=r"node 'total' \(n1\): input 'items' is not a valid Ingredient: "
                                               r"field 'grams'"):
        shaper([{"name": "flour", "grams": "lots"}])
    with pytest.raises(StructShapeError, match="input 'items' needs a list of Ingredient structs, got str"):
        shaper("flour")


def test_a_class_forms_pin_type_given_by_name_is_that_type_and_a_name_of_none_fails_where_it_is_declared():
    from flowlike_core import data_in, data_out

    assert data_out("answer", "Integer", "Array").data_type is DataType.INTEGER
    assert data_in("answer", "Integer", "Array").value_type is ValueType.ARRAY
    with pytest.raises(TypeError, match=r"pin 'answer': 'Intger' is not a DataType \(Execution, Boolean, "):
        data_out("answer", "Intger")
