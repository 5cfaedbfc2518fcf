"""The result cache from a notebook: a board's own cache, `@fnb.node` redefinitions, run to here, sweeps."""

from __future__ import annotations

import json
import sys

import cache_boards
import pytest
from cache_boards import RAN, add, registry, sum_board, wire

import flowlike_nb as fnb
from flowlike_core.cache import ResultCache
from flowlike_core.partial import run_to
from flowlike_core.storage import Bucket
from flowlike_core.sweep import sweep


@pytest.fixture(autouse=True)
def counted() -> None:
    RAN.clear()


def scaled_board() -> fnb.Board:
    """start -> log(message = scale(x=3) + 1): the scale node is defined in the "notebook"."""
    board = fnb.Board("scaled")
    start = board.add("events_simple", "start")
    scale = board.add("cache_test_scale", "scale", x=3)
    plus = board.add("int_add", "plus", integer2=1)
    text = board.add("val_to_string", "text")
    say = board.add("log_info", "say")
    start.outputs.exec_out >> say.inputs.exec_in
    scale.outputs.result >> plus.inputs.integer1
    plus.outputs.sum >> text.inputs.value
    text.outputs.string >> say.inputs.message
    return board


def define_scale(factor: int) -> None:
    """(Re)define the notebook node `cache_test_scale`, as re-running its cell does."""
    if factor == 2:
        @fnb.node(name="cache_test_scale")
        def scale(x: int = 0) -> int:
            cache_boards.RAN["scale"] += 1  # (through the module: a global the node read would be in its key)
            return x * 2
    else:
        @fnb.node(name="cache_test_scale")
        def scale(x: int = 0) -> int:
            cache_boards.RAN["scale"] += 1  # (through the module: a global the node read would be in its key)
            return x * 3


def test_a_notebook_board_reuses_its_results_and_a_redefined_node_invalidates_them() -> None:
    define_scale(2)
    board = scaled_board()
    assert board.run().ok and RAN["scale"] == 1
    second = board.run()
    assert RAN["scale"] == 1 and second.why("scale").cached and second.why("plus").cached
    define_scale(2)  # the same body again: still cached
    assert board.run().why("scale").cached and RAN["scale"] == 1
    define_scale(3)
    third = board.run()
    assert RAN["scale"] == 2 and third.outputs.scale.result == 9
    assert str(third.why("scale")).endswith("ran: its code changed (node type 'cache_test_scale' was redefined)")
    assert "upstream node 'scale'" in str(third.why("plus"))
    board.nodes.scale.set(x=4)
    fourth = board.run()
    assert fourth.outputs.scale.result == 12 and str(fourth.why("scale")).endswith("input 'x' changed (default edited)")
    board.cache.clear()
    assert "evicted or cleared" in str(board.run().why("scale")) and RAN["scale"] == 4
    assert board.run(cache=False).why("scale").changes[0].kind == "no cache" and RAN["scale"] == 5


def test_the_board_cache_is_bounded_and_persists_for_a_new_kernel(tmp_path) -> None:
    define_scale(2)
    board = scaled_board()
    board.cache.max_bytes = 10_000
    board.cache.persist(Bucket(str(tmp_path)))
    board.run()
    assert 0 < board.cache.bytes <= 10_000
    again = fnb.Board(board.core)  # another handle, as a new kernel opening the same board file has
    assert again.cache is not board.cache and len(again.cache) == 0
    again.cache.persist(Bucket(str(tmp_path)))
    run = again.run()
    assert run.why("scale").cached and RAN["scale"] == 1


def test_run_to_a_pure_node_runs_only_what_it_reads() -> None:
    reg = registry()
    board = sum_board(reg)
    add(board, reg, "c_add", "other", a=100, b=1)
    cache = ResultCache()
    run = run_to(board, "total", cache=cache, registry=reg)
    assert run.ok and run.output("total", "sum") == 10
    assert RAN == {"c_add": 3}  # left, right, total: not `other`, not the exec node
    RAN.clear()
    run = run_to(board, "total", cache=cache, registry=reg)
    assert run.why("total").cached and run.why("left").cached and RAN == {}
    assert str(run.why("other")).endswith("did not run: it was not reached")


def test_run_to_an_exec_node_stops_after_it() -> None:
    reg = registry()
    board = sum_board(reg)
    add(board, reg, "c_double", "double")
    add(board, reg, "c_emit", "after")
    wire(board, "emit", "exec_out", "double", "exec_in")
    wire(board, "total", "sum", "double", "value")
    wire(board, "double", "exec_out", "after", "exec_in")
    wire(board, "double", "twice", "after", "value")
    run = run_to(board, "double", registry=reg, cache=ResultCache())
    assert run.ok and run.output("double", "twice") == 20 and run.result == 10  # `after` would make it 20
    assert RAN["c_emit"] == 1 and RAN["c_double"] == 1


def test_run_to_a_pure_node_that_reads_an_exec_output_runs_the_board_first() -> None:
    reg = registry()
    board = sum_board(reg)
    add(board, reg, "c_double", "double")
    add(board, reg, "c_add", "late", b=1)
    wire(board, "emit", "exec_out", "double", "exec_in")
    wire(board, "total", "sum", "double", "value")
    wire(board, "double", "twice", "late", "a")
    run = run_to(board, "late", registry=reg, cache=ResultCache())
    assert run.ok and run.output("late", "sum") == 21


def test_notebook_run_to_returns_the_run_with_the_node_values() -> None:
    define_scale(2)
    board = scaled_board()
    view = board.run_to("plus")
    assert view.ok and view.outputs.plus.sum == 7 and board.last_run is view
    assert board.run_to("plus").why("scale").cached and RAN["scale"] == 1


def test_a_sweep_shares_its_expensive_prefix() -> None:
    reg = registry()
    board = sum_board(reg)  # total = (1 + 2) + (3 + 4); `right` reads the swept variable through a node below
    from flowlike_core import Variable, commands

    board.apply(commands.UpsertVariable(Variable(name="k", data_type="Integer", default_value=0, exposed=True)))
    board.apply(commands.UpsertVariable(Variable(name="suffix", data_type="String", default_value="", exposed=True)))
    add(board, reg, "c_shout", "shout", text="k")
    add(board, reg, "c_emit", "emit2")
    wire(board, "emit", "exec_out", "emit2", "exec_in")
    wire(board, "shout", "loud", "emit2", "value")
    result = sweep(board, {"suffix": ["a", "b", "c"], "k": [1, 2]}, outputs=["result"], registry=reg)
    assert result.ok and [row.outputs["result"] for row in result.rows] == ["Ka", "Ka", "Kb", "Kb", "Kc", "Kc"]
    assert RAN["c_add"] == 3 and RAN["c_shout"] == 3  # the sums once; the shout once per suffix
    RAN.clear()
    sweep(board, {"suffix": ["a", "b"]}, registry=reg, cache=False)
    assert RAN["c_add"] == 6


def test_std_nodes_that_change_between_runs_always_run_and_variables_read_are_tracked() -> None:
    board = fnb.Board("std cache")
    board.variable("n", int, 3, exposed=True)
    start = board.add("events_simple", "start")
    dice = board.add("int_random_in_range", "dice", min=1, max=1_000_000)
    read = board.add("variable_get", "read n", var_ref="n")
    plus = board.add("int_add", "plus")
    text = board.add("val_to_string", "text")
    say = board.add("log_info", "say")
    start.outputs.exec_out >> say.inputs.exec_in
    dice.outputs.random_integer >> plus.inputs.integer1
    read.outputs.value_ref >> plus.inputs.integer2
    plus.outputs.sum >> text.inputs.value
    text.outputs.string >> say.inputs.message
    board.run()
    run = board.run()
    assert not run.why("dice").cached and "declares cacheable=False" in str(run.why("dice"))
    assert run.why("read n").cached
    run = board.run({"n": 4})
    assert str(run.why("read n")).endswith("ran: variable 'n' changed")
    assert "upstream node 'read n'" in str(run.why("plus")) or "upstream node 'dice'" in str(run.why("plus"))


def test_the_environment_can_make_every_board_cache_persistent(tmp_path, monkeypatch) -> None:
    from flowlike_core.storage import Storage, StorageConfig, store

    monkeypatch.setattr(store, "_current", Storage(StorageConfig.at(str(tmp_path))))
    monkeypatch.setenv("FLOWLIKE_CACHE_PERSIST", "1")
    monkeypatch.setenv("FLOWLIKE_CACHE_MAX_BYTES", "100000")
    define_scale(2)
    first = scaled_board()
    assert first.cache.store is not None and first.cache.max_bytes == 100_000
    first.run()
    later = fnb.Board(first.core)  # as a papermill run of the notebook would make it
    assert later.run().why("scale").cached and RAN["scale"] == 1
    monkeypatch.setenv("FLOWLIKE_CACHE_MAX_BYTES", "lots")
    with pytest.raises(ValueError, match="FLOWLIKE_CACHE_MAX_BYTES='lots' is not a number of bytes"):
        ResultCache.from_env()


@pytest.mark.parametrize("loop", ["control_for_each", "control_par_for_each"])
def test_loop_iterations_each_have_their_own_keys(loop: str) -> None:
    board = fnb.Board(f"loop cache {loop}")
    start = board.add("events_simple", "start")
    each = board.add(loop, "each", array=[1, 2, 3, 4])
    plus = board.add("int_add", "plus", integer2=100)
    text = board.add("val_to_string", "text")
    say = board.add("log_info", "say")
    start.outputs.exec_out >> each.inputs.exec_in
    each.outputs.exec_out >> say.inputs.exec_in
    each.outputs.value >> plus.inputs.integer1
    plus.outputs.sum >> text.inputs.value
    text.outputs.string >> say.inputs.message
    for _ in range(3):
        run = board.run()
        assert run.ok, run.error
        assert sorted(line.message for line in run.core.logs()) == ["101", "102", "103", "104"]
    assert run.why("plus").cached and all(t.cached for t in run.core.traces if t.node_id == plus.id)
    each.set(array=[1, 2, 5])
    run = board.run()
    assert sorted(line.message for line in run.core.logs()) == ["101", "102", "105"]
    assert sorted(t.cached for t in run.core.traces if t.node_id == plus.id) == [False, True, True]


def test_cli_sweep_keeps_results_in_a_store_or_runs_everything(tmp_path, capsys) -> None:
    from pathlib import Path

    from flowlike_core.cli import main

    board = str(Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json")
    store = tmp_path / "store"
    sweep_args = ["sweep", board, "-p", "threshold=1,5", "-p", "numbers=[[1,2],[9]]", "-o", "total", "--json"]
    assert main([*sweep_args, "--cache-store", str(store)]) == 0
    cached = json.loads(capsys.readouterr().out)
    assert [p for p in store.rglob("*") if p.is_file() and "cache" in p.parts]
    assert main([*sweep_args, "--no-cache"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert [row["total"] for row in cached] == [row["total"] for row in plain] == [2, 9, 0, 9]


FACTOR = 2
"""Read by a node defined in this module, as a notebook cell's node reads the notebook's globals."""


def test_a_global_a_notebook_node_reads_is_part_of_its_key(monkeypatch) -> None:
    @fnb.node(name="cache_test_times_factor")
    def times_factor(x: int = 0) -> int:
        cache_boards.RAN["factor"] += 1
        return x * FACTOR

    board = fnb.Board("factor")
    start = board.add("events_simple", "start")
    times = board.add("cache_test_times_factor", "times", x=5)
    text = board.add("val_to_string", "text")
    say = board.add("log_info", "say")
    start.outputs.exec_out >> say.inputs.exec_in
    times.outputs.result >> text.inputs.value
    text.outputs.string >> say.inputs.message
    board.run()
    assert board.run().why("times").cached and RAN["factor"] == 1
    monkeypatch.setattr(sys.modules[__name__], "FACTOR", 3)
    run = board.run()
    assert run.outputs.times.result == 15 and RAN["factor"] == 2
    assert str(run.why("times")).endswith("ran: global 'FACTOR' changed (its code reads it)")


def test_a_persisted_board_cache_serves_runs_on_a_worker_process(tmp_path) -> None:
    from flowlike_core.backends.process import ProcessBackend

    board = fnb.Board("plus")
    start, say = board.add("events_simple", "start"), board.add("log_info", "say")
    plus, text = board.add("int_add", "plus", integer1=2, integer2=1), board.add("val_to_string", "text")
    start.outputs.exec_out >> say.inputs.exec_in
    plus.outputs.sum >> text.inputs.value
    text.outputs.string >> say.inputs.message
    board.cache.persist(Bucket(str(tmp_path)))
    backend = ProcessBackend(1, timeout=60)
    try:
        first = board.run(backend=backend)
        again = board.run(backend=backend)
    finally:
        backend.close()
    assert not first.why("plus").cached and again.why("plus").cached
    assert [line.message for line in again.logs()] == ["3"]


NOTEBOOK_CELLS = '''
import cache_boards
import flowlike_nb as fnb

def helper(x):
    return x * 2

class Offset:
    def apply(self, x):
        return x

@fnb.node(name="cache_test_uses_helper")
def uses_helper(x: int = 0) -> int:
    cache_boards.RAN["helper"] += 1
    return Offset().apply(helper(x))
'''


def test_a_helper_function_redefined_in_the_notebook_reruns_the_nodes_calling_it() -> None:
    """A cell redefining `helper` (or autoreload changing its code in place) changes the result of a node calling
    it: its cached result must not be served."""
    import types

    notebook = types.ModuleType("cache_test_notebook")  # (a notebook's namespace, as `__main__` is in a kernel)
    sys.modules[notebook.__name__] = notebook
    try:
        exec(NOTEBOOK_CELLS, notebook.__dict__)
        board = fnb.Board("helper")
        start = board.add("events_simple", "start")
        uses = board.add("cache_test_uses_helper", "uses", x=3)
        text = board.add("val_to_string", "text")
        say = board.add("log_info", "say")
        start.outputs.exec_out >> say.inputs.exec_in
        uses.outputs.result >> text.inputs.value
        text.outputs.string >> say.inputs.message
        assert board.run().outputs.uses.result == 6 and board.run().why("uses").cached and RAN["helper"] == 1
        exec("def helper(x):\n    return x * 10\n", notebook.__dict__)  # the helper's cell, edited and run again
        run = board.run()
        assert run.outputs.uses.result == 30 and RAN["helper"] == 2
        assert run.why("uses").text.endswith("ran: its code changed (helper 'helper' was redefined)")
        assert board.run().why("uses").cached and RAN["helper"] == 2
        exec("def other(x):\n    return x + 1\n", namespace := {})
        notebook.helper.__code__ = namespace["other"].__code__  # what %autoreload does to a function it reloads
        run = board.run()
        assert run.outputs.uses.result == 4 and RAN["helper"] == 3
        assert run.why("uses").text.endswith("ran: its code changed (helper 'helper' was redefined)")
        exec("class Offset:\n    def apply(self, x):\n        return x + 100\n", notebook.__dict__)  # a class too
        run = board.run()
        assert run.outputs.uses.result == 104 and RAN["helper"] == 4
        assert run.why("uses").text.endswith("ran: its code changed (method 'Offset.apply' was redefined)")
        exec(NOTEBOOK_CELLS.replace("return Offset()", "return 1 + Offset()"), notebook.__dict__)  # the node's own
        assert board.run().why("uses").text.endswith(
            "ran: its code changed (node type 'cache_test_uses_helper' was redefined)")
    finally:
        del sys.modules[notebook.__name__]
