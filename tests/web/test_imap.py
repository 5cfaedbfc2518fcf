"""IMAP nodes against a real Dovecot: every test logs in as a fresh user, so mailboxes start empty."""

from __future__ import annotations

import imaplib
from email.message import EmailMessage

import pytest

from flowlike_core import RunStatus


def message(subject: str, sender: str = "Ada <ada@example.org>", body: str = "hello", attachment: bytes = b"",
            html: str = "") -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Cc"], mail["Subject"] = sender, "Bob <bob@example.org>", "cy@example.org", subject
    mail["Date"] = "Mon, 02 Mar 2026 10:00:00 +0000"
    mail.set_content(body)
    if html:
        mail.add_alternative(html, subtype="html")
    if attachment:
        mail.add_attachment(attachment, maintype="application", subtype="octet-stream", filename="data.bin")
    return mail.as_bytes()


@pytest.fixture
def account(dovecot):
    user, password = dovecot.new_user()
    dovecot.deliver(user, password, message("First", body="one"), flags="\\Seen")
    dovecot.deliver(user, password, message("Second report", sender="Cy <cy@example.org>", body="two",
                                            html="<p>two</p>", attachment=b"\x00\x01\x02"))
    dovecot.deliver(user, password, message("Third", body="three report"))
    return user, password


class Imap:
    """A board that connects as the account and opens INBOX; tests add nodes after `inbox`."""

    def __init__(self, b, dovecot, user, password, password_override=None) -> None:
        self.b = b
        start = b.add("events_simple")
        self.connect = b.add("email_imap_connect", host="127.0.0.1", port=dovecot.port, username=user,
                             password=password_override or password, encryption="Plain")
        self.inbox = b.add("mail_imap_inbox")
        b.chain(start, self.connect, self.inbox)
        b.wire(self.connect, "connection", self.inbox, "connection")
        self.last = self.inbox

    def then(self, key: str, /, inputs: dict | None = None, **defaults):
        """Add an exec node after the last one; `inputs` wires pins {input: (node, output)}."""
        added = self.b.add(key, **defaults)
        self.b.chain(self.last, added)
        for name, (source, output) in (inputs or {}).items():
            self.b.wire(source, output, added, name)
        self.last = added
        return added

    def list(self, filter: str = "ALL"):
        return self.then("mail_imap_list", {"inbox": (self.inbox, "inbox_struct")}, filter=filter)

    def ref(self, index: int, filter: str = "ALL"):
        """(node, output) of the index-th message the filter lists."""
        listed = self.list(filter)
        item = self.b.add("array_get", index=index)
        self.b.wire(listed, "emails", item, "array_in")
        return item, "element"

    def fetch(self, ref):
        return self.then("email_imap_inbox_fetch_mail", {"email_ref": ref})

    def result(self, node, output):
        return self.b.result_of(self.last, node, output)


def uids_of(refs) -> list[int]:
    return [ref.uid for ref in refs]


def login(dovecot, user, password) -> imaplib.IMAP4:
    client = imaplib.IMAP4("127.0.0.1", dovecot.port)
    client.login(user, password)
    return client


def test_list_filters(b, dovecot, account) -> None:
    imap = Imap(b, dovecot, *account)
    assert uids_of(imap.result(imap.list("ALL"), "emails")) == [1, 2, 3]


@pytest.mark.parametrize(("filter", "expected"), [("SEEN", [1]), ("UNSEEN", [2, 3]), ("FLAGGED", [])])
def test_list_by_flag(b, dovecot, account, filter, expected) -> None:
    imap = Imap(b, dovecot, *account)
    assert uids_of(imap.result(imap.list(filter), "emails")) == expected


def test_search(b, dovecot, account) -> None:
    imap = Imap(b, dovecot, *account)
    search = imap.then("mail_imap_search", {"inbox": (imap.inbox, "inbox_struct")}, body="report",
                       since="2026-03-01")
    assert uids_of(imap.result(search, "emails")) == [3]
    imap2 = Imap(type(b)(), dovecot, *account)
    search = imap2.then("mail_imap_search", {"inbox": (imap2.inbox, "inbox_struct")}, from_address="cy@example.org",
                        subject="report", unseen_only=True)
    assert uids_of(imap2.result(search, "emails")) == [2]


def test_fetch_parses_and_does_not_mark_seen(b, dovecot, account) -> None:
    imap = Imap(b, dovecot, *account)
    mail = imap.fetch(imap.ref(0, "UNSEEN"))
    email = imap.result(mail, "email")
    assert (email.uid, email.subject, email.date) == (2, "Second report", "Mon, 02 Mar 2026 10:00:00 +0000")
    assert [(a.name, a.email) for a in email.from_] == [("Cy", "cy@example.org")]
    assert [(a.name, a.email) for a in email.to] == [("Bob", "bob@example.org")]
    assert [a.email for a in email.cc] == ["cy@example.org"]
    assert (email.plain, email.html) == ("two\n", "<p>two</p>\n")
    assert [(a.filename, a.content_type, a.data) for a in email.attachments] == [
        ("data.bin", "application/octet-stream", b"\x00\x01\x02")]
    assert "\\Seen" not in email.flags
    client = login(dovecot, *account)
    client.select("INBOX")
    assert client.uid("SEARCH", None, "UNSEEN")[1] == [b"2 3"]
    client.logout()


def test_mark_seen_and_flags(b, dovecot, account) -> None:
    imap = Imap(b, dovecot, *account)
    ref = imap.ref(1)
    seen = imap.then("email_imap_mark_seen", {"email": ref})
    flagged = imap.then("email_imap_set_flags", {"email": (seen, "email_ref")}, flags=["\\Flagged", "$Todo"])
    assert sorted(imap.result(flagged, "flags")) == ["$Todo", "\\Flagged", "\\Seen"]
    client = login(dovecot, *account)
    client.select("INBOX")
    assert client.uid("SEARCH", None, "SEEN")[1] == [b"1 2"]
    assert client.uid("SEARCH", None, "KEYWORD $Todo")[1] == [b"2"]
    client.logout()
    again = Imap(type(b)(), dovecot, *account)
    unflag = again.then("email_imap_set_flags", {"email": again.ref(1)}, flags=["\\Seen", "$Todo"], add=False)
    assert again.result(unflag, "flags") == ["\\Flagged"]


def test_mailboxes_create_and_list(b, dovecot, account) -> None:
    imap = Imap(b, dovecot, *account)
    made = imap.then("mail_imap_create_mailbox", {"connection": (imap.connect, "connection")}, name="Work Stuff")
    assert imap.result(made, "created") is True
    again = Imap(type(b)(), dovecot, *account)
    made = again.then("mail_imap_create_mailbox", {"connection": (again.connect, "connection")}, name="Work Stuff")
    listed = again.then("mail_imap_list_inboxes", {"connection": (again.connect, "connection")})
    assert sorted(again.result(listed, "names")) == ["INBOX", "Work Stuff"]
    third = Imap(type(b)(), dovecot, *account)
    made = third.then("mail_imap_create_mailbox", {"connection": (third.connect, "connection")}, name="Work Stuff")
    assert third.result(made, "created") is False


def test_copy_move_delete(b, dovecot, account) -> None:
    imap = Imap(b, dovecot, *account)
    imap.then("email_imap_copy_message", {"email": imap.ref(0)}, destination="Archive",
                       create_if_missing=True)
    moved = imap.then("email_imap_move_message", {"email": imap.ref(1)}, destination="Archive")
    imap.then("email_imap_delete_message", {"email": imap.ref(0)})
    fetched = imap.fetch((moved, "new_message_ref"))
    email = imap.result(fetched, "email")
    assert (email.inbox.name, email.uid, email.subject) == ("Archive", 2, "Second report")
    client = login(dovecot, *account)
    client.select("INBOX")
    assert client.uid("SEARCH", None, "ALL")[1] == [b"3"]
    client.select("Archive")
    assert client.uid("SEARCH", None, "ALL")[1] == [b"1 2"]
    client.logout()


def test_copy_to_a_missing_mailbox_is_clear(b, dovecot, account) -> None:
    imap = Imap(b, dovecot, *account)
    imap.then("email_imap_copy_message", {"email": imap.ref(0)}, destination="Nowhere")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "mailbox 'Nowhere' does not exist (set create_if_missing to make it)" in run.error


def test_draft(b, dovecot, account, tmp_path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("attached note")
    imap = Imap(b, dovecot, *account)
    draft = imap.then("email_imap_create_draft", {"connection": (imap.connect, "connection")},
                      **{"from": "ada@example.org", "to": "bob@example.org", "bcc": "eve@example.org",
                         "subject": "Plan", "body_text": "draft text", "attachments": [str(note)]})
    message_id = imap.result(draft, "message_id")
    client = login(dovecot, *account)
    client.select("Drafts")
    status, data = client.uid("FETCH", "1", "(FLAGS BODY[HEADER.FIELDS (MESSAGE-ID BCC SUBJECT)])")
    assert b"\\Draft" in data[0][0]
    assert data[0][1].decode().replace("\r\n", "\n").strip().splitlines() == [
        "Bcc: eve@example.org", "Subject: Plan", f"Message-ID: {message_id}"]
    client.logout()


def test_connection_from_another_run_is_clear(b, dovecot, account) -> None:
    imap = Imap(b, dovecot, *account)
    connection = imap.result(imap.connect, "connection")
    other = type(b)()
    start, listing = other.add("events_simple"), other.add("mail_imap_list_inboxes",
                                                            connection=connection.model_dump())
    other.chain(start, listing)
    run = other.run()
    assert run.status is RunStatus.FAILED and f"no open IMAP connection '{connection.id}' in this run" in run.error


def test_wrong_password_is_clear_and_secret_free(b, dovecot, account) -> None:
    """Last in the file: Dovecot then slows logins from 127.0.0.1 for a few seconds (auth penalty)."""
    Imap(b, dovecot, account[0], account[1], password_override="not-the-password")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"IMAP login as '{account[0]}' at 127.0.0.1:{dovecot.port} failed" in run.error
    assert "not-the-password" not in run.error
