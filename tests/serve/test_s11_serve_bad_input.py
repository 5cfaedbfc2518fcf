"""`flowlike serve` with a port no socket can have ended in a traceback (`OverflowError: bind(): port must be
0-65535`) after it had set up its run history; a board file given as the folder said "no such folder"."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowlike_core.cli import main

LOOP = Path(__file__).parents[2] / "notebooks" / "boards" / "loop_and_branch.board.json"


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_port_out_of_range_is_refused_as_the_command_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               port: str) -> None:
    assert main(["serve", str(tmp_path), "--no-history", "--port", port]) == 2
    assert f"argument --port: {port!r} is not a port: a whole number from 0 (any free port) to 65535" \
        in capsys.readouterr().err


def test_a_file_given_as_the_folder_is_named_as_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", str(LOOP), "--no-history"]) == 2
    assert capsys.readouterr().err == f"flowlike: error: {LOOP}: a file, not a folder (serve the folder it is in: " \
                                      f"{LOOP.parent})\n"


def test_a_port_in_use_is_bad_input_naming_it(tmp_path: Path) -> None:
    """uvicorn logged "address already in use" and the command exited 3, the status of validate's internal error."""
    import socket
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([str(Path(sys.executable).with_name("flowlike")), "serve", str(tmp_path), "--no-history",
                               "--port", str(port)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done
    assert done.stderr.endswith(f"flowlike: error: cannot serve on 127.0.0.1:{port} (the line above says why); "
                                f"for a port in use, another --port, or --port 0 for any free one\n"), done.stderr
    assert "address already in use" in done.stderr
