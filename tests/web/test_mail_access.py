"""The Email → ... accessors on messages parsed from real RFC 822 bytes (Fetch Mail's parser)."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from flowlike_catalog.web import mail_access as access
from flowlike_catalog.web.mail import EmailRef, ImapConnection, ImapInbox, parse

CONNECTION = ImapConnection(id="c1")
REF = EmailRef(connection=CONNECTION, inbox=ImapInbox(connection=CONNECTION, name="INBOX"), uid=7)


def parsed():
    mail = EmailMessage()
    mail["From"] = "Ada Lovelace <ada@example.org>"
    mail["Sender"] = "list@example.org"
    mail["To"] = "Bob <bob@example.org>, cy@example.org"
    mail["Cc"] = "Dee <dee@example.org>"
    mail["Subject"] = "Café plans"
    mail["Date"] = "Tue, 03 Mar 2026 09:30:00 +0100"
    mail.set_content("Plain body\nline two\n")
    mail.add_alternative("<p>HTML body</p>", subtype="html")
    mail.add_attachment(b"\x89PNG...", maintype="image", subtype="png", filename="pic.png")
    return parse(mail.as_bytes(), REF, ["\\Seen"])


def test_content() -> None:
    assert tuple(access.email_get_content.func(parsed())) == (
        "Café plans", "Tue, 03 Mar 2026 09:30:00 +0100", "Plain body\nline two\n", "<p>HTML body</p>\n")


def test_headers_and_address_fields() -> None:
    headers = access.email_get_headers.func(parsed())
    assert tuple(access.mail_address_fields.func(headers.sender_from)) == ("Ada Lovelace", "ada@example.org")
    assert [tuple(access.mail_address_fields.func(a)) for a in headers.to] == [
        ("Bob", "bob@example.org"), ("", "cy@example.org")]
    assert [a.email for a in headers.sender] == ["list@example.org"]
    assert [a.email for a in headers.cc] == ["dee@example.org"] and headers.bcc == []


def test_attachments_and_fields() -> None:
    [attachment] = access.email_get_attachments.func(parsed())
    assert tuple(access.attachment_fields.func(attachment)) == ("pic.png", "image/png", b"\x89PNG...")
    assert tuple(access.attachment_fields.func(attachment.model_dump())) == ("pic.png", "image/png", b"\x89PNG...")


def test_reference_and_dict_input() -> None:
    email = parsed()
    assert access.mail_imap_inbox_mail_to_reference.func(email) == REF
    assert access.mail_imap_inbox_mail_to_reference.func(email.model_dump(by_alias=True)) == REF


def test_wrong_input_is_clear() -> None:
    with pytest.raises(TypeError, match="expected a fetched email \\(from Fetch Mail\\), got str"):
        access.email_get_content.func("hello")
