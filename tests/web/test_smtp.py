"""SMTP nodes against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

from email import message_from_bytes, policy

from flowlike_core import RunStatus


def send_board(b, smtp, connect_options=None, **send_options):
    start = b.add("events_simple")
    connect = b.add("email_smtp_connect", host="127.0.0.1", port=smtp.port, encryption="Plain",
                    **(connect_options or {}))
    send = b.add("email_smtp_send", **send_options)
    b.chain(start, connect, send)
    b.wire(connect, "connection", send, "connection")
    return connect, send


def test_send_text_html_attachment_and_bcc(b, smtp, tmp_path) -> None:
    report = tmp_path / "report.csv"
    report.write_text("a,b\n1,2\n")
    _, send = send_board(b, smtp, **{"from": "Ada <ada@example.org>", "to": "bob@example.org, Cy <cy@example.org>",
                                     "cc": "dee@example.org", "bcc": "eve@example.org", "subject": "Numbers",
                                     "body_text": "See attached.", "body_html": "<p>See <b>attached</b>.</p>",
                                     "attachments": [str(report)]})
    message_id = b.result_of(send, send, "message_id")
    [envelope] = smtp.envelopes
    assert envelope.mail_from == "ada@example.org"
    assert envelope.rcpt_tos == ["bob@example.org", "cy@example.org", "dee@example.org", "eve@example.org"]
    mail = message_from_bytes(envelope.content, policy=policy.default)
    assert (mail["Subject"], mail["To"], mail["Cc"], mail["Bcc"]) == (
        "Numbers", "bob@example.org, Cy <cy@example.org>", "dee@example.org", None)
    assert mail["Message-ID"] == message_id and message_id.endswith("@example.org>")
    assert mail.get_body(("plain",)).get_content() == "See attached.\r\n"
    assert mail.get_body(("html",)).get_content() == "<p>See <b>attached</b>.</p>\r\n"
    [attached] = list(mail.iter_attachments())
    assert (attached.get_filename(), attached.get_content()) == ("report.csv", "a,b\n1,2\n")


def test_bcc_header_on_request(b, smtp) -> None:
    _, send = send_board(b, smtp, **{"from": "ada@example.org", "bcc": "eve@example.org", "subject": "hi",
                                     "include_bcc_header": True})
    b.result_of(send, send, "message_id")
    assert message_from_bytes(smtp.envelopes[0].content)["Bcc"] == "eve@example.org"


def test_login(b, smtp) -> None:
    _, send = send_board(b, smtp, {"username": "mailer", "password": "mail-secret"},
                         **{"from": "ada@example.org", "to": "bob@example.org"})
    run = b.run()
    run.raise_for_status()
    assert [e.rcpt_tos for e in smtp.envelopes] == [["bob@example.org"]]
    assert [line.message.rsplit(" to ", 1)[1] for trace in run.traces for line in trace.logs
            if line.message.startswith("sent ")] == ["1 recipient"]
    assert "mail-secret" not in str(run.record().model_dump())


def test_wrong_password_is_clear_and_secret_free(b, smtp) -> None:
    send_board(b, smtp, {"username": "mailer", "password": "wrong-secret"},
               **{"from": "ada@example.org", "to": "bob@example.org"})
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"SMTP login as 'mailer' at 127.0.0.1:{smtp.port} failed" in run.error
    assert "wrong-secret" not in run.error and smtp.envelopes == []


def test_no_recipient_is_clear(b, smtp) -> None:
    send_board(b, smtp, **{"from": "ada@example.org"})
    run = b.run()
    assert run.status is RunStatus.FAILED and "no recipient: 'to', 'cc' and 'bcc' are all empty" in run.error


def test_server_down_is_clear(b, closed_port) -> None:
    start = b.add("events_simple")
    connect = b.add("email_smtp_connect", host="127.0.0.1", port=closed_port, encryption="Plain")
    b.chain(start, connect)
    run = b.run()
    assert run.status is RunStatus.FAILED
    assert f"cannot reach SMTP server 127.0.0.1:{closed_port}" in run.error
