"""A run given up on while a parallel body is stuck in native code has ended, and what it holds stays as it was then
(`flowlike_core.parallel.close_forks`): a body let go later that sets a secret variable as it leaves must not add the
secret to the ended run's redactor (it did, which it shares with its bodies), as it leaves the run's variables alone.
The run's texts are masked with the secrets it knew as it ended."""

from __future__ import annotations

import pytest
from held_bodies import held_branch, held_builder, held_iteration
from stopping_nodes import DEADLINE, HeldInNativeCode

from flowlike_core import DataType, RunStatus, Variable, commands, start_run

LATE_SECRET = "let-go-token-7f3a"


class HeldThenSetsASecret(HeldInNativeCode):
    """Held in native code until let go; as it leaves, whatever ended it, sets the secret variable `token`."""

    name = "t_held_then_sets_a_secret"

    def run(self, ctx):
        try:
            HeldInNativeCode.started.set()
            HeldInNativeCode.let_go.wait()
        finally:
            ctx.set_variable("token", LATE_SECRET)
        ctx.activate("exec_out")


def _held_main_run(build, held_key: str) -> None:
    """Not a body: the run's own node is held (its executor's run is the run itself)."""
    build.chain(build.add("events_simple"), build.add(held_key), build.add("log_info"))


@pytest.mark.parametrize("body", [held_branch, held_iteration, _held_main_run],
                         ids=["a branch", "an iteration", "the main run"])
def test_a_body_let_go_after_its_run_ended_leaves_the_runs_secrets(body):
    build = held_builder(HeldThenSetsASecret)
    build.board.apply(commands.UpsertVariable(Variable(name="token", data_type=DataType.STRING, secret=True,
                                                       default_value="first-token-1c2d")))
    body(build, HeldThenSetsASecret.name)
    handle = start_run(build.board, registry=build.registry)
    try:
        assert HeldInNativeCode.started.wait(DEADLINE), "the body never started"
        handle.cancel()
        run = handle.wait(DEADLINE)
        assert run.status is RunStatus.CANCELLED and run.stuck is not None, run.stuck
        masks = lambda: run.redactor.text(f"first-token-1c2d {LATE_SECRET}")  # noqa: E731
        assert masks() == f"*** {LATE_SECRET}"
    finally:
        HeldInNativeCode.let_go.set()
    assert handle._ended.wait(DEADLINE), "the run's thread never ended once its body was let go"
    assert masks() == f"*** {LATE_SECRET}"
