"""Send Mail with an address that is no email address fails naming the field and the text before anything is
sent, where the address was mangled and the mail went on: "not an address" went to <not>, "ann@x.org bob@y.org"
(a comma forgotten) to <ann@x.org> alone, and "ann@" was dropped without a word."""

from __future__ import annotations

import pytest
from test_smtp import send_board

from flowlike_core import RunStatus


@pytest.mark.parametrize(("field", "text"), [("to", "not an address"), ("to", "ann@x.org bob@y.org"),
                                             ("cc", "bob@y.org, ann@"), ("bcc", "@x.org"),
                                             ("from", "ada at example.org")])
def test_a_field_holding_no_email_address_is_refused_before_sending(b, smtp, field, text) -> None:
    fields = {"from": "ada@example.org", "to": "bob@example.org", field: text}
    send_board(b, smtp, **fields)
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"'{field}' {text!r} holds something that is not an email address: write name@domain (or Name " \
           "<name@domain>), several separated by commas" in run.error, run.error
    assert smtp.envelopes == []


def test_display_names_quoted_commas_and_a_trailing_comma_still_go(b, smtp) -> None:
    send_board(b, smtp, **{"from": "Ada <ada@example.org>", "to": '"Doe, John" <j@example.org>, bob@example.org,'})
    b.run().raise_for_status()
    assert smtp.envelopes[0].rcpt_tos == ["j@example.org", "bob@example.org"]


class Refusing:
    """An SMTP server that knows no nobody@example.org, takes no mail from spammer@example.org and refuses a message
    whose subject says so."""

    async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:  # noqa: N802 - aiosmtpd's
        if address == "spammer@example.org":
            return "553 5.7.1 sender rejected"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802 - aiosmtpd's
        if address == "nobody@example.org":
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        return "554 5.6.0 message refused" if b"Subject: refuse me" in envelope.content else "250 OK"


@pytest.fixture
def refusing():
    from aiosmtpd.controller import Controller
    from local_ports import free_port

    controller = Controller(Refusing(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port
    controller.stop()


@pytest.mark.parametrize(("to", "which"), [("nobody@example.org", "every recipient"),
                                           ("bob@example.org, nobody@example.org", "some recipients")])
def test_recipients_the_server_refuses_are_named_with_its_reason(b, refusing, to, which) -> None:
    start = b.add("events_simple")
    connect = b.add("email_smtp_connect", host="127.0.0.1", port=refusing, encryption="Plain")
    send = b.add("email_smtp_send", **{"from": "ada@example.org", "to": to})
    b.chain(start, connect, send)
    b.wire(connect, "connection", send, "connection")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"the server refused {which}: nobody@example.org (550 5.1.1 no such user)" in run.error, run.error
    assert ("the message went to the others" in run.error) is (which == "some recipients")


@pytest.mark.parametrize(("fields", "why"), [
    ({"from": "spammer@example.org"}, "the server refused mail from spammer@example.org: 553 5.7.1 sender rejected"),
    ({"subject": "refuse me"}, "the server refused the message: 554 5.6.0 message refused"),
])
def test_a_sender_or_message_the_server_refuses_says_why(b, refusing, fields, why) -> None:
    start = b.add("events_simple")
    connect = b.add("email_smtp_connect", host="127.0.0.1", port=refusing, encryption="Plain")
    send = b.add("email_smtp_send", **{"from": "ada@example.org", "to": "bob@example.org", **fields})
    b.chain(start, connect, send)
    b.wire(connect, "connection", send, "connection")
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert why in run.error, run.error


def test_a_subject_holding_a_line_break_names_the_subject(b, smtp) -> None:
    send_board(b, smtp, **{"from": "ada@example.org", "to": "bob@example.org", "subject": "Report\r\nBcc: x@y.org"})
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert "'subject' holds a line break, which a mail header cannot: 'Report\\r\\nBcc: x@y.org'" in run.error, \
        run.error
    assert smtp.envelopes == []
