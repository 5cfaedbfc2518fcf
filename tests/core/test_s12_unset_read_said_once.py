"""An input that reads an output no one has set warns once per run (`ctx._read_unset`), also when two threads of one
parallel body read it at once: each looked whether it had been said, then added it, so both could look before
either added, and both warned. The test holds each reader where it looks until the other has come that far too
(at the look, or waiting its turn to look), which is how two threads can meet there."""

from __future__ import annotations

import threading
import time

from pack_builder import Builder
from stopping_nodes import DEADLINE

from flowlike_core import DataType, LogLevel, NodeType, data_in, data_out, exec_in, exec_out
from flowlike_core import context as context_module
from flowlike_core.executor import Executor


class ReadsNumber(NodeType):
    """Blocking (so each iteration of the loop runs on a thread of its own): reads its input."""

    name = "t_reads_number"
    pins = (exec_in(), data_in("number", DataType.INTEGER), exec_out())

    def run(self, ctx):
        ctx.get_input("number")
        ctx.activate("exec_out")


class MakesNumber(NodeType):
    """Sets its number; not in the exec flow here, so it never runs."""

    name = "t_makes_number"
    pins = (exec_in(), exec_out(), data_out("number", DataType.INTEGER))

    def run(self, ctx):
        ctx.set_output("number", 5)
        ctx.activate("exec_out")


class Meeting:
    """Where the readers come: each waits at the look until two readers have come (or `DEADLINE` passed)."""

    def __init__(self) -> None:
        self.come: set[int] = set()
        self.changed = threading.Condition()

    def arrive(self) -> None:
        with self.changed:
            self.come.add(threading.get_ident())
            self.changed.notify_all()

    def wait_for_both(self) -> None:
        deadline = time.monotonic() + DEADLINE
        with self.changed:
            while len(self.come) < 2 and (left := deadline - time.monotonic()) > 0:
                self.changed.wait(left)


class Said(set):
    """The run's said reads: a look, once it has seen whether the read was said, waits for the other reader."""

    meeting: Meeting

    def __contains__(self, key: object) -> bool:
        found = super().__contains__(key)
        self.meeting.arrive()
        self.meeting.wait_for_both()
        return found


class Turn:
    """A lock around the look, if there is one: a reader waiting its turn has come too."""

    def __init__(self, lock: threading.Lock, meeting: Meeting) -> None:
        self.lock, self.meeting = lock, meeting

    def __enter__(self) -> None:
        self.meeting.arrive()
        self.lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def test_two_threads_of_a_parallel_body_reading_an_unset_output_warn_once(monkeypatch):
    meeting = Meeting()
    Said.meeting = meeting
    made = Executor.__init__

    def with_said(self, *args, **kwargs):
        made(self, *args, **kwargs)
        self.unset_reads = Said()

    monkeypatch.setattr(Executor, "__init__", with_said)
    if hasattr(context_module, "_saying"):
        monkeypatch.setattr(context_module, "_saying", Turn(context_module._saying, meeting))
    build = Builder()
    build.registry.register(ReadsNumber)
    build.registry.register(MakesNumber)
    loop, reader = build.add("control_par_for_each", array=[1, 2], max_concurrent=2), build.add("t_reads_number")
    build.chain(build.add("events_simple"), loop)
    build.wire(loop, "exec_out", reader, "exec_in")
    build.wire(build.add("t_makes_number"), "number", reader, "number")
    run = build.board.run(registry=build.registry)
    assert run.ok, run.error
    warned = [line.message for line in run.logs() if line.level is LogLevel.WARN]
    assert len(warned) == 1, warned
    assert warned[0].startswith("input 'number' read None: 't_makes_number'"), warned
    assert len(meeting.come) == 2  # (both readers came to the look: they met there)
