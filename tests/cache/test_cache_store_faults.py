"""A cache whose store cannot be used (a folder that is a file, a store that refuses writes, a damaged result)
warns once, clearly, and the run goes on, correct, with the results in memory (`flowlike_core.cache`)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from cache_boards import RAN, registry, sum_board

from flowlike_core.cache import ResultCache
from flowlike_core.errors import StorageError
from flowlike_core.executor import run_board
from flowlike_core.storage import Bucket


@pytest.fixture(autouse=True)
def counted() -> None:
    RAN.clear()


def runs_warned(board, cache, reg, times: int = 2) -> tuple[list, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        runs = [run_board(board, cache=cache, registry=reg) for _ in range(times)]
    return runs, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]


def test_a_store_that_cannot_be_reached_warns_once_and_the_run_goes_on_in_memory(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the cache's folder goes")
    reg = registry()
    board = sum_board(reg)
    (first, second), told = runs_warned(board, ResultCache(store=Bucket(str(tmp_path))), reg)
    assert first.ok and second.ok, (first.error, second.error)
    assert first.result == second.result == 10 and RAN["c_add"] == 3  # (the second run served from memory)
    assert second.why("total").cached
    assert len(told) == 2, told  # once for reading, once for writing; not per node or run
    assert all(str(tmp_path) in text and "memory" in text for text in told), told


def test_a_store_that_refuses_writes_still_serves_what_it_has(tmp_path: Path, monkeypatch) -> None:
    reg = registry()
    board = sum_board(reg)
    run_board(board, cache=ResultCache(store=Bucket(str(tmp_path))), registry=reg)

    def refused(self, key, data, **options):
        raise StorageError(f"cannot write {key!r} to {self.url}: [Errno 30] Read-only file system")

    monkeypatch.setattr(Bucket, "write", refused)
    RAN.clear()
    (run, _), told = runs_warned(board, ResultCache(store=Bucket(str(tmp_path))), reg)
    assert run.ok and run.result == 10 and RAN == {"c_emit": 2} and run.why("total").cached
    assert not told  # nothing to write: served
    board.apply(__import__("flowlike_core").commands.UpdateNode("right", defaults={"b": 10}))
    (run, again), told = runs_warned(board, ResultCache(store=Bucket(str(tmp_path))), reg)
    assert run.ok and run.result == 16 and again.result == 16 and again.why("total").cached
    assert len(told) == 1 and "Read-only" in told[0] and "memory" in told[0], told
    assert "could not be written" in run.why("total").text


def test_a_damaged_result_and_a_lost_why_file_still_say_the_true_reason(tmp_path: Path) -> None:
    from cache_boards import set_default

    reg = registry()
    board = sum_board(reg)
    run_board(board, cache=ResultCache(store=Bucket(str(tmp_path))), registry=reg)
    why_files = list((tmp_path / "cache" / "why").iterdir())
    results = [path for path in (tmp_path / "cache").rglob("*") if path.is_file() and path not in why_files]
    for path in results:
        path.write_bytes(b"damaged")
    (run, _), told = runs_warned(board, ResultCache(store=Bucket(str(tmp_path))), reg)
    assert run.ok and run.result == 10 and told and "cannot be read back" in told[0], told
    assert "could not be read back" in run.why("total").text, run.why("total").text
    for path in why_files:
        path.unlink()  # the memory behind "why" lost; the results, made again, are whole
    served = run_board(board, cache=ResultCache(store=Bucket(str(tmp_path))), registry=reg)
    assert served.why("total").cached
    set_default(board, "right", b=10)
    run = run_board(board, cache=ResultCache(store=Bucket(str(tmp_path))), registry=reg)
    assert run.why("right").text.endswith("ran: input 'b' changed (default edited)"), run.why("right").text
