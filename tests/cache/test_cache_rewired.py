"""`run.why` of an input whose wire changed: it says what happened to the wire, not that a value was edited."""

from __future__ import annotations

import dataclasses

from cache_boards import RAN, add, registry, set_default, sum_board, wire

from flowlike_core import Board, commands
from flowlike_core.cache import ResultCache
from flowlike_core.executor import run_board
from flowlike_core.reasons import Change


def ran(board: Board, cache: ResultCache, reg) -> object:
    RAN.clear()
    run = run_board(board, cache=cache, registry=reg)
    assert run.ok, run.error
    return run


def test_an_input_no_longer_wired_says_so_not_that_its_default_was_edited() -> None:
    """`why` said "default edited" of an input whose wire was removed: its default is what it was."""
    reg = registry()
    board = sum_board(reg)
    cache = ResultCache()
    ran(board, cache, reg)
    board.apply(commands.Disconnect("right", "sum", "total", "b"))
    run = ran(board, cache, reg)
    assert run.result == 3 and RAN == {"c_add": 1, "c_emit": 1}
    why = run.why("total")
    assert str(why) == ("'total' (total) ran: input 'b' changed (no longer wired from node 'right' (right): its "
                        "default is read)")
    assert (why.changes[0].source, why.changes[0].before, why.changes[0].rewired) == ("default", "'right' (right)",
                                                                                      True)


def test_an_input_wired_from_another_output_of_the_same_node_says_so() -> None:
    """`why` said "upstream node 'both' changed" of an input moved to another output of 'both': nothing of 'both'
    changed (it was served from the cache)."""
    reg = registry()
    board = Board(name="outputs")
    add(board, reg, "c_start", "start")
    add(board, reg, "c_sum_difference", "both", a=5, b=3)
    add(board, reg, "c_add", "total", b=100)
    add(board, reg, "c_emit", "emit")
    wire(board, "both", "sum", "total", "a")
    wire(board, "total", "sum", "emit", "value")
    wire(board, "start", "exec_out", "emit", "exec_in")
    cache = ResultCache()
    assert ran(board, cache, reg).result == 108
    wire(board, "both", "difference", "total", "a")
    run = ran(board, cache, reg)
    assert run.result == 102 and run.why("both").cached and RAN == {"c_add": 1, "c_emit": 1}
    why = run.why("total")
    assert str(why) == ("'total' (total) ran: input 'a' changed (now wired from output 'difference' of node "
                        "'both' (both) instead of its output 'sum')")
    assert why.changes[0] == Change("input", "a", "upstream", "both", "'both' (both)", rewired=True,
                                    pin="difference", pin_before="sum")


def test_a_wire_moved_back_and_a_removed_upstream_node_say_what_happened() -> None:
    reg = registry()
    board = sum_board(reg)
    cache = ResultCache()
    ran(board, cache, reg)
    board.apply(commands.RemoveNode("right"))
    run = ran(board, cache, reg)
    assert str(run.why("total")).endswith("input 'b' changed (no longer wired from node 'right': its default is read)")
    wire(board, "left", "sum", "total", "b")
    run = ran(board, cache, reg)
    assert str(run.why("total")).endswith("input 'b' changed (now wired from node 'left' (left))")


def test_a_why_kept_before_pins_were_names_no_rewiring() -> None:
    """A "why" signature written by an earlier version keeps the upstream node's id alone: an upstream edit is told
    as ever, not as a wire moved to another output."""
    reg = registry()
    board = sum_board(reg)
    cache = ResultCache()
    ran(board, cache, reg)
    for place, signature in list(cache.last.items()):
        inputs = tuple((name, digest, where, upstream.partition("/")[0]) for name, digest, where, upstream in
                       signature.inputs)
        cache.last[place] = dataclasses.replace(signature, inputs=inputs)
    set_default(board, "right", b=10)
    assert str(ran(board, cache, reg).why("total")) == ("'total' (total) ran: input 'b' changed (upstream node "
                                                         "'right' (right) changed)")
