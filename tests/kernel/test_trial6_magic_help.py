"""`%flowlike --help` and each command's help print their text and nothing else; a line the magic cannot read is a
one-line UsageError with the usage, in a real kernel as in a shell."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import start_new_kernel

COMMANDS = ("load", "run", "show", "code", "catalog")


def test_help_lists_every_command_with_what_it_does(shell: InteractiveShell,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    for line in ("--help", "-h", ""):
        assert shell.run_line_magic("flowlike", line) is None
        text = capsys.readouterr().out
        assert "usage: %flowlike" in text and "examples:" in text, line
        for command in COMMANDS:
            assert f"    {command} " in text, (command, text)


def test_each_command_explains_its_arguments(shell: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    for command in COMMANDS:
        assert shell.run_line_magic("flowlike", f"{command} --help") is None
        text = capsys.readouterr().out
        assert text.startswith(f"usage: %flowlike {command}"), text
    shell.run_line_magic("flowlike", "run --help")
    text = capsys.readouterr().out
    assert "a notebook variable holding a board, or a board file" in text
    assert "assign the pin's value to the notebook" in text


def test_unreadable_lines_are_usage_errors(shell: InteractiveShell) -> None:
    with pytest.raises(UsageError, match=r"invalid choice: 'explode'.*\nusage: %flowlike"):
        shell.run_line_magic("flowlike", "explode c")
    with pytest.raises(UsageError, match=r"No closing quotation in \"run c --var 'n=3\""):
        shell.run_line_magic("flowlike", "run c --var 'n=3")
    with pytest.raises(UsageError, match=r"^%flowlike load: the following arguments are required: path"):
        shell.run_line_magic("flowlike", "load")


@pytest.fixture(scope="module")
def kernel() -> Iterator[BlockingKernelClient]:
    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=90)
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def cell(kc: BlockingKernelClient, code: str, timeout: float = 120) -> tuple[str, str]:
    """Run a cell; its stdout, and its stderr with its error's traceback, read off this cell's own messages."""
    msg_id = kc.execute(code)
    out, error, deadline = "", "", time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream" and content["name"] == "stdout":
            out += content["text"]
        elif kind == "stream":
            error += content["text"]
        elif kind == "error":
            error += "\n".join(content["traceback"])
        elif kind == "status" and content["execution_state"] == "idle":
            return out, error
    raise TimeoutError(f"cell {code!r} did not finish in {timeout}s; output so far: {out}{error}")


def test_help_and_usage_errors_in_a_real_kernel(kernel: BlockingKernelClient) -> None:
    assert cell(kernel, "%load_ext flowlike_nb") == ("", "")
    out, error = cell(kernel, "%flowlike --help")
    assert error == "" and "catalog" in out, (out, error)
    out, error = cell(kernel, "%flowlike run --help")
    assert error == "" and out.startswith("usage: %flowlike run"), (out, error)
    out, error = cell(kernel, "%flowlike explode")
    assert error.startswith("UsageError: %flowlike: argument COMMAND: invalid choice: 'explode'"), error
    assert "Traceback" not in error and "argparse" not in error, error
