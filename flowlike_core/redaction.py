"""Secret values never leave a run: every text a run lets out (logs, errors, tracebacks, progress, records,
events) passes a `Redactor` first.

What counts as secret: the values of secret variables (their defaults, the values a run starts with and the
values nodes set into them while it runs) and the values given to pins marked `sensitive`. A secret is
replaced where it stands as a whole token, so that a secret `2` blanks "2" in "took 2 s" but leaves
"processed 12 of 20 rows" alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowlike_core.board import Board

MASK = "***"


class Redactor:
    """The secrets of one run; grows as nodes set secret variables (thread-safe enough: a new pattern is built
    from a copy and swapped in whole)."""

    __slots__ = ("_secrets", "_pattern")

    def __init__(self, values: Iterable[Any] = ()) -> None:
        self._secrets: frozenset[str] = frozenset()
        self._pattern: re.Pattern[str] | None = None
        self.add(*values)

    def __bool__(self) -> bool:
        return self._pattern is not None

    def add(self, *values: Any) -> None:
        """Treat these values (and the texts inside lists and maps) as secret from now on."""
        new = {text for value in values for text in _texts(value)} - self._secrets
        if not new:
            return
        secrets = self._secrets | new
        alternatives = "|".join(re.escape(s) for s in sorted(secrets, key=len, reverse=True))
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
        self._secrets = secrets

    def text(self, text: str) -> str:
        pattern = self._pattern
        return text if pattern is None or not text else pattern.sub(MASK, text)

    def value(self, value: Any) -> Any:
        """A copy of JSON-like data with every string redacted (other leaves as they are)."""
        if self._pattern is None:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list | tuple):
            return [self.value(item) for item in value]
        if isinstance(value, Mapping):
            return {key: self.value(item) for key, item in value.items()}
        return value


def _texts(value: Any) -> Iterator[str]:
    """The texts a value shows in a message: scalars as `str()` does, and those inside lists and maps."""
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        if value.strip():
            yield value
    elif isinstance(value, int | float):
        yield str(value)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)


def secret_values(board: Board, variables: Mapping[str, Any] = {}) -> list[Any]:  # noqa: B006 (read only)
    """What a run of the board must keep to itself from the start: its secret variables' defaults and starting
    values (the values typed into sensitive pins come from the run's plan, made once per board revision)."""
    return [value for v in board.variables.values() if v.secret for value in (v.default_value, variables.get(v.name))]
