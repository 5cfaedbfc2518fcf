"""A file of random bytes given as a board says what it is not and where: `flowlike run x.board.json` said "not a
Flow-Like file (a length prefix and an LZ4 block)" of a file meant as one of ours, and a length prefix past what
an int holds ended in a traceback (OverflowError) from `run`, `validate` and `import`."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from flowlike_core import Board
from flowlike_core.cli import main
from flowlike_core.errors import BoardFileError
from flowlike_core.interop import import_path, open_board

NOISE = random.Random(11).randbytes(300)
"""What follows a 4-byte head that is no UTF-8 (0xe6 starts a character that 0x00 or 0xff cannot go on) and no
LZ4 length (the block fails, or the length is beyond any int)."""


@pytest.mark.parametrize("head", [b"\xe6\x00\x00\x00", b"\xff\xff\xff\xff"], ids=["lz4-fails", "huge-prefix"])
def test_random_bytes_in_a_board_json_name_what_they_are_not(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             head: bytes) -> None:
    path = tmp_path / "noise.board.json"
    path.write_bytes(head + NOISE)
    with pytest.raises(BoardFileError) as raised:
        open_board(path)
    message = str(raised.value)
    assert message == (f"{path}: not a board: not UTF-8 text (invalid {'continuation' if head[1] == 0 else 'start'} "
                       f"byte at byte 0); not a Flow-Like .board either (no length prefix and LZ4 block)"), message
    for command in ("run", "validate", "import"):
        assert main([command, str(path)]) == 2, command
        err = capsys.readouterr().err
        assert err.startswith(f"flowlike: error: {path}: not "), (command, err)
        assert "Traceback" not in err and "Flow-Like" in err


def test_text_that_is_not_json_names_our_reader_first(tmp_path: Path) -> None:
    path = tmp_path / "notes.board.json"
    path.write_text("these are my notes, not a board\n")
    with pytest.raises(BoardFileError, match=r"notes\.board\.json: not a board: 1:1: not valid JSON: "
                                             r"Expecting value; not a Flow-Like \.board either"):
        open_board(path)
    with pytest.raises(BoardFileError, match=r"notes\.board\.json:1:1: not valid JSON"):
        Board.load(path)


def test_a_huge_length_prefix_in_a_flowlike_file_is_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "damaged.board"
    path.write_bytes(b"\xff\xff\xff\x7f" + NOISE)
    with pytest.raises(BoardFileError, match=r"damaged\.board: not a Flow-Like file \(a length prefix and an LZ4 "
                                             r"block\): the prefix says 2,147,483,647 bytes"):
        import_path(path)


def test_without_lz4_a_binary_file_is_not_called_no_flowlike_board(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the Flow-Like extra nothing can tell a .board from noise: the error names the extra to install."""
    import sys

    monkeypatch.setitem(sys.modules, "lz4.block", None)  # (an import of it raises ImportError)
    path = tmp_path / "exported.flow"
    path.write_bytes(b"\xe6\x00\x00\x00" + NOISE)
    with pytest.raises(BoardFileError, match=r"exported\.flow: reading Flow-Like files needs lz4; install the "
                                             r"Flow-Like extra"):
        open_board(path)
