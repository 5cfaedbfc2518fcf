"""Outlook (mail, contacts, events) and Calendar nodes against a local server speaking Microsoft Graph's wire
format."""

from __future__ import annotations

import datetime as dt

from fake_graph import failing, graph_flow, one, sent


def test_mail_folders_and_messages(graph) -> None:
    folders = one(graph, "data_microsoft_outlook_list_mail_folders")
    assert folders["count"] == 3 and len(graph.state.requests) == 2  # two pages
    newest = one(graph, "data_microsoft_outlook_list_messages", folder_id="inbox")
    assert [m["subject"] for m in newest["messages"]] == ["Lunch?", "Invoice", "Welcome"]
    first = sent(graph)
    assert first["path"] == "/v1.0/me/mailFolders/inbox/messages"
    assert first["raw_query"] == "$top=25&$orderby=receivedDateTime%20desc"  # as Graph's documentation writes it
    unread = one(graph, "data_microsoft_outlook_list_messages", filter="isRead eq false", top=0)
    assert [m["id"] for m in unread["messages"]] == ["msg-2", "msg-3"]
    assert sent(graph)["query"] == {"$filter": "isRead eq false"}  # no $orderby beside a filter
    assert "BadRequest" in failing(graph, "data_microsoft_outlook_list_messages", filter="subject has 'x'")
    message = one(graph, "data_microsoft_outlook_get_message", message_id="msg-2")["message"]
    assert message["body"]["content"] == "About Invoice"


def test_send_message(graph) -> None:
    one(graph, "data_microsoft_outlook_send_message", to="ada@x.org, bob@x.org", cc="cy@x.org", subject="Hi",
        body="<b>Hello</b>", is_html=True)
    assert graph.state.sent == [{"message": {
        "subject": "Hi", "body": {"contentType": "HTML", "content": "<b>Hello</b>"},
        "toRecipients": [{"emailAddress": {"address": "ada@x.org"}}, {"emailAddress": {"address": "bob@x.org"}}],
        "ccRecipients": [{"emailAddress": {"address": "cy@x.org"}}]}, "saveToSentItems": True}]
    flow = graph_flow(graph)
    flow.call("data_microsoft_outlook_send_message", to=" , ", subject="x", body="y")
    assert "to names no recipient" in flow.failure()


def test_contacts(graph) -> None:
    assert one(graph, "data_microsoft_outlook_list_contacts")["count"] == 3
    found = one(graph, "data_microsoft_outlook_list_contacts", search="ad", top=1)
    assert [c["displayName"] for c in found["contacts"]] == ["Ada"]
    assert sent(graph)["query"] == {"$top": "1", "$search": '"ad"'}


def test_outlook_event_lifecycle(graph) -> None:
    made = one(graph, "data_microsoft_outlook_create_calendar_event", subject="Planning", body="<p>Agenda</p>",
               start_date_time="2026-03-05T10:00:00", end_date_time="2026-03-05T11:00:00",
               time_zone="W. Europe Standard Time", location="Room 1", attendees="ada@x.org", is_online_meeting=True,
               importance="high")
    assert sent(graph)["json"] == {
        "subject": "Planning", "body": {"contentType": "HTML", "content": "<p>Agenda</p>"},
        "start": {"dateTime": "2026-03-05T10:00:00", "timeZone": "W. Europe Standard Time"},
        "end": {"dateTime": "2026-03-05T11:00:00", "timeZone": "W. Europe Standard Time"},
        "location": {"displayName": "Room 1"},
        "attendees": [{"emailAddress": {"address": "ada@x.org"}, "type": "required"}],
        "isOnlineMeeting": True, "onlineMeetingProvider": "teamsForBusiness", "isAllDay": False,
        "importance": "high"}
    event_id = made["event_id"]
    assert made["event"]["id"] == event_id
    one(graph, "data_microsoft_outlook_update_calendar_event", event_id=event_id, subject="Planning v2")
    assert sent(graph)["json"] == {"subject": "Planning v2"}
    assert one(graph, "data_microsoft_outlook_get_calendar_event", event_id=event_id)["event"]["subject"] == \
        "Planning v2"
    one(graph, "data_microsoft_outlook_rsvp_calendar_event", event_id=event_id, response="tentativelyAccept",
        comment="maybe", send_response=False)
    one(graph, "data_microsoft_outlook_forward_calendar_event", event_id=event_id, to_recipients="bob@x.org")
    assert graph.state.responses == [
        {"event": event_id, "action": "tentativelyAccept", "comment": "maybe", "sendResponse": False},
        {"event": event_id, "action": "forward", "toRecipients": [{"emailAddress": {"address": "bob@x.org"}}],
         "comment": ""}]
    one(graph, "data_microsoft_outlook_delete_calendar_event", event_id=event_id)
    assert "404" in failing(graph, "data_microsoft_outlook_get_calendar_event", event_id=event_id)
    flow = graph_flow(graph)
    flow.call("data_microsoft_outlook_rsvp_calendar_event", event_id="e", response="maybe")
    assert "response must be one of accept, decline, tentativelyAccept" in flow.failure()


def test_outlook_event_lists(graph) -> None:
    ordered = one(graph, "data_microsoft_outlook_list_calendar_events", top=0)
    assert [e["subject"] for e in ordered["events"]] == ["Standup", "Review", "Offsite"]
    assert graph.state.requests[0]["query"] == {"$orderby": "start/dateTime"}
    window = one(graph, "data_microsoft_outlook_list_calendar_events", start_date_time="2026-03-01T00:00:00Z",
                 end_date_time="2026-03-31T00:00:00Z")
    assert [e["subject"] for e in window["events"]] == ["Standup", "Review"]
    assert sent(graph)["path"] == "/v1.0/me/calendarView"
    flow = graph_flow(graph)
    flow.call("data_microsoft_outlook_list_calendar_events", start_date_time="2026-03-01T00:00:00Z")
    assert "give both start_date_time and end_date_time" in flow.failure()


def test_calendars(graph) -> None:
    made = one(graph, "data_microsoft_calendar_create_calendar", name="Holidays", color="lightGreen")["calendar"]
    assert sent(graph)["json"] == {"name": "Holidays", "color": "lightGreen"}
    listed = one(graph, "data_microsoft_calendar_list_calendars")
    assert listed["count"] == 2 and listed["calendars"][1]["id"] == made["id"]


def test_calendar_events_with_dates(graph) -> None:
    berlin = dt.timezone(dt.timedelta(hours=1))
    events = one(graph, "data_microsoft_calendar_list_events", start_date=dt.datetime(2026, 3, 2, 10, tzinfo=berlin),
                 end_date=dt.datetime(2026, 3, 4))
    assert [e["subject"] for e in events["events"]] == ["Standup", "Review"]  # 10:00+01:00 is 09:00Z: Standup overlaps
    query = graph.state.requests[0]["query"]
    assert (query["startDateTime"], query["endDateTime"], query["$top"]) == ("2026-03-02T09:00:00Z",
                                                                            "2026-03-04T00:00:00Z", "50")
    assert graph.state.requests[0]["path"] == "/v1.0/me/calendar/calendarView"
    assert "404" in failing(graph, "data_microsoft_calendar_list_events", calendar_id="nope",
                            start_date=dt.datetime(2026, 3, 1), end_date=dt.datetime(2026, 3, 2))

    made = one(graph, "data_microsoft_calendar_create_event", subject="Retro",
               start_date_time=dt.datetime(2026, 3, 6, 15, tzinfo=dt.UTC),
               end_date_time=dt.datetime(2026, 3, 6, 16, tzinfo=dt.UTC), time_zone="Europe/Berlin",
               attendees="ada@x.org,bob@x.org")["event"]
    body = sent(graph)["json"]
    assert sent(graph)["path"] == "/v1.0/me/calendar/events"
    assert body["start"] == {"dateTime": "2026-03-06T16:00:00", "timeZone": "Europe/Berlin"}  # wall time there
    assert [a["emailAddress"]["address"] for a in body["attendees"]] == ["ada@x.org", "bob@x.org"]
    one(graph, "data_microsoft_calendar_update_event", event_id=made["id"], location="Lab",
        end_date_time=dt.datetime(2026, 3, 6, 17, 30))
    assert sent(graph)["json"] == {"end": {"dateTime": "2026-03-06T17:30:00", "timeZone": "UTC"},
                                   "location": {"displayName": "Lab"}}
    one(graph, "data_microsoft_calendar_delete_event", event_id=made["id"])
    assert made["id"] not in {e["id"] for e in graph.state.events}
    flow = graph_flow(graph)
    flow.call("data_microsoft_calendar_create_event", subject="x",
              start_date_time=dt.datetime(2026, 3, 6, tzinfo=dt.UTC),
              end_date_time=dt.datetime(2026, 3, 7, tzinfo=dt.UTC), time_zone="Pacific Standard Time")
    assert "cannot convert an aware datetime to the time zone 'Pacific Standard Time'" in flow.failure()


def test_scheduling(graph) -> None:
    start, end = dt.datetime(2026, 3, 9, 9), dt.datetime(2026, 3, 9, 17)
    found = one(graph, "data_microsoft_calendar_find_meeting_times", attendees="ada@x.org", duration_minutes=45,
                start_date=start, end_date=end)
    assert found["count"] == 2
    assert found["suggestions"][0]["meetingTimeSlot"]["end"]["dateTime"] == "2026-03-09T09:45:00"
    assert sent(graph)["json"] == {
        "attendees": [{"emailAddress": {"address": "ada@x.org"}, "type": "required"}],
        "timeConstraint": {"activityDomain": "work", "timeSlots": [
            {"start": {"dateTime": "2026-03-09T09:00:00", "timeZone": "UTC"},
             "end": {"dateTime": "2026-03-09T17:00:00", "timeZone": "UTC"}}]},
        "meetingDuration": "PT45M"}
    schedule = one(graph, "data_microsoft_calendar_get_schedule", schedules="ada@x.org, room1@x.org",
                   start_date_time=start, end_date_time=end, interval_minutes=60)["schedule_data"]
    assert [(s["scheduleId"], s["availabilityView"]) for s in schedule["value"]] == [("ada@x.org", "0" * 8),
                                                                                   ("room1@x.org", "0" * 8)]
