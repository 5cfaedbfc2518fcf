"""Fingerprint From JSON with its Error output left unwired: bad JSON fails the run naming the input (it went on
as if parsed, with an empty fingerprint)."""

from __future__ import annotations

from flowlike_catalog.automation import PACK
from pack_builder import Builder

from flowlike_core import RunStatus


def test_bad_json_fails_the_run_when_error_is_not_wired() -> None:
    b = Builder(PACK)
    parse = b.add("fingerprint_from_json", json='{"id": "login", "match_count": "many"}')
    b.chain(b.add("events_simple"), parse, b.add("log_info", message="parsed"))
    run = b.board.run(registry=b.registry)
    assert run.status is RunStatus.FAILED
    assert ("ValueError: input 'json' is not an element fingerprint: match_count: Input should be a valid integer"
            in run.error)
    assert [line.message for line in run.logs()] == []
