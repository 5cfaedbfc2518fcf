"""A result cache's repr says how much it holds in a unit that reads: an empty or small cache is not
"0.0 of 0 MiB"."""

from __future__ import annotations

from cache_boards import registry, sum_board

from flowlike_core.cache import ResultCache
from flowlike_core.executor import run_board
from flowlike_core.fingerprint import fingerprint


def test_an_empty_cache_says_it_holds_nothing_of_its_limit() -> None:
    assert repr(ResultCache()) == "<ResultCache: 0 results, 0 bytes of 512 MiB>"
    assert repr(ResultCache(max_bytes=1000)) == "<ResultCache: 0 results, 0 bytes of 0.977 KiB>"


def test_a_small_cache_counts_its_bytes() -> None:
    reg = registry()
    cache = ResultCache(max_bytes=512 + fingerprint(10).size)  # room for one result
    assert run_board(sum_board(reg), cache=cache, registry=reg).ok
    assert len(cache) == 1 and 0 < cache.bytes < 1000
    assert repr(cache) == f"<ResultCache: 1 result, {cache.bytes} bytes of {cache.max_bytes} bytes>"
