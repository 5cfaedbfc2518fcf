"""`flowlike export BOARD -o FILE` (and export_board) refuses to replace a file that is not a Flow-Like board, naming
it: `-o data.csv` replaced the CSV with the board's LZ4 bytes, and `-o x.board.json` our own board file. A Flow-Like
board there (an earlier export) is written again, as before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FLOWLIKE = Path(sys.executable).with_name("flowlike")
LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


def export(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FLOWLIKE), "export", str(LOOP), *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("name", "what"), [("data.csv", "text"), ("photo.jpg", "binary data"),
                                            ("mine.board.json", "a flowlike-nb board")])
def test_a_file_that_is_not_a_flowlike_board_is_kept(tmp_path: Path, name: str, what: str) -> None:
    """What stands there is said as what it is (a CSV was "not a Flow-Like file": true, and no news)."""
    target = tmp_path / name
    content = {"data.csv": b"a,b\n1,2\n", "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF"}.get(name, LOOP.read_bytes())
    target.write_bytes(content)
    done = export("-o", str(target))
    assert (done.returncode, done.stderr) == (2, f"flowlike: error: {target} holds a file that is not a Flow-Like "
                                                 f"board ({what}); exporting would replace it: choose another "
                                                 "name, or remove that file first\n"), done
    assert target.read_bytes() == content


@pytest.mark.parametrize("form", [[], ["--json"]])
def test_an_earlier_export_is_written_again(tmp_path: Path, form: list[str]) -> None:
    target = tmp_path / "loop.board"
    assert export("-o", str(target), *form).returncode == 0
    again = export("-o", str(target), *form)
    assert again.returncode == 0 and again.stderr == "", again
