"""Sweeps: one run per combination of parameter values, gathered into one table.

    result = sweep(board, {"alpha": [0.1, 0.2], "n": [10, 100]}, outputs=["plus.sum"], backend="process")
    result.rows        # one SweepRow per run, in grid order (the last parameter varies fastest)
    result.to_dataframe()

Parameters are the board's exposed variables. On a remote backend the runs go out together (the process pool
or the cluster decides how many run at once); on `thread` they run one after another, as one kernel can only
run one Python thread at a time anyway, and share one result cache (`flowlike_core.cache`): a pure node whose
inputs agree between two combinations (an expensive prefix that does not read the swept parameter) runs once.
A cancelled run (Ctrl-C) stops the sweep: the runs after it are cancelled, or never start.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flowlike_core.backends import Backend
from flowlike_core.board import Board
from flowlike_core.cache import ResultCache
from flowlike_core.errors import BoardError, UnknownVariableError
from flowlike_core.registry import Registry
from flowlike_core.run import Run, RunStatus
from flowlike_core.types import to_json_native


@dataclass
class SweepRow:
    parameters: dict[str, Any]
    status: str
    duration: float
    outputs: dict[str, Any]
    error: str | None = None
    run: Run | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {**self.parameters, "status": self.status, "duration": self.duration, **self.outputs,
                "error": self.error}


@dataclass
class SweepResult:
    parameters: list[str]
    outputs: list[str]
    rows: list[SweepRow]

    @property
    def ok(self) -> bool:
        return all(row.status == "Success" for row in self.rows)

    def records(self) -> list[dict[str, Any]]:
        """One JSON-native dict per run: parameters, status, duration, outputs, error."""
        return [{key: to_json_native(value) for key, value in row.as_dict().items()} for row in self.rows]

    def to_dataframe(self) -> Any:
        """The table as a pandas DataFrame (pandas is needed only here)."""
        import pandas as pd

        return pd.DataFrame([row.as_dict() for row in self.rows],
                            columns=[*self.parameters, "status", "duration", *self.outputs, "error"])

    def to_json(self) -> str:
        return json.dumps(self.records(), indent=2)


def combinations(grid: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every combination of the grid's values, the last parameter varying fastest."""
    for name, values in grid.items():
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise BoardError(f"sweep parameter {name!r}: give a list of values, not {values!r}")
    names = list(grid)
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*(list(grid[n]) for n in names))]


def read_output(run: Run, name: str) -> Any:
    """An output column: `result`, a variable's final value by name, or `node.pin` (node id or unique name)."""
    if name == "result":
        return run.result
    if name in run.variables:
        return run.variables[name]
    node, _, pin = name.rpartition(".")
    if not node:
        raise BoardError(f"sweep output {name!r}: name a variable, 'result', or a node output as node.pin")
    try:
        return run.output(node, pin)
    except KeyError:
        return None


def sweep(board: Board, grid: Mapping[str, Sequence[Any]], *, outputs: Sequence[str] = (),
          backend: str | Backend = "thread", registry: Registry | None = None, start: str | None = None,
          cache: ResultCache | bool = True, **options: Any) -> SweepResult:
    """Run the board once per combination of `grid` (exposed variable -> values) and gather the runs.

    `cache`: the result cache the runs share (True: a new one for this sweep on `thread`; False: none); on another
    backend, a cache that keeps its results in a store (`ResultCache.persist`), which the workers share."""
    from flowlike_core.executor import start_run

    points = combinations(grid)
    for name in outputs:
        if "." not in name and name != "result":
            try:
                board.lookup_variable(name)  # an unknown name fails now, not after every run
            except UnknownVariableError as exc:
                raise UnknownVariableError(f"output {name!r}: {exc}; an output is a variable's name, 'result' "
                                           f"(what the run returned) or node.pin") from None
    rows: list[SweepRow] = []
    shared = ResultCache() if cache is True and backend == "thread" else cache if isinstance(cache, ResultCache) \
        else None
    runs: list[Run] = []
    if backend == "thread":
        for point in points:
            runs.append(start_run(board, variables=point, registry=registry, start=start, cache=shared,
                                  **options).wait())
            if runs[-1].status is RunStatus.CANCELLED:
                break
    else:
        handles = [start_run(board, variables=point, registry=registry, start=start, backend=backend, cache=shared,
                             **options)
                   for point in points]
        for handle in handles:
            runs.append(handle.wait())
            if runs[-1].status is RunStatus.CANCELLED:
                for other in handles:
                    other.cancel()
    for point, run in zip(points, runs, strict=False):
        rows.append(SweepRow(point, run.status.value, run.duration,
                             {name: read_output(run, name) for name in outputs}, run.error, run))
    rows.extend(SweepRow(point, RunStatus.CANCELLED.value, 0.0, dict.fromkeys(outputs),
                         "the sweep was cancelled before this run started") for point in points[len(runs):])
    return SweepResult(list(grid), list(outputs), rows)
