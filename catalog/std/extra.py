"""Libraries of the `std-extra` extra, imported when a node first needs one (importing the pack stays fast).

A missing library fails only the node that needs it, with an error saying what to install.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def extra(module: str) -> ModuleType:
    """The module, imported now; a clear error naming the extra when it is not installed."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise ImportError(f"this node needs the {exc.name!r} library: pip install 'flowlike-nb[std-extra]'") \
            from None
