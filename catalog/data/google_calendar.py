"""Google Calendar (REST v3): calendars, events (list, get, create, update, delete, quick add) and free/busy.
Times go to Google as RFC 3339; a Date input without a zone is UTC. List Calendars reads every page of the calendar
list; List Events follows the pages from page_token until it has max_results events (0: all), and hands on the
token of the page after them."""

from __future__ import annotations

import uuid
from typing import Any

from flowlike_catalog.data.google import NEXT_PAGE, RAW, Google, GoogleNode, csv_list, rfc3339, segment, struct_out
from flowlike_catalog.web.service_pins import bool_in, int_in, text_in, text_out

from flowlike_core import DataType, data_in, data_out

CATEGORY = "Data/Google/Calendar"
CAPABILITIES = ("network",)


def meet_link(event: dict[str, Any]) -> str:
    """The event's Google Meet URL, or empty."""
    points = event.get("conferenceData", {}).get("entryPoints", [])
    video = [p.get("uri", "") for p in points if p.get("entryPointType") == "video"]
    return event.get("hangoutLink") or (video[0] if video else "")


def calendar_event(event: dict[str, Any]) -> dict[str, Any]:
    """Flow-Like's GoogleCalendarEvent from Calendar's Event resource (all-day events give their date)."""
    def when(end: str) -> str | None:
        moment = event.get(end, {})
        return moment.get("dateTime") or moment.get("date")

    organizer = event.get("organizer")
    return {"id": event.get("id", ""), "summary": event.get("summary"), "description": event.get("description"),
            "location": event.get("location"), "start": when("start"), "end": when("end"),
            "status": event.get("status"), "html_link": event.get("htmlLink"), "hangout_link": meet_link(event) or None,
            "attendees": [{"email": a.get("email", ""), "display_name": a.get("displayName"),
                           "response_status": a.get("responseStatus"), "organizer": bool(a.get("organizer"))}
                          for a in event.get("attendees", [])],
            "organizer": {"email": organizer.get("email", ""), "display_name": organizer.get("displayName")}
            if organizer else None}


def new_meet() -> dict[str, Any]:
    """The conferenceData that asks Calendar to make a Meet conference (needs conferenceDataVersion=1)."""
    return {"createRequest": {"requestId": uuid.uuid4().hex, "conferenceSolutionKey": {"type": "hangoutsMeet"}}}


def events_path(calendar_id: str, event_id: str = "") -> str:
    path = f"/calendars/{segment(calendar_id or 'primary', 'calendar_id')}/events"
    return path + (f"/{segment(event_id, 'event_id')}" if event_id else "")


CALENDAR_ID = text_in("calendar_id", "primary", "A calendar id (an email address for most), or primary")
EVENT_ID = text_in("event_id")
EVENT = struct_out("event", description="GoogleCalendarEvent: id, summary, description, location, start, end, "
                   "status, html_link, hangout_link, attendees, organizer")


class ListCalendars(GoogleNode):
    name = "data_google_calendar_list"
    friendly_name = "List Calendars"
    description = "The calendars in the user's calendar list."
    outputs = (struct_out("calendars", array=True, description="GoogleCalendar: id, summary, description, "
                          "time_zone, primary"), text_out("primary_calendar_id"))

    async def call(self, google: Google) -> dict[str, Any]:
        found, _ = await google.listing("calendar", "/users/me/calendarList", "items", {})
        calendars = [{"id": c["id"], "summary": c.get("summaryOverride") or c.get("summary", ""),
                      "description": c.get("description"), "time_zone": c.get("timeZone"),
                      "primary": bool(c.get("primary"))} for c in found]
        primary = [c["id"] for c in calendars if c["primary"]]
        return {"calendars": calendars, "primary_calendar_id": primary[0] if primary else ""}


class ListEvents(GoogleNode):
    name = "data_google_calendar_list_events"
    friendly_name = "List Events"
    description = "Events of a calendar by start time (recurring events expanded), optionally between two times."
    inputs = (CALENDAR_ID, text_in("time_min", "", "RFC 3339, e.g. 2026-01-01T00:00:00Z: events ending after it"),
              text_in("time_max", "", "RFC 3339: events starting before it"), int_in("max_results", 100),
              text_in("page_token", ""))
    outputs = (struct_out("events", array=True, description="GoogleCalendarEvent"), NEXT_PAGE)

    async def call(self, google: Google, *, calendar_id: str, time_min: str, time_max: str, max_results: int,
                   page_token: str) -> dict[str, Any]:
        found, following = await google.listing(
            "calendar", events_path(calendar_id), "items",
            {"timeMin": time_min, "timeMax": time_max, "singleEvents": True, "orderBy": "startTime"},
            limit=max_results, size=("maxResults", 2500), page_token=page_token)
        return {"events": [calendar_event(e) for e in found], "next_page_token": following}


class GetEvent(GoogleNode):
    name = "data_google_calendar_get_event"
    friendly_name = "Get Event"
    description = "One event."
    inputs = (CALENDAR_ID, EVENT_ID)
    outputs = (EVENT, RAW)

    async def call(self, google: Google, *, calendar_id: str, event_id: str) -> dict[str, Any]:
        found = await google.call("calendar", "GET", events_path(calendar_id, event_id))
        return {"event": calendar_event(found), "raw": found}


class CreateEvent(GoogleNode):
    name = "data_google_calendar_create_event"
    friendly_name = "Create Event"
    description = "Adds an event, optionally with guests (comma-separated emails) and a Google Meet conference."
    inputs = (CALENDAR_ID, text_in("summary"), text_in("description", ""), text_in("location", ""),
              data_in("start_time", DataType.DATE, required=True), data_in("end_time", DataType.DATE, required=True),
              text_in("time_zone", "", "IANA name, e.g. Europe/Berlin (how Calendar shows it)"),
              text_in("attendees", "", "Comma-separated email addresses"), bool_in("add_meet", False))
    outputs = (EVENT, text_out("event_id"), text_out("meet_link", "Empty without a Meet conference"))

    async def call(self, google: Google, *, calendar_id: str, summary: str, description: str, location: str,
                   start_time: Any, end_time: Any, time_zone: str, attendees: str, add_meet: bool) -> dict[str, Any]:
        zone = {"timeZone": time_zone} if time_zone else {}
        body: dict[str, Any] = {"summary": summary, "start": {"dateTime": rfc3339(start_time, "start_time"), **zone},
                                "end": {"dateTime": rfc3339(end_time, "end_time"), **zone}}
        body |= {k: v for k, v in (("description", description), ("location", location)) if v}
        if attendees:
            body["attendees"] = [{"email": email} for email in csv_list(attendees)]
        if add_meet:
            body["conferenceData"] = new_meet()
        found = await google.call("calendar", "POST", events_path(calendar_id), body=body,
                                  params={"conferenceDataVersion": 1 if add_meet else None})
        return {"event": calendar_event(found), "event_id": found["id"], "meet_link": meet_link(found)}


class UpdateEvent(GoogleNode):
    name = "data_google_calendar_update_event"
    friendly_name = "Update Event"
    description = "Changes an event; empty inputs (and unset times) leave their field as it is."
    inputs = (CALENDAR_ID, EVENT_ID, text_in("summary", ""), text_in("description", ""), text_in("location", ""),
              data_in("start_time", DataType.DATE), data_in("end_time", DataType.DATE))
    outputs = (EVENT,)

    async def call(self, google: Google, *, calendar_id: str, event_id: str, summary: str, description: str,
                   location: str, start_time: Any, end_time: Any) -> dict[str, Any]:
        body: dict[str, Any] = {k: v for k, v in (("summary", summary), ("description", description),
                                                  ("location", location)) if v}
        body |= {k: {"dateTime": rfc3339(v, f"{k}_time")} for k, v in (("start", start_time), ("end", end_time)) if v}
        found = await google.call("calendar", "PATCH", events_path(calendar_id, event_id), body=body)
        return {"event": calendar_event(found)}


class DeleteEvent(GoogleNode):
    name = "data_google_calendar_delete_event"
    friendly_name = "Delete Event"
    description = "Deletes an event, telling the guests when send_notifications is on."
    inputs = (CALENDAR_ID, EVENT_ID, bool_in("send_notifications", False))

    async def call(self, google: Google, *, calendar_id: str, event_id: str,
                   send_notifications: bool) -> dict[str, Any]:
        await google.call("calendar", "DELETE", events_path(calendar_id, event_id),
                          params={"sendUpdates": "all" if send_notifications else "none"})
        return {}


class QuickAdd(GoogleNode):
    name = "data_google_calendar_quick_add"
    friendly_name = "Quick Add Event"
    description = "An event from a sentence, as Calendar reads it (\"Lunch with Ana tomorrow at 1pm\")."
    inputs = (CALENDAR_ID, text_in("text"))
    outputs = (EVENT, text_out("event_id"))

    async def call(self, google: Google, *, calendar_id: str, text: str) -> dict[str, Any]:
        if not text:
            raise ValueError("text is required")
        found = await google.call("calendar", "POST", events_path(calendar_id) + "/quickAdd", params={"text": text})
        return {"event": calendar_event(found), "event_id": found["id"]}


class FreeBusy(GoogleNode):
    name = "data_google_calendar_free_busy"
    friendly_name = "Query Free/Busy"
    description = "The busy periods of calendars between two times."
    inputs = (text_in("time_min", description="RFC 3339"), text_in("time_max", description="RFC 3339"),
              text_in("calendar_ids", "primary", "Comma-separated"))
    outputs = (data_out("busy_times", DataType.GENERIC, description="By calendar id: {busy: [{start, end}], "
                        "errors?}"),)

    async def call(self, google: Google, *, time_min: str, time_max: str, calendar_ids: str) -> dict[str, Any]:
        if not time_min or not time_max:
            raise ValueError("time_min and time_max are required (RFC 3339)")
        found = await google.call("calendar", "POST", "/freeBusy", body={
            "timeMin": time_min, "timeMax": time_max, "items": [{"id": i} for i in csv_list(calendar_ids)]})
        return {"busy_times": found.get("calendars", {})}
