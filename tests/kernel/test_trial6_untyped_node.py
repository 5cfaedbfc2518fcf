"""A cell node with parameters lacking type hints says which, and that their pins take any value: `def f(x, y=3)`
made Generic pins in silence, and a wrong value reached the function at run time instead of being refused at the
wire."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import flowlike_nb as fnb


def test_parameters_without_type_hints_are_named() -> None:
    with pytest.warns(UserWarning, match=r"^node 'trial6_untyped': x, y have no type hint, so their pins take any "
                                         r"value \(Generic\); annotate them \(x: int\), or x: Any for any value$"):
        @fnb.node(name="trial6_untyped")
        def untyped(x, y=3, z: int = 1):  # the mistake under test
            return x

    with pytest.warns(UserWarning, match=r"^node 'trial6_half_typed': y has no type hint, so its pin takes any "):
        @fnb.node(name="trial6_half_typed")
        def half_typed(x: int, y) -> int:
            return x

    with warnings.catch_warnings():
        warnings.simplefilter("error")

        @fnb.node(name="trial6_any")
        def anything(x: Any, y: int = 3) -> Any:
            return x
