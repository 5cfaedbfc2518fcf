"""flowlike_catalog: the node packs, one subpackage per domain. Each exposes a `PACK`.

    from flowlike_catalog.std import PACK
    from flowlike_core import Registry
    registry = Registry([PACK])                      # a registry of the std pack alone
    registry.get("control_branch").friendly_name     # 'Branch'

The packs whose modules other packs import for their helpers (web's HTTP layer, data's file handles, llm's
histories, media's images) make their `PACK` in their `pack` module when it is first asked for (`lazy_pack`):
another pack importing one of their modules imports that module alone, not every module of the pack.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)


def lazy_pack(package: str) -> Callable[[str], Any]:
    """The module `__getattr__` of a pack package whose `PACK` is made by its `pack` module on first use (the
    `flowlike.packs` entry point `package:PACK` loads it then)."""

    def __getattr__(name: str) -> Any:
        if name == "PACK":
            return importlib.import_module(f"{package}.pack").PACK
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__


def struct_given(model: type[Model], value: Any, pin: str) -> Model:
    """The struct on input `pin` as `model`; None, what an input reads from a node that has not run, fails naming
    the input rather than with pydantic's validation text."""
    if value is None:
        raise TypeError(f"input {pin!r} got no {model.__name__} (None): wire one from the node that makes it, and let "
                        f"that node run first")
    return value if isinstance(value, model) else model.model_validate(value)
