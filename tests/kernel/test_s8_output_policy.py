"""`run.output(...)` and `board.bind` compute a pure node no node read during the run under the run's policy: a
notebook run started with a policy does not read, after the run, a file the policy refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb
from flowlike_core.errors import NodeFailed
from flowlike_core.policy import Policy, allowed_path

opened: list[str] = []


@fnb.node(capabilities=["files"])
def s8_read_text(path: str = "") -> str:
    """A pure node reading a file, checked against the run's policy as file nodes do."""
    text = Path(allowed_path(path)).read_text()
    opened.append(path)
    return text


def reading_board(path: Path) -> fnb.Board:
    """start, with `read` beside it: nothing reads it during a run."""
    board = fnb.Board("s8 unread read")
    board.add("events_simple", "start")
    board.add("s8_read_text", "read", path=str(path))
    return board


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("not for this run")
    opened.clear()
    return path


def test_run_output_of_an_unread_node_keeps_to_the_runs_policy(secret_file: Path) -> None:
    board = reading_board(secret_file)
    run = board.run(policy=Policy()).raise_for_status()
    with pytest.raises(NodeFailed, match=r"'result' of node 'read'.*secret.txt.*outside the store and the allowed "
                                         r"paths"):
        run.output("read", "result")
    assert opened == []
    allowed = board.run(policy=Policy.of(paths=[secret_file.parent])).raise_for_status()
    assert allowed.output("read", "result") == "not for this run"


def test_a_binding_to_an_unread_node_keeps_to_the_runs_policy(shell: InteractiveShell, secret_file: Path) -> None:
    board = reading_board(secret_file)
    board.bind("read.result", "text")
    with pytest.warns(UserWarning, match=r"'text' was not assigned.*outside the store and the allowed paths"):
        board.run(policy=Policy()).raise_for_status()
    assert "text" not in shell.user_ns and opened == []
    board.run().raise_for_status()  # (a notebook's run allows everything)
    assert shell.user_ns["text"] == "not for this run"
