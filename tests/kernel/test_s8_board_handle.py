"""The notebook Board handle as a fresh user meets it: `board.name` (its repr shows the name), and reprs and
summaries that count in English ("1 variable", "1 node execution")."""

from __future__ import annotations

import re

import flowlike_nb as fnb
from flowlike_core.board import Board as CoreBoard


def test_the_handle_has_the_boards_name(tmp_path):
    board = fnb.Board("tally")
    assert board.name == "tally" == board.core.name
    path = CoreBoard(name="from a file").save(tmp_path / "named.board.json")
    assert fnb.Board.load(path).name == "from a file"


def test_the_handles_repr_counts_in_english(counter: fnb.Board):
    assert repr(counter) == "<Board 'counter': 3 nodes, 2 wires, 1 variable>"
    single = fnb.Board("single")
    single.add("events_simple", "start")
    assert repr(single) == "<Board 'single': 1 node, 0 wires, 0 variables>"


def test_a_runs_summary_counts_in_english_and_reads_short_times():
    board = fnb.Board("one")
    board.add("events_simple", "start")
    run = board.run()
    text = run.summary()
    assert ", 1 node execution" in text and ", 1 node executions" not in text, text
    assert re.search(r" in \d+(\.\d+)? (µs|ms|s), ", text), text
    assert re.search(r" in \d+(\.\d+)? (µs|ms|s)>$", repr(run.core)), repr(run.core)


def test_the_run_timeline_reads_short_times():
    """Its tips said `0.00 ms` for a node of a few µs, its axis `0.0001 s`."""
    from flowlike_nb.kernel.render import timeline_svg

    board = fnb.Board("one")
    board.add("events_simple", "start")
    svg = timeline_svg(board.run().core)
    tips = re.findall(r"<title>([^<]*step[^<]*)</title>", svg)
    assert tips and all(re.search(r"Success, \d+(\.\d+)? (µs|ms|s)$", tip) for tip in tips), tips
    assert not [tip for tip in tips if re.search(r" 0\.0+ ms$", tip)], tips
    axis_end = re.findall(r'fill="#555" text-anchor="end">([^<]*)</text>', svg)[-1]
    assert re.fullmatch(r"\d+(\.\d+)? (µs|ms|s)", axis_end), axis_end
