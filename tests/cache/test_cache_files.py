"""A notebook node given the path of a file runs again when the file changes on disk, and says so: its path is the
same text, but what it reads is not (`flowlike_core.cache`)."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import flowlike_nb as fnb

NOTEBOOK_CELLS = '''
import cache_boards
import flowlike_nb as fnb

@fnb.node(name="cache_test_count_lines")
def count_lines(path: str = "") -> int:
    cache_boards.RAN["lines"] += 1
    with open(path) as handle:
        return len(handle.readlines())
'''


def test_a_notebook_node_reading_a_file_runs_again_when_the_file_changes(tmp_path: Path) -> None:
    from cache_boards import RAN

    RAN.clear()
    data = tmp_path / "data.csv"
    data.write_text("a\n1\n2\n")
    notebook = types.ModuleType("cache_test_files_notebook")
    sys.modules[notebook.__name__] = notebook
    try:
        exec(NOTEBOOK_CELLS, notebook.__dict__)
        board = fnb.Board("files")
        start = board.add("events_simple", "start")
        count = board.add("cache_test_count_lines", "count", path=str(data))
        text = board.add("val_to_string", "text")
        say = board.add("log_info", "say")
        start.outputs.exec_out >> say.inputs.exec_in
        count.outputs.result >> text.inputs.value
        text.outputs.string >> say.inputs.message
        assert board.run().outputs.count.result == 3 and board.run().why("count").cached and RAN["lines"] == 1
        stat = data.stat()
        data.write_text("a\n1\n2\n3\n")
        os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # (a coarse clock: a second later)
        run = board.run()
        assert run.outputs.count.result == 4 and RAN["lines"] == 2
        assert f"file {str(data)!r}" in run.why("count").text and "changed on disk" in run.why("count").text
        assert board.run().why("count").cached and RAN["lines"] == 2
    finally:
        del sys.modules[notebook.__name__]
