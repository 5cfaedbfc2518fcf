"""`board.run_to(node, policy=...)` runs under the policy given, as `board.run(policy=...)` does: it took none, so a
partial run always allowed everything."""

from __future__ import annotations

import flowlike_nb as fnb
from flowlike_core import DataType, NodeType, data_out, default_registry
from flowlike_core.policy import Capability, Policy


class Lookup(NodeType):
    """A pure node that would reach the network."""

    name = "kernel_s8_lookup"
    capabilities = (Capability.NETWORK,)
    pins = (data_out("answer", DataType.INTEGER),)

    def run(self, ctx):
        ctx.set_output("answer", 42)


default_registry().register(Lookup, pack="kernel-s8-policy", replace=True)


def test_run_to_runs_under_the_policy_given():
    board = fnb.Board("reach")
    board.add("kernel_s8_lookup", "lookup")
    refused = board.run_to("lookup", policy=Policy())
    assert refused.core.status.value == "Failed" and "needs network" in str(refused.core.error), refused.core.error
    allowed = board.run_to("lookup", policy=Policy.of(["network"]))
    assert allowed.core.status.value == "Success" and allowed.outputs["lookup"]["answer"] == 42
    assert board.run_to("lookup").core.status.value == "Success"  # no policy: everything, as board.run()
