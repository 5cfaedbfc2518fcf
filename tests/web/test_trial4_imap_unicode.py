"""Mail that is not ASCII, against the real Dovecot: searching for 'Grüße', and mailboxes named 'Entwürfe' or
'Büro & Co – 北京' (IMAP's modified UTF-7 on the wire), as a German or Chinese user's account has them."""

from __future__ import annotations

import imaplib
from email.message import EmailMessage

import pytest
from flowlike_catalog.web.imap import mailbox_arg, mailbox_name

from flowlike_core import RunStatus


def message(subject: str, body: str) -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "Zoë <zoe@example.org>", "bob@example.org", subject
    mail["Date"] = "Mon, 02 Mar 2026 10:00:00 +0000"
    mail.set_content(body)
    return mail.as_bytes()


@pytest.fixture
def account(dovecot):
    user, password = dovecot.new_user()
    dovecot.deliver(user, password, message("Grüße aus Zürich", "Bis bald"))
    dovecot.deliver(user, password, message("Plain report", "北京 weather: sunny"))
    dovecot.deliver(user, password, message("Grüße again", "see the report"))
    return user, password


def login(dovecot, user: str, password: str) -> imaplib.IMAP4:
    client = imaplib.IMAP4("127.0.0.1", dovecot.port, timeout=10)
    client.login(user, password)
    return client


def connected(b, dovecot, user: str, password: str):
    start = b.add("events_simple")
    connect = b.add("email_imap_connect", host="127.0.0.1", port=dovecot.port, username=user, password=password,
                    encryption="Plain")
    b.chain(start, connect)
    return connect


def search_board(b, dovecot, account, inbox: str = "INBOX", **criteria):
    connect = connected(b, dovecot, *account)
    opened, search = b.add("mail_imap_inbox", inbox=inbox), b.add("mail_imap_search", **criteria)
    b.chain(connect, opened, search)
    b.wire(connect, "connection", opened, "connection")
    b.wire(opened, "inbox_struct", search, "inbox")
    return search


@pytest.mark.parametrize(("criteria", "expected"), [
    ({"subject": "Grüße"}, [1, 3]),
    ({"body": "北京"}, [2]),
    ({"subject": "Grüße", "body": "report"}, [3]),
    ({"from_address": "zoe@example.org", "subject": "Zürich", "body": "bald", "unseen_only": True}, [1]),
    ({"subject": "report"}, [2]),
])
def test_search_for_text_that_is_not_ascii(b, dovecot, account, criteria, expected) -> None:
    search = search_board(b, dovecot, account, **criteria)
    assert [ref.uid for ref in b.result_of(search, search, "emails")] == expected


def test_a_bad_date_names_the_criterion(b, dovecot, account) -> None:
    search_board(b, dovecot, account, since="2026-13-01")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "since must be a date YYYY-MM-DD, got '2026-13-01' (month must be in 1..12)" in run.error


def test_mailbox_names_are_modified_utf7_on_the_wire() -> None:
    for name, wire in [("Entwürfe", "Entw&APw-rfe"), ("Büro & Co – 北京", "B&APw-ro &- Co &IBM- &UxdOrA-"),
                       ("Sent", "Sent"), ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-")]:
        assert mailbox_arg(name) == f'"{wire}"'
        assert mailbox_name(wire) == name


def test_mailboxes_with_accents_are_created_listed_searched_and_copied_to(b, dovecot, account) -> None:
    connect = connected(b, dovecot, *account)
    made = b.add("mail_imap_create_mailbox", name="Büro & Co – 北京")
    listed = b.add("mail_imap_list_inboxes")
    b.chain(connect, made, listed)
    b.wire(connect, "connection", made, "connection")
    b.wire(connect, "connection", listed, "connection")
    assert sorted(b.result_of(listed, listed, "names")) == ["Büro & Co – 北京", "INBOX"]
    client = login(dovecot, *account)
    assert any(line.endswith(b'"B&APw-ro &- Co &IBM- &UxdOrA-"') for line in client.list()[1])
    client.create("Entw&APw-rfe")
    client.append("Entw&APw-rfe", None, None, message("Entwurf für Zoë", "Text"))
    client.logout()

    other = type(b)()
    search = search_board(other, dovecot, account, inbox="Entwürfe", subject="für")
    found = other.add("array_get", index=0)
    copy = other.add("email_imap_copy_message", destination="Büro & Co – 北京")
    fetch = other.add("email_imap_inbox_fetch_mail")
    other.chain(search, copy, fetch)
    other.wire(search, "emails", found, "array_in")
    other.wire(found, "element", copy, "email")
    other.wire(copy, "new_message_ref", fetch, "email_ref")
    email = other.result_of(fetch, fetch, "email")
    assert (email.inbox.name, email.subject) == ("Büro & Co – 北京", "Entwurf für Zoë")
