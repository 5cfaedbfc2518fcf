"""An invalid board file's problems read as a user edits the file: a node whose id is not its key said
"invalid board: at : Value error, nodes.above: its id ...", pydantic's words, and a field the format does not
have "at extra_field: Extra inputs are not permitted"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowlike_core import Board
from flowlike_core.errors import BoardFileError

LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


@pytest.mark.parametrize(("edit", "said"), [
    (lambda d: d["nodes"]["above"].update(id="other"), "invalid board: nodes.above: its id 'other' differs from its "
                                                       "key 'above'"),
    (lambda d: d.update(extra_field=1), "invalid board: unknown field 'extra_field'"),
])
def test_problems_read_as_the_file_is_edited(tmp_path: Path, edit, said: str) -> None:
    document = json.loads(LOOP.read_text())
    edit(document)
    path = tmp_path / "edited.board.json"
    path.write_text(json.dumps(document))
    with pytest.raises(BoardFileError) as raised:
        Board.load(path)
    assert str(raised.value) == f"{path}: {said}"
