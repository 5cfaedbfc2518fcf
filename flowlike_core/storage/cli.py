"""`flowlike runs`: query the run history. The CLI module calls `add_runs_command(subparsers)`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from typing import TYPE_CHECKING, Any

from flowlike_core.board import LogLevel
from flowlike_core.errors import StorageError
from flowlike_core.run import RunRecord, RunStatus
from flowlike_core.storage.config import ENV_STORE, StorageConfig
from flowlike_core.storage.run_diff import diff_runs, shown
from flowlike_core.wording import counted, duration

if TYPE_CHECKING:
    from flowlike_core.storage.history import RunHistory

_RELATIVE = re.compile(r"(\d+(?:\.\d+)?)([smhdw])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(text: str) -> dt.datetime:
    """An ISO date/time (UTC unless it says otherwise), or a span back from now like `30m`, `2h`, `7d`."""
    if match := _RELATIVE.fullmatch(text.strip()):
        return dt.datetime.now(dt.UTC) - dt.timedelta(**{_UNITS[match[2]]: float(match[1])})
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is neither an ISO time (2026-05-01T12:00) nor a span "
                                         f"like 30m, 2h, 7d") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def choice(enum: type[RunStatus] | type[LogLevel]):  # noqa: ANN201 - an argparse type function
    """Reads a member of `enum` by its value, in any case (`failed`, `warn`)."""

    def parse(text: str) -> str:
        for member in enum:
            if member.value.lower() == text.lower():
                return member.value
        raise argparse.ArgumentTypeError(f"{text!r}: choose from {', '.join(m.value for m in enum)}")

    return parse


def _count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = -1
    if count < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of runs, 1 or more")
    return count


def add_runs_command(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "runs", aliases=["history"], help="list past runs from the run history, show one, or compare two",
        description="List runs from the run history, newest first; `flowlike runs RUN` shows one run (variables, "
                    "result, each node's executions, its log), `flowlike runs RUN RUN` what differs between two. The "
                    "store is --store, else $FLOWLIKE_STORE, else $FLOWLIKE_META_URL/$FLOWLIKE_CONTENT_URL, else "
                    "~/.flowlike.")
    parser.add_argument("run", metavar="RUN", nargs="*", help="a run id: one to show it, two to compare them")
    parser.add_argument("--store", help=f"storage config file (.toml/.json) or root URL/directory (${ENV_STORE})")
    parser.add_argument("--board", help="board name or id")
    parser.add_argument("--status", type=choice(RunStatus), help="Success, Failed, Cancelled")
    parser.add_argument("--since", type=parse_when, help="started at or after (ISO time, or 30m, 2h, 7d ago)")
    parser.add_argument("--until", type=parse_when, help="started at or before (ISO time, or a span ago)")
    parser.add_argument("--level", type=choice(LogLevel),
                        help="runs that logged at this level or above: Debug, Info, Warn, Error or Fatal")
    parser.add_argument("--limit", type=_count, default=20, help="at most this many runs (default 20)")
    parser.add_argument("--json", action="store_true",
                        help="print full run records as a JSON list (one run: its record; two: the changes); "
                             "a value kept as a blob appears as its reference")
    parser.set_defaults(handler=run_runs_command)


def run_runs_command(args: argparse.Namespace) -> int:
    from flowlike_core.storage.store import Storage

    storage = Storage(StorageConfig.load(args.store))
    try:
        found = storage.runs.exists()  # a store that does not answer: a StorageError naming it
    except StorageError as exc:
        waiting = storage.runs.spool.records() if storage.runs.spool is not None else 0
        if waiting:
            raise StorageError(f"{exc}; waiting in {storage.runs.spool.folder} to go up once it answers: "
                               f"{counted(waiting, 'run')} that ended while it was down") from exc
        raise
    if storage.runs.upload_spooled():  # runs that ended while it was down are part of its history
        found = True
    if not found:  # a mistyped --store: say so, and make nothing there
        if args.run:
            raise StorageError(f"no run {args.run[0]!r}: there is no run history in {storage.content.url}")
        print(f"no run history in {storage.content.url}: no run has been recorded there", file=sys.stderr)
        if args.json:
            print("[]")
        return 0
    if args.run:
        return show_runs(storage.runs, args.run, as_json=args.json)
    try:
        records = storage.runs.query(board=args.board, status=args.status, since=args.since, until=args.until,
                                     level=args.level, limit=args.limit, tables=False)
    except ImportError as exc:
        raise StorageError(f"the run history needs the vectors extra: pip install 'flowlike-nb[vectors]' "
                           f"(missing: {exc.name or exc})") from exc
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in records], indent=2))
    else:
        print(format_table(records) if records else f"no runs match {filters(args)}".rstrip())
    return 0


def filters(args: argparse.Namespace) -> str:
    """The filters of a listing that found nothing, as given: a typo in one is then there to see."""
    given = [("--board", repr(args.board) if args.board else None),
             ("--status", args.status),
             ("--since", args.since.isoformat() if args.since else None),
             ("--until", args.until.isoformat() if args.until else None),
             ("--level", args.level)]
    return " ".join(f"{option} {value}" for option, value in given if value is not None)


def show_runs(history: RunHistory, run_ids: list[str], *, as_json: bool) -> int:
    """`flowlike runs RUN` (one run, in full) and `flowlike runs RUN RUN` (what differs)."""
    if len(run_ids) > 2:
        raise StorageError(f"give one run to show it or two to compare them, not {len(run_ids)}")
    records = []
    for run_id in run_ids:
        try:
            records.append(history.get(run_id, tables=False))
        except KeyError as exc:
            raise StorageError(exc.args[0]) from None
    if len(records) == 1:
        print(records[0].model_dump_json(indent=2) if as_json else format_run(records[0]))
        return 0
    old, new = records
    changes = diff_runs(old, new)
    if as_json:
        print(json.dumps([{**vars(c), "detail": {k: list(v) for k, v in c.detail.items()}} for c in changes],
                         indent=2, default=str))
        return 0
    print(f"run {old.id} -> run {new.id} (board {new.board_name!r}; "
          f"{duration(old.duration)} -> {duration(new.duration)})")
    print("\n".join(str(change) for change in changes) or "no difference but their times")
    return 0


def format_run(record: RunRecord) -> str:
    """One run for a terminal: what it was given and returned, each node's executions, its log lines."""
    started = record.start.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    lines = [f"run {record.id}: board {record.board_name!r} {'.'.join(map(str, record.board_version))}, "
             f"{record.status.value}, started {started} UTC, {duration(record.duration)}, "
             f"{counted(record.steps, 'step')}"]
    lines += [f"  {name} = {shown(value)}" for name, value in record.variables.items()]
    lines.append(f"result: {shown(record.result)}")
    if record.error:
        lines.append(f"error: {record.error}")
        from flowlike_core.cli import TRACEBACK_LINES

        failed = next((t for t in record.traces if t.node_id == record.error_node and t.traceback), None)
        if failed is not None:  # where it failed, as `flowlike run` prints it
            lines += ["  " + line for line in failed.traceback.rstrip().splitlines()[-TRACEBACK_LINES:]]
    runs: dict[str, list[Any]] = {}
    for trace in record.traces:
        node = runs.setdefault(trace.node_id, [trace.node_name, 0, 0.0, "", ""])
        node[1] += 1
        node[2] += trace.duration
        node[3], node[4] = trace.status.value, trace.error or node[4]
    for folded in record.folded:
        node = runs.setdefault(folded.node_id, [folded.node_name, 0, 0.0, "", ""])
        node[1] += folded.count
        node[2] += folded.total
        node[4] = folded.last_error or node[4]
    rows = [(f"{name} ({node_id})", str(count), status, duration(seconds), error[:60])
            for node_id, (name, count, seconds, status, error) in runs.items()]
    lines += ["", _columns(("NODE", "RUNS", "LAST STATUS", "TIME", "ERROR"), rows)]
    logs = [log for trace in record.traces for log in trace.logs] + \
        [log for folded in record.folded for log in folded.logs]
    if logs:
        lines += ["", *(f"{log.level.value:<5} {log.node_id:<12} {log.message}" for log in logs)]
    return "\n".join(lines)


def _columns(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in [header, *rows])


def format_table(records: list[RunRecord]) -> str:
    header = ("RUN", "BOARD", "STATUS", "STARTED (UTC)", "TIME", "STEPS", "RESULT", "VARIABLES", "ERROR")
    rows = [(r.id, r.board_name, r.status.value, r.start.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
             duration(r.duration), str(r.steps), "-" if r.result is None else shown(r.result, 30), _variables(r),
             " ".join((r.error or "").split())[:60]) for r in records]  # one line, whatever the error's
    return _columns(header, rows)


def _variables(record: RunRecord, width: int = 50) -> str:
    """The run's variables as `name=value` (values as JSON, secrets masked in the record), cut at `width`: what
    tells two runs of one board apart."""
    text = " ".join(f"{name}={shown(value, width)}" for name, value in record.variables.items())
    return text if len(text) <= width else text[:width - 3] + "..."
