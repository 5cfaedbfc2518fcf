"""`board.save("exports")` where exports is a folder wrote exports.board.json beside it, saying nothing: the user
named a folder and found no board in it. A folder given to `save` is refused, naming it and the two files the user
may have meant (inside it, named after the board; or beside it), and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowlike_core import Board
from flowlike_core.errors import BoardFileError


@pytest.mark.parametrize("trailing", ["", "/"])
def test_saving_to_a_folder_is_refused_naming_what_to_give(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           trailing: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path("exports").mkdir()
    board = Board(name="Sales report: Q1")
    with pytest.raises(BoardFileError) as refused:
        board.save("exports" + trailing)
    assert str(refused.value) == ("cannot save board 'Sales report: Q1' to exports: it is a folder; give a file "
                                  "name: 'exports/Sales_report_Q1.board.json' saves into it, 'exports.board.json' "
                                  "beside it")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"] and not any(Path("exports").iterdir())
    assert board.path is None


def test_a_folder_named_like_a_board_file_is_named_as_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "flow.board.json"
    folder.mkdir()
    with pytest.raises(BoardFileError, match=r"cannot save board 'b' to .*flow\.board\.json: it is a folder; give a "
                                             r"file name: '.*flow\.board\.json/b\.board\.json' saves into it"):
        Board(name="b").save(folder)


def test_saving_into_the_folder_by_its_file_name_works(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    saved = Board(name="b").save(tmp_path / "exports" / "b.board.json")
    assert Board.load(saved).name == "b"


def test_a_file_that_cannot_be_made_is_named_not_the_temporary_one(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder the user may not write to said "Permission denied: <folder>/.flow.board.json.3f2a9c1b7d4e.tmp", a
    file the user never named (the writer's temporary file). Root may write anywhere: the refusal is the system's."""
    import os

    real_open = os.open

    def refused(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith(".tmp"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refused)
    with pytest.raises(BoardFileError) as raised:
        Board(name="b").save(tmp_path / "flow.board.json")
    assert str(raised.value) == f"cannot save board 'b' to {tmp_path / 'flow.board.json'}: Permission denied"
