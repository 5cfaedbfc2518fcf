"""The result cache options of `flowlike run` and `flowlike sweep`, read one way for both.

    flowlike run board.json --cache-store .flowlike-cache --why   # a second run re-runs only what changed
    flowlike sweep board.json -p alpha=0.1,0.2 --no-cache

`--cache-store STORE` keeps pure nodes' results in a store (a folder, URL or storage config file), so that later
commands, other processes and their workers reuse them; `--no-cache` runs every node; without either,
`FLOWLIKE_CACHE_PERSIST=1` keeps them in the configured store (`--store`, else $FLOWLIKE_STORE), as notebook boards
do. This module stays light: the cache itself is imported only when a command uses one.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from flowlike_core.reasons import EXEC_RUNS
from flowlike_core.wording import counted

if TYPE_CHECKING:
    from flowlike_core.cache import ResultCache
    from flowlike_core.run import Run

ENV_PERSIST = "FLOWLIKE_CACHE_PERSIST"
"""`flowlike_core.cache.ENV_PERSIST`, named here so that reading the options imports no cache."""


def add_cache_options(parser: argparse.ArgumentParser, default: str, *, why: bool = False) -> None:
    """--cache-store and --no-cache (one or the other), and --why for a command that prints one run; `default` says
    what the command does without them."""
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--cache-store", metavar="STORE",
                        help="keep pure nodes' results in this store (a folder, URL or config file): later commands, "
                             f"their runs and workers on any backend reuse them, and say why a node ran again "
                             f"({default})")
    choice.add_argument("--no-cache", action="store_true",
                        help=f"run every node (also when {ENV_PERSIST}=1 asks for a cache)")
    if why:
        parser.add_argument("--why", action="store_true",
                            help="after the run, print why each node ran or was served from the cache")


def result_cache(args: argparse.Namespace) -> ResultCache | None:
    """The cache kept in a store the options ask for (`--cache-store`, or the configured store with
    FLOWLIKE_CACHE_PERSIST=1 unless `--no-cache`); None: no store named, the command decides."""
    if args.no_cache:
        return None
    if args.cache_store is not None:
        from flowlike_core.cache import ResultCache
        from flowlike_core.storage import Storage, StorageConfig

        return ResultCache().persist(Storage(StorageConfig.load(args.cache_store)))
    if os.environ.get(ENV_PERSIST, "") not in ("", "0"):
        from flowlike_core.cache import ResultCache

        return ResultCache.from_env()
    return None


def cache_report(run: Run, cache: ResultCache | None, *, why: bool) -> str:
    """How the run used the cache, in one line; with `why`, one line per node after it (in the order they first
    ran) saying why it ran or was served."""
    if cache is None:
        return "no result cache: every node ran (--cache-store STORE keeps results for the next run)"
    reasons = (run.reasons or {}).values()
    where = f"kept in {cache.store.url}" if cache.store is not None else "in memory"
    lines = [f"result cache ({where}): {counted(sum(r.cached for r in reasons), 'node')} served from it, "
             f"{sum(r.ran for r in reasons)} ran (exec nodes always run)"]
    if why:
        told = [run.why(node_id) for node_id in dict.fromkeys([*(t.node_id for t in run.traces), *run.folded])]
        acting = [r.node for r in told if r.changes and r.changes[0].detail == EXEC_RUNS]
        lines += [f"  {r.text}".replace("\n", "\n  ") for r in told if r.node not in acting]
        if acting:
            lines.append(f"  ran, as exec nodes do unless their type declares cacheable=True: {', '.join(acting)}")
    return "\n".join(lines)
