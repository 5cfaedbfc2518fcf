"""Google Meet conferences as Flow-Like makes them: through Calendar events that carry a Meet conference
(Calendar's conferenceData), so a meeting has a time, guests and invitations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flowlike_catalog.data.google import Google, GoogleNode, csv_list, struct_out
from flowlike_catalog.data.google_calendar import CALENDAR_ID, events_path, meet_link, new_meet
from flowlike_catalog.web.service_pins import bool_in, int_in, text_in, text_out

from flowlike_core import DataType, data_out

CATEGORY = "Data/Google/Meet"
CAPABILITIES = ("network",)


def meet_info(event: dict[str, Any]) -> dict[str, Any]:
    """Flow-Like's GoogleMeetInfo from an event with a conference."""
    conference = event.get("conferenceData", {})
    phone = [p.get("uri", "") for p in conference.get("entryPoints", []) if p.get("entryPointType") == "phone"]
    return {"meet_link": meet_link(event), "conference_id": conference.get("conferenceId", ""),
            "event_id": event.get("id", ""), "event_link": event.get("htmlLink"),
            "dial_in": phone[0] if phone else None}


async def meeting(google: Google, summary: str, start: dt.datetime, minutes: int, *, description: str = "",
                  time_zone: str = "", attendees: str = "", send_invites: bool = False) -> dict[str, Any]:
    """A new event on the primary calendar with a Meet conference."""
    if minutes <= 0:
        raise ValueError(f"duration_minutes must be positive, got {minutes}")
    zone = {"timeZone": time_zone} if time_zone else {}
    body: dict[str, Any] = {"summary": summary, "start": {"dateTime": start.isoformat(), **zone},
                            "end": {"dateTime": (start + dt.timedelta(minutes=minutes)).isoformat(), **zone},
                            "conferenceData": new_meet()}
    if description:
        body["description"] = description
    if attendees:
        body["attendees"] = [{"email": email} for email in csv_list(attendees)]
    return await google.call("calendar", "POST", events_path("primary"), body=body, params={
        "conferenceDataVersion": 1, "sendUpdates": "all" if send_invites else "none"})


MEET_INFO = struct_out("meet_info", description="GoogleMeetInfo: meet_link, conference_id, event_id, event_link, "
                       "dial_in")


class CreateMeeting(GoogleNode):
    name = "data_google_meet_create"
    friendly_name = "Create Meeting"
    description = "Schedules a Google Meet meeting on the primary calendar, inviting the attendees."
    inputs = (text_in("summary"), text_in("description", ""),
              text_in("start_time", description="RFC 3339, e.g. 2026-03-01T10:00:00+01:00 (no zone: UTC)"),
              int_in("duration_minutes", 60), text_in("time_zone", "", "IANA name, e.g. Europe/Berlin"),
              text_in("attendees", "", "Comma-separated email addresses"), bool_in("send_invites", True))
    outputs = (MEET_INFO, text_out("meet_link"), text_out("event_id"))

    async def call(self, google: Google, *, summary: str, description: str, start_time: str,
                   duration_minutes: int, time_zone: str, attendees: str, send_invites: bool) -> dict[str, Any]:
        try:
            start = dt.datetime.fromisoformat(start_time.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"start_time is not an RFC 3339 time: {start_time!r}") from None
        event = await meeting(google, summary, start if start.tzinfo else start.replace(tzinfo=dt.UTC),
                              duration_minutes, description=description, time_zone=time_zone, attendees=attendees,
                              send_invites=send_invites)
        return {"meet_info": meet_info(event), "meet_link": meet_link(event), "event_id": event["id"]}


class CreateInstantMeeting(GoogleNode):
    name = "data_google_meet_instant"
    friendly_name = "Create Instant Meeting"
    description = "A Google Meet meeting starting now."
    inputs = (text_in("summary", "Quick Meeting"), int_in("duration_minutes", 30))
    outputs = (text_out("meet_link"), text_out("event_id"))

    async def call(self, google: Google, *, summary: str, duration_minutes: int) -> dict[str, Any]:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        event = await meeting(google, summary, now, duration_minutes)
        return {"meet_link": meet_link(event), "event_id": event["id"]}


class GetMeeting(GoogleNode):
    name = "data_google_meet_get"
    friendly_name = "Get Meeting Details"
    description = "The Meet conference of an event, if it has one."
    inputs = (text_in("event_id"), CALENDAR_ID)
    outputs = (MEET_INFO, text_out("meet_link"), data_out("has_meet", DataType.BOOLEAN))

    async def call(self, google: Google, *, event_id: str, calendar_id: str) -> dict[str, Any]:
        event = await google.call("calendar", "GET", events_path(calendar_id, event_id))
        link = meet_link(event)
        return {"meet_info": meet_info(event), "meet_link": link, "has_meet": bool(link)}


class AddMeetToEvent(GoogleNode):
    name = "data_google_meet_add_to_event"
    friendly_name = "Add Meet to Event"
    description = "Gives an existing event a Google Meet conference."
    inputs = (text_in("event_id"), CALENDAR_ID)
    outputs = (text_out("meet_link"),)

    async def call(self, google: Google, *, event_id: str, calendar_id: str) -> dict[str, Any]:
        event = await google.call("calendar", "PATCH", events_path(calendar_id, event_id),
                                  params={"conferenceDataVersion": 1}, body={"conferenceData": new_meet()})
        return {"meet_link": meet_link(event)}
