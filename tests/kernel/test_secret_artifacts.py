"""A secret never leaves a run: a board reads a secret variable, logs it, sets a new secret from it, logs that
and fails on it; then every artifact (CLI stdout/stderr and --json, run records, the run history on disk, an
executed notebook, the editor's messages, the board file, to_code(), exposed()) is searched for both values."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

import flowlike_nb as fnb
from flowlike_core import Board, DataType, Variable, commands, default_registry
from flowlike_core.redaction import Redactor

TOKEN = "tok-8f3a91c2"
"""The secret a run is given."""
DERIVED = TOKEN.upper()
"""The secret the board makes from it and sets into a secret variable during the run."""


def secret_board() -> Board:
    registry = default_registry()
    board = Board(name="secretive")

    def add(key: str, **defaults: Any) -> Any:
        return board.apply(commands.AddNode(registry.get(key).create(**defaults)))

    def wire(source: Any, out: str, target: Any, inp: str) -> None:
        board.apply(commands.Connect(source.id, out, target.id, inp))

    for name, exposed, default in (("api_token", True, TOKEN), ("session", False, "")):
        board.apply(commands.UpsertVariable(Variable(name=name, data_type=DataType.STRING, secret=True,
                                                     exposed=exposed, default_value=default)))
    start, read = add("events_simple"), add("variable_get", var_ref="api_token")
    log_read = add("log_info")
    make = add("string_to_upper")
    set_session = add("variable_set", var_ref="session")
    read_session = add("variable_get", var_ref="session")
    log_set = add("log_warning")
    fail = add("struct_remove", struct_in={"rows": 12}, field="")
    for source, target in ((start, log_read), (log_read, set_session), (set_session, log_set), (log_set, fail)):
        wire(source, "exec_out", target, "exec_in")
    wire(read, "value_ref", log_read, "message")
    wire(read, "value_ref", make, "string")
    wire(make, "uppercase_string", set_session, "value_in")
    wire(read_session, "value_ref", log_set, "message")
    wire(read_session, "value_ref", fail, "field")
    return board


NOTEBOOK_CELLS = [
    "import flowlike_nb as fnb",
    "board = fnb.Board.load(BOARD)\nrun = board.run(variables={'api_token': TOKEN})\nrun",
    "run.log_table()",
    "print(run.summary())",
    "board.exposed()",
]


def _cli(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "flowlike_core.cli", *args], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stderr  # the run fails (on the secret), as it should
    return done.stdout + done.stderr


def artifacts(tmp_path: Path) -> dict[str, str]:
    """Every place a run of the secret board leaves text, by name."""
    from flowlike_nb.widgets import BoardEditor

    board = secret_board()
    path = board.save(tmp_path / "secretive.board.json")
    store = tmp_path / "store"
    found = {"board file": path.read_text()}
    cli = ["run", str(path), "--var", f"api_token={TOKEN}", "--store", str(store)]
    found["cli output"] = _cli(*cli)
    found["cli --json"] = _cli(*cli, "--json")
    found["run history"] = "\n".join(f.read_bytes().decode("latin-1") for f in store.rglob("*") if f.is_file())

    notebook_board = fnb.Board(board)
    found["to_code()"] = notebook_board.to_code()
    found["exposed()"] = repr(notebook_board.exposed())
    view = notebook_board.run(variables={"api_token": TOKEN})
    found["Run.record()/to_json()"] = view.core.to_json()
    found["RunView logs/html/summary"] = "\n".join((repr(view.log_table()), view.html(), view.summary()))
    from flowlike_nb.kernel.render import display_record

    found["display bundle"] = json.dumps(display_record(view.core), default=str) + view.timeline_svg()

    editor = BoardEditor(board)
    sent: list[Any] = []
    editor.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    editor.run(variables={"api_token": TOKEN})
    editor.wait(30)
    found["editor messages"] = json.dumps(sent, default=str)

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        f"BOARD, TOKEN = {str(path)!r}, {TOKEN!r}")] + [nbformat.v4.new_code_cell(c) for c in NOTEBOOK_CELLS])
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
                   ).execute()
    notebook.cells[0].source = "BOARD, TOKEN = ..., ..."  # the test's own cell holds the secret, not the outputs
    ipynb = tmp_path / "executed.ipynb"
    nbformat.write(notebook, ipynb)
    found["executed .ipynb"] = ipynb.read_text()
    return found


def leaks(found: dict[str, str]) -> list[str]:
    return [name for name, text in found.items() if TOKEN in text or DERIVED in text]


@pytest.mark.timeout(600)
def test_no_artifact_holds_a_secret(tmp_path: Path) -> None:
    found = artifacts(tmp_path)
    assert "Remove Field" in found["cli output"] and "***" in found["cli output"]  # the failure is still told
    assert leaks(found) == []


def test_secrets_are_redacted_as_whole_tokens() -> None:
    redactor = Redactor([2, "hunter2"])
    assert redactor.text("processed 12 of 20 rows") == "processed 12 of 20 rows"
    assert redactor.text("took 2 s; password=hunter2, 'hunter2'") == "took *** s; password=***, '***'"
    assert redactor.text("hunter22 and xhunter2") == "hunter22 and xhunter2"
    assert Redactor([None, "", True]).text("True") == "True" and not Redactor([None, "", True])
