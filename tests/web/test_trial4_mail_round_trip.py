"""Send and read mail on one board, as a tinkerer's notification board does: SMTP (aiosmtpd, relaying each message
into the real Dovecot as a mail server delivers it) then IMAP, with a subject and body that are not ASCII."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from local_ports import free_port


class Relay:
    """aiosmtpd's handler that appends every message it gets to the recipient's Dovecot INBOX."""

    def __init__(self, dovecot: Any, user: str, password: str) -> None:
        self.dovecot, self.user, self.password = dovecot, user, password

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        import asyncio

        await asyncio.to_thread(self.dovecot.deliver, self.user, self.password, envelope.content)
        return "250 delivered"


@pytest.fixture
def mailbox(dovecot) -> Iterator[tuple[int, str, str]]:
    """(SMTP port, user, password): a fresh Dovecot account behind an SMTP server that delivers to it."""
    from aiosmtpd.controller import Controller

    user, password = dovecot.new_user()
    controller = Controller(Relay(dovecot, user, password), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, user, password
    finally:
        controller.stop()


def test_a_mail_sent_is_found_and_read_back(b, dovecot, mailbox) -> None:
    smtp_port, user, password = mailbox
    smtp = b.add("email_smtp_connect", host="127.0.0.1", port=smtp_port, encryption="Plain")
    send = b.add("email_smtp_send", **{"from": "Sensor Küche <sensor@example.org>", "to": f"{user}@example.org",
                                       "subject": "Temperatur 31 °C – Grüße", "body_text": "Fenster öffnen ✓"})
    imap = b.add("email_imap_connect", host="127.0.0.1", port=dovecot.port, username=user, password=password,
                 encryption="Plain")
    inbox, search = b.add("mail_imap_inbox"), b.add("mail_imap_search", subject="Grüße", unseen_only=True)
    first, fetch = b.add("array_get", index=0), b.add("email_imap_inbox_fetch_mail")
    b.chain(b.add("events_simple"), smtp, send, imap, inbox, search, fetch)
    b.wire(smtp, "connection", send, "connection")
    b.wire(imap, "connection", inbox, "connection")
    b.wire(inbox, "inbox_struct", search, "inbox")
    b.wire(search, "emails", first, "array_in")
    b.wire(first, "element", fetch, "email_ref")
    email = b.result_of(fetch, fetch, "email")
    assert (email.subject, email.plain) == ("Temperatur 31 °C – Grüße", "Fenster öffnen ✓\n")
    assert [(a.name, a.email) for a in email.from_] == [("Sensor Küche", "sensor@example.org")]
