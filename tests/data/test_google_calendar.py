"""Google Calendar and Meet nodes against a local server speaking Calendar v3's wire format (Meet
conferences are Calendar conferenceData, made only with conferenceDataVersion=1, as Google does)."""

from __future__ import annotations

import datetime as dt

import pytest
from data_boards import one
from fake_google import google_flow
from flowlike_catalog.data.google import rfc3339


def test_rfc3339_takes_dates_strings_and_naive_times_as_utc() -> None:
    assert rfc3339(dt.datetime(2026, 3, 1, 9, 30), "t") == "2026-03-01T09:30:00+00:00"
    assert rfc3339("2026-03-01T09:30:00Z", "t") == "2026-03-01T09:30:00+00:00"
    with pytest.raises(ValueError, match="start_time is required"):
        rfc3339(None, "start_time")
    with pytest.raises(ValueError, match="not a date and time"):
        rfc3339("soon", "t")


def test_calendars_and_an_event_lifecycle(gs) -> None:
    calendars = one(google_flow(gs.url), "data_google_calendar_list")
    assert calendars["primary_calendar_id"] == "ada@example.org"
    assert calendars["calendars"][1] == {"id": "team@group.calendar.google.com", "summary": "Team",
                                         "description": None, "time_zone": None, "primary": False}
    assert [r["query"].get("pageToken") for r in gs.state.requests] == [None, "1"]  # the fake's pages: 1 calendar

    board = google_flow(gs.url)
    created = board.step("data_google_calendar_create_event", summary="Review", location="Room 1",
                         start_time=dt.datetime(2026, 3, 1, 9), end_time=dt.datetime(2026, 3, 1, 10),
                         time_zone="Europe/London", attendees="bo@example.org, cy@example.org", add_meet=True)
    updated = board.step("data_google_calendar_update_event", summary="Design review")
    board.flow.wire(created, "event_id", updated, "event_id")
    run = board.run()
    made = board.outputs(run, created)
    assert made["meet_link"].startswith("https://meet.google.com/") and made["event"]["hangout_link"] == \
        made["meet_link"]
    post = gs.state.requests[2]
    assert post["path"] == "/calendar/v3/calendars/primary/events" and post["query"] == {"conferenceDataVersion": "1"}
    assert post["json"]["start"] == {"dateTime": "2026-03-01T09:00:00+00:00", "timeZone": "Europe/London"}
    assert post["json"]["attendees"] == [{"email": "bo@example.org"}, {"email": "cy@example.org"}]
    assert post["json"]["conferenceData"]["createRequest"]["conferenceSolutionKey"] == {"type": "hangoutsMeet"}
    assert gs.state.requests[3]["json"] == {"summary": "Design review"}
    event = board.outputs(run, updated)["event"]
    assert (event["summary"], event["location"], event["start"], event["attendees"][0]["email"]) == (
        "Design review", "Room 1", "2026-03-01T09:00:00+00:00", "bo@example.org")

    got = one(google_flow(gs.url), "data_google_calendar_get_event", event_id=made["event_id"])
    assert got["event"]["summary"] == "Design review" and got["raw"]["conferenceData"]["conferenceId"]
    one(google_flow(gs.url), "data_google_calendar_delete_event", event_id=made["event_id"], send_notifications=True)
    assert gs.state.requests[-1]["query"] == {"sendUpdates": "all"} and not gs.state.events["ada@example.org"]


def test_list_events_pages_and_free_busy(gs) -> None:
    for hour in (9, 11, 15):
        one(google_flow(gs.url), "data_google_calendar_create_event", summary=f"At {hour}",
            start_time=f"2026-04-01T{hour:02d}:00:00Z", end_time=f"2026-04-01T{hour:02d}:30:00Z")
    page = one(google_flow(gs.url), "data_google_calendar_list_events", time_min="2026-04-01T10:00:00+00:00",
               max_results=1)
    assert [e["summary"] for e in page["events"]] == ["At 11"] and page["next_page_token"] == "1"
    assert gs.state.requests[-1]["query"] == {"timeMin": "2026-04-01T10:00:00+00:00", "maxResults": "1",
                                              "singleEvents": "true", "orderBy": "startTime"}
    rest = one(google_flow(gs.url), "data_google_calendar_list_events", time_min="2026-04-01T10:00:00+00:00",
               max_results=1, page_token="1")
    assert [e["summary"] for e in rest["events"]] == ["At 15"] and rest["next_page_token"] == ""
    gs.state.requests.clear()
    filled = one(google_flow(gs.url), "data_google_calendar_list_events", max_results=3)  # pages of two here
    assert [e["summary"] for e in filled["events"]] == ["At 9", "At 11", "At 15"] and filled["next_page_token"] == ""
    assert [(r["query"]["maxResults"], r["query"].get("pageToken")) for r in gs.state.requests] == [
        ("3", None), ("1", "2")]

    busy = one(google_flow(gs.url), "data_google_calendar_free_busy", time_min="2026-04-01T08:00:00+00:00",
               time_max="2026-04-01T12:00:00+00:00", calendar_ids="primary, nobody@example.org")
    assert busy["busy_times"]["primary"]["busy"] == [
        {"start": "2026-04-01T09:00:00+00:00", "end": "2026-04-01T09:30:00+00:00"},
        {"start": "2026-04-01T11:00:00+00:00", "end": "2026-04-01T11:30:00+00:00"}]
    assert busy["busy_times"]["nobody@example.org"]["errors"][0]["reason"] == "notFound"
    assert gs.state.requests[-1]["json"]["items"] == [{"id": "primary"}, {"id": "nobody@example.org"}]

    quick = one(google_flow(gs.url), "data_google_calendar_quick_add", text="Lunch with Ana tomorrow at 1pm")
    assert quick["event"]["summary"] == "Lunch with Ana tomorrow at 1pm"
    assert gs.state.requests[-1]["path"].endswith("/events/quickAdd")


def test_meetings(gs) -> None:
    made = one(google_flow(gs.url), "data_google_meet_create", summary="Sync", start_time="2026-05-04T10:00:00+02:00",
               duration_minutes=45, attendees="bo@example.org", send_invites=False)
    sent = gs.state.requests[-1]
    assert sent["query"] == {"conferenceDataVersion": "1", "sendUpdates": "none"}
    assert (sent["json"]["start"]["dateTime"], sent["json"]["end"]["dateTime"]) == (
        "2026-05-04T10:00:00+02:00", "2026-05-04T10:45:00+02:00")
    assert made["meet_info"]["dial_in"] == "tel:+44-20-0000-0000" and made["meet_info"]["event_id"] == made["event_id"]

    instant = one(google_flow(gs.url), "data_google_meet_instant")
    assert instant["meet_link"].startswith("https://meet.google.com/")
    assert gs.state.requests[-1]["json"]["summary"] == "Quick Meeting"

    plain = one(google_flow(gs.url), "data_google_calendar_create_event", summary="No call",
                start_time="2026-05-05T10:00:00Z", end_time="2026-05-05T11:00:00Z")
    assert plain["meet_link"] == ""
    details = one(google_flow(gs.url), "data_google_meet_get", event_id=plain["event_id"])
    assert details["has_meet"] is False
    added = one(google_flow(gs.url), "data_google_meet_add_to_event", event_id=plain["event_id"])
    assert added["meet_link"].startswith("https://meet.google.com/")
    assert one(google_flow(gs.url), "data_google_meet_get", event_id=plain["event_id"])["has_meet"] is True

    board = google_flow(gs.url)
    board.step("data_google_meet_create", summary="Bad", start_time="next week")
    assert "start_time is not an RFC 3339 time" in board.flow.failure()
