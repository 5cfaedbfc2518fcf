"""The engine's problems with a board as the editor shows them, checked again after each edit that can change them.

They are `flowlike_core.validate.Problem`s as JSON (code, message, node_id, pin_id, severity): the canvas draws an
error and a warning apart (a warning names a board that runs, but likely not as meant) and judges nothing itself.
Neither stops the toolbar's Run, as neither stops `start_run`: a run fails where an error bites, naming it.
An edit of the picture only (moving, comments, layers, breakpoints) cannot change them and is not checked again."""

from __future__ import annotations

import logging
from typing import Any

from flowlike_core import commands
from flowlike_core.board import Board
from flowlike_core.registry import Registry
from flowlike_nb.widgets.staleness import PICTURE_ONLY, parts

log = logging.getLogger(__name__)


def board_problems(board: Board, registry: Registry) -> list[dict[str, Any]]:
    """Every problem `board.validate` finds, as JSON; a check that breaks is itself shown as an error."""
    try:
        return [problem.model_dump() for problem in board.validate(registry)]
    except Exception as exc:  # a bug in a check must not stop the editor's edits
        log.exception("validating board %r failed", board.name)
        return [{"code": "validate-failed", "message": f"the board could not be checked: {type(exc).__name__}: {exc}",
                 "node_id": None, "pin_id": None, "severity": "error"}]


def may_change_problems(command: commands.Command | None) -> bool:
    """Whether an edit (None: one that cannot be told apart) may change the board's problems."""
    return command is None or not all(isinstance(part, PICTURE_ONLY) for part in parts(command))
