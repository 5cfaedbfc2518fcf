"""A key keeps several results (one per value of the variables its node read), lines below the log level are kept
for a later run at a lower level, and a store costs one file write per result (`flowlike_core.cache`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cache_boards import RAN, add, registry, sum_board, telling_board, wire

from flowlike_core import Board, Variable, commands
from flowlike_core.board import LogLevel
from flowlike_core.cache import VARIANTS, ResultCache
from flowlike_core.executor import run_board
from flowlike_core.storage import Bucket


@pytest.fixture(autouse=True)
def counted() -> None:
    RAN.clear()


def shout_board() -> tuple[Board, object]:
    reg = registry()
    board = Board(name="shout")
    board.apply(commands.UpsertVariable(Variable(name="suffix", data_type="String", default_value="!", exposed=True)))
    add(board, reg, "c_start", "start")
    add(board, reg, "c_shout", "shout", text="hi")
    add(board, reg, "c_emit", "emit")
    wire(board, "start", "exec_out", "emit", "exec_in")
    wire(board, "shout", "loud", "emit", "value")
    return board, reg


def shouted(board: Board, cache: ResultCache, reg: object, suffix: str) -> tuple[str, bool]:
    """The run's result, and whether `shout` was served from the cache."""
    RAN.clear()
    run = run_board(board, cache=cache, registry=reg, variables={"suffix": suffix})
    assert run.ok, run.error
    assert RAN["c_shout"] == (0 if run.why("shout").cached else 1)
    return run.result, run.why("shout").cached


def test_a_variable_switched_back_is_served_from_the_cache() -> None:
    board, reg = shout_board()
    cache = ResultCache()
    assert shouted(board, cache, reg, "!") == ("HI!", False)
    assert shouted(board, cache, reg, "?") == ("HI?", False)
    assert shouted(board, cache, reg, "!") == ("HI!", True)
    assert shouted(board, cache, reg, "?") == ("HI?", True)


def test_the_results_of_a_key_are_bounded_least_recently_used_first_out(tmp_path: Path) -> None:
    board, reg = shout_board()
    cache = ResultCache(store=Bucket(str(tmp_path)))
    suffixes = [str(n) for n in range(VARIANTS + 1)]
    for suffix in suffixes:
        assert shouted(board, cache, reg, suffix) == (f"HI{suffix}", False)
    assert shouted(board, cache, reg, suffixes[-1])[1] and shouted(board, cache, reg, suffixes[1])[1]
    assert not shouted(board, cache, reg, suffixes[0])[1]  # the least recently used went first
    assert len(list((tmp_path / "cache").glob("*/*/*"))) == VARIANTS  # the store keeps as many as memory does
    fresh = ResultCache(store=Bucket(str(tmp_path)))  # a new kernel: each one is found in the store
    assert shouted(board, fresh, reg, suffixes[1])[1] and shouted(board, fresh, reg, suffixes[0])[1]


def test_a_result_of_a_switched_back_variable_is_found_in_the_store_by_a_new_kernel(tmp_path: Path) -> None:
    board, reg = shout_board()
    shouted(board, ResultCache(store=Bucket(str(tmp_path))), reg, "!")
    shouted(board, ResultCache(store=Bucket(str(tmp_path))), reg, "?")
    assert shouted(board, ResultCache(store=Bucket(str(tmp_path))), reg, "!") == ("HI!", True)


def test_lines_below_the_log_level_are_kept_and_replayed_at_a_lower_level() -> None:
    reg = registry()
    board = telling_board(reg, 3)
    board.log_level = LogLevel.WARN
    cache = ResultCache()
    first = run_board(board, cache=cache, registry=reg)
    assert [line.message for line in first.logs()] == ["line 1 of 3"]  # the Info lines: below the level
    board.log_level = LogLevel.INFO
    RAN.clear()
    lower = run_board(board, cache=cache, registry=reg)
    assert RAN == {"c_emit": 1} and lower.traces_of("told")[0].cached
    assert [(line.level, line.message) for line in lower.logs()] == [
        (LogLevel.WARN, "line 1 of 3"), (LogLevel.INFO, "line 2 of 3"), (LogLevel.INFO, "line 3 of 3")]
    assert all(line.replayed for line in lower.logs())
    board.log_level = LogLevel.ERROR
    assert run_board(board, cache=cache, registry=reg).logs() == []


def test_kept_lines_below_the_level_go_through_the_store(tmp_path: Path) -> None:
    reg = registry()
    board = telling_board(reg, 2)
    board.log_level = LogLevel.FATAL
    assert run_board(board, cache=ResultCache(store=Bucket(str(tmp_path))), registry=reg).logs() == []
    board.log_level = LogLevel.DEBUG
    RAN.clear()
    again = run_board(board, cache=ResultCache(store=Bucket(str(tmp_path))), registry=reg)
    assert RAN == {"c_emit": 1}
    assert [line.message for line in again.logs()] == ["line 1 of 2", "line 2 of 2"]


def test_a_first_run_with_a_store_writes_one_file_per_result_and_one_for_the_board(tmp_path: Path) -> None:
    reg = registry()
    board = sum_board(reg)
    writes: list[str] = []
    store = Bucket(str(tmp_path))
    write = store.write
    store.write = lambda key, data, **options: (writes.append(key), write(key, data, **options))[1]
    assert run_board(board, cache=ResultCache(store=store), registry=reg).ok
    results = [key for key in writes if not key.startswith("cache/why/")]
    assert len(results) == 3 and len(set(results)) == 3  # left, right, total
    assert [key for key in writes if key.startswith("cache/why/")] == [writes[-1]]  # at the end of the run
    board.apply(commands.UpdateNode("left", defaults={"a": 5}))
    RAN.clear()
    edited = run_board(board, cache=ResultCache(store=Bucket(str(tmp_path))), registry=reg)  # a new kernel
    assert RAN == {"c_add": 2, "c_emit": 1}
    assert str(edited.why("left")) == "'left' (left) ran: input 'a' changed (default edited)"
    assert edited.why("right").cached


def test_clearing_the_store_removes_results_and_memory(tmp_path: Path) -> None:
    board, reg = shout_board()
    cache = ResultCache(store=Bucket(str(tmp_path)))
    shouted(board, cache, reg, "!")
    cache.clear(store=True)
    assert not [path for path in (tmp_path / "cache").rglob("*") if path.is_file()]
    assert shouted(board, ResultCache(store=Bucket(str(tmp_path))), reg, "!") == ("HI!", False)
