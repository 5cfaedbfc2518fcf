"""A board file saved by an editor that starts it with a UTF-8 byte order mark (Windows Notepad) opens like any
other: `flowlike run` called it "not a Flow-Like file (a length prefix and an LZ4 block): Decompression failed",
Board.load "Unexpected UTF-8 BOM". An empty file says it is empty (was "1 bytes is too short for a Flow-Like file")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flowlike_core import Board
from flowlike_core.errors import BoardFileError
from flowlike_core.interop import open_board

FLOWLIKE = Path(sys.executable).with_name("flowlike")
LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


def flowlike(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FLOWLIKE), *args], capture_output=True, text=True, timeout=120)


def test_a_board_with_a_byte_order_mark_runs(tmp_path: Path) -> None:
    marked = tmp_path / "notepad.board.json"
    marked.write_bytes(b"\xef\xbb\xbf" + LOOP.read_bytes())
    done = flowlike("run", str(marked), "--no-history")
    assert done.returncode == 0 and "result: 17" in done.stdout, done
    assert Board.load(marked).name == open_board(marked)[0].name == "loop-and-branch"


@pytest.mark.parametrize("content", [b"", b"\n", b"\xef\xbb\xbf  \r\n"])
def test_an_empty_board_file_says_so(tmp_path: Path, content: bytes) -> None:
    empty = tmp_path / "empty.board.json"
    empty.write_bytes(content)
    for command in ("run", "import"):
        done = flowlike(command, str(empty))
        assert (done.returncode, done.stderr) == (2, f"flowlike: error: {empty}: the file is empty\n"), done
    for read in (open_board, Board.load):
        with pytest.raises(BoardFileError, match=r": the file is empty$"):
            read(empty)
