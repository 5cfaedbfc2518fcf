"""The `flowlike` command: run, validate and inspect boards from a shell, a thin shell over the engine.

    flowlike run notebooks/boards/loop_and_branch.board.json --var threshold=2 --json
    flowlike validate my.board.json
    flowlike catalog --search branch
    flowlike schema
    flowlike notebook BOARD NOTEBOOK OUT -p threshold 2   # through a parameterized notebook (papermill)

Exit status: 0 success, 1 the run failed or was cancelled (or `validate` found problems), 2 bad input,
3 an internal error of `validate`.
Other packages add subcommands with a function `add_..._command(subparsers)` named by a `flowlike.commands`
entry point; the parsers they add set `handler=fn(args) -> int` with `set_defaults`, like the built-in ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from typing import Any, TextIO

from flowlike_core.board import Board, PinDirection
from flowlike_core.cache_options import add_cache_options, cache_report, result_cache
from flowlike_core.errors import BoardError, FlowLikeError
from flowlike_core.events import Listener
from flowlike_core.executor import DEFAULT_MAX_STEPS, start_run
from flowlike_core.node import ERROR_MESSAGE
from flowlike_core.policy import Capability, CapabilityRefused, Policy
from flowlike_core.registry import default_registry
from flowlike_core.run import LogLine, NodeTrace, Run, RunStatus
from flowlike_core.search import as_json
from flowlike_core.types import INTEGER_RANGE, DataType, ValueType, beyond_integer, type_label
from flowlike_core.wording import counted, duration

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERNAL = 3
"""`validate` itself failed: neither "no problems" nor "problems found"."""
EXIT_BROKEN_PIPE = 141
"""What a shell reports for a command whose reader closed the pipe (128 + SIGPIPE)."""
TRACEBACK_LINES = 12
"""How much of a failing node's traceback the run summary shows (the end, where the error is)."""

EXTENSIONS: list[tuple[str, str]] = [
    ("flowlike_core.storage.cli", "add_runs_command"),
    ("flowlike_core.interop.cli", "add_interop_commands"),
    ("flowlike_core.serve", "add_serve_command"),
    ("flowlike_core.sweep_cli", "add_sweep_command"),
]
"""Subcommands of the engine's own optional modules: (module, function taking the subparsers). Absent modules
are skipped."""
COMMANDS_GROUP = "flowlike.commands"
"""Entry point group through which other packages add subcommands (`flowlike notebook` comes from flowlike_nb):
each names a function taking the subparsers."""


class BadInput(BoardError):
    """Input the command cannot use (a malformed --var, say): exit status 2 with the message."""


# ---- run -----------------------------------------------------------------------------------------------


def parse_var(board: Board, text: str) -> tuple[str, Any]:
    """`NAME=VALUE`, the value read by `parse_value` for that variable."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise BadInput(f"--var {text!r}: expected NAME=VALUE")
    return name.strip(), parse_value(board, name.strip(), raw)


TEXT_TYPES = (DataType.STRING, DataType.PATHBUF, DataType.DATE)


def parse_value(board: Board, name: str, text: str) -> Any:
    """A command-line value for the board variable `name`, read as its type: the text itself for a String,
    PathBuf or Date (so `--var code=123` gives "123"), JSON for everything else (`3`, `true`, `[1, 2]`).
    The one reading of `flowlike run --var`, `flowlike notebook -p` and `%flowlike run --var`."""
    variable = board.lookup_variable(name)
    if variable.data_type in TEXT_TYPES and variable.value_type is ValueType.NORMAL:
        if variable.data_type is DataType.DATE and not _is_iso(text):
            raise BadInput(f"{name}={text}: not a Date value (an ISO date or time: 2024-05-06, "
                           f"2024-05-06T12:30)")
        return text
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        kind = type_label(variable.data_type, variable.value_type)
        article = "an" if kind[0] in "AEIOU" else "a"
        raise BadInput(f"{name}={text}: not {article} {kind} value (read as JSON: {exc.msg})") from exc
    if variable.data_type is DataType.INTEGER and (big := beyond_integer(value)) is not None:
        low, high = INTEGER_RANGE
        raise BadInput(f"{name}={text}: {big} is beyond an Integer (a signed 64-bit integer: {low} to {high})")
    return value


def _is_iso(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


class RunReporter(Listener):
    """Prints log lines as they come and keeps a progress display up to date.

    On a terminal the progress is one line redrawn in place. Elsewhere (logs, CI) it is a line every
    `interval` seconds, the first one `interval` seconds into the run, so that short runs print none.
    """

    def __init__(self, board: Board, out: TextIO, err: TextIO, interval: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.names = {node.id: node.friendly_name or node.name for node in board.nodes.values()}
        self.out = out
        self.err = err
        self.live = err.isatty()
        self.interval = interval if interval is not None else (0.1 if self.live else 5.0)
        self.clock = clock
        self.started = clock()
        self.last_progress = float("-inf") if self.live else self.started
        self.printed = False
        self.showing = False

    def log(self, run: Run, line: LogLine) -> None:
        self._clear()
        replayed = " (replayed from the result cache)" if getattr(line, "replayed", False) else ""
        print(f"{line.level.upper():<5} {self.names.get(line.node_id, line.node_id)}: {line.message}{replayed}",
              file=self.out, flush=True)

    def progress(self, run: Run, node_id: str, fraction: float, message: str) -> None:
        now = self.clock()
        last_word = fraction >= 1.0 and self.printed
        if not last_word and now - self.last_progress < self.interval:
            return
        self.last_progress = now
        self.printed = True
        text = f"{self.names.get(node_id, node_id)}: {fraction:6.1%}"
        if message:
            text += f" {message}"
        if self.live:
            self.err.write(f"\r\x1b[K{text}")
            self.showing = True
        else:
            self.err.write(f"progress {text} ({duration(now - self.started)})\n")
        self.err.flush()

    def finished(self, run: Run) -> None:
        self._clear()

    def _clear(self) -> None:
        if self.showing:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self.showing = False


RESULT_CHARS = 1000
"""How much of a run's result the summary prints (the whole of it is in --json's record)."""


def shown(result: Any) -> str:
    """A run's result for a terminal: bytes by their size, anything else by its repr, cut at RESULT_CHARS."""
    if isinstance(result, bytes | bytearray):
        return f"<{len(result):,} bytes>"
    text = repr(result)
    return text if len(text) <= RESULT_CHARS else f"{text[:RESULT_CHARS]}… ({len(text):,} characters in all)"


def summary(run: Run) -> str:
    """Status, node executions and duration; for a failed run the failing node, its error and traceback (none
    for a refused capability: its message says what to allow, and where it was refused is the engine's code)."""
    lines = [f"{run.status.value}: board {run.board.name!r}, {counted(run.node_executions, 'node execution')} "
             f"in {duration(run.duration)} (run {run.id})"]
    if run.result is not None:
        lines.append(f"result: {shown(run.result)}")
    if run.status is not RunStatus.SUCCESS:
        trace = run.failed_trace()
        refusal = refused(run, trace)
        lines.append(f"error: {refusal or run.error}")
        if trace is not None and trace.traceback and refusal is None:
            excerpt = trace.traceback.rstrip().splitlines()[-TRACEBACK_LINES:]
            lines.extend("  " + run.redactor.text(line) for line in excerpt)
    return "\n".join(lines)


REFUSED = f"{CapabilityRefused.__name__}: "
"""How a failed trace's error starts when the policy refused the node (the trace keeps the error as text)."""


def refused(run: Run, trace: NodeTrace | None) -> str | None:
    """What the policy refused the failing node, and what allows it, when that failed the run: one line that
    names the node once."""
    if trace is None or not (trace.error or "").startswith(REFUSED):
        return None
    message = run.redactor.text((trace.error or "").removeprefix(REFUSED))
    node = run.board.nodes.get(trace.node_id)
    label = node.label() if node else repr(trace.node_name)
    return message if message.startswith(f"node {label}") else f"node {label} was refused: {message}"


def keep_runs_in(store: str | None) -> None:
    """Keep this process's runs in the run history of `store` (--store), once it answers: a store that cannot
    (no credentials, no network) is bad input now, not a record lost after each run."""
    from flowlike_core import storage

    configured = storage.configure(store)
    try:
        configured.runs.exists()
    except storage.StorageError as exc:
        storage.stop_recording()
        raise BadInput(f"{exc}; fix --store or pass --no-history") from exc


def keep_history(args: argparse.Namespace) -> None:
    """`--store` and `--no-history` (`add_history_options`): keep this process's runs in the store's run history, or
    keep none of them."""
    if not args.no_history:
        keep_runs_in(args.store)
    elif "flowlike_core.storage" in sys.modules:  # recording set up earlier in this process: not for these runs
        sys.modules["flowlike_core.storage"].stop_recording()


def add_history_options(parser: argparse.ArgumentParser) -> None:
    """`--store` and `--no-history`, the same for every command that runs boards (`keep_history` reads them)."""
    parser.add_argument("--store", metavar="STORE",
                        help="where the run history is kept: a root URL (a directory, memory://, s3://...) or a "
                             "storage config file; default $FLOWLIKE_STORE, else ~/.flowlike")
    parser.add_argument("--no-history", action="store_true", help="do not keep the runs in the run history")


def add_policy_options(parser: argparse.ArgumentParser) -> None:
    """`--allow` and `--allow-path`, the same for every command that runs boards it is given (`policy_of` reads
    them): what is not granted is refused."""
    parser.add_argument("--allow", metavar="CAPABILITY", action="append", default=[],
                        choices=[c.value for c in Capability],
                        help="let the nodes reach this (network, files, processes, native); repeat for several. "
                             "Without it a node that needs one fails before it acts; file nodes may use the store "
                             "and the --allow-path folders only (files: any path)")
    parser.add_argument("--allow-path", metavar="DIR", action="append", default=[],
                        help="a folder (or URL prefix) the file nodes may use besides the store; repeat for several")


def policy_of(args: argparse.Namespace) -> Policy:
    """The policy `--allow` and `--allow-path` grant: the store only, unless told. A local folder that is not there
    is warned of, not refused (a node may make it, as Write CSV makes its file's folder): most often a typo, which
    would show only as a refused file later."""
    for given in args.allow_path:
        local = os.path.expanduser(given.removeprefix("file://"))
        if "://" not in local and not os.path.exists(local):
            print(f"flowlike: warning: --allow-path {given}: no such folder (yet); a node may make it, else check "
                  f"the spelling", file=sys.stderr)
    return Policy.of(args.allow, args.allow_path)


BOARD_HELP = "a board file: ours (.board.json) or Flow-Like's (.board, its board JSON; what the import did: stderr)"
"""What a command's BOARD argument takes (`load_board` reads it)."""


def load_board(path: str) -> Board:
    """The board file given to a command, whichever form it is in (`flowlike_core.interop.open_board`); what
    importing a Flow-Like board did goes to stderr."""
    from flowlike_core.interop.api import imported, open_board

    board, report = open_board(path)
    if imported(report):
        print(report, file=sys.stderr)
    return board


def cmd_run(args: argparse.Namespace) -> int:
    board = load_board(args.board)
    problems = board.validate()

    def show_problems() -> None:
        print(f"{args.board}: the board has {counted(len(problems), 'problem')}; see `flowlike validate`:",
              file=sys.stderr)
        print(format_problems(board, problems), file=sys.stderr)

    # placeholder nodes (keys no installed pack provides) and required inputs left empty stop only a run that would
    # reach them (imported Flow-Like boards often have both off the path of the run): start_run says
    # warnings (a read that gets None) never stop it
    if any(p.severity == "error" and p.code not in ("unknown-node-type", "required-input-empty") for p in problems):
        show_problems()
        return EXIT_BAD_INPUT
    variables = dict(parse_var(board, text) for text in args.var)
    human = sys.stderr if args.json else sys.stdout
    keep_history(args)
    try:
        policy = policy_of(args)
        cache = result_cache(args)  # (none by default: a single run gains nothing from a cache in memory)
        handle = start_run(board, start=args.start, variables=variables, max_steps=args.max_steps, policy=policy,
                           listeners=[RunReporter(board, human, sys.stderr)], backend=args.backend, cache=cache)
    except FlowLikeError:
        if problems:
            show_problems()
        raise
    run = handle.wait()
    if args.json:
        print(run.record().model_dump_json(indent=2))
    print(summary(run), file=human)
    if cache is not None or args.why:
        print(cache_report(run, cache, why=args.why), file=human)
    return EXIT_OK if run.ok else EXIT_FAILED


# ---- validate, catalog, schema ---------------------------------------------------------------------------


def format_problems(board: Board, problems: Sequence[Any]) -> str:
    """One line per problem: node, pin, message."""
    rows = []
    for problem in problems:
        node = board.nodes.get(problem.node_id or "")
        pin = node.pins.get(problem.pin_id or "") if node else None
        rows.append((node.label() if node else problem.node_id or "-", pin.name if pin else problem.pin_id or "-",
                     str(problem)))
    return table(("NODE", "PIN", "PROBLEM"), rows)


def cmd_validate(args: argparse.Namespace) -> int:
    board = load_board(args.board)
    try:
        problems = board.validate()
    except Exception as exc:  # noqa: BLE001 - a bug in a check must not read as "problems found"
        print(f"flowlike: internal error while validating {args.board}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL
    if not problems:
        print(f"{args.board}: no problems ({counted(len(board.nodes), 'node')}, "
              f"{counted(len(board.connections), 'connection')})")
        return EXIT_OK
    print(format_problems(board, problems))
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    print(counted(errors, "problem") + (f", {counted(warnings, 'warning')}" if warnings else ""))
    return EXIT_FAILED if errors else EXIT_OK


def cmd_catalog(args: argparse.Namespace) -> int:
    """The node types from their kept descriptions (`Registry.described`): only packs changed since are imported."""
    found = default_registry().described(args.search or "")
    if args.json:
        print(as_json(found))
        return EXIT_OK
    if not found:
        print(f"no node type matches {args.search!r}" if args.search else "no node types are installed")
        return EXIT_OK
    rows = [(entry.name, entry.friendly_name, entry.category, entry.pack,
             pin_summary(entry.description["pins"])) for entry in found]
    print(table(("KEY", "NAME", "CATEGORY", "PACK", "DATA PINS (IN -> OUT)"), rows))
    print(counted(len(rows), "node type"))
    return EXIT_OK


def pin_summary(pins: Sequence[dict[str, Any]]) -> str:
    """`in1, in2 -> out1` over the described data pins (exec and error pins are on most nodes: noise here)."""
    data = [p for p in pins if p["data_type"] != DataType.EXECUTION.value and p["name"] != ERROR_MESSAGE]
    inputs = ", ".join(p["name"] for p in data if p["direction"] == PinDirection.INPUT.value)
    outputs = ", ".join(p["name"] for p in data if p["direction"] == PinDirection.OUTPUT.value)
    return f"{inputs} -> {outputs}".strip() if inputs or outputs else ""


def cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(Board.model_json_schema(by_alias=True), indent=2, sort_keys=True))
    return EXIT_OK


def at_least_one(text: str) -> int:
    """An argument that counts something a run needs at least one of (a step limit of 0 would stop it at once)."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return number


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns as wide as their widest cell; the last column runs free."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join([*(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)), str(row[-1])])
        for row in [header, *rows]
    )


# ---- the parser ------------------------------------------------------------------------------------------


CORE_COMMANDS = ("run", "validate", "catalog", "schema")
"""Commands of this module: for them the other subcommands (and their imports) are not loaded."""


def build_parser(extensions: bool = True) -> argparse.ArgumentParser:
    """The `flowlike` parser; `extensions=False` leaves out other modules' and packages' subcommands."""
    parser = argparse.ArgumentParser(
        prog="flowlike",
        description="Run, validate and inspect flowlike-nb Boards (typed, runnable workflow graphs).",
        epilog="Exit status: 0 success, 1 run failed or cancelled (validate: problems found), 2 bad input.",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    run = subparsers.add_parser(
        "run", help="run a board and print its logs, progress and a summary",
        description="Run a board from its event node. Log lines print as they come, then a summary. "
                    "Ctrl-C cancels the run cleanly.",
        epilog="Exit status: 0 the run succeeded, 1 it failed or was cancelled, 2 bad input (unreadable or "
               "invalid board, unknown variable or start node, a value that does not fit its variable).",
    )
    run.add_argument("board", metavar="BOARD", help=BOARD_HELP)
    run.add_argument("--var", metavar="NAME=VALUE", action="append", default=[],
                     help="set an exposed variable; VALUE is the text itself for a String, PathBuf or Date "
                          "variable, JSON for the others (3, true, [1,2]). Repeat for several variables")
    run.add_argument("--start", metavar="NODE", help="the node to start from (id or unique name); needed when "
                                                     "the board has several event nodes")
    run.add_argument("--json", action="store_true",
                     help="print the run record (status, per-node traces) as JSON on stdout; logs go to stderr")
    add_history_options(run)
    add_policy_options(run)
    run.add_argument("--max-steps", metavar="N", type=at_least_one, default=DEFAULT_MAX_STEPS,
                     help=f"stop after N steps (executions of exec nodes; the pure nodes they read do not "
                          f"count), a guard against runaway loops (default {DEFAULT_MAX_STEPS:,})")
    run.add_argument("--backend", choices=("thread", "process", "dask"), default="thread",
                     help="where the run goes: this process (thread, the default), a child process (process: "
                          "a crashing node cannot take the command down) or a dask cluster (dask)")
    add_cache_options(run, "default: none, unless FLOWLIKE_CACHE_PERSIST=1 keeps them in --store", why=True)
    run.set_defaults(handler=cmd_run)

    validate = subparsers.add_parser(
        "validate", help="list every problem of a board",
        description="Check a board and list every problem (node, pin, message): dangling wires, unknown node "
                    "types, type mismatches, cycles among pure nodes, required inputs left empty.",
        epilog="Exit status: 0 no problems, 1 problems found, 2 the file cannot be read as a board, "
               "3 an internal error of the check.",
    )
    validate.add_argument("board", metavar="BOARD", help=BOARD_HELP)
    validate.set_defaults(handler=cmd_validate)

    catalog = subparsers.add_parser(
        "catalog", help="list the installed node types",
        description="List the node types of every installed pack (key, name, category, pack, data pins).",
    )
    catalog.add_argument("--search", metavar="TEXT", help="only types whose name, synonyms ('if' finds Branch), "
                                                          "key, category, pack, description or pins mention every "
                                                          "word of TEXT, best match first")
    catalog.add_argument("--json", action="store_true", help="print the full descriptions as a JSON list")
    catalog.set_defaults(handler=cmd_catalog)

    schema = subparsers.add_parser(
        "schema", help="print the JSON Schema of the board file format",
        description="Print the JSON Schema that .board.json files follow.",
    )
    schema.set_defaults(handler=cmd_schema)

    if not extensions:
        return parser
    for module_name, function_name in EXTENSIONS:
        add_command = extension(module_name, function_name)
        if add_command is not None:
            add_command(subparsers)
    for entry_point in sorted(entry_points(group=COMMANDS_GROUP), key=lambda e: e.name):
        entry_point.load()(subparsers)
    return parser


def extension(module_name: str, function_name: str) -> Callable[[Any], None] | None:
    """The function that adds another package's subcommand, or None when that module is not there (yet).

    Only the module itself (or a package it lives in) being absent counts as "not there"; an import error
    inside it is a real bug and is raised.
    """
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            return None
        raise
    return getattr(module, function_name)


def warning_line(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 line: str | None = None) -> str:
    """A warning as one line of the command's own: the engine's file, line and source line that Python adds tell
    the command's user nothing (`store.runs.keep_in_spool(run, exc)`). Only the text changes: where warnings go
    (stderr, a test's record) stays Python's."""
    return f"flowlike: warning: {message}\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `flowlike` console script; returns the exit status."""
    words = list(sys.argv[1:] if argv is None else argv)
    command = next((word for word in words if not word.startswith("-")), None)
    parser = build_parser(extensions=command not in CORE_COMMANDS)
    try:
        args = parser.parse_args(words)
    except SystemExit as exit_:  # --help (0) or a usage error (2): argparse has printed why
        return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_INPUT
    python_format, warnings.formatwarning = warnings.formatwarning, warning_line
    try:
        return args.handler(args)
    except (FlowLikeError, BadInput) as exc:
        print(f"flowlike: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `flowlike catalog | head`: the reader left; end quietly, as `cat` does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the flush at exit must not fail again
        return EXIT_BROKEN_PIPE
    finally:
        warnings.formatwarning = python_format


if __name__ == "__main__":
    sys.exit(main())
