"""Desktop steps whose Error output is left unwired: a program that is not there, a window that is gone. The run
fails at that node saying what (it reported Success and went on, with the reason only in the log)."""

from __future__ import annotations

from pathlib import Path

from flowlike_core import RunStatus


def test_a_program_that_is_not_there_fails_the_run(xserver, desk, tmp_path: Path) -> None:
    missing = tmp_path / "missing-program"
    launch = desk.step("computer_launch_app", path=str(missing), wait_ms=0)
    desk.wire(launch, "exec_out", desk.add("log_info", message="launched"), "exec_in")
    run = desk.board.run(registry=desk.registry)
    assert run.status is RunStatus.FAILED
    assert "node 'Launch Application'" in run.error
    assert f"FileNotFoundError: cannot start '{missing}': [Errno 2] No such file or directory" in run.error
    assert [line.message for line in run.logs()] == []


def test_a_program_that_exits_at_once_fails_the_run(xserver, desk) -> None:
    desk.step("computer_launch_app", path="false", wait_ms=500)
    run = desk.board.run(registry=desk.registry)
    assert run.status is RunStatus.FAILED
    assert "RuntimeError: 'false' exited with status 1 within 500 ms" in run.error


def test_capturing_a_window_that_is_gone_fails_the_run(xserver, desk) -> None:
    desk.step("computer_capture_window", window_id="12345")
    run = desk.board.run(registry=desk.registry)
    assert run.status is RunStatus.FAILED
    assert "LookupError: no visible window '12345' on the desktop" in run.error
