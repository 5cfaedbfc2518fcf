"""Fixtures for the kernel API: an IPython shell (the user namespace) and small boards of std nodes."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

import flowlike_nb as fnb


@pytest.fixture
def shell() -> InteractiveShell:
    """The process' IPython shell with `%load_ext flowlike_nb`; its namespace is cleaned after the test."""
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "flowlike_nb")
    before = set(shell.user_ns)
    yield shell
    for name in set(shell.user_ns) - before:
        del shell.user_ns[name]


@pytest.fixture
def counter() -> fnb.Board:
    """events_simple -> log_info(message = n): n is an exposed Integer variable."""
    board = fnb.Board("counter")
    board.variable("n", int, 3, exposed=True)
    start = board.add("events_simple", "start")
    read = board.add("variable_get", "read n", var_ref="n")
    say = board.add("log_info", "say")
    start.outputs.exec_out >> say.inputs.exec_in
    read.outputs.value_ref >> say.inputs.message
    return board
