"""Outlook calendars through Microsoft Graph with Date pins: calendars, events in a time window, scheduling
(free/busy of several people, meeting-time suggestions). A naive Date is a wall time in the node's time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flowlike_catalog.data.microsoft import (
    COUNT,
    Graph,
    GraphNode,
    csv_list,
    date_in,
    event_fields,
    listed,
    recipients,
    segment,
    struct_out,
    utc_text,
    wall_time,
)
from flowlike_catalog.web.service_pins import bool_in, int_in, text_in

CATEGORY = "Data/Microsoft/Calendar"
CAPABILITIES = ("network",)

EVENT = struct_out("event", description="Graph's event")
ZONE = text_in("time_zone", "UTC", "UTC, an IANA or a Windows time zone name")


class ListCalendars(GraphNode):
    name = "data_microsoft_calendar_list_calendars"
    friendly_name = "List Calendars"
    description = "The user's calendars."
    outputs = (struct_out("calendars", array=True, description="Graph's calendars"), COUNT)

    async def call(self, graph: Graph) -> dict[str, Any]:
        return listed("calendars", await graph.list("/me/calendars"))


class CreateCalendar(GraphNode):
    name = "data_microsoft_calendar_create_calendar"
    friendly_name = "Create Calendar"
    description = "Adds a calendar (color: auto, lightBlue, lightGreen, lightOrange, lightGray, lightYellow...)."
    inputs = (text_in("name"), text_in("color", "auto"))
    outputs = (struct_out("calendar", description="Graph's calendar"),)

    async def call(self, graph: Graph, *, name: str, color: str) -> dict[str, Any]:
        if not name:
            raise ValueError("name is required")
        return {"calendar": await graph.call("POST", "/me/calendars", body={"name": name, "color": color})}


class ListEvents(GraphNode):
    name = "data_microsoft_calendar_list_events"
    friendly_name = "List Events"
    description = ("The event occurrences between start and end (recurring events expanded) in a calendar (the "
                   "default one when calendar_id is empty).")
    inputs = (text_in("calendar_id", ""), date_in("start_date"), date_in("end_date"),
              int_in("top", 50, "At most this many (0: all)"))
    outputs = (struct_out("events", array=True, description="Graph's events"), COUNT)

    async def call(self, graph: Graph, *, calendar_id: str, start_date: dt.datetime, end_date: dt.datetime,
                   top: int) -> dict[str, Any]:
        path = f"/me/calendars/{segment(calendar_id, 'calendar_id')}/calendarView" if calendar_id else \
            "/me/calendar/calendarView"
        params = {"startDateTime": utc_text(start_date), "endDateTime": utc_text(end_date),
                  "$top": min(top, 1000) if top else ""}
        return listed("events", await graph.list(path, params, top))


class CreateEvent(GraphNode):
    name = "data_microsoft_calendar_create_event"
    friendly_name = "Create Event"
    description = "Adds an event to the default calendar; attendees are comma-separated addresses."
    inputs = (text_in("subject"), text_in("body", "", "HTML"), date_in("start_date_time"), date_in("end_date_time"),
              ZONE, text_in("location", ""), text_in("attendees", ""), bool_in("is_online_meeting", False))
    outputs = (EVENT,)

    async def call(self, graph: Graph, *, subject: str, body: str, start_date_time: dt.datetime,
                   end_date_time: dt.datetime, time_zone: str, location: str, attendees: str,
                   is_online_meeting: bool) -> dict[str, Any]:
        if not subject:
            raise ValueError("subject is required")
        fields = event_fields(subject=subject, body=body, start=start_date_time, end=end_date_time,
                              time_zone=time_zone, location=location, attendees=attendees,
                              online_meeting=is_online_meeting)
        return {"event": await graph.call("POST", "/me/calendar/events", body=fields)}


class UpdateEvent(GraphNode):
    name = "data_microsoft_calendar_update_event"
    friendly_name = "Update Event"
    description = "Changes an event; empty inputs (unset Dates) leave their field as it is."
    inputs = (text_in("event_id"), text_in("subject", ""), date_in("start_date_time", required=False),
              date_in("end_date_time", required=False), ZONE, text_in("location", ""))
    outputs = (EVENT,)

    async def call(self, graph: Graph, *, event_id: str, subject: str, start_date_time: dt.datetime | None,
                   end_date_time: dt.datetime | None, time_zone: str, location: str) -> dict[str, Any]:
        fields = event_fields(subject=subject, start=start_date_time, end=end_date_time, time_zone=time_zone,
                              location=location)
        return {"event": await graph.call("PATCH", f"/me/events/{segment(event_id, 'event_id')}", body=fields)}


class DeleteEvent(GraphNode):
    name = "data_microsoft_calendar_delete_event"
    friendly_name = "Delete Event"
    description = "Removes an event."
    inputs = (text_in("event_id"),)

    async def call(self, graph: Graph, *, event_id: str) -> dict[str, Any]:
        await graph.call("DELETE", f"/me/events/{segment(event_id, 'event_id')}")
        return {}


class FindMeetingTimes(GraphNode):
    name = "data_microsoft_calendar_find_meeting_times"
    friendly_name = "Find Meeting Times"
    description = "Times within the window (working hours) when the attendees (comma-separated addresses) are free."
    inputs = (text_in("attendees"), int_in("duration_minutes", 30), date_in("start_date"), date_in("end_date"), ZONE)
    outputs = (struct_out("suggestions", array=True, description="Graph's meetingTimeSuggestions"), COUNT)

    async def call(self, graph: Graph, *, attendees: str, duration_minutes: int, start_date: dt.datetime,
                   end_date: dt.datetime, time_zone: str) -> dict[str, Any]:
        if duration_minutes <= 0:
            raise ValueError(f"duration_minutes must be above 0, got {duration_minutes}")
        body = {"attendees": recipients(attendees, "required"),
                "timeConstraint": {"activityDomain": "work", "timeSlots": [
                    {"start": wall_time(start_date, time_zone), "end": wall_time(end_date, time_zone)}]},
                "meetingDuration": f"PT{duration_minutes}M"}
        found = await graph.call("POST", "/me/findMeetingTimes", body=body)
        return listed("suggestions", found.get("meetingTimeSuggestions") or [])


class GetSchedule(GraphNode):
    name = "data_microsoft_calendar_get_schedule"
    friendly_name = "Get Schedule"
    description = ("The free/busy times of people, rooms or distribution lists (comma-separated addresses) in a "
                   "window, with an availability view in slots of interval_minutes.")
    inputs = (text_in("schedules"), date_in("start_date_time"), date_in("end_date_time"), ZONE,
              int_in("interval_minutes", 30))
    outputs = (struct_out("schedule_data", description="Graph's answer: value, one scheduleInformation each"),)

    async def call(self, graph: Graph, *, schedules: str, start_date_time: dt.datetime, end_date_time: dt.datetime,
                   time_zone: str, interval_minutes: int) -> dict[str, Any]:
        if not csv_list(schedules):
            raise ValueError("schedules names no address")
        body = {"schedules": csv_list(schedules), "startTime": wall_time(start_date_time, time_zone),
                "endTime": wall_time(end_date_time, time_zone), "availabilityViewInterval": interval_minutes}
        found = await graph.call("POST", "/me/calendar/getSchedule", body=body)
        return {"schedule_data": found}
