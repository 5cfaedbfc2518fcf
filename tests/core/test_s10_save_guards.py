"""`Board.save` loses nothing and says where it cannot write: `board.save("sales.csv")` replaced the CSV file with
the board's JSON (and `save("flow.board")` a Flow-Like board), and a folder that could not be made was Python's
"[Errno 17] File exists: '...'" naming neither the board nor what stood in the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowlike_core import Board
from flowlike_core.errors import BoardFileError


@pytest.mark.parametrize(("name", "content", "what"), [
    ("sales.csv", b"city,amount\nOslo,10\n", "not JSON"),
    ("flow.board", b"\x10\x00\x00\x00\xf0\x01binary", "not JSON"),
    ("package.json", b'{"name": "app"}', "JSON, not a board document"),
])
def test_saving_over_a_file_that_is_not_a_board_is_refused(tmp_path: Path, name: str, content: bytes,
                                                            what: str) -> None:
    target = tmp_path / name
    target.write_bytes(content)
    with pytest.raises(BoardFileError) as refused:
        Board(name="mine").save(target)
    assert str(refused.value) == (f"{target} holds a file that is not a board ({what}); saving board 'mine' would "
                                  "replace it: choose another name, or remove that file first")
    assert target.read_bytes() == content


def test_a_board_file_is_saved_over_as_before(tmp_path: Path) -> None:
    target = Board(name="old").save(tmp_path / "x.board.json")
    assert Board(name="new").save(target) == target
    assert Board.load(target).name == "new"
    empty = tmp_path / "empty.board.json"
    empty.write_text("")
    assert Board(name="fresh").save(empty) == empty


def test_a_folder_that_cannot_be_made_names_the_file_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("mine")
    with pytest.raises(BoardFileError) as refused:
        Board(name="mine").save(tmp_path / "notes" / "x.board.json")
    assert str(refused.value) == (f"cannot save board 'mine' to {tmp_path}/notes/x.board.json: {tmp_path}/notes "
                                  "is a file, not a folder")
    assert (tmp_path / "notes").read_text() == "mine"
