"""Reading parsed emails: content, headers, attachments, addresses. All pure."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from flowlike_catalog.web.mail import Attachment, Email, EmailRef, MailAddress, schema

from flowlike_core import Pin, node

CATEGORY = "Email/Access"

EmailIn = Annotated[Email, Pin(schema=schema(Email), description="A fetched mail, from Fetch Mail")]
Address = Annotated[MailAddress, Pin(schema=schema(MailAddress))]
Addresses = Annotated[list[MailAddress], Pin(schema=schema(MailAddress))]


def as_email(value: Any) -> Email:
    if isinstance(value, Email):
        return value
    if not isinstance(value, dict) or not value:
        raise TypeError(f"expected a fetched email (from Fetch Mail), got {type(value).__name__}")
    return Email.model_validate(value)


class Content(NamedTuple):
    subject: str
    date: str
    plain: Annotated[str, Pin(description="The text/plain body, empty without one")]
    html: Annotated[str, Pin(description="The text/html body, empty without one")]


class Headers(NamedTuple):
    sender_from: Annotated[MailAddress, Pin(name="from", schema=schema(MailAddress),
                                            description="The first From address")]
    sender: Addresses
    to: Addresses
    cc: Addresses
    bcc: Addresses


class AttachmentFields(NamedTuple):
    filename: str
    content_type: str
    data: bytes


class AddressFields(NamedTuple):
    name: Annotated[str, Pin(description="The display name, empty without one")]
    email: str


@node(friendly_name="Email → Content")
def email_get_content(email: EmailIn) -> Content:
    """Subject, date and the text and HTML bodies."""
    email = as_email(email)
    return Content(email.subject, email.date, email.plain, email.html)


@node(friendly_name="Email → Headers")
def email_get_headers(email: EmailIn) -> Headers:
    """The addresses of the mail."""
    email = as_email(email)
    first = email.from_[0] if email.from_ else MailAddress(email="")
    return Headers(first, email.sender, email.to, email.cc, email.bcc)


@node(friendly_name="Email → Attachments")
def email_get_attachments(email: EmailIn) -> Annotated[list[Attachment], Pin(name="attachments",
                                                                            schema=schema(Attachment))]:
    """The attached files (parts with a file name or marked as attachments)."""
    return list(as_email(email).attachments)


@node(friendly_name="Attachment → Fields")
def attachment_fields(attachment: Annotated[Attachment, Pin(schema=schema(Attachment))]) -> AttachmentFields:
    """File name, content type and bytes of an attachment."""
    attachment = attachment if isinstance(attachment, Attachment) else Attachment.model_validate(attachment)
    return AttachmentFields(attachment.filename or "", attachment.content_type, attachment.data)


@node(friendly_name="MailAddress → Fields")
def mail_address_fields(address: Address) -> AddressFields:
    """Display name and address."""
    address = address if isinstance(address, MailAddress) else MailAddress.model_validate(address)
    return AddressFields(address.name or "", address.email)


@node(friendly_name="Mail → Reference")
def mail_imap_inbox_mail_to_reference(mail: EmailIn) -> Annotated[EmailRef, Pin(name="reference",
                                                                                schema=schema(EmailRef))]:
    """The reference of a fetched mail, for the flag, copy, move and delete nodes."""
    mail = as_email(mail)
    return EmailRef(connection=mail.connection, inbox=mail.inbox, uid=mail.uid)
