"""Calendars in IMAP folders (a real Dovecot) and iCalendar feeds (the local HTTP server)."""

from __future__ import annotations

import pytest
from flowlike_catalog.web.imap_calendar import events_of


class Calendar:
    """Start → IMAP Connect as a fresh account → the nodes added with `then`, in a chain."""

    def __init__(self, b, dovecot, account) -> None:
        self.b = b
        start = b.add("events_simple")
        self.connect = b.add("email_imap_connect", host="127.0.0.1", port=dovecot.port, username=account[0],
                             password=account[1], encryption="Plain")
        b.chain(start, self.connect)
        self.last = self.connect

    def then(self, key: str, /, **defaults):
        node = self.b.add(key, **defaults)
        self.b.chain(self.last, node)
        if any(p.name == "connection" for p in self.b.board.nodes[node.id].pins.values()):
            self.b.wire(self.connect, "connection", node, "connection")
        self.last = node
        return node

    def result(self, node, output: str, out: str = "exec_out"):
        return self.b.result_of(self.last if out == "exec_out" else node, node, output, out=out)


@pytest.fixture
def account(dovecot):
    return dovecot.new_user()


def test_create_and_list_in_range(b, dovecot, account) -> None:
    cal = Calendar(b, dovecot, account)
    cal.then("mail_imap_calendar_create_event", summary="Standup", start="2026-03-02T09:00:00",
             end="2026-03-02T09:15:00", attendees="ada@example.org, bob@example.org", location="Room 1",
             description="Daily")
    cal.then("mail_imap_calendar_create_event", summary="Later", start="2026-05-01T10:00:00+02:00",
             end="2026-05-01T11:00:00+02:00")
    listed = cal.then("mail_imap_calendar_list_events", start_date="2026-03-01T00:00:00",
                      end_date="2026-03-31T00:00:00")
    [event] = cal.result(listed, "events")
    assert (event.summary, event.description, event.location, event.start, event.end, event.attendees) == (
        "Standup", "Daily", "Room 1", "2026-03-02T09:00:00+00:00", "2026-03-02T09:15:00+00:00",
        ["ada@example.org", "bob@example.org"])
    again = Calendar(type(b)(), dovecot, account)
    listed = again.then("mail_imap_calendar_list_events", start_date="2026-05-01T00:00:00",
                        end_date="2026-05-02T00:00:00")
    assert [(e.summary, e.start) for e in again.result(listed, "events")] == [("Later", "2026-05-01T08:00:00+00:00")]


def test_get_and_delete_by_uid(b, dovecot, account) -> None:
    cal = Calendar(b, dovecot, account)
    made = cal.then("mail_imap_calendar_create_event", summary="Review", start="2026-03-03T14:00:00",
                    end="2026-03-03T15:00:00")
    got = cal.then("mail_imap_calendar_get_event")
    b.wire(made, "event_uid", got, "event_uid")
    gone = cal.then("mail_imap_calendar_delete_event")
    b.wire(made, "event_uid", gone, "event_uid")
    missing = cal.then("mail_imap_calendar_get_event")
    b.wire(made, "event_uid", missing, "event_uid")
    back = b.add("events_generic_return_result")
    b.wire(missing, "error", back, "exec_in")
    b.wire(missing, "error_message", back, "response")
    run = b.run()
    run.raise_for_status()
    uid = run.result.split("'")[1]
    assert uid.endswith("@flowlike") and run.result == f"no event '{uid}' in 'Calendar'"


def test_delete_of_an_unknown_event_fails_clearly(b, dovecot, account) -> None:
    cal = Calendar(b, dovecot, account)
    cal.then("mail_imap_calendar_create_event", summary="Only", start="2026-03-03T14:00:00",
             end="2026-03-03T15:00:00")
    cal.then("mail_imap_calendar_delete_event", event_uid="nope")
    run = b.run()
    assert "no event 'nope' in 'Calendar'" in run.error


def test_list_calendars(b, dovecot, account) -> None:
    cal = Calendar(b, dovecot, account)
    cal.then("mail_imap_calendar_create_event", summary="x", start="2026-03-03T14:00:00", end="2026-03-03T15:00:00")
    cal.then("mail_imap_create_mailbox", name="Work")
    listed = cal.then("mail_imap_calendar_list")
    assert cal.result(listed, "calendar_names") == ["Calendar"]
    again = Calendar(type(b)(), dovecot, account)
    listed = again.then("mail_imap_calendar_list")
    assert sorted(again.result(listed, "names")) == ["Calendar", "INBOX", "Work"]


def test_end_before_start_fires_error(b, dovecot, account) -> None:
    cal = Calendar(b, dovecot, account)
    made = cal.then("mail_imap_calendar_create_event", summary="x", start="2026-03-03T15:00:00",
                    end="2026-03-03T14:00:00")
    assert cal.result(made, "error_message", out="error") == (
        "the event ends (2026-03-03T14:00:00+00:00) before it starts (2026-03-03T15:00:00+00:00)")


def subscribe(b, url: str, start: str, end: str):
    begin = b.add("events_simple")
    feed = b.add("mail_imap_calendar_subscribe", url=url, start_date=start, end_date=end)
    b.chain(begin, feed)
    return feed


def test_subscribe_to_a_feed(b, http_server) -> None:
    feed = subscribe(b, f"{http_server}/calendar.ics", "2026-03-01T00:00:00", "2026-03-31T00:00:00")
    events = b.result_of(feed, feed, "events")
    assert [(e.uid, e.start, e.end) for e in events] == [
        ("standup-1", "2026-03-02T09:00:00+00:00", "2026-03-02T09:15:00+00:00"),
        ("review-1", "2026-03-03T13:00:00+00:00", "2026-03-03T14:00:00+00:00")]
    assert (events[0].organizer, events[0].attendees, events[0].status) == (
        "lead@example.org", ["ada@example.org", "bob@example.org"], "CONFIRMED")


def test_subscribe_all_day_event_and_name(b, http_server) -> None:
    feed = subscribe(b, f"{http_server}/calendar.ics", "2026-04-11T00:00:00", "2026-04-11T12:00:00")
    back = b.add("events_generic_return_result")
    b.wire(feed, "exec_out", back, "exec_in")
    b.wire(feed, "calendar_name", back, "response")
    assert b.run().result == "Team"
    other = type(b)()
    days = subscribe(other, f"{http_server}/calendar.ics", "2026-04-11T00:00:00", "2026-04-11T12:00:00")
    assert [(e.summary, e.start, e.location) for e in other.result_of(days, days, "events")] == [
        ("Offsite", "2026-04-10T00:00:00+00:00", "Lake house")]


def test_subscribe_missing_feed_fires_error(b, http_server) -> None:
    feed = subscribe(b, f"{http_server}/status/404", "2026-01-01T00:00:00", "2026-12-31T00:00:00")
    assert b.result_of(feed, feed, "error_message", out="error") == (
        f"calendar feed {http_server}/status/404 answered 404")


def test_not_icalendar_is_clear() -> None:
    with pytest.raises(ValueError, match="the text is not an iCalendar text"):
        events_of(b"hello", "the text")
