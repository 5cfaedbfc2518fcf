"""Calendars kept in IMAP folders (one message per event: an `X-Event-UID` header and a text/calendar part),
and iCalendar feeds read from a URL (icalendar).

Times without a zone are taken as UTC. An event is in a range when it overlaps it.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any, ClassVar

from flowlike_catalog.web.errors import routed
from flowlike_catalog.web.http import HttpRequest, fetch
from flowlike_catalog.web.imap import as_model, checked, ensure_mailbox, mailbox_arg, mailbox_names, quoted, select
from flowlike_catalog.web.mail import ImapConnection, ImapInbox, schema, session
from pydantic import BaseModel, ConfigDict, Field

from flowlike_core import Context, DataType, NodeType, PinSpec, ValueType, data_in, data_out, exec_in, exec_out

CATEGORY = "Email/IMAP/Calendar"
CAPABILITIES = ("network",)  # what its nodes reach (flowlike_core.policy)
UID_HEADER = "X-Event-UID"
CALENDAR_WORDS = ("calendar", "cal", "events")


class CalendarEvent(BaseModel):
    model_config = ConfigDict(frozen=True)
    uid: str
    summary: str = ""
    description: str = ""
    location: str = ""
    start: str = ""
    end: str = ""
    organizer: str = ""
    attendees: list[str] = Field(default_factory=list)
    status: str = ""


EVENT_SCHEMA = CalendarEvent.model_json_schema()


def utc(value: Any) -> dt.datetime:
    """A datetime in UTC from a datetime, a date (midnight) or ISO text; naive means UTC."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def events_of(ics: bytes | str, source: str) -> list[tuple[CalendarEvent, dt.datetime, dt.datetime]]:
    """The VEVENTs of an iCalendar text with their UTC start and end (end = start when it has none); text that is
    not iCalendar fails naming its `source`."""
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(ics)
    except ValueError as exc:
        raise ValueError(f"{source} is not an iCalendar text: {str(exc)[:200]}") from None
    found = []
    for event in calendar.walk("VEVENT"):
        if event.get("dtstart") is None:
            continue
        start = utc(event.decoded("dtstart"))
        end = utc(event.decoded("dtend")) if event.get("dtend") is not None else start
        attendees = event.get("attendee", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        found.append((CalendarEvent(
            uid=str(event.get("uid", "")), summary=str(event.get("summary", "")),
            description=str(event.get("description", "")), location=str(event.get("location", "")),
            start=start.isoformat(), end=end.isoformat(),
            organizer=str(event.get("organizer", "")).removeprefix("mailto:"),
            attendees=[str(a).removeprefix("mailto:") for a in attendees], status=str(event.get("status", ""))),
            start, end))
    return found


def in_range(found: list[tuple[CalendarEvent, dt.datetime, dt.datetime]], start_date: Any,
             end_date: Any) -> list[CalendarEvent]:
    low, high = utc(start_date), utc(end_date)
    if high < low:
        raise ValueError(f"end_date {high.isoformat()} is before start_date {low.isoformat()}")
    return [event for event, start, end in found if start <= high and max(end, start) >= low]


def connection_in() -> PinSpec:
    return data_in("connection", DataType.STRUCT, schema=schema(ImapConnection), required=True,
                   description="From IMAP Connect")


def folder_in() -> PinSpec:
    return data_in("calendar_folder", DataType.STRING, default="Calendar")


def events_out() -> PinSpec:
    return data_out("events", DataType.STRUCT, ValueType.ARRAY, schema=EVENT_SCHEMA)


def event_message_uids(client: Any, folder: str, event_uid: str) -> list[bytes]:
    select(client, folder)
    data = checked(client.uid("SEARCH", None, "HEADER", UID_HEADER, quoted(event_uid)), f"search in {folder!r}")
    return (data[0] or b"").split()


def folder_events(client: Any, folder: str) -> list[tuple[CalendarEvent, dt.datetime, dt.datetime]]:
    """Every event stored in a calendar folder."""
    from email import policy
    from email.parser import BytesParser

    select(client, folder)
    found = []
    for uid in (checked(client.uid("SEARCH", None, "ALL"), f"listing of {folder!r}")[0] or b"").split():
        data = checked(client.uid("FETCH", uid, "(BODY.PEEK[])"), f"fetch of event message {uid.decode()}")
        raw = next(item[1] for item in data if isinstance(item, tuple))
        message = BytesParser(policy=policy.default).parsebytes(raw)
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                found += events_of(part.get_content(), f"event message {uid.decode()} of {folder!r}")
    return found


class CalendarStep(NodeType):
    """A calendar call that fires Error (with error_message) instead of failing when Error is wired."""

    inputs: ClassVar[tuple[PinSpec, ...]] = ()
    outputs: ClassVar[tuple[PinSpec, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        cls.pins = (exec_in(), *cls.inputs, exec_out(), exec_out("error", "Error"), *cls.outputs,
                    data_out("error_message", DataType.STRING))
        super().__init_subclass__(**kwargs)

    async def call(self, ctx: Context, **inputs: Any) -> dict[str, Any]:
        raise NotImplementedError

    async def run(self, ctx: Context) -> None:
        inputs = {spec.name: ctx.get_input(spec.name) for spec in self.inputs}
        try:
            outputs = await self.call(ctx, **inputs)
        except (LookupError, RuntimeError, ValueError, ConnectionError) as exc:
            routed(ctx, "error", exc, "error_message")
            return
        for name, value in outputs.items():
            ctx.set_output(name, value)
        ctx.activate("exec_out")


class ListCalendars(NodeType):
    name = "mail_imap_calendar_list"
    friendly_name = "IMAP List Calendars"
    description = "Every mailbox (names), and those whose name says calendar, cal or events (calendar_names)."
    pins = (exec_in(), connection_in(), exec_out(), data_out("names", DataType.STRING, ValueType.ARRAY),
            data_out("calendar_names", DataType.STRING, ValueType.ARRAY),
            data_out("calendars", DataType.STRUCT, ValueType.ARRAY, schema=schema(ImapInbox)))

    async def run(self, ctx: Context, *, connection: ImapConnection) -> None:
        names = await session(ctx, "imap", connection).call(mailbox_names)
        calendars = [name for name in names if any(word in name.lower() for word in CALENDAR_WORDS)]
        ctx.set_output("names", names)
        ctx.set_output("calendar_names", calendars)
        ctx.set_output("calendars", [ImapInbox(connection=connection, name=name) for name in calendars])
        ctx.activate("exec_out")


class ListEvents(NodeType):
    name = "mail_imap_calendar_list_events"
    friendly_name = "List Calendar Events"
    description = "The events of a calendar folder that overlap the date range, by start time."
    pins = (exec_in(), connection_in(), folder_in(), data_in("start_date", DataType.DATE, required=True),
            data_in("end_date", DataType.DATE, required=True), exec_out(), events_out())

    async def run(self, ctx: Context, *, connection: ImapConnection, calendar_folder: str, start_date: Any,
                  end_date: Any) -> None:
        found = await session(ctx, "imap", connection).call(lambda client: folder_events(client, calendar_folder))
        ctx.set_output("events", sorted(in_range(found, start_date, end_date), key=lambda e: e.start))
        ctx.activate("exec_out")


class CreateEvent(CalendarStep):
    name = "mail_imap_calendar_create_event"
    friendly_name = "Create Calendar Event"
    description = "Stores a new event in a calendar folder (made if missing); its UID."
    inputs = (connection_in(), folder_in(), data_in("summary", DataType.STRING, required=True),
              data_in("description", DataType.STRING, default=""), data_in("location", DataType.STRING, default=""),
              data_in("start", DataType.DATE, required=True), data_in("end", DataType.DATE, required=True),
              data_in("attendees", DataType.STRING, default="", description="Comma-separated addresses"))
    outputs = (data_out("event_uid", DataType.STRING),)

    async def call(self, ctx: Context, *, connection: Any, calendar_folder: str, summary: str, description: str,
                   location: str, start: Any, end: Any, attendees: str) -> dict[str, Any]:
        import imaplib
        from email.message import EmailMessage

        import icalendar

        connection = as_model(ImapConnection, connection, "an IMAP connection")
        start, end = utc(start), utc(end)
        if end < start:
            raise ValueError(f"the event ends ({end.isoformat()}) before it starts ({start.isoformat()})")
        event_uid = f"{uuid.uuid4()}@flowlike"
        event = icalendar.Event()
        for key, value in (("uid", event_uid), ("summary", summary), ("dtstart", start), ("dtend", end),
                           ("dtstamp", dt.datetime.now(dt.UTC))):
            event.add(key, value)
        for key, value in (("description", description), ("location", location)):
            if value:
                event.add(key, value)
        for address in (a.strip() for a in attendees.split(",")):
            if address:
                event.add("attendee", f"mailto:{address}")
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//flowlike-nb//web pack//EN")
        calendar.add("version", "2.0")
        calendar.add_component(event)
        message = EmailMessage()
        message["Subject"], message[UID_HEADER] = summary, event_uid
        message.set_content(calendar.to_ical().decode(), subtype="calendar")

        def append(client: Any) -> None:
            ensure_mailbox(client, calendar_folder)
            checked(client.append(mailbox_arg(calendar_folder), None, imaplib.Time2Internaldate(time.time()),
                                  message.as_bytes()), f"append to {calendar_folder!r}")

        await session(ctx, "imap", connection).call(append)
        return {"event_uid": event_uid}


class GetEvent(CalendarStep):
    name = "mail_imap_calendar_get_event"
    friendly_name = "Get Calendar Event"
    description = "One event of a calendar folder, by UID (Error when there is none)."
    inputs = (connection_in(), folder_in(), data_in("event_uid", DataType.STRING, required=True))
    outputs = (data_out("event", DataType.STRUCT, schema=EVENT_SCHEMA),)

    async def call(self, ctx: Context, *, connection: Any, calendar_folder: str, event_uid: str) -> dict[str, Any]:
        connection = as_model(ImapConnection, connection, "an IMAP connection")
        found = await session(ctx, "imap", connection).call(lambda client: folder_events(client, calendar_folder))
        for event, _, _ in found:
            if event.uid == event_uid:
                return {"event": event}
        raise LookupError(f"no event {event_uid!r} in {calendar_folder!r}")


class DeleteEvent(CalendarStep):
    name = "mail_imap_calendar_delete_event"
    friendly_name = "Delete Calendar Event"
    description = "Removes an event (its message) from a calendar folder (Error when there is none)."
    inputs = (connection_in(), folder_in(), data_in("event_uid", DataType.STRING, required=True))

    async def call(self, ctx: Context, *, connection: Any, calendar_folder: str, event_uid: str) -> dict[str, Any]:
        connection = as_model(ImapConnection, connection, "an IMAP connection")

        def delete(client: Any) -> None:
            uids = event_message_uids(client, calendar_folder, event_uid)
            if not uids:
                raise LookupError(f"no event {event_uid!r} in {calendar_folder!r}")
            uid_set = b",".join(uids).decode()
            checked(client.uid("STORE", uid_set, "+FLAGS", "(\\Deleted)"), f"delete of event {event_uid!r}")
            checked(client.uid("EXPUNGE", uid_set), f"expunge of event {event_uid!r}")

        await session(ctx, "imap", connection).call(delete)
        return {}


class SubscribeCalendar(CalendarStep):
    name = "mail_imap_calendar_subscribe"
    friendly_name = "Subscribe to Calendar URL"
    description = "Reads an iCalendar feed (.ics URL) through the run's HTTP client: its events in the range."
    inputs = (data_in("url", DataType.STRING, required=True), data_in("start_date", DataType.DATE, required=True),
              data_in("end_date", DataType.DATE, required=True))
    outputs = (events_out(), data_out("calendar_name", DataType.STRING, description="X-WR-CALNAME, if given"))

    async def call(self, ctx: Context, *, url: str, start_date: Any, end_date: Any) -> dict[str, Any]:
        import icalendar

        response = await fetch(ctx, HttpRequest(url=url, headers={"Accept": "text/calendar"}))
        if response.status_code >= 400:
            raise ConnectionError(f"calendar feed {url} answered {response.status_code}")
        events = sorted(in_range(events_of(response.body, f"calendar feed {url}"), start_date, end_date),
                        key=lambda e: e.start)
        name = str(icalendar.Calendar.from_ical(response.body).get("x-wr-calname", ""))
        return {"events": events, "calendar_name": name}
