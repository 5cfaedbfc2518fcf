"""Dates and times: now, parse, format, differences, durations and parts, with IANA time zones (zoneinfo).

A date without a zone is read as UTC, so every result is an aware datetime and differences are exact.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from typing import Annotated, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flowlike_core import Context, DataType, NodeType, Pin, data_in, data_out, exec_in, exec_out, node

CATEGORY = "Utils/DateTime"

Zone = Annotated[str, Pin(description='An IANA time zone such as "Europe/Berlin"; empty keeps the '
                                                   "date's own zone (UTC for a date without one)")]


class DateParts(NamedTuple):
    year: int
    month: int
    day: int
    weekday: Annotated[int, Pin(description="Days since Monday (Monday is 0)")]
    day_of_year: int


class TimeParts(NamedTuple):
    hour: int
    minute: int
    second: int
    nanosecond: int


def zone(name: str) -> dt.tzinfo:
    """The time zone of an IANA name, or a clear error. UTC needs no time zone database."""
    if name.upper() in ("UTC", "Z"):
        return dt.UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as 'Europe/Berlin' or 'UTC'") from None


def aware(value: dt.datetime | dt.date | str | None, what: str = "date") -> dt.datetime:
    """The value as an aware datetime: ISO text is parsed, a date is midnight, no zone means UTC."""
    if isinstance(value, str):
        value = parse_text(value, "")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if not isinstance(value, dt.datetime):
        raise TypeError(f"{what} must be a date, got {type(value).__name__}")
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def in_zone(value: dt.datetime, time_zone: str) -> dt.datetime:
    return value.astimezone(zone(time_zone)) if time_zone else value


def parse_text(text: str, format: str) -> dt.datetime:
    """ISO 8601 / RFC 3339 or RFC 2822 text when the format is empty, else a strftime pattern."""
    text = text.strip()
    if format:
        try:
            return dt.datetime.strptime(text, format)
        except ValueError as exc:
            raise ValueError(f"cannot read {text!r} with format {format!r}: {exc}") from None
    try:
        return dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        raise ValueError(f"cannot read {text!r} as a date: give ISO 8601 (2024-05-01T12:00:00Z), RFC 2822 "
                         f"(Wed, 01 May 2024 12:00:00 +0000) or a format") from None


@node(friendly_name="Now", exec_pins=True, cacheable=False)
def utils_datetime_now(time_zone: Zone = "UTC") -> Annotated[dt.datetime, Pin(name="date")]:
    """The current date and time, in the time zone."""
    return dt.datetime.now(zone(time_zone or "UTC"))


@node(friendly_name="Parse DateTime")
def utils_datetime_parse(input: Annotated[str, Pin("Text")] = "",
                         format: Annotated[str, Pin(description="A strftime pattern such as %d.%m.%Y %H:%M; empty "
                                                                "reads ISO 8601 / RFC 3339 and RFC 2822")] = "",
                         time_zone: Annotated[str, Pin(description="The zone of a text that names "
                                                                                "none")] = "UTC") -> Annotated[
        dt.datetime, Pin(name="date")]:
    """Reads a date from text; a text without a zone is taken in the time zone."""
    parsed = parse_text(input, format)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone(time_zone or "UTC"))


@node(friendly_name="Format DateTime")
def utils_datetime_format(date: dt.datetime = None,
                          format: Annotated[str, Pin(description='"rfc3339", "rfc2822" or a strftime pattern')] =
                          "rfc3339", time_zone: Zone = "") -> Annotated[str, Pin(name="formatted")]:
    """The date as text: RFC 3339, RFC 2822 or a strftime pattern, after moving it into the time zone."""
    value = in_zone(aware(date), time_zone)
    if format == "rfc3339":
        return value.isoformat()
    if format == "rfc2822":
        return email.utils.format_datetime(value)
    return value.strftime(format)


@node(friendly_name="Add Duration")
def utils_datetime_duration(date: dt.datetime = None, days: int = 0, hours: int = 0, minutes: int = 0,
                            seconds: int = 0) -> Annotated[dt.datetime, Pin(name="result")]:
    """The date moved by the duration (negative parts move it back). Days are exact 24-hour days."""
    try:
        return aware(date) + dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        raise ValueError(f"the date {date} moved by {days} days, {hours} hours, {minutes} minutes and {seconds} "
                         f"seconds is outside the years 1 to 9999") from None


@node(friendly_name="To Date")
def utils_datetime_to_date(date: dt.datetime = None, time_zone: Zone = "") -> DateParts:
    """The calendar parts of the date, in the time zone."""
    value = in_zone(aware(date), time_zone)
    return DateParts(value.year, value.month, value.day, value.weekday(), value.timetuple().tm_yday)


@node(friendly_name="To Time")
def utils_datetime_to_time(date: dt.datetime = None, time_zone: Zone = "") -> TimeParts:
    """The clock parts of the date, in the time zone (Python dates resolve microseconds)."""
    value = in_zone(aware(date), time_zone)
    return TimeParts(value.hour, value.minute, value.second, value.microsecond * 1000)


def human(total_seconds: int) -> str:
    """'1 day, 2 hours, 5 seconds'; a negative span gets a leading minus."""
    days, rest = divmod(abs(total_seconds), 86_400)
    parts = [f"{count} {unit}{'' if count == 1 else 's'}"
             for count, unit in ((days, "day"), (rest // 3600, "hour"), (rest % 3600 // 60, "minute")) if count]
    seconds = rest % 60
    if seconds or not parts:
        parts.append(f"{seconds} second{'' if seconds == 1 else 's'}")
    return ("-" if total_seconds < 0 else "") + ", ".join(parts)


class DateTimeDifference(NodeType):
    name = "utils_datetime_diff"
    friendly_name = "DateTime Difference"
    description = ("The time from Start to End in whole seconds, split into days, hours, minutes and seconds "
                   "(negative when End is earlier: total and days carry the sign). Fires Error with a message "
                   "when an input is no date.")
    pins = (
        exec_in(),
        data_in("start", DataType.DATE),
        data_in("end", DataType.DATE),
        exec_out(),
        data_out("total_seconds", DataType.INTEGER),
        data_out("days", DataType.INTEGER),
        data_out("hours", DataType.INTEGER),
        data_out("minutes", DataType.INTEGER),
        data_out("seconds", DataType.INTEGER),
        data_out("human_readable", DataType.STRING),
        exec_out("error", "Error", "Fires instead of Exec Out when Start or End is not a date"),
        data_out("error_message", DataType.STRING),
    )

    def run(self, ctx: Context, *, start: dt.datetime | None, end: dt.datetime | None) -> None:
        try:
            begin, finish = aware(start, "start"), aware(end, "end")
        except (TypeError, ValueError) as exc:
            ctx.set_output("error_message", str(exc))
            ctx.activate("error")
            return
        total = int((finish - begin).total_seconds())
        days, rest = divmod(abs(total), 86_400)
        ctx.set_output("total_seconds", total)
        ctx.set_output("days", -days if total < 0 else days)
        ctx.set_output("hours", rest // 3600)
        ctx.set_output("minutes", rest % 3600 // 60)
        ctx.set_output("seconds", rest % 60)
        ctx.set_output("human_readable", human(total))
        ctx.activate("exec_out")
