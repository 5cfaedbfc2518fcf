"""RPA steps on boards: timer and delay, the action log, checkpoints through real files, and the control nodes
(retry with backoff, try/catch, a time limit, routing by error type) running their branches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flowlike_catalog.automation import PACK
from flowlike_catalog.automation.rpa import backoff_ms, rpa_calculate_elapsed, rpa_save_checkpoint
from flowlike_catalog.data import PACK as DATA_PACK
from pack_builder import Builder

from flowlike_core import DataType, LogLevel, Variable, commands


@pytest.fixture
def b() -> Builder:
    return Builder(PACK, DATA_PACK)


def messages(run) -> list[str]:
    return [line.message for line in run.logs()]


def said(run, node) -> list[str]:
    """What one node logged, in order, over all its executions."""
    return [line.message for trace in run.traces_of(node.id) for line in trace.logs or ()]


def test_timer_measures_a_delay(b):
    start, delay, elapsed = b.add("rpa_start_timer"), b.add("rpa_delay", duration_ms=60), \
        b.add("rpa_calculate_elapsed")
    b.wire(start, "start_time", elapsed, "start_time")
    run = b.steps(start, delay, elapsed)
    assert run.output(elapsed.id, "elapsed_ms") >= 60
    assert run.output(elapsed.id, "elapsed_sec") == run.output(elapsed.id, "elapsed_ms") / 1000
    with pytest.raises(ValueError, match="Start Timer timestamp"):
        rpa_calculate_elapsed.func(0)


def test_log_action_logs_at_its_level(b):
    node = b.add("rpa_log_action", action="click", details="#submit", level="Warning")
    run = b.steps(node)
    entry = run.output(node.id, "log_entry")
    assert entry.endswith("] [Warning] click - #submit") and entry.startswith("[20")
    [line] = run.logs()
    assert (line.level, line.message) == (LogLevel.WARN, entry)


def test_checkpoint_goes_through_a_file_and_back(b, tmp_path: Path):
    target = tmp_path / "run" / "checkpoint.json"
    save = b.add("rpa_save_checkpoint", checkpoint_name="invoices", data=json.dumps({"page": 7}))
    write, read = b.add("write_string", path={"path": str(target)}), b.add("read_to_string",
                                                                            path={"path": str(target)})
    parse, resumed = b.add("rpa_parse_checkpoint"), b.add("log_info")
    b.wire(save, "checkpoint_data", write, "content")
    b.wire(read, "content", parse, "checkpoint_data")
    b.wire(parse, "exec_valid", resumed, "exec_in")
    b.wire(parse, "data", resumed, "message")
    run = b.steps(save, write, read, parse)
    on_disk = json.loads(target.read_text())
    assert on_disk["id"] == run.output(save.id, "checkpoint_id") and on_disk["id"].startswith("invoices_")
    assert (run.output(parse.id, "name"), run.output(parse.id, "timestamp")) == ("invoices", on_disk["timestamp"])
    assert messages(run) == ['{"page": 7}']
    with pytest.raises(ValueError, match="data is not JSON"):
        rpa_save_checkpoint.func("c", "{page: 7}")


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"name": "x"}'])
def test_parse_checkpoint_fires_invalid(b, text):
    parse, log = b.add("rpa_parse_checkpoint", checkpoint_data=text), b.add("log_info", message="invalid")
    b.wire(parse, "exec_invalid", log, "exec_in")
    run = b.steps(parse)
    assert [(run.output(parse.id, p)) for p in ("data", "name", "timestamp")] == ["{}", "", ""]
    assert messages(run)[-1] == "invalid" and messages(run)[0].startswith("invalid checkpoint")


def retry_board(b: Builder, max_retries: int) -> tuple:
    """A retry loop whose attempt fails until attempt 3 (Should Retry = attempt < 3)."""
    retry = b.add("rpa_retry_loop", max_retries=max_retries, initial_delay_ms=1, backoff_type="Constant")
    below, log = b.add("int_less_than", integer2=3), b.add("log_info")
    done, gave_up = b.add("log_info", message="success"), b.add("log_info", message="exhausted")
    b.wire(retry, "attempt", below, "integer1")
    b.wire(below, "less_than", retry, "should_retry")
    b.wire(retry, "exec_attempt", log, "exec_in")
    b.wire(retry, "attempt", log, "message")
    b.wire(retry, "exec_success", done, "exec_in")
    b.wire(retry, "exec_exhausted", gave_up, "exec_in")
    return retry, log, b.steps(retry)


def test_retry_loop_retries_until_the_attempt_succeeds(b):
    retry, attempts, run = retry_board(b, 5)
    assert said(run, attempts) == ["1", "2", "3"] and messages(run)[-1] == "success"
    assert run.output(retry.id, "total_attempts") == 3


def test_retry_loop_gives_up_after_max_retries(b):
    retry, attempts, run = retry_board(b, 2)
    assert said(run, attempts) == ["1", "2"] and messages(run)[-1] == "exhausted"
    assert said(run, retry)[-1] == "all 2 attempts failed"
    assert run.output(retry.id, "total_attempts") == 2


def test_backoff():
    assert [backoff_ms("Exponential", 100, n) for n in (1, 2, 3)] == [100, 200, 400]
    assert [backoff_ms("Linear", 100, n) for n in (1, 2, 3)] == [100, 200, 300]
    assert [backoff_ms("Constant", 100, n) for n in (1, 2, 3)] == [100, 100, 100]


@pytest.mark.parametrize("bad_json", [True, False])
def test_try_catch_reads_what_the_try_branch_reported(b, bad_json):
    b.board.apply(commands.UpsertVariable(Variable(name="failed", data_type=DataType.BOOLEAN, default_value=False)))
    catch = b.add("rpa_try_catch")
    action = b.add("fingerprint_from_json", json="[1" if bad_json else '{"id": "ok"}')
    flag, failed = b.add("variable_set", var_ref="failed", value_in=True), b.add("variable_get", var_ref="failed")
    caught, fine = b.add("log_info"), b.add("log_info", message="success")
    b.wire(catch, "exec_try", action, "exec_in")
    b.wire(action, "exec_error", flag, "exec_in")
    b.wire(failed, "value_ref", catch, "error_occurred")
    b.wire(action, "error_message", catch, "error_message")
    b.wire(catch, "exec_catch", caught, "exec_in")
    b.wire(catch, "message", caught, "message")
    b.wire(catch, "exec_success", fine, "exec_in")
    run = b.steps(catch)
    if bad_json:
        assert messages(run)[0].startswith("not an element fingerprint: (root): Invalid JSON")
    else:
        assert messages(run) == ["success"]


def test_with_timeout_stops_a_slow_action(b):
    limit, slow = b.add("rpa_with_timeout", timeout_ms=100), b.add("rpa_delay", duration_ms=30_000)
    late, fine = b.add("log_info", message="timeout"), b.add("log_info", message="success")
    b.wire(limit, "exec_action", slow, "exec_in")
    b.wire(limit, "exec_timeout", late, "exec_in")
    b.wire(limit, "exec_success", fine, "exec_in")
    run = b.steps(limit)
    assert messages(run)[-1] == "timeout"
    assert 100 <= run.output(limit.id, "elapsed_ms") < 30_000


@pytest.mark.parametrize(("completed", "expected"), [(None, "success"), (True, "success"), (False, "timeout")])
def test_with_timeout_in_time_reads_completed(b, completed, expected):
    limit, quick = b.add("rpa_with_timeout", timeout_ms=20_000), b.add("log_info", message="acted")
    late, fine = b.add("log_info", message="timeout"), b.add("log_info", message="success")
    if completed is not None:
        b.feed(limit, completed=completed)
    b.wire(limit, "exec_action", quick, "exec_in")
    b.wire(limit, "exec_timeout", late, "exec_in")
    b.wire(limit, "exec_success", fine, "exec_in")
    run = b.steps(limit)
    assert messages(run) == ["acted", expected]


@pytest.mark.parametrize(("error_type", "error", "matched"), [
    ("ElementNotFound", "Locator '#x': element not found", True),
    ("Timeout", "Operation TIMED OUT after 30s", True),
    ("Timeout", "element not found", False),
    ("ClickFailed", "mouse button stuck", True),
    ("TemplateNotMatched", "no template match above 0.8", True),
    ("Other", "anything at all", True),
])
def test_error_recovery_routes_by_type(b, error_type, error, matched):
    route = b.add("rpa_error_recovery", error_type=error_type, actual_error=error)
    yes, no = b.add("log_info", message="matched"), b.add("log_info", message="unmatched")
    b.wire(route, "exec_matched", yes, "exec_in")
    b.wire(route, "exec_unmatched", no, "exec_in")
    assert messages(b.steps(route)) == ["matched" if matched else "unmatched"]
