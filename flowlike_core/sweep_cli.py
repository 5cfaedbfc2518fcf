"""`flowlike sweep BOARD -p alpha=0.1,0.2 -p n=10,100 --backend process`: one run per combination, one table."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from flowlike_core.backends import BACKENDS
from flowlike_core.board import Board
from flowlike_core.cache_options import add_cache_options, result_cache
from flowlike_core.cli import (
    BOARD_HELP,
    EXIT_FAILED,
    EXIT_OK,
    BadInput,
    add_history_options,
    add_policy_options,
    keep_history,
    load_board,
    parse_value,
    policy_of,
    table,
)
from flowlike_core.executor import DEFAULT_MAX_STEPS
from flowlike_core.wording import counted, duration

if TYPE_CHECKING:
    from flowlike_core.sweep import SweepResult


def parse_parameter(board: Board, text: str) -> tuple[str, list[Any]]:
    """`NAME=V1,V2,...` (each value read as `flowlike run --var` reads it) or `NAME=[JSON list]`."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name or not raw:
        raise BadInput(f"-p {text!r}: expected NAME=VALUE,VALUE,...")
    if raw.lstrip().startswith("["):
        try:
            values = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise BadInput(f"-p {text!r}: not a JSON list ({exc.msg})") from exc
        board.lookup_variable(name)
        return name, list(values)
    return name, [parse_value(board, name, part) for part in raw.split(",")]


def cmd_sweep(args: argparse.Namespace) -> int:
    from flowlike_core.sweep import sweep

    board = load_board(args.board)
    grid = dict(parse_parameter(board, text) for text in args.param)
    if not grid:
        raise BadInput("give at least one parameter: -p NAME=VALUE,VALUE,...")
    keep_history(args)
    stored = result_cache(args)
    result = sweep(board, grid, outputs=args.output, backend=args.backend, start=args.start,
                   max_steps=args.max_steps, cache=stored if stored is not None else not args.no_cache,
                   policy=policy_of(args))
    return show(result, as_json=args.json)


CELL_CHARS = 60
"""How much of a parameter or output value other than text a table cell shows (--json has them whole)."""


def cell(value: Any) -> str:
    """A value in the table: text as it is (a path, whole), anything else as JSON cut at CELL_CHARS."""
    if isinstance(value, str):
        return value
    text = json.dumps(value)
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS - 1] + "…"


def show(result: SweepResult, *, as_json: bool) -> int:
    """Print a sweep's rows as a table (or a JSON list); the exit status: 0 when every run succeeded. Rows of board
    runs name their run first (`run`: the id `flowlike runs RUN` shows, and compares with another)."""
    ids = [{"run": row.run.id} if row.run is not None else {} for row in result.rows]
    records = [{**run_id, **record} for run_id, record in zip(ids, result.records(), strict=True)]
    if as_json:
        print(json.dumps(records, indent=2))
    else:
        named = ["run"] if any(ids) else []
        rows = [[*(r.get(n, "") for n in named), *(cell(r[p]) for p in result.parameters), r["status"],
                 duration(r["duration"]), *(cell(r[o]) for o in result.outputs), r["error"] or ""]
                for r in records]
        print(table([*named, *result.parameters, "status", "duration", *result.outputs, "error"], rows))
        succeeded = sum(r.status == "Success" for r in result.rows)
        print(f"{counted(len(rows), 'run')}, {succeeded} succeeded", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_FAILED


def add_sweep_command(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sweep", help="run a board once per combination of parameter values and print one table",
        description="One run per combination of the given values of exposed variables; prints one row per run "
                    "(parameters, status, duration, chosen outputs).",
        epilog="Each run reaches what --allow and --allow-path grant, as flowlike run's: by default the store "
               "only. Exit status: 0 every run succeeded, 1 some run failed, 2 bad input.",
    )
    parser.add_argument("board", metavar="BOARD", help=BOARD_HELP)
    parser.add_argument("-p", "--param", metavar="NAME=V1,V2", action="append", default=[],
                        help="an exposed variable and its values (comma-separated, or a JSON list); repeat")
    parser.add_argument("-o", "--output", metavar="OUTPUT", action="append", default=[],
                        help="a column to gather: a variable's final value, 'result', or node.pin; repeat")
    parser.add_argument("--backend", choices=BACKENDS, default="thread", help="where the runs go (default thread)")
    parser.add_argument("--start", metavar="NODE", help="the node to start from, when the board has several events")
    parser.add_argument("--json", action="store_true", help="print the rows as a JSON list")
    parser.add_argument("--max-steps", metavar="N", type=int, default=DEFAULT_MAX_STEPS,
                        help="stop each run after N steps (executions of exec nodes, as flowlike run --max-steps)")
    add_history_options(parser)
    add_policy_options(parser)
    add_cache_options(parser, "default: the runs share one cache in memory on the thread backend")
    parser.set_defaults(handler=cmd_sweep)
