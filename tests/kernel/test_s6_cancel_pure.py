"""A pure node interrupted by a cancel shows Cancelled (it showed Failed, "stopped: an input failed or the run
ended")."""
import time

import flowlike_nb as fnb
from flowlike_core import Listener
from flowlike_core.run import NodeStatus


def test_cancel_during_a_pure_node_marks_it_cancelled() -> None:
    @fnb.node(name="proposal_spin")
    def spin(seconds: float = 10.0) -> float:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            pass
        return seconds

    board = fnb.Board("proposal spin")
    start, say = board.add("events_simple", "start"), board.add("log_info", "say")
    node = board.add("proposal_spin", "spin")
    start.outputs.exec_out >> say.inputs.exec_in
    node.outputs.result >> say.inputs.message
    started = []

    class Seen(Listener):
        def node_started(self, run, trace) -> None:
            started.append(trace.node_id)

    handle = board.start(listeners=[Seen()])
    deadline = time.monotonic() + 60
    while node.id not in started and time.monotonic() < deadline:
        time.sleep(0.01)
    handle.cancel()
    run = handle.wait()
    statuses = {t.node_name: (t.status, t.error) for t in run.traces}
    assert statuses["proposal_spin"][0] is NodeStatus.CANCELLED, statuses
