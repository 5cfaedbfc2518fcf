"""Outlook through Microsoft Graph: the signed-in user's mail (folders, messages, sending), contacts and calendar
events (by id, with dates as text, and answering invitations). The Calendar modules' nodes take dates as Dates."""

from __future__ import annotations

from typing import Any

from flowlike_catalog.data.microsoft import (
    COUNT,
    Graph,
    GraphNode,
    event_fields,
    listed,
    recipients,
    segment,
    struct_out,
)
from flowlike_catalog.web.service_pins import bool_in, int_in, text_in, text_out

CATEGORY = "Data/Microsoft/Outlook"
CAPABILITIES = ("network",)

EVENT = struct_out("event", description="Graph's event")
EVENT_ID = text_in("event_id")
RESPONSES = ("accept", "decline", "tentativelyAccept")
IMPORTANCE = ("low", "normal", "high")


class ListMailFolders(GraphNode):
    name = "data_microsoft_outlook_list_mail_folders"
    friendly_name = "List Mail Folders"
    description = "The mailbox's top-level folders (Inbox, Sent Items...) with their item counts."
    outputs = (struct_out("folders", array=True, description="Graph's mailFolders"), COUNT)

    async def call(self, graph: Graph) -> dict[str, Any]:
        return listed("folders", await graph.list("/me/mailFolders"))


class ListMessages(GraphNode):
    name = "data_microsoft_outlook_list_messages"
    friendly_name = "List Messages"
    description = ("Messages, newest first, of a folder (id or well-known name such as inbox; all folders when "
                   "empty), optionally an OData $filter (like isRead eq false); Graph orders a filtered list itself.")
    inputs = (text_in("folder_id", ""), text_in("filter", "", "An OData $filter expression"),
              int_in("top", 25, "At most this many (0: all)"))
    outputs = (struct_out("messages", array=True, description="Graph's messages"), COUNT)

    async def call(self, graph: Graph, *, folder_id: str, filter: str, top: int) -> dict[str, Any]:
        path = f"/me/mailFolders/{segment(folder_id, 'folder_id')}/messages" if folder_id else "/me/messages"
        params = {"$top": min(top, 1000) if top else "", "$filter": filter,
                  "$orderby": "" if filter else "receivedDateTime desc"}  # Graph refuses most filter+orderby pairs
        return listed("messages", await graph.list(path, params, top))


class GetMessage(GraphNode):
    name = "data_microsoft_outlook_get_message"
    friendly_name = "Get Message"
    description = "One message, with its body."
    inputs = (text_in("message_id"),)
    outputs = (struct_out("message", description="Graph's message"),)

    async def call(self, graph: Graph, *, message_id: str) -> dict[str, Any]:
        return {"message": await graph.call("GET", f"/me/messages/{segment(message_id, 'message_id')}")}


class SendMessage(GraphNode):
    name = "data_microsoft_outlook_send_message"
    friendly_name = "Send Message"
    description = "Sends a mail as the signed-in user (to and cc: comma-separated addresses)."
    inputs = (text_in("to"), text_in("cc", ""), text_in("subject"), text_in("body"), bool_in("is_html", False),
              bool_in("save_to_sent_items", True))

    async def call(self, graph: Graph, *, to: str, cc: str, subject: str, body: str, is_html: bool,
                   save_to_sent_items: bool) -> dict[str, Any]:
        if not recipients(to):
            raise ValueError("to names no recipient")
        message = {"subject": subject, "body": {"contentType": "HTML" if is_html else "Text", "content": body},
                   "toRecipients": recipients(to), "ccRecipients": recipients(cc)}
        await graph.call("POST", "/me/sendMail", body={"message": message, "saveToSentItems": save_to_sent_items})
        return {}


class ListContacts(GraphNode):
    name = "data_microsoft_outlook_list_contacts"
    friendly_name = "List Contacts"
    description = "The user's contacts, optionally those matching a search term."
    inputs = (text_in("search", ""), int_in("top", 100, "At most this many (0: all)"))
    outputs = (struct_out("contacts", array=True, description="Graph's contacts"), COUNT)

    async def call(self, graph: Graph, *, search: str, top: int) -> dict[str, Any]:
        params = {"$top": min(top, 1000) if top else "", "$search": f'"{search}"' if search else ""}
        return listed("contacts", await graph.list("/me/contacts", params, top))


class ListCalendarEvents(GraphNode):
    name = "data_microsoft_outlook_list_calendar_events"
    friendly_name = "List Calendar Events"
    description = ("Events of the default calendar: the occurrences between start and end (ISO 8601) when both are "
                   "given, else the events themselves ordered by start.")
    inputs = (text_in("start_date_time", "", "Like 2026-03-01T00:00:00Z"), text_in("end_date_time", ""),
              int_in("top", 50, "At most this many (0: all)"))
    outputs = (struct_out("events", array=True, description="Graph's events"), COUNT)

    async def call(self, graph: Graph, *, start_date_time: str, end_date_time: str, top: int) -> dict[str, Any]:
        page = min(top, 1000) if top else ""
        if bool(start_date_time) != bool(end_date_time):
            raise ValueError("give both start_date_time and end_date_time, or neither")
        if start_date_time:
            events = await graph.list("/me/calendarView", {"startDateTime": start_date_time,
                                                           "endDateTime": end_date_time, "$top": page}, top)
        else:
            events = await graph.list("/me/events", {"$top": page, "$orderby": "start/dateTime"}, top)
        return listed("events", events)


class GetCalendarEvent(GraphNode):
    name = "data_microsoft_outlook_get_calendar_event"
    friendly_name = "Get Calendar Event"
    description = "One event."
    inputs = (EVENT_ID,)
    outputs = (EVENT,)

    async def call(self, graph: Graph, *, event_id: str) -> dict[str, Any]:
        return {"event": await graph.call("GET", f"/me/events/{segment(event_id, 'event_id')}")}


class CreateCalendarEvent(GraphNode):
    name = "data_microsoft_outlook_create_calendar_event"
    friendly_name = "Create Calendar Event"
    description = ("Adds an event to the default calendar; start and end are wall times (like 2026-03-02T09:00:00) "
                   "in time_zone, attendees comma-separated addresses (invited as required).")
    inputs = (text_in("subject"), text_in("body", "", "HTML"), text_in("start_date_time"), text_in("end_date_time"),
              text_in("time_zone", "UTC", "UTC, an IANA or a Windows time zone name"), text_in("location", ""),
              text_in("attendees", ""), bool_in("is_all_day", False), bool_in("is_online_meeting", False),
              text_in("importance", "normal", "low, normal or high"))
    outputs = (EVENT, text_out("event_id"))

    async def call(self, graph: Graph, *, subject: str, body: str, start_date_time: str, end_date_time: str,
                   time_zone: str, location: str, attendees: str, is_all_day: bool, is_online_meeting: bool,
                   importance: str) -> dict[str, Any]:
        if importance not in IMPORTANCE:
            raise ValueError(f"importance must be low, normal or high, got {importance!r}")
        fields = event_fields(subject=subject, body=body, start=start_date_time, end=end_date_time,
                              time_zone=time_zone, location=location, attendees=attendees,
                              online_meeting=is_online_meeting)
        event = await graph.call("POST", "/me/events", body=fields | {"isAllDay": is_all_day,
                                                                      "importance": importance})
        return {"event": event, "event_id": event["id"]}


class UpdateCalendarEvent(GraphNode):
    name = "data_microsoft_outlook_update_calendar_event"
    friendly_name = "Update Calendar Event"
    description = "Changes an event; empty inputs leave their field as it is."
    inputs = (EVENT_ID, text_in("subject", ""), text_in("body", ""), text_in("start_date_time", ""),
              text_in("end_date_time", ""), text_in("time_zone", "UTC"), text_in("location", ""))
    outputs = (EVENT,)

    async def call(self, graph: Graph, *, event_id: str, subject: str, body: str, start_date_time: str,
                   end_date_time: str, time_zone: str, location: str) -> dict[str, Any]:
        fields = event_fields(subject=subject, body=body, start=start_date_time, end=end_date_time,
                              time_zone=time_zone, location=location)
        return {"event": await graph.call("PATCH", f"/me/events/{segment(event_id, 'event_id')}", body=fields)}


class DeleteCalendarEvent(GraphNode):
    name = "data_microsoft_outlook_delete_calendar_event"
    friendly_name = "Delete Calendar Event"
    description = "Removes an event (an organizer's removal cancels it for the attendees)."
    inputs = (EVENT_ID,)

    async def call(self, graph: Graph, *, event_id: str) -> dict[str, Any]:
        await graph.call("DELETE", f"/me/events/{segment(event_id, 'event_id')}")
        return {}


class RsvpCalendarEvent(GraphNode):
    name = "data_microsoft_outlook_rsvp_calendar_event"
    friendly_name = "RSVP Calendar Event"
    description = "Answers an invitation: accept, decline or tentativelyAccept, with an optional comment."
    inputs = (EVENT_ID, text_in("response", "accept", "accept, decline or tentativelyAccept"), text_in("comment", ""),
              bool_in("send_response", True, "Tell the organizer"))

    async def call(self, graph: Graph, *, event_id: str, response: str, comment: str,
                   send_response: bool) -> dict[str, Any]:
        if response not in RESPONSES:
            raise ValueError(f"response must be one of {', '.join(RESPONSES)}, got {response!r}")
        await graph.call("POST", f"/me/events/{segment(event_id, 'event_id')}/{response}",
                         body={"comment": comment, "sendResponse": send_response})
        return {}


class ForwardCalendarEvent(GraphNode):
    name = "data_microsoft_outlook_forward_calendar_event"
    friendly_name = "Forward Calendar Event"
    description = "Forwards an event's invitation to other people (comma-separated addresses)."
    inputs = (EVENT_ID, text_in("to_recipients"), text_in("comment", ""))

    async def call(self, graph: Graph, *, event_id: str, to_recipients: str, comment: str) -> dict[str, Any]:
        if not recipients(to_recipients):
            raise ValueError("to_recipients names no recipient")
        await graph.call("POST", f"/me/events/{segment(event_id, 'event_id')}/forward",
                         body={"toRecipients": recipients(to_recipients), "comment": comment})
        return {}
