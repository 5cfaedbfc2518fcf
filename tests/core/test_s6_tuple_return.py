"""`-> tuple[int, str]` made one Array<Generic> output `result`: a function meaning two outputs is told to return a
NamedTuple, the documented way to have several."""

from __future__ import annotations

import pytest

from flowlike_core import node


def test_a_fixed_tuple_return_is_refused_naming_namedtuple() -> None:
    with pytest.raises(TypeError, match=r"returns tuple\[int, str\].*NamedTuple"):
        @node
        def split(text: str) -> tuple[int, str]:
            return len(text), text


def test_a_tuple_of_any_length_stays_one_array_output() -> None:
    @node
    def sizes(text: str) -> tuple[int, ...]:
        return tuple(len(word) for word in text.split())

    assert [spec.name for spec in sizes.pin_specs() if spec.direction.value == "Output"] == ["result"]
