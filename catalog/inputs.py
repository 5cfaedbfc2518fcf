"""Struct inputs the nodes of several packs read alike: None, what an input reads from a node that has not run, is
said by the input's name rather than with pydantic's validation text."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)


def struct_given(model: type[Model], value: Any, pin: str) -> Model:
    """The struct on input `pin` as `model`; None fails naming the input."""
    if value is None:
        raise TypeError(f"input {pin!r} got no {model.__name__} (None): wire one from the node that makes it, and let "
                        f"that node run first")
    return value if isinstance(value, model) else model.model_validate(value)
