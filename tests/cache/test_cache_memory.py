"""What the result cache's byte bound counts for plain Python containers: the memory they hold, not their text."""

from __future__ import annotations

import random
import sys
from typing import Any

import pytest
from cache_boards import add, registry, set_default, wire

from flowlike_core import Board
from flowlike_core.cache import ResultCache
from flowlike_core.executor import run_board
from flowlike_core.fingerprint import fingerprint, held_bytes


def held(value: Any, seen: set[int] | None = None) -> int:
    """`sys.getsizeof` summed over a value and every object it holds, each object once."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        size += sum(held(key, seen) + held(item, seen) for key, item in value.items())
    elif isinstance(value, list | tuple | set | frozenset):
        size += sum(held(item, seen) for item in value)
    return size


numbers = random.Random(8)
VALUES = {
    "floats": [numbers.random() for _ in range(50_000)],
    "round floats": [float(i) for i in range(50_000)],
    "ints": list(range(1000, 51_000)),
    "texts": [f"name {i}" for i in range(50_000)],
    "records": [{"id": i, "name": f"n{i}", "score": i / 7} for i in range(5_000)],
    "pairs": [[float(i), float(i + 1)] for i in range(20_000)],
    "tuple of texts": tuple(f"t{i}" for i in range(20_000)),
    "texts with a None": [None, *(f"name {i}" for i in range(20_000))],
    "mixed": [*range(1000, 11_000), *(f"t{i}" for i in range(10_000)), *(numbers.random() for _ in range(10_000))],
    "short": [1.5, "a few words", 12345],
    "text lines": [f"{i},{i * 2.5},foo,bar,2020-01-01" for i in range(20_000)],
    "one value repeated": [0.5] * 50_000,
    "a map of many keys": {f"key {i}": i * 1.5 for i in range(20_000)},
    "nested records": [{"id": i, "tags": [f"t{i}", "x"], "where": {"x": i / 3, "y": -i / 3}} for i in range(5_000)],
}


def test_a_deeply_nested_container_is_sized_without_a_recursion_error() -> None:
    value: list = []
    for _ in range(5_000):
        value = [value]
    assert held_bytes(value) >= sys.getsizeof(value)


@pytest.mark.parametrize("name", VALUES)
def test_the_size_of_a_container_is_near_the_memory_it_holds(name: str) -> None:
    """A list of numbers or texts counted its JSON text (`Fingerprint.size`): 4 to 6 times less than it holds, so
    `max_bytes` was exceeded that many times over. The cache counts `held_bytes` of a container it keeps."""
    value = VALUES[name]
    size, memory = held_bytes(value), held(value)
    assert 0.8 * memory <= size <= 1.25 * memory, (name, size, memory)


def test_a_cache_of_lists_keeps_no_more_memory_than_its_bound() -> None:
    reg = registry()
    board = Board(name="lists")
    add(board, reg, "c_start", "start")
    add(board, reg, "c_numbers", "numbers", n=20_000)
    add(board, reg, "c_emit", "emit")
    wire(board, "numbers", "items", "emit", "value")
    wire(board, "start", "exec_out", "emit", "exec_in")
    cache = ResultCache(max_bytes=2_000_000)
    for n in range(20_000, 20_010):
        set_default(board, "numbers", n=n)
        run = run_board(board, cache=cache, registry=reg)
        assert run.ok, run.error
    one = held(list(range(20_000)))
    assert len(cache) >= 1 and len(cache) * one <= cache.max_bytes, (len(cache), one)


def test_a_frame_of_python_objects_counts_them_too() -> None:
    """A frame's text column of Python objects (dtype object) counted 8 bytes a cell, its pointers: the texts it
    holds are 7 times that."""
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    texts = pd.Series([f"name {i}" for i in range(20_000)], dtype=object)
    frame = pd.DataFrame({"name": texts, "score": range(20_000)})
    for value in (frame, texts):
        memory = int(np.sum(value.memory_usage(index=True, deep=True)))
        assert 0.7 * memory <= fingerprint(value).size <= 1.5 * memory, type(value)
