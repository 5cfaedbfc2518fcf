"""Dates: parse, format, parts, durations and differences, with time zones."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from flowlike_catalog.std.dates import (
    utils_datetime_duration,
    utils_datetime_format,
    utils_datetime_now,
    utils_datetime_parse,
    utils_datetime_to_date,
    utils_datetime_to_time,
)

from flowlike_core import RunStatus

UTC = dt.UTC
NOON = dt.datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_parse_iso_rfc2822_and_a_format_in_a_zone():
    assert utils_datetime_parse.func("2024-05-01T12:00:00Z", "", "UTC") == NOON
    assert utils_datetime_parse.func("2024-05-01T14:00:00+02:00", "", "UTC") == NOON
    assert utils_datetime_parse.func("Wed, 01 May 2024 12:00:00 +0000", "", "UTC") == NOON
    berlin = utils_datetime_parse.func("01.05.2024 14:00", "%d.%m.%Y %H:%M", "Europe/Berlin")
    assert berlin == NOON
    assert berlin.tzinfo == ZoneInfo("Europe/Berlin")
    assert utils_datetime_parse.func("2024-05-01 12:00", "", "UTC").tzinfo is UTC


def test_parse_errors_say_what_to_give():
    with pytest.raises(ValueError, match="cannot read 'yesterday' as a date: give ISO 8601"):
        utils_datetime_parse.func("yesterday", "", "UTC")
    with pytest.raises(ValueError, match="cannot read '2024' with format '%d.%m.%Y'"):
        utils_datetime_parse.func("2024", "%d.%m.%Y", "UTC")
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        utils_datetime_parse.func("2024-05-01", "", "Mars/Olympus")


def test_format_rfc3339_rfc2822_and_patterns_in_a_zone():
    assert utils_datetime_format.func(NOON, "rfc3339", "") == "2024-05-01T12:00:00+00:00"
    assert utils_datetime_format.func(NOON, "rfc2822", "") == "Wed, 01 May 2024 12:00:00 +0000"
    assert utils_datetime_format.func(NOON, "%H:%M %Z", "America/New_York") == "08:00 EDT"
    assert utils_datetime_format.func(dt.datetime(2024, 1, 2, 3, 4), "%Y/%m/%d %H.%M", "") == "2024/01/02 03.04"


def test_parts_of_a_date_and_time():
    moment = dt.datetime(2024, 12, 31, 23, 59, 58, 123456, tzinfo=UTC)
    assert utils_datetime_to_date.func(moment, "") == (2024, 12, 31, 1, 366)
    assert utils_datetime_to_date.func(moment, "Asia/Tokyo") == (2025, 1, 1, 2, 1)
    assert utils_datetime_to_time.func(moment, "") == (23, 59, 58, 123456000)


def test_add_duration_moves_by_exact_days_and_refuses_to_leave_the_calendar():
    assert utils_datetime_duration.func(NOON, 1, 2, 3, 4) == dt.datetime(2024, 5, 2, 14, 3, 4, tzinfo=UTC)
    assert utils_datetime_duration.func(NOON, -1, 0, 0, 0) == dt.datetime(2024, 4, 30, 12, tzinfo=UTC)
    with pytest.raises(ValueError, match="outside the years 1 to 9999"):
        utils_datetime_duration.func(NOON, 10_000_000, 0, 0, 0)


def test_now_is_aware_and_in_the_zone():
    before = dt.datetime.now(UTC)
    now = utils_datetime_now.func("Europe/Berlin")
    assert now.tzinfo == ZoneInfo("Europe/Berlin")
    assert before <= now <= dt.datetime.now(UTC)


def test_difference_splits_the_span_and_signs_it(b):
    diff = b.add("utils_datetime_diff", start="2024-05-01T12:00:00+00:00", end="2024-05-03T15:04:05+00:00")
    start = b.start()
    b.chain(start, diff)
    run = b.run()
    assert run.status is RunStatus.SUCCESS
    outputs = {name: run.output(diff.id, name) for name in
               ("total_seconds", "days", "hours", "minutes", "seconds", "human_readable")}
    assert outputs == {"total_seconds": 2 * 86400 + 3 * 3600 + 4 * 60 + 5, "days": 2, "hours": 3, "minutes": 4,
                       "seconds": 5, "human_readable": "2 days, 3 hours, 4 minutes, 5 seconds"}

    back = b.add("utils_datetime_diff", start="2024-05-01T12:01:00+00:00", end="2024-05-01T12:00:00+00:00")
    b.chain(diff, back)
    run = b.run()
    assert (run.output(back.id, "total_seconds"), run.output(back.id, "days"), run.output(back.id, "minutes"),
            run.output(back.id, "human_readable")) == (-60, 0, 1, "-1 minute")


def test_difference_fires_error_for_a_missing_date(b):
    start, diff, fine, failed = b.start(), b.add("utils_datetime_diff", end="2024-05-01T12:00:00+00:00"), \
        b.log("fine"), b.log("failed")
    b.chain(start, diff, fine)
    b.wire(diff, "error", failed, "exec_in")
    run = b.run()
    assert b.messages(run) == ["failed"]
    assert run.output(diff.id, "error_message") == "start must be a date, got NoneType"
